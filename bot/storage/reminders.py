"""Reminders in the database: planning, moving and cancelling them, and claiming due ones.

The database says what is due; the dispatcher (``bot.nudges``) only asks. A due
reminder is *claimed* (``pending`` → ``sending``) in a short transaction of its
own before it is sent, and marked ``sent`` after Telegram accepted it. On
PostgreSQL the claim uses ``SELECT … FOR UPDATE SKIP LOCKED``, so two bot
processes never claim the same reminder. SQLite has no row locks: one bot
process per SQLite file is assumed.

A process killed between the claim and the ``sent`` mark leaves the reminder in
``sending``; :func:`release_stale_claims` puts it back to ``pending`` after
:data:`STALE_CLAIM`. We chose *at least once* over *at most once*: a nudge lost
for good is worse for a child than, after a crash in that one second, the same
nudge twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Case, Child, Leader, Reminder
from bot.telegram_faults import backoff
from flows.follow_up import ReminderKind, ReminderStatus
from flows.follow_up_timing import Rhythm, is_late, replanned_moment

#: A claim older than this is from a process that died while sending.
STALE_CLAIM = timedelta(minutes=2)
#: Back-off after a network error or a 5xx, doubled per attempt up to the cap.
RETRY_FIRST = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)


def plan(
    session: AsyncSession,
    case: Case,
    child: Child | None,
    kind: ReminderKind,
    due_at: datetime,
    now: datetime,
    choice: str | None = None,
) -> Reminder:
    """A new pending reminder; an open one of the same kind for the child is cancelled."""
    if child is not None:
        for old in child.reminders:
            if old.kind == kind and old.is_open:
                old.status = ReminderStatus.CANCELLED
    # A child's follow-up may have been handed to a co-leader: their reminders go to them.
    leader_id = case.leader_id
    if child is not None and child.responsibility is not None:
        leader_id = child.responsibility.leader_id
    reminder = Reminder(
        leader_id=leader_id,
        case_id=case.id,
        kind=kind,
        due_at=due_at,
        status=ReminderStatus.PENDING,
        choice=choice,
        attempts=0,
        created_at=now,
        late=False,
    )
    if child is not None:
        child.reminders.append(reminder)
    else:
        session.add(reminder)
    return reminder


def cancel(reminder: Reminder | None) -> None:
    """No longer wanted (the case closed, the leader did it already, or cancelled it)."""
    if reminder is not None and reminder.is_open:
        reminder.status = ReminderStatus.CANCELLED


async def erase_all(session: AsyncSession, case: Case) -> None:
    """Erase every reminder of a case: it is closed, nothing more will come."""
    for child in case.children:
        child.reminders.clear()
    await session.execute(delete(Reminder).where(Reminder.case_id == case.id))


async def claim_due(
    session: AsyncSession, now: datetime, limit: int
) -> Sequence[tuple[Reminder, Leader]]:
    """Claim up to ``limit`` due reminders of leaders who have not blocked the bot.

    Each is marked late when it fell due long enough ago (the bot was down).
    """
    query = (
        select(Reminder, Leader)
        .join(Leader, Leader.id == Reminder.leader_id)
        .where(
            Reminder.status == ReminderStatus.PENDING,
            Reminder.due_at <= now,
            Leader.blocked_at.is_(None),
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Reminder)
    )
    rows = (await session.execute(query)).all()
    for reminder, _leader in rows:
        reminder.status = ReminderStatus.SENDING
        reminder.claimed_at = now
        reminder.attempts += 1
        reminder.late = is_late(reminder.due_at, now)
    return rows


async def follow_new_rhythm(
    session: AsyncSession, leader: Leader, before: Rhythm, now: datetime
) -> int:
    """Move the leader's planned reminders to their changed settings; returns how many moved.

    See :func:`flows.follow_up_timing.replanned_moment` for where each one goes.
    """
    after = leader.rhythm
    if after == before:
        return 0
    planned = await session.scalars(
        select(Reminder).where(
            Reminder.leader_id == leader.id, Reminder.status == ReminderStatus.PENDING
        )
    )
    moved = 0
    for reminder in planned:
        due = replanned_moment(reminder.due_at, reminder.choice, now, before, after)
        if due != reminder.due_at:
            reminder.due_at = due
            moved += 1
    return moved


async def next_due(session: AsyncSession, leader_id: int) -> datetime | None:
    """When the leader's next pending reminder is due, if any (the console's clock uses it)."""
    query = (
        select(Reminder.due_at)
        .where(Reminder.leader_id == leader_id, Reminder.status == ReminderStatus.PENDING)
        .order_by(Reminder.due_at)
        .limit(1)
    )
    return await session.scalar(query)


async def release_stale_claims(session: AsyncSession, now: datetime) -> int:
    """Put claims of a process that died while sending back to ``pending``."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.status == ReminderStatus.SENDING, Reminder.claimed_at < now - STALE_CLAIM)
        .values(status=ReminderStatus.PENDING)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before trying again after the ``attempts``-th failure."""
    return backoff(attempts, RETRY_FIRST, RETRY_CAP)
