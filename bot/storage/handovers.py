"""Who follows a case or a child up: offers to a co-leader, hand-overs, the working year.

A case always has one responsible leader; a child's follow-up may be handed to a
co-leader (a ``Responsibility``). An offer waits for its answer as a ``Handover`` with a
reminder of its own. At a team's working-year start each case's responsible leader is
asked about it once: hand it over, close it, or keep it; any answer closes the
question, and the coordinator reads the answers in the team's overview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.history import EventKind, record
from bot.storage.models import (
    Case,
    CaseEvent,
    CaseShare,
    Child,
    Handover,
    Leader,
    Reminder,
    Responsibility,
    Team,
    TeamMember,
)
from bot.storage.reminders import ask_now
from bot.storage.visibility import end_offer_share
from flows.follow_up import CHILD_FOLLOW_UP_KINDS, OPEN_STATUSES, ReminderKind, ReminderStatus
from flows.team import new_year_due


def set_responsible(child: Child, leader_id: int) -> None:
    """``leader_id`` follows ``child`` up from now on; the child's open nudges go to them."""
    if leader_id == child.case.leader_id:
        child.responsibility = None
    elif child.responsibility is None:
        child.responsibility = Responsibility(leader_id=leader_id)
    else:
        child.responsibility.leader_id = leader_id
    for reminder in child.reminders:
        if reminder.is_open and reminder.kind in CHILD_FOLLOW_UP_KINDS:
            reminder.leader_id = leader_id


async def open_handover(
    session: AsyncSession, case_id: int, child_id: int | None, to_id: int
) -> Handover | None:
    """The offer of this case (or child's follow-up) to ``to_id`` still waiting for them."""
    return await session.scalar(
        select(Handover).where(
            Handover.case_id == case_id,
            Handover.child_id.is_(None) if child_id is None else Handover.child_id == child_id,
            Handover.to_id == to_id,
        )
    )


async def offer_handover(
    session: AsyncSession,
    case: Case,
    child: Child | None,
    team_id: int,
    from_id: int,
    to_id: int,
    now: datetime,
    keeps_sight: bool = True,
) -> None:
    """Offer the case (or ``child``'s follow-up) to ``to_id``; an earlier offer of it lapses.

    The offer reaches them as a reminder of its own, due now (out of their quiet hours).
    ``keeps_sight``: whoever offers the whole case keeps seeing it once it is accepted.
    """
    child_id = None if child is None else child.id
    same = and_(
        Handover.case_id == case.id,
        Handover.child_id.is_(None) if child_id is None else Handover.child_id == child_id,
    )
    for lapsed in (await session.scalars(select(Handover).where(same))).all():
        if lapsed.to_id != to_id:
            # The earlier offer lapses, and with it the sight of the case it gave.
            await end_offer_share(session, case, lapsed.team_id, lapsed.to_id, from_id, now)
    await session.execute(delete(Handover).where(same))
    for reminder in await session.scalars(
        select(Reminder).where(
            Reminder.case_id == case.id,
            Reminder.kind == ReminderKind.HANDOVER,
            Reminder.status.in_(OPEN_STATUSES),
            Reminder.child_id.is_(None) if child_id is None else Reminder.child_id == child_id,
        )
    ):
        reminder.status = ReminderStatus.CANCELLED
    session.add(
        Handover(
            case_id=case.id,
            child_id=child_id,
            team_id=team_id,
            from_id=from_id,
            to_id=to_id,
            keeps_sight=keeps_sight,
        )
    )
    recipient = await session.get(Leader, to_id)
    assert recipient is not None
    ask_now(session, recipient, case.id, child_id, ReminderKind.HANDOVER, now)
    record(
        session,
        case.id,
        EventKind.HANDOVER_OFFERED,
        from_id,
        now,
        other=to_id,
        team_id=team_id,
        child_id=child_id,
    )


async def close_handover_reminders(
    session: AsyncSession, case_id: int, child_id: int | None, to_id: int
) -> None:
    """The offer's reminder to ``to_id`` is answered."""
    for reminder in await session.scalars(
        select(Reminder).where(
            Reminder.case_id == case_id,
            Reminder.leader_id == to_id,
            Reminder.kind == ReminderKind.HANDOVER,
            Reminder.status.in_(OPEN_STATUSES),
            Reminder.child_id.is_(None) if child_id is None else Reminder.child_id == child_id,
        )
    ):
        reminder.status = ReminderStatus.ANSWERED


async def hand_case_over(session: AsyncSession, case: Case, to_id: int, now: datetime) -> None:
    """``to_id`` is the case's own leader now; what the old one followed up goes with it.

    Shares in teams the new leader is not in end; children handed to the new leader
    need no hand-over of their own any more.
    """
    old = case.leader_id
    case.leader_id = to_id
    case.updated_at = now
    for child in case.children:
        holder = child.responsibility.leader_id if child.responsibility else old
        if holder in (old, to_id):
            child.responsibility = None
            for reminder in child.reminders:
                if reminder.is_open and reminder.kind in CHILD_FOLLOW_UP_KINDS:
                    reminder.leader_id = to_id
    for reminder in await session.scalars(
        select(Reminder).where(
            Reminder.case_id == case.id,
            Reminder.child_id.is_(None),
            Reminder.leader_id == old,
            Reminder.status.in_(OPEN_STATUSES),
            # What the old leader is told stays theirs.
            Reminder.kind != ReminderKind.NOTICE,
        )
    ):
        reminder.leader_id = to_id
    teams_of_new = select(TeamMember.team_id).where(TeamMember.leader_id == to_id)
    await session.execute(
        delete(CaseShare).where(
            CaseShare.case_id == case.id,
            or_(CaseShare.team_id.not_in(teams_of_new), CaseShare.leader_id == to_id),
        )
    )


#: How a leader answered the new working year's question (the history line's detail).
YEAR_CHOICES = ("keep", "hand_over", "close")


def _year_start(year: int, month: int) -> datetime:
    """The start of working year ``year`` as stored moments go (a day early, so that no
    time zone puts the question asked that morning before it)."""
    return datetime(year, month, 1, tzinfo=UTC) - timedelta(days=1)


async def ask_new_year(session: AsyncSession, now: datetime) -> int:
    """At a team's working-year start, ask each case's responsible leader about it.

    One reminder per open case of every member ("hand it over, close it, or keep
    it?"), once per working year: a case already asked about this year is not asked
    twice (a leader in two teams); a question of an earlier year left unanswered gives
    way to this year's. It reaches a leader with a rhythm before their next activity.
    Returns how many reminders were planned.
    """
    planned = 0
    # A team asked this calendar year is not due again before the next one.
    candidates = select(Team).where(Team.year_asked < now.year).order_by(Team.id)
    for team in (await session.scalars(candidates)).all():
        year = new_year_due(now.date(), team.year_start_month, team.year_asked)
        if year is None:
            continue
        team.year_asked = year
        members = [m.leader_id for m in team.members]
        this_year = _year_start(year, team.year_start_month)
        open_questions = (
            Reminder.kind == ReminderKind.NEW_YEAR,
            Reminder.status.in_(OPEN_STATUSES),
        )
        asked = select(Reminder.case_id).where(*open_questions, Reminder.due_at >= this_year)
        open_cases = await session.scalars(
            select(Case).where(
                Case.leader_id.in_(members), Case.closed_at.is_(None), Case.id.not_in(asked)
            )
        )
        for case in open_cases.all():
            for stale in await session.scalars(
                select(Reminder).where(Reminder.case_id == case.id, *open_questions)
            ):
                stale.status = ReminderStatus.CANCELLED
            leader = await session.get(Leader, case.leader_id)
            assert leader is not None
            ask_now(session, leader, case.id, None, ReminderKind.NEW_YEAR, now, at_activity=True)
            record(
                session,
                case.id,
                EventKind.YEAR_ASKED,
                None,
                now,
                other=case.leader_id,
                detail=str(year),
            )
            planned += 1
        await session.flush()
    return planned


async def answer_new_year(
    session: AsyncSession, case: Case, leader_id: int, choice: str, now: datetime
) -> bool:
    """The case's leader answers the working year's question; it is closed, whatever the
    answer. Whether a question was open (the answer is then written in the history)."""
    questions = (
        await session.scalars(
            select(Reminder).where(
                Reminder.case_id == case.id,
                Reminder.kind == ReminderKind.NEW_YEAR,
                Reminder.status.in_(OPEN_STATUSES),
            )
        )
    ).all()
    for question in questions:
        question.status = ReminderStatus.ANSWERED
    if questions:
        record(session, case.id, EventKind.YEAR_ANSWERED, leader_id, now, detail=choice)
    return bool(questions)


@dataclass(frozen=True)
class YearAnswerRow:
    """One case asked about at the team's working-year start, and what became of it."""

    case: Case
    asked_id: int
    answer: str | None


async def year_answers(session: AsyncSession, team: Team, year: int) -> list[YearAnswerRow]:
    """The cases of the team's members asked about at the start of working year ``year``,
    oldest first, each with its leader's answer (``None``: not answered yet)."""
    members = [m.leader_id for m in team.members]
    asked = (
        await session.scalars(
            select(CaseEvent)
            .where(
                CaseEvent.kind == EventKind.YEAR_ASKED,
                CaseEvent.detail == str(year),
                CaseEvent.other_id.in_(members),
            )
            .order_by(CaseEvent.case_id, CaseEvent.id)
        )
    ).all()
    rows: list[YearAnswerRow] = []
    seen: set[int] = set()
    for line in asked:
        if line.case_id is None or line.case_id in seen:
            continue
        seen.add(line.case_id)
        case = await session.get(Case, line.case_id)
        if case is None:
            continue
        answer = await session.scalar(
            select(CaseEvent.detail)
            .where(
                CaseEvent.case_id == case.id,
                CaseEvent.kind == EventKind.YEAR_ANSWERED,
                CaseEvent.id > line.id,
            )
            .order_by(CaseEvent.id.desc())
            .limit(1)
        )
        rows.append(YearAnswerRow(case, line.other_id or 0, answer))
    return rows
