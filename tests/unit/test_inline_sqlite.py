"""SQLite on the event loop's thread: no thread per connection, and a lock never freezes it.

The bot's SQLite calls run on the loop's thread (``bot.storage.inline_sqlite``). A
write lock another process holds (a migration, the command line) must not stop
the other leaders' turns: the waiting write gives the loop back between tries, and
gives up with "database is locked" once the lock wait is over, as before.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.storage.database import Database
from bot.storage.models import Meta


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    found = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", lock_wait=0.6)
    await found.migrate()
    try:
        yield found
    finally:
        await found.dispose()


@contextmanager
def write_lock_held_elsewhere(database: Database) -> Iterator[sqlite3.Connection]:
    """The database's write lock, held by a connection of its own, as another process would."""
    other = sqlite3.connect(database.url.split("///", 1)[1], isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.rollback()
        other.close()


def wal_size(database: Database) -> int:
    wal = Path(database.url.split("///", 1)[1] + "-wal")
    return wal.stat().st_size if wal.exists() else 0


async def ticks_while(work: asyncio.Task[None]) -> int:
    """How often a 10 ms timer of the same loop fired while ``work`` ran."""
    count = 0
    while not work.done():
        await asyncio.sleep(0.01)
        count += 1
    return count


async def store(database: Database, key: str) -> None:
    async with database.writing() as session:
        session.add(Meta(key=key, value="stored"))


async def test_the_database_runs_no_thread_of_its_own(database: Database) -> None:
    before = threading.active_count()
    for key in ("one", "two", "three"):
        await store(database, key)
    async with database.session() as session:
        assert (await session.get(Meta, "two")) is not None
    assert threading.active_count() == before


async def test_a_write_waiting_for_a_lock_held_elsewhere_lets_the_loop_run(
    database: Database,
) -> None:
    with write_lock_held_elsewhere(database) as other:
        waiting = asyncio.create_task(store(database, "after"))

        async def release_later() -> None:
            await asyncio.sleep(0.25)
            other.commit()

        releasing = asyncio.create_task(release_later())
        ticks = await ticks_while(waiting)
        await waiting
        await releasing
    # The loop kept turning while the write waited (a frozen loop fires no timer).
    assert ticks >= 10
    async with database.session() as session:
        found = await session.get(Meta, "after")
        assert found is not None and found.value == "stored"


async def test_a_lock_held_elsewhere_beyond_the_lock_wait_fails_the_write_and_not_the_loop(
    database: Database,
) -> None:
    with write_lock_held_elsewhere(database):
        started = asyncio.get_running_loop().time()
        waiting = asyncio.create_task(store(database, "never"))
        ticks = await ticks_while(waiting)
        with pytest.raises(OperationalError, match="database is locked"):
            await waiting
        waited = asyncio.get_running_loop().time() - started
    assert 0.5 <= waited < 2.0
    assert ticks >= 20
    # Nothing was written, and the next write goes through once the lock is free.
    await store(database, "next")
    async with database.session() as session:
        assert (await session.get(Meta, "never")) is None
        assert (await session.get(Meta, "next")) is not None


async def test_a_checkpoint_waits_for_a_writer_elsewhere_without_freezing_the_loop(
    database: Database,
) -> None:
    await store(database, "logged")
    with write_lock_held_elsewhere(database) as other:

        async def release_later() -> None:
            await asyncio.sleep(0.2)
            other.commit()

        releasing = asyncio.create_task(release_later())
        checkpoint = asyncio.create_task(database.checkpoint())
        ticks = await ticks_while(checkpoint)
        await checkpoint
        await releasing
    assert ticks >= 5
    # The write-ahead log was emptied once the writer was done.
    assert wal_size(database) == 0
