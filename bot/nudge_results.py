"""Recording what Telegram answered to each nudge: one writer, in batches, none lost.

A nudge's answer comes back while dozens of others are in flight. Writing each one
in a transaction of its own would have every send wait for SQLite's write lock (and
open a connection each); instead :class:`ResultRecorder` takes the answers as they
come and one writer task records everything that has gathered meanwhile (it lets
them gather for a moment) in one transaction (``Database.writing``), a handful of
statements per batch.

A locked database never loses or duplicates a nudge: when the write lock is not to
be had (another process holds it past the lock wait), the batch stays in memory and
is written again after a growing pause, as a whole, until it goes through. Each
statement only changes a reminder still in ``sending``, so a batch written after the
leader already pressed one of the nudge's buttons leaves that answer alone. The
dispatcher renews the claims of the answers waiting here and waits for
:meth:`ResultRecorder.flush` before its round ends; only a process that dies with
answers in memory leaves them to be claimed again once their claims lapse (see
``bot.storage.reminders``: at least once).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.exc import DBAPIError, OperationalError
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.storage import reminders
from bot.storage.database import Database
from bot.storage.models import Leader, Reminder
from flows.follow_up import ReminderStatus

log = logging.getLogger(__name__)

#: The writer lets answers gather this long before it writes them (unless there are
#: already ``GATHER_ENOUGH``): a few large transactions rather than one every few answers,
#: which on PostgreSQL cost a round trip for each BEGIN, statement and COMMIT. A process
#: killed meanwhile leaves at most these answers unwritten (at 30 a second, one or two).
GATHER_SECONDS = 0.05
GATHER_ENOUGH = 50
#: The first pause after a batch found the database locked; doubled up to the cap.
RETRY_FIRST = 0.05
RETRY_CAP = 5.0


@dataclass(frozen=True)
class _Write:
    reminder_id: int
    values: dict[str, Any]
    blocked_leader: int | None = None
    """The leader who blocked the bot (403): their reminders pause."""


class ResultRecorder:
    """Takes each nudge's outcome at once; one task writes them in batches."""

    def __init__(
        self,
        database: Database,
        clock: Callable[[], datetime],
        done: Callable[[list[int]], None] = lambda _ids: None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.done = done
        """Called with reminders' ids once their outcome is written (or could not be, a
        bug): this process no longer holds their claims."""
        self._pending: list[_Write] = []
        self._writer: asyncio.Task[None] | None = None
        self.stalls = 0
        """Batches that found the database locked and were kept to be written again."""
        self.stalled = asyncio.Event()
        """Set at the first such batch (for whoever watches, such as a test)."""

    # -- what the dispatcher hands in ---------------------------------------------------------

    def answered(
        self, reminder_id: int, leader_id: int, attempts: int, error: TelegramError | None
    ) -> None:
        """Telegram's answer to a nudge (``error`` is ``None`` when it was accepted)."""
        now = self.clock()
        if error is None:
            self._add(_Write(reminder_id, _sent(now)))
            return
        pending: dict[str, Any] = {"status": ReminderStatus.PENDING}
        if isinstance(error, Forbidden):
            self._add(_Write(reminder_id, pending, blocked_leader=leader_id))
        elif isinstance(error, RetryAfter):
            self._add(_Write(reminder_id, {**pending, "due_at": now + _seconds(error.retry_after)}))
        elif isinstance(error, BadRequest):
            log.error("reminder %s refused by Telegram: %s", reminder_id, error.message)
            self._add(_Write(reminder_id, {"status": ReminderStatus.FAILED}))
        else:
            retry_at = now + reminders.retry_delay(attempts)
            log.warning(
                "reminder %s not sent (%s), trying again at %s",
                reminder_id,
                type(error).__name__,
                retry_at.isoformat(),
            )
            self._add(_Write(reminder_id, {**pending, "due_at": retry_at}))

    def cancelled(self, reminder_id: int) -> None:
        """Nothing to send any more (the case closed, the child reported back to, …)."""
        self._add(_Write(reminder_id, {"status": ReminderStatus.CANCELLED}))

    def failed(self, reminder_id: int, reason: str) -> None:
        """Could not be made into a message: kept aside with the reason (a bug to look at)."""
        self._add(_Write(reminder_id, {"status": ReminderStatus.FAILED}))

    async def flush(self) -> None:
        """Wait until everything handed in so far is written."""
        while self._writer is not None:
            await asyncio.shield(self._writer)

    # -- the writer ---------------------------------------------------------------------------

    def _add(self, write: _Write) -> None:
        self._pending.append(write)
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_all(), name="nudge results")

    async def _write_all(self) -> None:
        pause = RETRY_FIRST
        try:
            while self._pending:
                if len(self._pending) < GATHER_ENOUGH:
                    await asyncio.sleep(GATHER_SECONDS)
                batch, self._pending = self._pending, []
                try:
                    await self._write(batch)
                except OperationalError as error:
                    # The whole batch again later: nothing of it was written.
                    self._pending = batch + self._pending
                    self.stalls += 1
                    self.stalled.set()
                    log.warning(
                        "recording %d nudge result(s) waits %.2f s: %s",
                        len(batch),
                        pause,
                        lock_reason(error),
                    )
                    await asyncio.sleep(pause)
                    pause = min(RETRY_CAP, pause * 2)
                except Exception:
                    # A bug: those reminders stay in 'sending' and are sent again once
                    # their claims lapse (at least once) rather than lost.
                    log.exception("could not record %d nudge result(s)", len(batch))
                    self.done([write.reminder_id for write in batch])
                else:
                    pause = RETRY_FIRST
                    self.done([write.reminder_id for write in batch])
        finally:
            self._writer = None

    async def _write(self, batch: list[_Write]) -> None:
        """One transaction: one executemany per kind of change, and the blocked leaders."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for write in batch:
            groups[tuple(sorted(write.values))].append(
                {"reminder": write.reminder_id, **{f"new_{k}": v for k, v in write.values.items()}}
            )
        blocked = {w.blocked_leader for w in batch if w.blocked_leader is not None}
        now = self.clock()
        async with self.database.writing() as session:
            table = cast(Table, Reminder.__table__)
            for columns, rows in groups.items():
                statement = (
                    update(table)
                    .where(
                        table.c.id == bindparam("reminder"),
                        table.c.status == ReminderStatus.SENDING,
                    )
                    .values({c: bindparam(f"new_{c}", type_=table.c[c].type) for c in columns})
                )
                connection = await session.connection()
                await connection.execute(statement, rows)
            for leader_id in blocked:
                result = await session.execute(
                    update(Leader)
                    .where(Leader.id == leader_id, Leader.blocked_at.is_(None))
                    .values(blocked_at=now)
                )
                if result.rowcount:  # type: ignore[attr-defined]
                    log.info("leader %s blocked the bot: reminders paused", leader_id)


def _sent(now: datetime) -> dict[str, Any]:
    return {"status": ReminderStatus.SENT, "sent_at": now}


def _seconds(value: int | timedelta) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def lock_reason(error: DBAPIError) -> str:
    """What the database said ("database is locked"), never a statement or its values."""
    return str(error.orig).splitlines()[0][:100] if error.orig is not None else "unavailable"
