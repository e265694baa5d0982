"""Reminders in the database: planning, moving and cancelling them, and claiming due ones.

The database says what is due; the dispatcher (``bot.nudges``) only asks. A due
reminder is *claimed* (``pending`` → ``sending``) in a short transaction of its
own before it is sent, and marked ``sent`` after Telegram accepted it. On
PostgreSQL the claim uses ``SELECT … FOR UPDATE SKIP LOCKED``, so two bot
processes never claim the same reminder. SQLite has no row locks: one bot
process per SQLite file is assumed.

A claim is a lease: ``claimed_at`` is when it was taken or last renewed, and it
holds for :data:`CLAIM_LEASE` after that. The process that holds it renews it
every :data:`LEASE_RENEWAL` (:func:`renew_claims`) until the answer is recorded,
and sends a nudge only while its last renewal is less than :data:`SEND_WITHIN`
old; so a request it started has the rest of the lease (more than the HTTP
time-outs) to finish before anyone else may claim the reminder, and two live
processes never send one nudge twice.
A process that is killed stops renewing: its claims come free
:data:`CLAIM_LEASE` later and the next claim takes them (:func:`claim_due`). The
processes' clocks are assumed to agree to within a few seconds.

A nudge Telegram accepted but whose answer the killed process had not yet
written is sent again. We chose *at least once* over *at most once*: a nudge lost
for good is worse for a child than, after a crash, the same nudge twice; only the
messages in flight at that moment (see ``bot.nudges``) can come twice.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.storage.models import Case, Child, Leader, Reminder
from bot.telegram_faults import backoff
from flows.follow_up import (
    ASKED_AGAIN,
    OPEN_STATUSES,
    ReminderKind,
    ReminderStatus,
    asked_again_moment,
    next_acting_moment,
)
from flows.follow_up_timing import Rhythm, is_late, out_of_quiet_hours, replanned_moment

log = logging.getLogger(__name__)

#: A claim not renewed for this long is from a process that stopped: it comes free.
CLAIM_LEASE = timedelta(seconds=30)
#: A live process renews its claims this often.
LEASE_RENEWAL = timedelta(seconds=5)
#: A claim renewed longer ago than this is not sent on (its renewals fail): what was
#: sent before has ``CLAIM_LEASE - SEND_WITHIN`` to finish before the claim can lapse.
SEND_WITHIN = timedelta(seconds=10)
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


def ask_now(
    session: AsyncSession,
    leader: Leader,
    case_id: int,
    child_id: int | None,
    kind: ReminderKind,
    now: datetime,
    *,
    at_activity: bool = False,
) -> None:
    """A question of the team's for ``leader``, due now (out of their quiet hours).

    ``at_activity``: one they can only act on at an activity, due before their next
    activity when they have a rhythm (:func:`flows.follow_up.next_acting_moment`).
    """
    due = next_acting_moment(now, leader.rhythm) if at_activity else None
    session.add(
        Reminder(
            leader_id=leader.id,
            case_id=case_id,
            child_id=child_id,
            kind=kind,
            due_at=due or out_of_quiet_hours(now, leader.rhythm),
            status=ReminderStatus.PENDING,
            attempts=0,
            created_at=now,
            late=False,
        )
    )


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

    Claims that lapsed (their process stopped) are pending again first. Each claimed
    reminder is marked late when it fell due long enough ago (the bot was down).
    """
    released = await release_stale_claims(session, now)
    if released:
        log.warning("%d reminder(s) claimed by a stopped process are pending again", released)
    await repeat_unanswered_follow_ups(session, now)
    await ask_again_unanswered(session, now)
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


async def ask_again_unanswered(session: AsyncSession, now: datetime) -> int:
    """A sent step-1 or report-back reminder gets its next moment; returns how many.

    The message stays in the chat and its buttons still answer it; meanwhile the child
    has a moment ahead, and without an answer the question comes again then.
    """
    rows = (
        await session.execute(
            select(Reminder, Leader)
            .join(Leader, Leader.id == Reminder.leader_id)
            .where(
                Reminder.status == ReminderStatus.SENT,
                Reminder.kind.in_([kind.value for kind in ASKED_AGAIN]),
            )
        )
    ).all()
    for reminder, leader in rows:
        sent_at = reminder.sent_at or now
        reminder.due_at = asked_again_moment(sent_at, now, leader.rhythm)
        reminder.status = ReminderStatus.PENDING
        reminder.late = False
    return len(rows)


async def repeat_unanswered_follow_ups(session: AsyncSession, now: datetime) -> int:
    """A follow-up reminder sent and not answered gets a repeat; returns how many.

    The sent one stays as it is: its buttons still answer it, and the team's escalation
    (``bot.storage.escalations``) waits on it. The repeat asks the same question at the
    next moment (:func:`flows.follow_up.asked_again_moment`), and again after that while
    nobody answers, so a leader without a team is never left without a next moment.
    """
    repeat = aliased(Reminder)
    already = (
        exists()
        .where(
            repeat.child_id == Reminder.child_id,
            repeat.kind == ReminderKind.FOLLOW_UP_AGAIN,
            repeat.status.in_([status.value for status in OPEN_STATUSES]),
        )
        .correlate(Reminder)
    )
    rows = (
        await session.execute(
            select(Reminder, Leader)
            .join(Leader, Leader.id == Reminder.leader_id)
            .where(
                Reminder.status == ReminderStatus.SENT,
                Reminder.kind == ReminderKind.FOLLOW_UP,
                Reminder.child_id.is_not(None),
                ~already,
            )
        )
    ).all()
    for reminder, leader in rows:
        session.add(
            Reminder(
                leader_id=reminder.leader_id,
                case_id=reminder.case_id,
                child_id=reminder.child_id,
                kind=ReminderKind.FOLLOW_UP_AGAIN,
                due_at=asked_again_moment(reminder.sent_at or now, now, leader.rhythm),
                status=ReminderStatus.PENDING,
                choice=reminder.choice,
                attempts=0,
                created_at=now,
                late=False,
            )
        )
    if rows:
        await session.flush()
    return len(rows)


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
    """Put lapsed claims (of a process that stopped while sending) back to ``pending``."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.status == ReminderStatus.SENDING, Reminder.claimed_at < now - CLAIM_LEASE)
        .values(status=ReminderStatus.PENDING)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def renew_claims(
    session: AsyncSession, held: Mapping[datetime, Collection[int]], now: datetime
) -> set[int]:
    """Renew this process's claims: ``held`` maps each ``claimed_at`` it wrote to the ids.

    Returns the ids renewed; a claim another process took meanwhile (after it lapsed)
    has another ``claimed_at`` and is left alone, as is a reminder no longer ``sending``.
    """
    renewed: set[int] = set()
    for claimed_at, ids in held.items():
        found = await session.scalars(
            update(Reminder)
            .where(
                Reminder.id.in_(ids),
                Reminder.status == ReminderStatus.SENDING,
                Reminder.claimed_at == claimed_at,
            )
            .values(claimed_at=now)
            .returning(Reminder.id)
            .execution_options(synchronize_session=False)
        )
        renewed.update(found)
    return renewed


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before trying again after the ``attempts``-th failure."""
    return backoff(attempts, RETRY_FIRST, RETRY_CAP)
