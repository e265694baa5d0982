"""The database: engine, sessions, migrations at start-up, and the data-key check."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, make_url, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, PoolResetState

from bot.storage import inline_sqlite
from bot.storage.encryption import DataCipher, DataKeyError
from bot.storage.inline_sqlite import InlineConnection
from bot.storage.models import Meta

if TYPE_CHECKING:
    from alembic.config import Config
log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
KEY_CHECK = "data_key_check"
_KEY_CHECK_TEXT = "pestgesprek"
#: The PostgreSQL advisory lock key of the start-up (migrations and key check).
STARTUP_LOCK = 0x50657374  # "Pest"
#: The advisory lock key of a retention round.
RETENTION_LOCK = STARTUP_LOCK + 1
#: The newest revision in ``bot/migrations/versions`` (a test keeps the two the same): a
#: database already there is not handed to Alembic at start-up, which is not even loaded.
SCHEMA_REVISION = "0021"

#: Connections kept open at most: the intake's leaders at once (32), the reminders and the
#: leaders' claims. A connection beyond the pool is closed when it is handed back, so a
#: pool smaller than the work opens a new connection for almost every update. Connections
#: are only opened when needed.
POOL_SIZE = 40


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` that needs no ini file."""
    from alembic.config import Config  # only when there is something to migrate

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


#: ``session.info`` key set by a transaction that erased texts about a child.
ERASED = "erased"


def note_erasure(session: AsyncSession) -> None:
    """Mark ``session``'s transaction as one that erased data (see ``Database.erased``)."""
    session.info[ERASED] = True


#: How long a SQLite connection waits for another one's write lock before it gives up.
LOCK_WAIT_SECONDS = 5.0


def _sqlite_pragmas(lock_wait: float, synchronous: str) -> Any:
    def set_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # How long to wait for a lock held elsewhere: SQLite itself does not wait on the
        # loop's thread, the connection tries again, yielding (``bot.storage.inline_sqlite``).
        if isinstance(dbapi_connection, InlineConnection):
            dbapi_connection.lock_wait = lock_wait
        # Cascading deletes need foreign keys on; WAL keeps committed rows through a SIGKILL.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # Whether a commit waits for the log to be on disk (see ``_sqlite_engine``).
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        # secure_delete zeroes what a DELETE frees: an erased token leaves no trace in a page.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return set_pragmas


def _rollback_if_open(
    dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry, state: PoolResetState
) -> None:
    # A connection back in the pool is rolled back only when SQLite says a transaction
    # is still open (a commit that failed): after a commit, the pool's own rollback is
    # one more call on every update, for nothing.
    if state.terminate_only or not state.asyncio_safe:
        return
    if dbapi_connection.driver_connection.in_transaction:
        dbapi_connection.rollback()


def _sqlite_engine(
    url: str, lock_wait: float, synchronous: str = "NORMAL", **engine_options: Any
) -> AsyncEngine:
    """An engine for a SQLite database: its pragmas, and no needless rollbacks.

    Whatever driver ``url`` names, SQLite is called on the event loop's thread
    (``bot.storage.inline_sqlite``), not through a thread per connection.

    ``synchronous``: ``NORMAL`` (the leaders' turns and the reads) commits to the
    write-ahead log without waiting for the disk: a killed process loses nothing, a
    power cut may lose the last turns, whose updates the inbox then still holds, so
    they are handled again. ``FULL`` (the writer, ``Database.writing``) waits until
    the log is on disk, and with it every commit before: what Telegram is told was
    stored, and which nudges went out.
    """
    inline = make_url(url).set(drivername=f"sqlite+{inline_sqlite.DRIVER}")
    engine = create_async_engine(
        inline, hide_parameters=True, pool_reset_on_return=None, **engine_options
    )
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas(lock_wait, synchronous))
    event.listen(engine.sync_engine, "reset", _rollback_if_open)
    return engine


def _manual_begin(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # The driver would begin on the first write, after the reads; we begin ourselves.
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Connection) -> None:
    # Take the write lock at the start: a transaction that read first and writes later
    # fails at once ("database is locked") when another connection wrote in between.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _revision(connection: Connection) -> str | None:
    """The revision Alembic recorded in the database (``None`` for an empty one)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return found[0] if len(found) == 1 else None


class Database:
    """One engine and one session factory; a session per update or job.

    The nudges' own writes (claims and results, see ``bot.nudges``) go through
    :meth:`writing`: on a SQLite file one connection of their own, one transaction at
    a time, each holding the write lock from its start.
    """

    def __init__(
        self, url: str, *, lock_wait: float = LOCK_WAIT_SECONDS, **engine_options: Any
    ) -> None:
        sqlite_file = False
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                sqlite_file = True
        self.url = url
        self._lock_wait = lock_wait
        # hide_parameters: no bound value (a child's text) ever shows up in an error or log.
        pool = {"pool_size": POOL_SIZE} if url != "sqlite://" and ":memory:" not in url else {}
        options = {**pool, **engine_options}
        self.engine: AsyncEngine = (
            _sqlite_engine(url, lock_wait, **options)
            if url.startswith("sqlite")
            else create_async_engine(url, hide_parameters=True, **options)
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # The writer is made at its first use: a start-up or a command that stores no
        # update and sends no nudge does without it.
        self._writer_url = url if sqlite_file else None
        self._writer_options = {"lock_wait": lock_wait, **engine_options}
        self._writer: AsyncEngine | None = None
        self._writer_sessions = self.sessions
        self._write_turn = asyncio.Lock()
        #: Why updates cannot be stored now (a full disk, a read-only server), or ``None``:
        #: set and cleared by the intake (``bot.intake.unsaved``), read by ``/healthz``.
        self.write_failure: str | None = None

    @property
    def kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def session(self) -> AsyncSession:
        """A new session; use as ``async with db.session() as s, s.begin(): …``."""
        return self.sessions()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A session in a write transaction that is on disk once it is committed.

        For what must outlast a power cut: the intake's updates (before Telegram is
        told they arrived) and the nudges' claims and results. On a SQLite file these
        transactions take turns in this process on one connection, whose commits wait
        for the disk (``synchronous=FULL``, see ``_sqlite_engine``), and each takes the
        write lock when it begins (``BEGIN IMMEDIATE``),
        waiting up to the lock wait for another process or connection; beyond that
        ``OperationalError`` ("database is locked") is raised before anything changed.
        On PostgreSQL it is an ordinary transaction: rows are locked one by one.
        """
        if self._writer_url is None:
            async with self.session() as session, session.begin():
                yield session
            return
        async with self._write_turn:
            if self._writer is None:
                self._writer = self._make_writer(self._writer_url, **self._writer_options)
                self._writer_sessions = async_sessionmaker(self._writer, expire_on_commit=False)
            async with self._writer_sessions() as session, session.begin():
                yield session

    @staticmethod
    def _make_writer(url: str, lock_wait: float, **engine_options: Any) -> AsyncEngine:
        """One connection whose every transaction takes SQLite's write lock at its start."""
        writer = _sqlite_engine(
            url, lock_wait, "FULL", pool_size=1, max_overflow=0, **engine_options
        )
        event.listen(writer.sync_engine, "connect", _manual_begin)
        event.listen(writer.sync_engine, "begin", _begin_immediate)
        return writer

    @asynccontextmanager
    async def write_turn(self) -> AsyncIterator[None]:
        """This process's turn to write, for the length of a write transaction.

        SQLite takes one writer at a time, and a writer that finds the file locked
        retries for the lock wait: with many leaders handled at once the
        unlucky one gave up with "database is locked". Here writers of one process —
        leaders' turns, the intake, and the nudges' writer — wait in line instead, in
        the order they asked. PostgreSQL locks rows: nothing to hold.
        """
        if self._writer_url is None:
            yield
            return
        async with self._write_turn:
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
        """Create or upgrade the schema to the newest revision (one query when it is there)."""

        def upgrade(connection: Connection) -> None:
            from alembic import command  # seldom needed, slow to import

            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

        async with self.engine.begin() as connection:
            if await connection.run_sync(_revision) == SCHEMA_REVISION:
                return
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

    def insert(self, table: Any) -> Any:
        """This database's own INSERT into ``table``, which knows ``ON CONFLICT``.

        Each dialect is imported when its database is used: a bot on SQLite does without
        PostgreSQL's at start-up.
        """
        if self.kind == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as postgresql_insert

            return postgresql_insert(table)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)

    async def fact(self, key: str) -> str | None:
        """What the database remembers under ``key`` in its ``meta`` table, if anything."""
        async with self.session() as session:
            return await session.scalar(select(Meta.value).where(Meta.key == key))

    async def remember(self, key: str, value: str) -> None:
        """Remember ``value`` under ``key`` in the ``meta`` table (replacing what was there).

        One statement: two processes starting at once on PostgreSQL both write it, and
        neither fails for the other's row.
        """
        statement = self.insert(Meta).values(key=key, value=value)
        async with self.writing() as session:
            await session.execute(
                statement.on_conflict_do_update(index_elements=[Meta.key], set_={"value": value})
            )

    async def has_key_check(self) -> bool:
        """Whether a data key was already recorded (the database holds data)."""
        async with self.engine.connect() as connection:
            if not await connection.run_sync(lambda c: inspect(c).has_table(Meta.__tablename__)):
                return False
            found = await connection.scalar(select(Meta.key).where(Meta.key == KEY_CHECK))
            return found is not None

    async def checkpoint(self) -> None:
        """SQLite: move the write-ahead log into the file and empty it.

        The log keeps the pages as they were before a DELETE until the next
        checkpoint; after this, an erased text is in neither file (the pages it was on
        are zeroed, see ``secure_delete``). A reader still on an older snapshot, or a
        writer, holds a checkpoint back; SQLite does not wait for them on the loop's
        thread, so it is tried again, yielding, for up to the lock wait. PostgreSQL:
        nothing to do here.
        """
        if self.kind != "sqlite":
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._lock_wait
        pause = 0.005
        while True:
            async with self.engine.connect() as connection:
                result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                busy = result.one()[0]
            if not busy:
                return
            if loop.time() + pause > deadline:
                break
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.1)
        log.warning("the write-ahead log could not be emptied: readers kept it busy")

    async def erased(self, session: AsyncSession) -> None:
        """After ``session``'s transaction committed: make what it erased unreadable at once."""
        if session.info.pop(ERASED, False):
            await self.checkpoint()

    async def dispose(self) -> None:
        """Empty the write-ahead log and close every connection (at shutdown)."""
        try:
            await self.checkpoint()
        finally:
            await self.engine.dispose()
            if self._writer is not None:
                await self._writer.dispose()
