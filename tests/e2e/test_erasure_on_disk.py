"""Erased means unreadable at once: on SQLite, in the database file and in its write-ahead log.

An attacker with a copy of the files and the data key reads every Fernet token they
can find in the bytes. After an erasure only the data key's own check may open.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from bot.storage.database import KEY_CHECK
from bot.storage.key_rotation import encrypted_columns
from tests.e2e import walk
from tests.e2e.test_privacy import full_case
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import BotProcess
from tests.support.clock import TestClock
from tests.support.running_bot import TEST_DATA_KEY, running_bot
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until

TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_\-]+=*")
#: What the data key check decrypts to: the only text that may stay readable.
KEY_CHECK_TEXT = "pestgesprek"


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"


def files(tmp_path: Path) -> list[Path]:
    """The database file and its write-ahead log, as far as they exist."""
    main = tmp_path / "bot.sqlite3"
    return [p for p in (main, Path(f"{main}-wal")) if p.exists()]


def stored_tokens(tmp_path: Path) -> set[str]:
    """Every token in the encrypted columns, read as the database gives them."""
    with closing(sqlite3.connect(tmp_path / "bot.sqlite3")) as connection:
        return {
            token
            for table, column in encrypted_columns()
            for (token,) in connection.execute(f"SELECT {column} FROM {table}")
            if token
        }


def checkpoint(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "bot.sqlite3")) as connection:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")


def readable_on_disk(tmp_path: Path) -> set[str]:
    """Every text that a token found anywhere in the files decrypts to with the key."""
    key = Fernet(TEST_DATA_KEY.encode())
    found = set()
    for path in files(tmp_path):
        for match in TOKEN.finditer(path.read_bytes()):
            try:
                found.add(key.decrypt(match.group()).decode())
            except InvalidToken:
                continue
    return found


def tokens_on_disk(tmp_path: Path, tokens: set[str]) -> set[str]:
    data = b"".join(path.read_bytes() for path in files(tmp_path))
    return {token for token in tokens if token.encode() in data}


async def erase_everything(leader: SimUser) -> None:
    await leader.send("/delete")
    await leader.press(await leader.expect("Erase everything?"), "Yes, erase everything")
    await leader.expect("Everything is erased.")


async def test_after_delete_nothing_erased_is_readable_in_the_files_at_once(
    api: BotApiStandin, clock: TestClock, tmp_path: Path
) -> None:
    leader = api.user(7101, "Jo", language_code="en")
    other = api.user(7104, "Bo", language_code="en")
    async with running_bot(api, sqlite_url(tmp_path), clock):
        await walk.new_case(other, "Ander-Kind", [("Nog-Een", "Bullies")])
        kept = stored_tokens(tmp_path)
        await full_case(leader)
        tokens = stored_tokens(tmp_path) - kept
        assert len(tokens) >= 5
        # As SQLite does by itself once the log grows: the pages go into the main file.
        checkpoint(tmp_path)
        assert tokens_on_disk(tmp_path, tokens) == tokens, "written to the files before"
        await erase_everything(leader)
        # While the bot still runs: the moment the leader is told, it is gone from disk.
        assert tokens_on_disk(tmp_path, tokens) == set()
        assert readable_on_disk(tmp_path) == {KEY_CHECK_TEXT, "Ander-Kind", "Nog-Een"}


async def test_a_closed_case_erased_by_retention_is_unreadable_in_the_files(
    api: BotApiStandin, clock: TestClock, tmp_path: Path
) -> None:
    leader = api.user(7102, "Jo", language_code="en")
    async with running_bot(api, sqlite_url(tmp_path), clock):
        await full_case(leader)
        tokens = stored_tokens(tmp_path)
        await leader.send("/cases")
        await leader.press(await leader.expect("My cases"), "Zuzanna-Q")
        await leader.press(await leader.expect("Case"), "Close the case")
        await leader.press(await leader.expect("Close the case of"), "Yes, close it")
        await leader.expect("is closed")
        assert tokens_on_disk(tmp_path, tokens), "kept while the case is closed"
        clock.advance(days=181)
        await wait_until(lambda: not tokens_on_disk(tmp_path, tokens), "the erasure on disk")
        assert readable_on_disk(tmp_path) <= {KEY_CHECK_TEXT}


async def test_after_delete_and_sigterm_the_log_file_is_gone_and_nothing_is_readable(
    api: BotApiStandin, tmp_path: Path
) -> None:
    leader = api.user(7103, "Jo", language_code="en")
    workdir = tmp_path / "run"
    workdir.mkdir()
    process = BotProcess(api, sqlite_url(tmp_path), workdir)
    await process.start(api)
    try:
        await full_case(leader)
        tokens = stored_tokens(tmp_path)
        await erase_everything(leader)
        await leader.send("/new")  # something new after the erasure, in the log until the end
        await leader.expect("What do you call the child who is bullied?")
        await leader.send("Nieuw-Kind")
        await leader.expect("bullies or joins in")
    finally:
        assert await process.terminate() == 0
    assert [p.name for p in files(tmp_path)] == ["bot.sqlite3"], "closed: the log is gone"
    assert tokens_on_disk(tmp_path, tokens) == set()
    assert readable_on_disk(tmp_path) == {KEY_CHECK_TEXT, "Nieuw-Kind"}
    with closing(sqlite3.connect(tmp_path / "bot.sqlite3")) as connection:
        keys = [k for (k,) in connection.execute("SELECT key FROM meta")]
    assert KEY_CHECK in keys
