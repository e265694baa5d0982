"""What must outlast a power cut waits for the disk; a leader's turn does not.

On SQLite a commit either waits until the write-ahead log is on disk
(``synchronous=FULL``) or not (``NORMAL``: a killed process loses nothing, a power cut
may lose the last commits). The updates the intake stores before Telegram is told,
and the nudges' claims and results, wait; a leader's turn does not (its update stays
in the inbox until the turn's commit, so a lost turn is handled again).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from telegram import Update

from bot.storage import inbox
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from bot.storage.models import Meta
from tests.support.running_bot import TEST_DATA_KEY

FULL, NORMAL = 2, 1


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    use_cipher(DataCipher((TEST_DATA_KEY,)))
    found = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    await found.migrate()
    try:
        yield found
    finally:
        await found.dispose()


def synchronous_of_each(first_word: str) -> tuple[list[int], Any]:
    """The ``synchronous`` setting of each connection that runs a statement starting with
    ``first_word`` on a table (and the listener, to remove)."""
    seen: list[int] = []

    def note(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith(first_word):
            sqlite = connection.connection.driver_connection
            seen.append(sqlite.execute("PRAGMA synchronous").fetchone()[0])

    event.listen(Engine, "after_cursor_execute", note)
    return seen, note


async def test_stored_updates_wait_for_the_disk_and_a_turn_does_not(database: Database) -> None:
    stored, listener = synchronous_of_each("INSERT INTO inbox")
    turned, turn_listener = synchronous_of_each("INSERT INTO meta")
    try:
        update = Update.de_json(
            {
                "update_id": 7,
                "message": {
                    "message_id": 1,
                    "date": 1_790_000_000,
                    "chat": {"id": 5, "type": "private"},
                    "from": {"id": 5, "is_bot": False, "first_name": "Lien"},
                    "text": "/start",
                },
            },
            None,
        )
        assert await inbox.store(database, [update]) == {7}
        async with database.write_turn(), database.session() as session, session.begin():
            session.add(Meta(key="a turn", value="written"))
    finally:
        event.remove(Engine, "after_cursor_execute", listener)
        event.remove(Engine, "after_cursor_execute", turn_listener)
    assert stored == [FULL]
    assert turned == [NORMAL]
