"""Telling a leader that something changed in a case that touches them.

Every change of who is responsible for a case (or a child's follow-up) or who may
see it is told to each leader it touches. A notice is a reminder of its own kind
(``ReminderKind.NOTICE``), due now (out of the leader's quiet hours), so it is sent
by the same dispatcher, survives a restart and is never sent twice. It names the
line of the case's history that says what happened (``Reminder.choice``); it is
drawn in the leader's language when it goes out, and names the case's children only
if the leader may see the case by then (``bot.storage.visibility.sees``). A line of a
team's own history (no case: a member out of the team) is told the same way; its
notice has no case either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.history import names, team_names
from bot.storage.models import Case, CaseEvent, Handover, Leader, Reminder
from bot.storage.visibility import sees
from flows.follow_up import ReminderKind, ReminderStatus
from flows.follow_up_timing import out_of_quiet_hours


async def tell(
    session: AsyncSession, leader_ids: Iterable[int | None], line: CaseEvent, now: datetime
) -> None:
    """Tell each of these leaders about ``line`` of a case's (or a team's) history, once each."""
    await session.flush()  # the line's id
    for leader_id in dict.fromkeys(leader_ids):
        if leader_id is None:
            continue
        leader = await session.get(Leader, leader_id)
        if leader is None:
            continue
        session.add(
            Reminder(
                leader_id=leader.id,
                case_id=line.case_id,
                child_id=line.child_id,
                kind=ReminderKind.NOTICE,
                due_at=out_of_quiet_hours(now, leader.rhythm),
                status=ReminderStatus.PENDING,
                choice=str(line.id),
                attempts=0,
                created_at=now,
                late=False,
            )
        )


@dataclass(frozen=True)
class Notice:
    """What a notice says: the history line, the names the team knows, and whether the
    leader it goes to may see the case."""

    line: CaseEvent
    names: dict[int, str]
    sees: bool
    #: Whom it goes to.
    recipient: int
    #: The name of the team the line is about, if one.
    team: str | None = None


async def load(session: AsyncSession, claimed: Sequence[Reminder]) -> dict[int, Notice]:
    """The notices among ``claimed``, by reminder id."""
    wanted = {
        r.id: (r, int(r.choice))
        for r in claimed
        if r.kind == ReminderKind.NOTICE and r.choice and r.choice.isdigit()
    }
    if not wanted:
        return {}
    line_ids = {line_id for _, line_id in wanted.values()}
    lines = {
        line.id: line
        for line in await session.scalars(select(CaseEvent).where(CaseEvent.id.in_(line_ids)))
    }
    known = await names(
        session,
        {i for line in lines.values() for i in (line.actor_id, line.other_id) if i is not None},
    )
    for leader_id, former in await session.execute(
        select(Leader.id, Leader.team_name).where(
            Leader.id.in_(
                {i for line in lines.values() for i in (line.actor_id, line.other_id)}
                - set(known)
                - {None}
            )
        )
    ):
        if former:
            known[leader_id] = former
    teams = await team_names(
        session, {line.team_id for line in lines.values() if line.team_id is not None}
    )
    found = {}
    for reminder, line_id in wanted.values():
        line = lines.get(line_id)
        if line is not None:
            seen = reminder.case_id is not None and await sees(
                session, reminder.leader_id, reminder.case_id
            )
            team = teams.get(line.team_id) if line.team_id is not None else None
            found[reminder.id] = Notice(line, known, seen, reminder.leader_id, team)
    return found


@dataclass(frozen=True)
class Asker:
    """Who a team's question comes from: the leader who offers, or whose reminder went
    unanswered (and since when)."""

    name: str | None
    since: datetime | None = None


async def askers(
    session: AsyncSession, claimed: Sequence[Reminder], loaded: dict[int, Case]
) -> dict[int, Asker]:
    """For each offer and each "will you take it?" among ``claimed``: who asks, by reminder id."""
    found: dict[int, tuple[int, datetime | None]] = {}
    for reminder in claimed:
        if reminder.kind == ReminderKind.HANDOVER:
            from_id = await session.scalar(
                select(Handover.from_id).where(
                    Handover.case_id == reminder.case_id,
                    Handover.to_id == reminder.leader_id,
                    Handover.child_id.is_(None)
                    if reminder.child_id is None
                    else Handover.child_id == reminder.child_id,
                )
            )
            if from_id is not None:
                found[reminder.id] = (from_id, None)
        elif reminder.kind == ReminderKind.ESCALATION and reminder.case_id is not None:
            case = loaded.get(reminder.case_id)
            child = (
                next((c for c in case.children if c.id == reminder.child_id), None)
                if case
                else None
            )
            unanswered = next(
                (
                    r
                    for r in (child.reminders if child else [])
                    if r.kind == ReminderKind.FOLLOW_UP and r.escalated_at is not None
                ),
                None,
            )
            if unanswered is not None:
                found[reminder.id] = (unanswered.leader_id, unanswered.sent_at)
    known = await names(session, {leader_id for leader_id, _ in found.values()})
    return {key: Asker(known.get(leader_id), since) for key, (leader_id, since) in found.items()}
