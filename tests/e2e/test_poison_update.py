"""One update python-telegram-bot cannot read stops nobody, and its content is in no log line.

A message whose chat has no id cannot be made into an ``Update``: in a getUpdates
batch it used to make the whole batch fail, for good (a crash loop). Here it is set
aside in the quarantine (encrypted), confirmed, logged by its id, and the leader
next to it in the same batch is answered. The bot runs as its own process at
``LOG_LEVEL=DEBUG``, the most talkative level, and its whole output is searched for
what the leader typed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from tests.e2e.test_webhook import free_port
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import BotProcess
from tests.support.database_peek import all_stored_text, count, eventually_count
from tests.support.standin_records import Fault
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until

#: What the leader typed in the unreadable update: it may show up in no log line.
TYPED = "hallo, Tommeke pest Noor"
QUARANTINED = "SELECT count(*) FROM quarantine"


def queue_poison(api: BotApiStandin, leader: SimUser) -> int:
    """A message from ``leader`` whose chat has no id, as a faulty proxy might pass on."""
    return api.queue_update(
        "message",
        {
            "message_id": 1,
            "from": leader.to_json(),
            "chat": {"type": "private", "first_name": leader.first_name},
            "date": int(time.time()),
            "text": TYPED,
        },
    )


def check_log(log: str, poison: int) -> None:
    """The log names the update and its error, and holds nothing the leader typed."""
    assert f"update {poison} cannot be read (TypeError" in log
    assert "'id'" in log, "the error says which field is missing"
    for fragment in (TYPED, "Tommeke", "hallo", "Noor"):
        assert fragment not in log, f"{fragment!r} is in the log"
    assert "This Application is still running" not in log


async def quarantined_encrypted(database_url: str) -> None:
    assert await count(database_url, QUARANTINED) == 1
    assert "Tommeke" not in await all_stored_text(database_url), "set aside encrypted"


@pytest.mark.parametrize("log_level", ["DEBUG", "INFO"])
async def test_a_poison_update_in_a_polled_batch_stops_nobody_and_is_never_logged(
    api: BotApiStandin, database_url: str, tmp_path: Path, log_level: str
) -> None:
    bot = BotProcess(api, database_url, tmp_path)
    bot.env["LOG_LEVEL"] = log_level
    poisoner = api.user(7101, "Jo", language_code="nl")
    other = api.user(7102, "Lien", language_code="en")
    await bot.start(api)
    try:
        # One batch: the poison between two readable updates.
        batch: list[list[int]] = []
        api.update_listeners.append(batch.append)
        await other.send("/start")
        poison = queue_poison(api, poisoner)
        await other.send("/help")
        await other.expect("What do you want to do?")
        await other.expect_new_message()
        assert poison in batch[0] and len(batch[0]) == 3, "the three came in one batch"
        await wait_until(lambda: not api.pending_updates, "the batch to be confirmed", 10)
        await quarantined_encrypted(database_url)
        await eventually_count(database_url, "SELECT count(*) FROM inbox WHERE done_at IS NULL", 0)

        # It keeps going: the next update is answered too.
        await other.send("/cases")
        await other.expect_new_message()
        assert bot.process is not None and bot.process.returncode is None
    finally:
        assert await bot.terminate() == 0
    check_log(bot.log.read_text(), poison)


async def test_a_poison_update_posted_to_the_webhook_is_set_aside_and_answered_200(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    bot = BotProcess(api, database_url, tmp_path)
    bot.env.update(
        WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram-hook",
        WEBHOOK_SECRET="s3cret-token",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    poisoner = api.user(7201, "Jo", language_code="nl")
    other = api.user(7202, "Lien", language_code="en")
    await bot.start_without_polling()
    try:
        await wait_until(lambda: api.webhook_url is not None, "the webhook to be set", 20)
        poison = queue_poison(api, poisoner)
        await other.send("/start")
        await other.expect("What do you want to do?")
        statuses: dict[int, Any] = {d.update_id: d.status for d in api.webhook_deliveries}
        assert statuses[poison] == 200, "acknowledged once set aside, so Telegram goes on"
        assert len([d for d in api.webhook_deliveries if d.update_id == poison]) == 1
        await quarantined_encrypted(database_url)
    finally:
        assert await bot.terminate() == 0
    check_log(bot.log.read_text(), poison)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_an_answer_cut_short_puts_nothing_the_leader_typed_in_the_log(
    api: BotApiStandin, database_url: str, tmp_path: Path, log_format: str
) -> None:
    bot = BotProcess(api, database_url, tmp_path)
    bot.env["LOG_FORMAT"] = log_format
    leader = api.user(7301, "Jo", language_code="en")
    await bot.start(api)
    try:
        # The poll open now is answered whole; the next one is cut short.
        api.inject("getUpdates", Fault("cut short", cut_short=True))
        await leader.send("/start")
        await leader.expect("What do you want to do?")
        await wait_until(lambda: ("getUpdates", "cut short") in api.injected, "the next poll")
        # The answer holding what the leader typed is no JSON: python-telegram-bot logs
        # what it got; the bot asks again and is given the message again.
        await leader.send(f"/help {TYPED}")
        await leader.expect_new_message()
    finally:
        assert await bot.terminate() == 0
    log = bot.log.read_text()
    assert "Can not load invalid JSON data (the data is left out)" in log
    for fragment in (TYPED, "Tommeke", "hallo"):
        assert fragment not in log, f"{fragment!r} is in the log"


async def test_a_leader_who_erases_everything_erases_their_update_set_aside_too(
    api: BotApiStandin, bot: Application, database_url: str
) -> None:
    leader = api.user(7301, "Jo", language_code="en")
    other = api.user(7302, "Lien", language_code="en")
    queue_poison(api, other)
    queue_poison(api, leader)
    await leader.send("/delete")
    await leader.press(await leader.expect("Erase everything?"), "Yes, erase everything")
    await leader.expect("Everything is erased.")
    assert await count(database_url, "SELECT count(*) FROM quarantine WHERE sender_id = 7301") == 0
    assert await count(database_url, QUARANTINED) == 1, "only the other leader's"
