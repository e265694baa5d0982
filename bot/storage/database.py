"""The database: engine, sessions, migrations at start-up, and the data-key check."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from bot.storage.encryption import DataCipher, DataKeyError
from bot.storage.models import Meta

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
KEY_CHECK = "data_key_check"
_KEY_CHECK_TEXT = "pestgesprek"
#: The PostgreSQL advisory lock key of the start-up (migrations and key check).
STARTUP_LOCK = 0x50657374  # "Pest"
#: The advisory lock key of a retention round.
RETENTION_LOCK = STARTUP_LOCK + 1
#: Connections kept open at most: the intake's leaders at once (32), the reminders and the
#: leaders' claims. A connection beyond the pool is closed when it is handed back, so a
#: pool smaller than the work opens a new connection for almost every update. Connections
#: are only opened when needed.
POOL_SIZE = 40


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` that needs no ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # Cascading deletes need foreign keys on; WAL keeps committed rows through a SIGKILL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """One engine and one session factory; a session per update or job."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        # hide_parameters: no bound value (a child's text) ever shows up in an error or log.
        if url != "sqlite://" and ":memory:" not in url:
            engine_options.setdefault("pool_size", POOL_SIZE)
        self.engine: AsyncEngine = create_async_engine(url, hide_parameters=True, **engine_options)
        if url.startswith("sqlite"):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock: asyncio.Lock | None = None

    @property
    def kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def session(self) -> AsyncSession:
        """A new session; use as ``async with db.session() as s, s.begin(): …``."""
        return self.sessions()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """This process's turn to write, for the length of a write transaction.

        SQLite takes one writer at a time, and a writer that finds the file locked
        retries at random for ``busy_timeout``: with many leaders handled at once the
        unlucky one gave up with "database is locked". Here writers of one process wait
        in line instead, in the order they asked. PostgreSQL locks rows: nothing to hold.
        """
        if self.kind != "sqlite":
            yield
            return
        if self._write_lock is None:
            self._write_lock = asyncio.Lock()
        async with self._write_lock:
            yield

    @asynccontextmanager
    async def startup_lock(self) -> AsyncIterator[None]:
        """Hold off other bot processes starting on this database until we are ready.

        Two processes started together would both create the schema, or both record
        the data key; on PostgreSQL the second waits on an advisory lock and then
        finds the work done. SQLite serves one process per file: nothing to hold.
        """
        if self.kind != "postgresql":
            yield
            return
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK})
            await connection.commit()
            try:
                yield
            finally:
                await connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK}
                )
                await connection.commit()

    async def take_turn(self, session: AsyncSession, key: int) -> bool:
        """Whether this process may do a round of job ``key`` now, in ``session``'s transaction.

        On PostgreSQL a transaction-level advisory lock: a second process finds it held
        and skips the round (the first one does it). SQLite serves one process per file.
        """
        if self.kind != "postgresql":
            return True
        taken = await session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key})
        return bool(taken)

    async def migrate(self) -> None:
        """Create or upgrade the schema to the newest revision."""

        def upgrade(connection: Connection) -> None:
            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

        async with self.engine.begin() as connection:
            await connection.run_sync(upgrade)

    async def check_key(self, cipher: DataCipher) -> None:
        """Refuse a data key that does not open this database; remember the key of a new one."""
        async with self.session() as session, session.begin():
            row = await session.get(Meta, KEY_CHECK)
            if row is None:
                session.add(Meta(key=KEY_CHECK, value=cipher.encrypt(_KEY_CHECK_TEXT)))
                return
            if cipher.decrypt(row.value) != _KEY_CHECK_TEXT:
                raise DataKeyError("DATA_KEY does not open the data in this database")

    async def has_key_check(self) -> bool:
        """Whether a data key was already recorded (the database holds data)."""
        async with self.engine.connect() as connection:
            if not await connection.run_sync(lambda c: inspect(c).has_table(Meta.__tablename__)):
                return False
            found = await connection.scalar(select(Meta.key).where(Meta.key == KEY_CHECK))
            return found is not None

    async def dispose(self) -> None:
        """Close every connection."""
        await self.engine.dispose()
