"""SQLite under SQLAlchemy's asyncio engine, its calls made on the event loop's thread.

SQLAlchemy's aiosqlite dialect hands every step of a statement (the cursor, execute,
fetch, close, commit) to a thread of the connection's own and waits for the answer: five
hand-offs and more for one statement, each dearer than the SQLite call it carries. The
asyncio engine already runs the driver's calls in a greenlet on the loop's thread, so
here they call the standard library's ``sqlite3`` there directly.

What could hold the whole process up is a lock held elsewhere: SQLite's own wait for a
lock (``busy_timeout``) would freeze the loop. So SQLite never waits here (timeout 0):
a statement that finds the file locked (``SQLITE_BUSY``) gives the loop back and is
tried again a little later, until the connection's ``lock_wait`` is over; then the
error ("database is locked") is raised as it was after ``busy_timeout``. Within one
process writers wait in line before they write (``Database.write_turn``); this is for
another process (a migration, the command line) holding the lock, and for a reader
that meets a checkpoint.

The rest blocks the loop for as long as SQLite takes on a local file: a statement of
a turn, and a commit's write (and sync) of the write-ahead log.
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import util
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_cursor
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine.interfaces import AdaptedConnection, DBAPIModule
from sqlalchemy.util.concurrency import await_, in_greenlet

#: The driver's name in a URL: ``sqlite+inline:///path``.
DRIVER = "inline"

#: How long a connection waits for a lock held elsewhere unless told (``lock_wait``).
DEFAULT_LOCK_WAIT = 5.0
#: The first and the longest pause between two tries of a statement that found the file
#: locked: short, as SQLite's own busy handler starts, since locks are held briefly.
_FIRST_PAUSE = 0.001
_LONGEST_PAUSE = 0.05

_SQLITE_BUSY = 5
#: A snapshot that another connection's write made stale: trying again cannot help
#: (SQLite's own busy handler does not wait for it either).
_SQLITE_BUSY_SNAPSHOT = 517

_T = TypeVar("_T")


def locked(error: BaseException) -> bool:
    """Whether ``error`` is SQLite finding the file locked, so that a later try may pass."""
    code = getattr(error, "sqlite_errorcode", None)
    return (
        isinstance(error, sqlite3.OperationalError)
        and isinstance(code, int)
        and code & 0xFF == _SQLITE_BUSY
        and code != _SQLITE_BUSY_SNAPSHOT
    )


async def _done() -> None:
    return None


def _awaited() -> None:
    """Await a coroutine that is done at once: it passes the greenlet, not the loop.

    The asyncio engine's Core calls (``AsyncConnection.execute``) check that the driver
    awaited something for a statement.
    """
    if in_greenlet():
        await_(_done())


class InlineCursor(AsyncAdapt_dbapi_cursor):
    """A ``sqlite3`` cursor whose rows are all fetched at execute, as aiosqlite's adapter does.

    Fetching them at once ends the statement there: no read stays open between two
    awaits of a session.
    """

    __slots__ = ()

    def _aenter_cursor(self, cursor: Any) -> Any:
        return cursor

    async def _async_soft_close(self) -> None:
        # The rows are already here, and the sqlite3 cursor holds nothing open.
        return

    def close(self) -> None:
        self._rows.clear()
        self._cursor.close()  # type: ignore[unused-coroutine]

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        cursor: Any = self._cursor
        if parameters is None:
            self._patiently(cursor.execute, operation)
        else:
            self._patiently(cursor.execute, operation, parameters)
        if cursor.description:
            self._rows = collections.deque(cursor.fetchall())
        _awaited()
        return cursor

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        cursor: Any = self._cursor
        result = self._patiently(cursor.executemany, operation, seq_of_parameters)
        _awaited()
        return result

    def _patiently(self, call: Callable[..., _T], *args: Any) -> _T:
        connection: Any = self._adapt_connection
        return connection.patiently(call, *args)  # type: ignore[no-any-return]

    def nextset(self) -> None:
        return None

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None


class InlineConnection(AdaptedConnection):
    """A ``sqlite3`` connection for the asyncio engine, waiting for locks by yielding."""

    __slots__ = ("_sqlite", "dbapi", "lock_wait")

    def __init__(self, dbapi: InlineDBAPI, connection: sqlite3.Connection) -> None:
        self.dbapi = dbapi
        self._sqlite = connection
        self._connection = connection  # type: ignore[assignment]  # what driver_connection gives
        #: Seconds to keep trying a statement that found the file locked.
        self.lock_wait = DEFAULT_LOCK_WAIT

    def patiently(self, call: Callable[..., _T], *args: Any) -> _T:
        """``call(*args)``, tried again while the file is locked, giving the loop back."""
        deadline: float | None = None
        pause = _FIRST_PAUSE
        while True:
            try:
                return call(*args)
            except sqlite3.OperationalError as error:
                if not locked(error) or not in_greenlet():
                    raise
                now = time.monotonic()
                if deadline is None:
                    deadline = now + self.lock_wait
                if now >= deadline:
                    raise
                await_(asyncio.sleep(min(pause, deadline - now)))
                pause = min(pause * 2, _LONGEST_PAUSE)

    def cursor(self, server_side: bool = False) -> InlineCursor:
        return InlineCursor(self)  # type: ignore[arg-type]

    def execute(self, operation: Any, parameters: Any = None) -> InlineCursor:
        cursor = self.cursor()
        cursor.execute(operation, parameters)
        return cursor

    @property
    def isolation_level(self) -> str | None:
        return self._sqlite.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._sqlite.isolation_level = value  # type: ignore[assignment]

    def create_function(self, *args: Any, **kw: Any) -> None:
        self._sqlite.create_function(*args, **kw)

    def commit(self) -> None:
        self.patiently(self._sqlite.commit)

    def rollback(self) -> None:
        self._sqlite.rollback()

    def close(self) -> None:
        self._sqlite.close()

    def terminate(self) -> None:
        self._sqlite.close()


class InlineDBAPI:
    """The DBAPI module the dialect sees: ``sqlite3``'s names, and :meth:`connect`."""

    paramstyle = "qmark"
    has_stop = True  # connections can be closed at once (``terminate``)

    def __init__(self) -> None:
        self.sqlite = sqlite3
        for name in (
            "DatabaseError",
            "Error",
            "IntegrityError",
            "InterfaceError",
            "NotSupportedError",
            "OperationalError",
            "ProgrammingError",
            "sqlite_version",
            "sqlite_version_info",
            "PARSE_COLNAMES",
            "PARSE_DECLTYPES",
            "Binary",
        ):
            setattr(self, name, getattr(sqlite3, name))

    @property
    def exceptions_module(self) -> Any:
        return sqlite3

    def connect(self, *args: Any, **kw: Any) -> InlineConnection:
        # SQLite itself never waits for a lock (see the module's docstring); the
        # connection is used on the loop's thread, but closed by whichever thread
        # collects a lost one.
        kw["timeout"] = 0
        kw["check_same_thread"] = False
        connection = InlineConnection(self, sqlite3.connect(*args, **kw))
        connection.patiently(connection._sqlite.execute, "PRAGMA busy_timeout=0")
        return connection


class InlineSQLiteDialect(SQLiteDialect_aiosqlite):
    """SQLAlchemy's aiosqlite dialect on :class:`InlineDBAPI`: no thread per connection."""

    driver = DRIVER
    supports_statement_cache = True
    supports_server_side_cursors = False

    @classmethod
    def import_dbapi(cls) -> Any:
        return InlineDBAPI()

    def retrieve_dbapi_version(self, dbapi: DBAPIModule) -> util.VersionInfo:
        return util.parse_version_string(sqlite3.sqlite_version)


registry.register(f"sqlite.{DRIVER}", __name__, "InlineSQLiteDialect")
