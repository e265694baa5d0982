"""The leader's place in the flow: written when it moves, not written when it stays."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from bot.storage import leaders
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from bot.storage.models import Leader
from flows.replies import Awaiting
from tests.support.running_bot import TEST_DATA_KEY

# Which SQL statements a turn writes, as each database's dialect sends them.
pytestmark = pytest.mark.both_databases

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
LEADER_ID = 4242


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    use_cipher(DataCipher((TEST_DATA_KEY,)))
    found = Database(database_url)
    await found.migrate()
    async with found.session() as session, session.begin():
        session.add(Leader(id=LEADER_ID, language="nl", created_at=NOW, last_seen_at=NOW))
    yield found
    await found.dispose()


@pytest.fixture
def writes(database: Database) -> list[str]:
    """Every INSERT, UPDATE or DELETE the database is sent from now on."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            sent.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    return sent


async def turn(database: Database, awaiting: Awaiting, case_id: int | None = None) -> bool:
    """One update that puts the leader at ``awaiting`` (about ``case_id``).

    Returns whether the session had the leader's row to go through at the commit.
    """
    async with database.session() as session, session.begin():
        leader = await leaders.get_or_create(session, LEADER_ID, "nl", NOW)
        leaders.place(leader, awaiting, case_id=case_id)
        return leader in session.dirty


async def stored(database: Database) -> Leader:
    async with database.session() as session:
        found = await session.get(Leader, LEADER_ID)
        assert found is not None
        return found


async def test_the_same_place_again_writes_nothing(database: Database, writes: list[str]) -> None:
    assert not await turn(database, Awaiting.NOTHING)
    assert not await turn(database, Awaiting.NOTHING)
    assert writes == []
    assert (await stored(database)).awaiting == Awaiting.NOTHING


async def test_a_new_place_is_stored_and_drops_the_kept_draft(
    database: Database, writes: list[str]
) -> None:
    async with database.session() as session, session.begin():
        leader = await leaders.get_or_create(session, LEADER_ID, "nl", NOW)
        leader.draft = "een te lange tekst"
    assert await turn(database, Awaiting.FACTS, case_id=7)
    found = await stored(database)
    assert (found.awaiting, found.active_case_id, found.draft) == (Awaiting.FACTS, 7, None)
    writes.clear()
    # Back where the leader was: nothing moved, nothing written.
    assert not await turn(database, Awaiting.FACTS, case_id=7)
    assert writes == []
