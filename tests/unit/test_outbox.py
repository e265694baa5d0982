"""The rows of screens sent go with the next turn's transaction, not one of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot import outbox
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from bot.storage.models import Leader
from tests.support.database_peek import count
from tests.support.running_bot import TEST_DATA_KEY

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROWS = "SELECT count(*) FROM undelivered_replies"


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    use_cipher(DataCipher((TEST_DATA_KEY,)))
    found = Database(database_url)
    await found.migrate()
    async with found.session() as session, session.begin():
        session.add(Leader(id=42, language="en", created_at=NOW, last_seen_at=NOW))
    yield found
    await outbox.forget_all(found)
    await found.dispose()


async def held(database: Database) -> list[int]:
    """A turn's two screens, committed."""
    async with database.session() as session, session.begin():
        return await outbox.hold(session, 42, 42, [("one", None), ("two", None)], NOW)


async def test_screens_sent_are_deleted_by_the_next_turn_without_a_write_of_their_own(
    database: Database, database_url: str
) -> None:
    ids = await held(database)
    await outbox.sent(database, ids)
    # No transaction of its own: the rows are still there, and known sent.
    assert await count(database_url, ROWS) == 2
    assert await outbox.resend(None, database, 42, None, NOW) == 0  # type: ignore[arg-type]
    async with database.session() as session:
        async with session.begin():
            forgotten = await outbox.forget_sent(session, database)
        outbox.forgotten(database, forgotten, committed=True)
    assert sorted(forgotten) == sorted(ids)
    assert await count(database_url, ROWS) == 0


async def test_a_turn_that_does_not_commit_leaves_them_for_the_next(
    database: Database, database_url: str
) -> None:
    ids = await held(database)
    await outbox.sent(database, ids)
    async with database.session() as session:
        with pytest.raises(RuntimeError):
            async with session.begin():
                forgotten = await outbox.forget_sent(session, database)
                raise RuntimeError
        outbox.forgotten(database, forgotten, committed=False)
    assert await count(database_url, ROWS) == 2
    await outbox.forget_all(database)
    assert await count(database_url, ROWS) == 0
