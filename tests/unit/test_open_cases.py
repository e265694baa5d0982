"""/cases pages: the count and the pages come from the open-cases index, keyset or offset."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import select, text

from bot.storage import cases
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from bot.storage.models import Case, Leader
from tests.support.running_bot import TEST_DATA_KEY
from tests.unit.test_migrations import current_revision, head_revision, run_alembic

# The open-cases index and its queries: each database's own plan and DDL.
pytestmark = pytest.mark.both_databases

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    use_cipher(DataCipher((TEST_DATA_KEY,)))
    found = Database(database_url)
    await found.migrate()
    yield found
    await found.dispose()


async def leader_with_cases(database: Database, open_count: int, closed_count: int) -> Leader:
    """A leader with open and closed cases mixed, and another leader's open case between."""
    async with database.session() as session, session.begin():
        leader = Leader(id=42, language="en", created_at=NOW, last_seen_at=NOW)
        other = Leader(id=43, language="en", created_at=NOW, last_seen_at=NOW)
        session.add_all([leader, other])
        await session.flush()
        for number in range(open_count + closed_count):
            case = cases.new_case(session, leader, f"Kind{number}", None, NOW)
            if number % 2 and closed_count:
                case.closed_at = NOW
                closed_count -= 1
            cases.new_case(session, other, "Someone else", None, NOW)
    return leader


async def names(database: Database, leader: Leader, offset: int, before: int | None) -> list[str]:
    async with database.session() as session:
        page, _total = await cases.open_cases(session, leader, offset, 3, before_id=before)
        return [case.victim_nickname for case in page]


async def test_pages_by_offset_and_by_keyset_are_the_same_open_cases(
    database: Database,
) -> None:
    leader = await leader_with_cases(database, open_count=8, closed_count=4)
    async with database.session() as session:
        first, total = await cases.open_cases(session, leader, 0, 3)
        everything = (
            await session.scalars(
                select(Case.victim_nickname)
                .where(Case.leader_id == leader.id, Case.closed_at.is_(None))
                .order_by(Case.id.desc())
            )
        ).all()
    assert total == 8
    assert [c.victim_nickname for c in first] == everything[:3]

    by_offset = [await names(database, leader, offset, None) for offset in (0, 3, 6)]
    keyset: list[list[str]] = []
    before: int | None = None
    for _ in range(3):
        async with database.session() as session:
            page, _total = await cases.open_cases(session, leader, 0, 3, before_id=before)
        keyset.append([case.victim_nickname for case in page])
        before = page[-1].id if page else None
    assert by_offset == keyset == [everything[0:3], everything[3:6], everything[6:8]]
    assert await names(database, leader, 9, None) == [], "past the last page: empty"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_count_and_the_page_boundary_read_the_index_alone(database: Database) -> None:
    leader = await leader_with_cases(database, open_count=2, closed_count=1)
    async with database.engine.connect() as connection:
        plans = []
        for query in (
            "SELECT count(*) FROM cases WHERE leader_id = :l AND closed_at IS NULL",
            "SELECT id FROM cases WHERE leader_id = :l AND closed_at IS NULL "
            "ORDER BY id DESC LIMIT 1 OFFSET 1",
        ):
            rows = await connection.execute(text(f"EXPLAIN QUERY PLAN {query}"), {"l": leader.id})
            plans.append(" ".join(str(row[-1]) for row in rows))
    for plan in plans:
        assert "COVERING INDEX ix_cases_leader_open" in plan, plan


async def test_the_index_migration_goes_down_and_up_again(database: Database) -> None:
    await leader_with_cases(database, open_count=3, closed_count=1)
    await run_alembic(database.engine, lambda config: command.downgrade(config, "0003"))
    assert await current_revision(database.engine) == "0003"
    await database.migrate()
    assert await current_revision(database.engine) == head_revision()
    async with database.session() as session:
        leader = await session.get(Leader, 42)
        assert leader is not None
        _page, total = await cases.open_cases(session, leader, 0, 3)
    assert total == 3
