"""A turn's screens are committed with the turn, so that a process that dies cannot lose them.

A turn commits the leader's new place in the flow before it sends anything
(``bot.turn``). A process killed between that commit and the send used to lose the
reply: the leader pressed a button and saw nothing, and their update was done. Now
the turn's screens are written in its own transaction (as ``undelivered_replies``
rows, the table that keeps screens Telegram did not take), sent after the commit,
and deleted once sent (:func:`sent`).

So a leader's rows mean one of two things. With ``leaders.undelivered`` set, Telegram
refused them, and the leader's next update shows them first (``bot.turn``). Without
it, they are on their way, or their process died before they were sent: a process
holding the leader's claim (``bot.intake.dispatcher``) is the only one that can be
sending them, so when it takes the claim and finds such rows, they are left over,
and it sends them (:func:`resend`) before the leader's next update. A restart does
the same for every leader who has some, and so does the sweep of a surviving process.

At least once: a process killed after Telegram took a screen and before its row was
deleted sends that screen again. On SQLite (one process) the rows of screens sent are
not deleted in a transaction of their own, which cost every update a second write:
the next turn deletes them in its transaction (:func:`forget_sent`), or, when no turn
comes within :data:`FORGET_AFTER`, one small transaction does (:func:`forget_now`).
That window is that long; until then this process knows them sent, and never sends
them again itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import cast
from weakref import WeakKeyDictionary

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup

from bot import delivery
from bot.storage.database import ERASED, Database
from bot.storage.models import Leader, UndeliveredReply
from bot.telegram_faults import RetryPolicy

log = logging.getLogger(__name__)


async def hold(
    session: AsyncSession,
    leader_id: int,
    chat_id: int,
    screens: Sequence[tuple[str, InlineKeyboardMarkup | None]],
    now: datetime,
) -> list[int]:
    """Write a turn's screens in its transaction; their row ids, for :func:`sent`.

    A leader erased by this very turn has nothing kept: their screens are sent as before.
    """
    if not screens:
        return []
    # Only a transaction that erased something can have erased the leader it loaded.
    erased = session.info.get(ERASED, False)
    if erased and await session.scalar(select(Leader.id).where(Leader.id == leader_id)) is None:
        return []
    rows = [
        {
            "leader_id": leader_id,
            "chat_id": chat_id,
            "created_at": now,
            "text": text,
            "keyboard": delivery.Screen(text, markup).keyboard_json(),
        }
        for text, markup in screens
    ]
    return list((await session.scalars(_HOLD, rows)).all())


#: How long the rows of screens sent wait for a turn to delete them with its own.
FORGET_AFTER = 0.2


@dataclass
class _Sent:
    """Rows of screens sent that no transaction has deleted yet (this process's)."""

    ids: list[int] = field(default_factory=list)
    #: Taken by a transaction that has not committed yet: still there for other readers.
    deleting: set[int] = field(default_factory=set)
    later: asyncio.Task[None] | None = None

    def take(self) -> list[int]:
        ids, self.ids = self.ids, []
        self.deleting.update(ids)
        return ids

    def done(self, ids: Sequence[int], committed: bool) -> None:
        self.deleting.difference_update(ids)
        if not committed:
            self.ids[:0] = ids


_sent: WeakKeyDictionary[Database, _Sent] = WeakKeyDictionary()


_KEPT = cast(Table, UndeliveredReply.__table__)
#: Built once, on the table: every turn on SQLite runs it, and the ORM's bulk-delete
#: machinery (and building the statement) cost more than running it.
_FORGET = delete(_KEPT).where(_KEPT.c.id.in_(bindparam("ids", expanding=True)))
#: The rows of a turn's screens, their ids back in the order given.
_HOLD = insert(_KEPT).returning(_KEPT.c.id, sort_by_parameter_order=True)


async def _delete(session: AsyncSession, ids: Sequence[int]) -> None:
    await session.execute(_FORGET, {"ids": list(ids)})


async def sent(database: Database, ids: Sequence[int]) -> None:
    """The screens are shown, or kept anew for the leader's next update: their rows go.

    On PostgreSQL at once (another process may take the leader's claim next); on
    SQLite with the next turn's transaction, or within :data:`FORGET_AFTER`.
    """
    if not ids:
        return
    if database.kind == "postgresql":
        async with database.session() as session, session.begin():
            await _delete(session, ids)
        return
    waiting = _sent.setdefault(database, _Sent())
    waiting.ids.extend(ids)
    if waiting.later is None:
        waiting.later = asyncio.get_running_loop().create_task(_forget_later(database, waiting))


async def _forget_later(database: Database, waiting: _Sent) -> None:
    try:
        await asyncio.sleep(FORGET_AFTER)
    finally:
        waiting.later = None
    try:
        await forget_now(database)
    except SQLAlchemyError as error:
        # A full disk, say: the rows stay, and the next turn's transaction takes them.
        log.warning(
            "sent screens not forgotten yet (%s); the next turn tries again",
            type(error).__name__,
        )


async def forget_now(database: Database) -> None:
    """Delete the rows of screens sent, in a transaction of their own (at a pause, at stop)."""
    waiting = _sent.get(database)
    if waiting is None or not waiting.ids:
        return
    ids = waiting.take()
    committed = False
    try:
        async with database.write_turn(), database.session() as session, session.begin():
            await _delete(session, ids)
        committed = True
    finally:
        waiting.done(ids, committed)


async def forget_all(database: Database) -> None:
    """At stop: nothing waits to be deleted any more."""
    waiting = _sent.get(database)
    if waiting is not None and waiting.later is not None:
        waiting.later.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting.later
    await forget_now(database)


async def forget_sent(session: AsyncSession, database: Database) -> list[int]:
    """Delete the rows of screens sent in ``session``'s transaction (a turn's); their ids.

    Once the transaction ends, say whether it committed with :func:`forgotten`.
    """
    waiting = _sent.get(database)
    if waiting is None or not waiting.ids:
        return []
    ids = waiting.take()
    await _delete(session, ids)
    return ids


def forgotten(database: Database, ids: Sequence[int], committed: bool) -> None:
    """The transaction that deleted ``ids`` committed, or not (then they wait again)."""
    waiting = _sent.get(database)
    if ids and waiting is not None:
        waiting.done(ids, committed)


def _known_sent(database: Database) -> set[int]:
    waiting = _sent.get(database)
    return set(waiting.ids) | waiting.deleting if waiting is not None else set()


_LEFT_OVER = (
    select(UndeliveredReply.leader_id)
    .join(Leader, Leader.id == UndeliveredReply.leader_id)
    .where(Leader.undelivered.is_(False))
)


async def leaders_with_left_over(database: Database) -> list[int]:
    """Leaders with screens committed and not sent, as far as this moment can tell.

    Only the holder of a leader's claim may conclude they are left over (another
    process may be sending them right now).
    """
    async with database.session() as session:
        found = await session.scalars(_LEFT_OVER.distinct())
        return [int(leader_id) for leader_id in found.all()]


async def resend(
    bot: Bot, database: Database, leader_id: int, policy: RetryPolicy, now: datetime
) -> int:
    """Send a leader's left-over screens, oldest first; how many there were.

    Call only while holding the leader's claim. Those Telegram does not take are kept
    for the leader's next update, as any turn's are.
    """
    # Known as sent before the read and after it: a row read just before its delete
    # committed has left the set by the time the read returns, yet was sent.
    known_before = _known_sent(database)
    async with database.session() as session:
        rows = list(
            (
                await session.scalars(
                    select(UndeliveredReply)
                    .join(Leader, Leader.id == UndeliveredReply.leader_id)
                    .where(UndeliveredReply.leader_id == leader_id, Leader.undelivered.is_(False))
                    .order_by(UndeliveredReply.id)
                )
            ).all()
        )
    sent_already = known_before | _known_sent(database)
    rows = [row for row in rows if row.id not in sent_already]
    if not rows:
        return 0
    log.info("%d screen(s) of chat(s) of leader %s left unsent: sent now", len(rows), leader_id)
    try:
        for chat_id, of_chat in groupby(rows, key=lambda row: row.chat_id):
            screens = [delivery.Screen.from_kept(r.text, r.keyboard, bot) for r in of_chat]
            await delivery.show_all(bot, database, leader_id, chat_id, screens, None, policy, now)
    finally:
        await sent(database, [row.id for row in rows])
    return len(rows)
