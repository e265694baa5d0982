"""SQLite: a connection handed back to the pool never keeps a transaction open."""

from __future__ import annotations

from pathlib import Path

from bot.storage.database import Database
from bot.storage.models import Meta


async def test_a_transaction_left_open_is_rolled_back_when_its_connection_returns(
    tmp_path: Path,
) -> None:
    # A short lock wait: a write lock left held would fail the second write quickly.
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", lock_wait=0.2)
    await database.migrate()
    try:
        async with database.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            # A write SQLAlchemy does not know of (as after a commit that failed):
            # SQLite opens a transaction for it and takes the write lock.
            driver.execute("INSERT INTO meta (key, value) VALUES ('left', 'open')")
            assert driver.in_transaction
        # Back in the pool it was rolled back: the row is gone and the lock is free.
        async with database.session() as session, session.begin():
            assert await session.get(Meta, "left") is None
            session.add(Meta(key="next", value="written"))
        async with database.session() as session:
            found = await session.get(Meta, "next")
            assert found is not None and found.value == "written"
    finally:
        await database.dispose()
