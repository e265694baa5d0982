"""The children's data: encrypted at rest, exported and erased on request, kept no longer
than needed, and never in a log line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from telegram.ext import Application

from tests.e2e import walk
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import ROOT, BotProcess
from tests.support.clock import TestClock
from tests.support.database_peek import all_stored_text, count, eventually_count, sqlite_files
from tests.support.dispatch_rounds import dispatch_round, retention_round
from tests.support.running_bot import TEST_DATA_KEY, running_bot
from tests.support.standin_users import SimUser

# Encryption at rest, erasure, retention (an advisory lock on PostgreSQL) and key rotation:
# what each database keeps.
pytestmark = pytest.mark.both_databases

VICTIM = "Zuzanna-Q"
BULLY = "Xavier-K"
FACTS = "pushed into the nettles behind the scout hut"
MAY_TELL = "that she felt humiliated"
AGREEMENT = "apologise in front of patrol Otter"
SECRETS = [VICTIM, BULLY, FACTS, MAY_TELL, AGREEMENT]


async def full_case(leader: SimUser) -> None:
    """A case with every kind of free text in it, up to a planned follow-up."""
    step1 = await walk.new_case(leader, VICTIM, [(BULLY, "Bullies")])
    done = await walk.settle_step1(leader, step1, MAY_TELL)
    script = await walk.prepare_talk(leader, done, "Prepare", FACTS, "sad")
    await walk.record_talk(leader, script, [AGREEMENT])


async def test_nothing_a_leader_typed_about_a_child_is_readable_in_the_database(
    api: BotApiStandin, bot: Application, database_url: str
) -> None:
    leader = api.user(7001, "Jo", language_code="en")
    await full_case(leader)
    stored = await all_stored_text(database_url)
    raw = b"".join(path.read_bytes() for path in sqlite_files(database_url))
    for secret in SECRETS:
        assert secret not in stored, f"{secret!r} stored in clear"
        assert secret.encode() not in raw, f"{secret!r} in the database file"
    assert "gAAAAA" in stored, "the texts are there, as Fernet tokens"


async def test_export_sends_all_the_leaders_data_as_a_readable_file(
    api: BotApiStandin, bot: Application
) -> None:
    leader = api.user(7002, "Jo", language_code="en")
    await full_case(leader)
    await leader.send("/export")
    exported = await leader.expect("All your data")
    assert exported.document is not None
    assert exported.document.filename.endswith(".json")
    data = json.loads(exported.document.data)
    case = data["cases"][0]
    assert case["child_who_is_bullied"] == VICTIM
    child = case["children_who_bully"][0]
    assert child["may_tell"] == MAY_TELL
    assert (child["nickname"], child["facts"]) == (BULLY, FACTS)
    assert child["agreements"][0]["text"] == AGREEMENT
    assert data["reminders"], "the planned follow-up is in it"


async def test_delete_erases_everything_after_a_confirmation(
    api: BotApiStandin, bot: Application, database_url: str
) -> None:
    leader = api.user(7003, "Jo", language_code="en")
    other = api.user(7004, "Bo", language_code="en")
    await full_case(leader)
    await walk.new_case(other, "Sam", [("Tom", "Bullies")])
    await leader.send("/delete")
    confirm = await leader.expect("Erase everything?")
    await leader.press(confirm, "No, keep it")
    await leader.expect("Nothing was erased.")
    assert await count(database_url, "SELECT count(*) FROM cases WHERE leader_id = 7003") == 1

    await leader.send("/delete")
    await leader.press(await leader.expect("Erase everything?"), "Yes, erase everything")
    await leader.expect("Everything is erased.")
    for table in ("cases", "reminders"):
        assert (
            await count(database_url, f"SELECT count(*) FROM {table} WHERE leader_id = 7003") == 0
        )
    assert await count(database_url, "SELECT count(*) FROM children") == 1, "only the other's"
    assert await count(database_url, "SELECT count(*) FROM agreements") == 0
    assert await count(database_url, "SELECT count(*) FROM leaders WHERE id = 7003") == 0
    assert await count(database_url, "SELECT count(*) FROM cases WHERE leader_id = 7004") == 1
    await leader.send("/cases")
    await leader.expect("no open cases")


async def test_closing_a_case_erases_its_reminders_and_says_when_the_rest_goes(
    api: BotApiStandin, bot: Application, database_url: str, clock: TestClock
) -> None:
    leader = api.user(7005, "Jo", language_code="en")
    await full_case(leader)
    assert await count(database_url, "SELECT count(*) FROM reminders") >= 1
    await leader.send("/cases")
    await leader.press(await leader.expect("My cases"), VICTIM)
    await leader.press(await leader.expect("Case"), "Close the case")
    await leader.press(await leader.expect("Close the case of"), "Yes, close it")
    closed = await leader.expect("is closed")
    assert "erased on May 23, 2027" in closed.text  # 180 days after 24 November 2026
    assert await count(database_url, "SELECT count(*) FROM reminders") == 0

    clock.advance(days=179)
    await retention_round(bot)
    assert await count(database_url, "SELECT count(*) FROM cases") == 1, "kept 180 days"
    clock.advance(days=2)
    await eventually_count(database_url, "SELECT count(*) FROM cases", 0)
    assert await count(database_url, "SELECT count(*) FROM children") == 0


async def test_a_forgotten_open_case_gets_one_reminder_asking_to_close_it(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(7006, "Jo", language_code="en")
    await walk.new_case(leader, "Sam", [("Tom", "Bullies")])
    clock.advance(days=366)
    asked = await leader.expect("Nothing has happened in the case of Sam for a long time")
    clock.advance(days=5)
    await retention_round(bot)  # would plan a second ask,
    await dispatch_round(bot)  # and this would send it
    assert sum("Nothing has happened" in m.text for m in leader.messages) == 1
    await leader.press(asked, "Keep it open")
    await leader.expect("Case Sam")
    clock.advance(days=366)
    await leader.expect("Nothing has happened in the case of Sam")


def run_bot(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DATA_KEY")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_a_wrong_key_is_refused_and_changes_nothing(
    api: BotApiStandin, database_url: str, clock: TestClock, tmp_path: Path
) -> None:
    leader = api.user(7007, "Jo", language_code="en")
    async with running_bot(api, database_url, clock):
        await full_case(leader)
    before = await all_stored_text(database_url)
    result = run_bot(
        tmp_path,
        TELEGRAM_BOT_TOKEN="1:x",
        DATABASE_URL=database_url,
        DATA_KEY=Fernet.generate_key().decode(),
    )
    assert result.returncode == 2
    assert "DATA_KEY does not open the data in this database" in result.stderr
    assert await all_stored_text(database_url) == before


async def test_key_rotation_re_encrypts_everything_under_the_new_key(
    api: BotApiStandin, database_url: str, clock: TestClock, tmp_path: Path
) -> None:
    leader = api.user(7008, "Jo", language_code="en")
    async with running_bot(api, database_url, clock):
        await full_case(leader)
    new_key = Fernet.generate_key().decode()
    rotated = run_bot(
        tmp_path, "rotate-key", DATABASE_URL=database_url, DATA_KEY=f"{new_key},{TEST_DATA_KEY}"
    )
    assert rotated.returncode == 0, rotated.stderr
    assert "re-encrypted" in rotated.stdout
    # The old key alone no longer opens it; the new one alone does.
    old_only = run_bot(tmp_path, "rotate-key", DATABASE_URL=database_url, DATA_KEY=TEST_DATA_KEY)
    assert old_only.returncode == 2
    new_only = run_bot(tmp_path, "rotate-key", DATABASE_URL=database_url, DATA_KEY=new_key)
    assert new_only.returncode == 0, new_only.stderr
    stored = await all_stored_text(database_url)
    tokens = [v for v in stored.split("\n") if v.startswith("gAAAAA")]
    assert tokens
    texts = {Fernet(new_key.encode()).decrypt(t.encode()).decode() for t in tokens}
    assert {VICTIM, BULLY, FACTS, MAY_TELL, AGREEMENT} <= texts


async def test_no_child_text_reaches_the_log_even_at_debug_level(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    leader = api.user(7009, "Jo", language_code="en")
    process = BotProcess(api, database_url, tmp_path)  # LOG_LEVEL=DEBUG
    await process.start(api)
    try:
        await full_case(leader)
        await leader.send("/export")
        await leader.expect("All your data")
    finally:
        assert await process.terminate() == 0
    log = process.log.read_text()
    assert "DEBUG" in log, "the log really was at debug level"
    for secret in SECRETS:
        assert secret not in log, f"{secret!r} in the log"
