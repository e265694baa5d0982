"""What the bot asks of Telegram before its first update: only what it must.

Telegram keeps a bot's "/" menus, so a start-up with the same menus sends none (a new
version with other commands or texts does); and a webhook set before (the bot once ran
with one) is deleted when Telegram says it is in the way, not at every start.
"""

from __future__ import annotations

import pytest

from bot import application as application_module
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.running_bot import running_bot
from tests.support.standin_records import FAULTS
from tests.support.waiting import wait_until


@pytest.mark.both_databases
async def test_the_menus_are_sent_once_and_again_only_when_they_change(
    api: BotApiStandin, database_url: str, clock: TestClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(api, database_url, clock):
        pass
    assert api.count_calls("setMyCommands") == 5  # the default menu and four languages
    assert [name for name, _ in api.commands(language_code="nl") or []][-1] == "help"

    # The same version starts again: Telegram has these menus already.
    async with running_bot(api, database_url, clock):
        pass
    assert api.count_calls("setMyCommands") == 5

    # A version without the last command: every menu is sent again, without it.
    shorter = application_module.COMMANDS[:-1]
    monkeypatch.setattr(application_module, "COMMANDS", shorter)
    async with running_bot(api, database_url, clock):
        leader = api.user(4101, "Lien", language_code="nl")
        await leader.send("/start")
        await leader.expect("Wat wil je doen?")
    assert api.count_calls("setMyCommands") == 10
    for code in ("", "nl", "en", "fr", "de"):
        names = [name for name, _ in api.commands(language_code=code) or []]
        assert names == [c.name for c in shorter], code


async def test_a_webhook_set_before_is_deleted_and_the_leader_is_answered_by_polling(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> None:
    # The bot ran with a webhook before (it is not listening any more).
    async with running_bot(api, database_url, clock, polling=False) as earlier:
        await earlier.bot.set_webhook("http://127.0.0.1:9/telegram-hook")
    assert api.webhook_url is not None

    async with running_bot(api, database_url, clock):
        await wait_until(lambda: api.webhook_url is None, "the old webhook to be deleted", 10)
        leader = api.user(4102, "Lien", language_code="nl")
        await leader.send("/start")
        await leader.expect("Wat wil je doen?")
    assert api.count_calls("deleteWebhook") == 1
    # Telegram refused the first getUpdates while the webhook was set; nothing else.
    assert [method for method, _ in api.refusals] == ["getUpdates"]
    assert "webhook is active" in api.refusals[0][1]
    api.refusals.clear()


async def test_a_webhook_that_cannot_be_deleted_at_once_is_deleted_at_the_next_try(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> None:
    async with running_bot(api, database_url, clock, polling=False) as earlier:
        await earlier.bot.set_webhook("http://127.0.0.1:9/telegram-hook")
    api.inject("deleteWebhook", FAULTS["500"])

    async with running_bot(api, database_url, clock):
        await wait_until(lambda: api.webhook_url is None, "the old webhook to be deleted", 15)
        leader = api.user(4104, "Lien", language_code="nl")
        await leader.send("/start")
        await leader.expect("Wat wil je doen?")
    assert api.count_calls("deleteWebhook") == 2
    # Refused while the webhook stood: before the failed deletion and after it.
    assert [method for method, _ in api.refusals] == ["getUpdates", "getUpdates"]
    api.refusals.clear()


async def test_a_start_without_a_webhook_deletes_none(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> None:
    async with running_bot(api, database_url, clock):
        leader = api.user(4103, "Lien", language_code="nl")
        await leader.send("/start")
        await leader.expect("Wat wil je doen?")
    assert api.count_calls("deleteWebhook") == 0
    assert api.count_calls("getUpdates") >= 1
