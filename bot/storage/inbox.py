"""The inbox table: updates stored before they are acknowledged, handled exactly once.

An update is stored (its JSON encrypted, like every text about a child) before
Telegram is told it arrived. It is marked done in the transaction of its effects
(:func:`mark_done`, called by ``bot.turn``), which also clears the payload; the
row stays as a tombstone so that a second delivery of the same update is skipped,
and is purged once Telegram can no longer deliver it again (:func:`purge`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from telegram import Update

from bot.storage.database import Database
from bot.storage.models import InboxUpdate, QuarantinedUpdate

log = logging.getLogger(__name__)

#: How long an update that could not be read is kept for the operator to look into.
QUARANTINE_KEPT = timedelta(days=14)

#: Advisory lock keys of leaders' claims: above every other key of the bot (bit 62 set).
_CLAIM_BASE = 1 << 62


def sender_of(update: Update) -> int:
    """Whose updates ``update`` must wait for: its user (a leader), else its chat, else 0."""
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return 0


async def store(
    database: Database, updates: Sequence[Update], as_sent: Mapping[int, str] | None = None
) -> set[int]:
    """Store ``updates`` in one transaction; which of them were new.

    ``as_sent``: the JSON of updates as Telegram sent them, by update id; an update
    not in it is serialised again from its object. An update stored before (Telegram
    gives the last unconfirmed batch again after a restart) is left as it is, handled
    or not.
    """
    as_sent = as_sent or {}
    if not updates:
        return set()
    rows: list[dict[str, Any]] = [
        {
            "update_id": item.update_id,
            "sender_id": sender_of(item),
            "payload": as_sent.get(item.update_id) or item.to_json(),
        }
        for item in updates
    ]
    statement = (
        database.insert(InboxUpdate)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(InboxUpdate.update_id)
    )
    # On disk before Telegram is told: through the durable writer.
    async with database.writing() as session:
        stored = await session.scalars(statement, rows)
        return set(stored.all())


def sender_in(raw: Mapping[str, Any]) -> int:
    """Whose update the raw JSON of an unreadable update seems to be (0: none found)."""
    for value in raw.values():
        if not isinstance(value, dict):
            continue
        for field in ("from", "chat"):
            person = value.get(field)
            if isinstance(person, dict) and isinstance(person.get("id"), int):
                return int(person["id"])
    return 0


async def quarantine(
    database: Database, update_id: int, payload: str, error: BaseException
) -> None:
    """Set aside an update that cannot be read, encrypted, so that the others go on.

    Stored once: a second delivery of it changes nothing. Once this returns, Telegram
    may be told it arrived. An unread copy left in the inbox (stored before it turned
    out to be unreadable) is marked done, its payload cleared.
    """
    try:
        raw = json.loads(payload)
    except ValueError:
        raw = None
    row = {
        "update_id": update_id,
        "sender_id": sender_in(raw) if isinstance(raw, dict) else 0,
        "payload": payload,
        "error": f"{type(error).__name__}: {error}",
        "received_at": datetime.now(UTC),
    }
    statement = database.insert(QuarantinedUpdate).on_conflict_do_nothing(
        index_elements=["update_id"]
    )
    async with database.write_turn(), database.session() as session, session.begin():
        await session.execute(statement, [row])
        await mark_done(session, update_id)


def quarantine_line(update_id: int, error: BaseException) -> str:
    """The log line for an update set aside: its id and what was wrong, never its content.

    A ``TypeError`` or ``KeyError`` of python-telegram-bot's names a field (``missing 1
    required positional argument: 'id'``); any other message may quote a value the
    leader typed, so only its kind is told.
    """
    what = type(error).__name__
    if isinstance(error, TypeError | KeyError):
        what = f"{what}: {str(error)[:200]}"
    return f"update {update_id} cannot be read ({what}); set aside in the quarantine"


class _Marks:
    """The update whose turn is running in this task, and whether its turn committed."""

    __slots__ = ("committed", "update_id")

    def __init__(self, update_id: int) -> None:
        self.update_id = update_id
        self.committed = False


_marks: ContextVar[_Marks | None] = ContextVar("inbox_marks", default=None)


def expect_turn(update_id: int) -> _Marks:
    """Before handing ``update_id`` to the handlers: learn whether a turn marked it done.

    The handlers run in the caller's task (python-telegram-bot awaits a blocking
    handler directly), so what the turn records here the caller reads afterwards.
    """
    marks = _Marks(update_id)
    _marks.set(marks)
    return marks


_INBOX = cast(Table, InboxUpdate.__table__)
#: Built once, on the table, not the mapped class: every turn runs it, and the ORM's
#: bulk-update machinery (and building the statement) cost more than running it.
_MARK_DONE = (
    update(_INBOX)
    .where(_INBOX.c.update_id == bindparam("marked"), _INBOX.c.done_at.is_(None))
    .values(done_at=bindparam("done_at"), payload=None)
)


async def mark_done(session: AsyncSession, update_id: int) -> None:
    """Mark update ``update_id`` handled, in ``session``'s transaction (the turn's own).

    The payload is cleared at once. An update that did not come through the inbox
    (the console) has no row, and that is fine.
    """
    await session.execute(_MARK_DONE, {"marked": update_id, "done_at": datetime.now(UTC)})


def turn_committed(update_id: int) -> None:
    """The turn that marked ``update_id`` done has committed: no second mark is needed."""
    marks = _marks.get()
    if marks is not None and marks.update_id == update_id:
        marks.committed = True


async def mark_done_alone(database: Database, update_id: int) -> None:
    """Mark ``update_id`` handled in a transaction of its own: no turn took it."""
    async with database.write_turn(), database.session() as session, session.begin():
        await mark_done(session, update_id)


async def pending_of(database: Database, sender_id: int) -> list[int]:
    """The unhandled updates of ``sender_id``, oldest first (their ids only)."""
    async with database.session() as session:
        rows = await session.execute(
            select(InboxUpdate.update_id)
            .where(InboxUpdate.sender_id == sender_id, InboxUpdate.done_at.is_(None))
            .order_by(InboxUpdate.update_id)
        )
        return [int(update_id) for (update_id,) in rows.all()]


async def payload_of(database: Database, update_id: int) -> str | None:
    """The stored JSON of an unhandled update (``None`` once handled)."""
    async with database.session() as session:
        found = await session.scalar(
            select(InboxUpdate.payload).where(
                InboxUpdate.update_id == update_id, InboxUpdate.done_at.is_(None)
            )
        )
    return None if found is None else str(found)


async def pending_senders(database: Database) -> list[int]:
    """Everybody with unhandled updates, whoever's oldest update is oldest first."""
    async with database.session() as session:
        rows = await session.execute(
            select(InboxUpdate.sender_id)
            .where(InboxUpdate.done_at.is_(None))
            .group_by(InboxUpdate.sender_id)
            .order_by(func.min(InboxUpdate.update_id))
        )
        return [int(sender) for (sender,) in rows.all()]


async def purge(database: Database, *, acknowledged_below: int | None, before: datetime) -> int:
    """Delete the tombstones Telegram can no longer deliver again; how many went.

    Those below the acknowledged polling offset, and any handled before ``before``
    (Telegram keeps an update for at most 24 hours). Quarantined updates go once they
    are :data:`QUARANTINE_KEPT` old.
    """
    handled_long_ago = InboxUpdate.done_at < before
    condition = (
        or_(InboxUpdate.update_id < acknowledged_below, handled_long_ago)
        if acknowledged_below is not None
        else handled_long_ago
    )
    async with database.write_turn(), database.session() as session, session.begin():
        result = await session.execute(
            delete(InboxUpdate)
            .where(InboxUpdate.done_at.is_not(None), condition)
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            delete(QuarantinedUpdate)
            .where(QuarantinedUpdate.received_at < datetime.now(UTC) - QUARANTINE_KEPT)
            .execution_options(synchronize_session=False)
        )
    return int(getattr(result, "rowcount", 0) or 0)


class LeaderClaims:
    """Which leaders this process is handling updates for, so that no other process does.

    On PostgreSQL, a session-level advisory lock per leader, all held on one connection
    of their own: a process that dies loses its connection and so its claims at once.
    SQLite serves one process per file: every claim is granted.
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection: AsyncConnection | None = None
        # One connection runs one query at a time.
        self._lock = asyncio.Lock()

    async def take(self, sender_id: int) -> bool:
        """Claim ``sender_id``; ``False`` when another process has them."""
        if self._database.kind != "postgresql":
            return True
        return bool(await self._run("SELECT pg_try_advisory_lock(:key)", sender_id))

    async def give_back(self, sender_id: int) -> None:
        """Release the claim on ``sender_id``."""
        if self._database.kind != "postgresql":
            return
        await self._run("SELECT pg_advisory_unlock(:key)", sender_id)

    async def _run(self, query: str, sender_id: int) -> object:
        async with self._lock:
            if self._connection is None or self._connection.closed:
                self._connection = await self._database.engine.connect()
            try:
                found = await self._connection.scalar(
                    text(query), {"key": _CLAIM_BASE | (sender_id & (_CLAIM_BASE - 1))}
                )
                # Session-level locks outlive the transaction; close it so none stays open.
                await self._connection.commit()
                return found
            except Exception:
                # A broken connection has lost its claims with it; the next one starts anew.
                connection, self._connection = self._connection, None
                await connection.invalidate()
                await connection.close()
                raise

    async def close(self) -> None:
        """Give back every claim by closing the connection."""
        async with self._lock:
            if self._connection is not None:
                await self._connection.close()
                self._connection = None
