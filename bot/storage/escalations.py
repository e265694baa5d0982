"""A follow-up nudge left unanswered goes to the co-leaders, and one of them takes it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.handovers import set_responsible
from bot.storage.history import EventKind, record
from bot.storage.models import Case, CaseEvent, CaseShare, Child, Leader, Reminder, Team
from bot.storage.notices import tell
from bot.storage.reminders import ask_now
from bot.storage.visibility import sharers
from flows.case import follow_up_number
from flows.follow_up import ReminderKind, ReminderStatus


async def escalation_delay(session: AsyncSession, case_id: int) -> timedelta | None:
    """How long a nudge of this case may go unanswered: the shortest of its teams' settings.

    ``None`` when the case is not shared: there is nobody to ask.
    """
    hours = await session.scalar(
        select(func.min(Team.escalate_after_hours)).where(
            Team.id.in_(select(CaseShare.team_id).where(CaseShare.case_id == case_id))
        )
    )
    return None if hours is None else timedelta(hours=hours)


async def escalate_due(session: AsyncSession, now: datetime) -> int:
    """Ask the co-leaders about follow-up nudges left unanswered too long; returns how many.

    Each unanswered nudge is escalated once: every other leader who shares the case gets
    a reminder of its own ("will you take it?"), before their next activity when they
    have a rhythm, otherwise now (out of their quiet hours).
    """
    shared = exists().where(CaseShare.case_id == Reminder.case_id)
    candidates = await session.scalars(
        select(Reminder).where(
            Reminder.kind == ReminderKind.FOLLOW_UP,
            Reminder.status == ReminderStatus.SENT,
            Reminder.escalated_at.is_(None),
            Reminder.sent_at.is_not(None),
            shared,
        )
    )
    escalated = 0
    for reminder in candidates.all():
        if reminder.case_id is None:
            continue  # a follow-up always has its case
        delay = await escalation_delay(session, reminder.case_id)
        if delay is None or reminder.sent_at is None or reminder.sent_at + delay > now:
            continue
        case = await session.get(Case, reminder.case_id)
        if case is None or case.closed_at is not None:
            continue
        reminder.escalated_at = now
        others = [i for i in await sharers(session, case) if i != reminder.leader_id]
        for leader_id in others:
            leader = await session.get(Leader, leader_id)
            if leader is None:
                continue
            # Not answered for that long is the rule; the question reaches each
            # co-leader before their next activity, where they can take the talk up.
            ask_now(
                session,
                leader,
                case.id,
                reminder.child_id,
                ReminderKind.ESCALATION,
                now,
                at_activity=True,
            )
        line = record(
            session,
            case.id,
            EventKind.ESCALATED,
            reminder.leader_id,
            now,
            child_id=reminder.child_id,
        )
        # The leader whose reminder it was hears that it went to the team.
        await tell(session, [reminder.leader_id], line, now)
        escalated += 1
    return escalated


def take_over(child: Child, leader_id: int) -> bool:
    """ "I'll take it": whether ``leader_id`` now follows ``child`` up.

    Only while the escalated nudge is still unanswered and they were asked and did not
    answer yet; the first to press takes it, the others' questions lapse.
    """
    mine = next(
        (
            r
            for r in child.reminders
            if r.kind == ReminderKind.ESCALATION and r.leader_id == leader_id and r.is_open
        ),
        None,
    )
    escalated = next(
        (
            r
            for r in child.reminders
            if r.kind == ReminderKind.FOLLOW_UP and r.is_open and r.escalated_at is not None
        ),
        None,
    )
    if mine is None or escalated is None:
        if mine is not None:
            mine.status = ReminderStatus.CANCELLED
        return False
    set_responsible(child, leader_id)
    for reminder in child.reminders:
        if reminder.kind == ReminderKind.ESCALATION and reminder.is_open:
            reminder.status = (
                ReminderStatus.ANSWERED if reminder is mine else ReminderStatus.CANCELLED
            )
    return True


async def _last_answer(
    session: AsyncSession, child_id: int, kinds: tuple[EventKind, ...], since: datetime | None
) -> CaseEvent | None:
    query = select(CaseEvent).where(CaseEvent.child_id == child_id, CaseEvent.kind.in_(kinds))
    if since is not None:
        query = query.where(CaseEvent.at >= since)
    return await session.scalar(query.order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(1))


async def answered_by(
    session: AsyncSession, child: Child, follow_up: int, leader_id: int
) -> CaseEvent | None:
    """Who answered follow-up talk ``follow_up`` with ``child`` first, if not ``leader_id``.

    One follow-up talk has one answer: whoever answers first. The talk's outcome written
    down answers it, and so does "I'll take it" on its reminder gone to the team: after
    either, another leader's buttons of that talk change nothing.
    """
    if follow_up < follow_up_number(child):
        written = await session.scalars(
            select(CaseEvent)
            .where(CaseEvent.child_id == child.id, CaseEvent.kind == EventKind.OUTCOME)
            .order_by(CaseEvent.at, CaseEvent.id)
        )
        lines = written.all()
        if not lines:
            return None
        line = lines[follow_up - 1] if follow_up - 1 < len(lines) else lines[-1]
        return line if line.actor_id != leader_id else None
    reminder = next(
        (r for r in child.reminders if r.kind == ReminderKind.FOLLOW_UP and r.is_open), None
    )
    if reminder is None or reminder.escalated_at is None:
        return None
    taken = await _last_answer(session, child.id, (EventKind.TOOK_OVER,), reminder.escalated_at)
    return taken if taken is not None and taken.actor_id != leader_id else None


async def who_answered_first(
    session: AsyncSession, child: Child, leader_id: int
) -> CaseEvent | None:
    """What answered the reminder that went to the team, before ``leader_id`` took it.

    The last "I'll take it" or outcome written down for ``child`` since the team was
    asked ``leader_id`` (their own "I'll take it" included).
    """
    asked = await session.scalar(
        select(Reminder.created_at)
        .where(
            Reminder.child_id == child.id,
            Reminder.leader_id == leader_id,
            Reminder.kind == ReminderKind.ESCALATION,
        )
        .order_by(Reminder.created_at.desc())
        .limit(1)
    )
    if asked is None:
        return None
    return await _last_answer(session, child.id, (EventKind.TOOK_OVER, EventKind.OUTCOME), asked)
