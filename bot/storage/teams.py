"""Teams in the database: members, invitations, shared cases and each case's history.

Who may see a case is one SQL condition, :func:`can_see`: the case's own leader, or a
leader who is *now* a member of a team the case is shared in, with the whole team or
with them by name. Every case button and typed answer goes through it (see
``bot.storage.cases.visible_case``), so leaving a team or being removed from it takes
effect at the next press.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

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
    TeamInvite,
    TeamMember,
)
from flows.follow_up import OPEN_STATUSES, ReminderKind, ReminderStatus
from flows.follow_up_timing import out_of_quiet_hours
from flows.history import HistoryKind
from flows.team import (
    DEFAULT_ESCALATION_HOURS,
    DEFAULT_YEAR_START_MONTH,
    INVITE_LIFETIME,
    TeamRole,
    invite_usable,
    last_year_start,
    new_token,
    new_year_due,
    token_hash,
)

#: A membership with its team and the team's members, loaded in the same round.
_WITH_TEAM = selectinload(TeamMember.team).selectinload(Team.members)
#: How long a leader's Telegram name may be as the team sees it.
DISPLAY_NAME_MAX = 64


class EventKind(StrEnum):
    """What a line of a case's history says happened."""

    CREATED = "created"
    CONSENT = "consent"
    TALK_HELD = "talk_held"
    AGREEMENT = "agreement"
    OUTCOME = "outcome"
    REPORTED_BACK = "reported_back"
    CLOSED = "closed"
    SHARED = "shared"
    UNSHARED = "unshared"
    ESCALATED = "escalated"
    TOOK_OVER = "took_over"
    HANDOVER_OFFERED = "handover_offered"
    HANDOVER_ACCEPTED = "handover_accepted"
    HANDOVER_DECLINED = "handover_declined"
    PASSED_ON = "passed_on"


def display_name(first_name: str | None) -> str:
    """The name a team knows a leader by: their Telegram first name, on one line."""
    name = " ".join((first_name or "").split())[:DISPLAY_NAME_MAX]
    return name or "?"


def can_see(leader_id: int) -> ColumnElement[bool]:
    """The condition on ``Case`` that ``leader_id`` may see and act on it."""
    shared = exists().where(
        CaseShare.case_id == Case.id,
        TeamMember.team_id == CaseShare.team_id,
        TeamMember.leader_id == leader_id,
        or_(CaseShare.leader_id.is_(None), CaseShare.leader_id == leader_id),
    )
    return or_(Case.leader_id == leader_id, shared)


async def sees(session: AsyncSession, leader_id: int, case_id: int) -> bool:
    """Whether ``leader_id`` may see case ``case_id`` now."""
    found = await session.scalar(select(Case.id).where(Case.id == case_id, can_see(leader_id)))
    return found is not None


async def teams_of(session: AsyncSession, leader_id: int) -> Sequence[TeamMember]:
    """The leader's memberships, oldest team first (each with its team loaded)."""
    found = await session.scalars(
        select(TeamMember)
        .where(TeamMember.leader_id == leader_id)
        .order_by(TeamMember.team_id)
        .options(_WITH_TEAM)
    )
    return found.all()


async def membership(session: AsyncSession, team_id: int, leader_id: int) -> TeamMember | None:
    """The leader's membership of team ``team_id``, if they are in it now."""
    return await session.scalar(
        select(TeamMember)
        .where(TeamMember.team_id == team_id, TeamMember.leader_id == leader_id)
        .options(_WITH_TEAM)
    )


async def member(session: AsyncSession, team_id: int, member_id: int) -> TeamMember | None:
    """Member ``member_id`` of team ``team_id`` (``None`` for one of another team)."""
    return await session.scalar(
        select(TeamMember).where(TeamMember.team_id == team_id, TeamMember.id == member_id)
    )


def create(session: AsyncSession, leader_id: int, name: str, shown_as: str, now: datetime) -> Team:
    """A new team with ``leader_id`` as its first coordinator."""
    team = Team(
        name=name,
        created_at=now,
        escalate_after_hours=DEFAULT_ESCALATION_HOURS,
        year_start_month=DEFAULT_YEAR_START_MONTH,
        # A team made after this year's start is first asked at the next one.
        year_asked=last_year_start(now.date(), DEFAULT_YEAR_START_MONTH),
        members=[],
    )
    team.members.append(
        TeamMember(
            leader_id=leader_id, role=TeamRole.COORDINATOR, display_name=shown_as, joined_at=now
        )
    )
    session.add(team)
    return team


async def make_invite(session: AsyncSession, team: Team, now: datetime) -> str:
    """A new invitation token for ``team``; any older link of the team stops working."""
    await revoke_invites(session, team.id)
    token = new_token()
    session.add(
        TeamInvite(team_id=team.id, token_hash=token_hash(token), expires_at=now + INVITE_LIFETIME)
    )
    return token


async def revoke_invites(session: AsyncSession, team_id: int) -> int:
    """No invitation link of the team works any more; returns how many there were."""
    result = await session.execute(delete(TeamInvite).where(TeamInvite.team_id == team_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def invited_team(session: AsyncSession, token: str, now: datetime) -> Team | None:
    """The team a still usable invitation token opens."""
    invite = await session.scalar(
        select(TeamInvite).where(TeamInvite.token_hash == token_hash(token))
    )
    if invite is None or not invite_usable(invite.expires_at, now):
        return None
    return await session.get(Team, invite.team_id)


def add_member(team: Team, leader_id: int, shown_as: str, now: datetime) -> TeamMember:
    """``leader_id`` joins ``team`` as a leader."""
    joined = TeamMember(
        leader_id=leader_id, role=TeamRole.MEMBER, display_name=shown_as, joined_at=now
    )
    team.members.append(joined)
    return joined


async def remove_member(
    session: AsyncSession,
    team: Team,
    gone: TeamMember,
    now: datetime,
    hand_to: int | None = None,
) -> int:
    """``gone`` is out of ``team`` at once, with every share that reached them through it.

    Shares of their own cases in the team end too (a case is shared by its leader as a
    member), and so do shares naming them. Their open cases that were shared in the
    team are offered to ``hand_to`` (a coordinator), who keeps seeing each by name
    until they answer, so none is orphaned. The last member out ends the team.
    Returns how many cases were offered.
    """
    orphans = await orphaned_cases(session, team, gone.leader_id) if hand_to else []
    own_cases = select(Case.id).where(Case.leader_id == gone.leader_id)
    await session.execute(
        delete(CaseShare).where(
            CaseShare.team_id == team.id,
            or_(CaseShare.leader_id == gone.leader_id, CaseShare.case_id.in_(own_cases)),
        )
    )
    for case in orphans:
        assert hand_to is not None
        session.add(CaseShare(case_id=case.id, team_id=team.id, leader_id=hand_to, shared_at=now))
        await offer_handover(session, case, None, team.id, gone.leader_id, hand_to, now)
    team.members.remove(gone)
    await session.flush()
    await _after_leaving(session, gone.leader_id)
    if not team.members:
        await session.delete(team)
    return len(orphans)


async def _after_leaving(session: AsyncSession, leader_id: int) -> None:
    """What a leader did for cases they no longer see goes back to each case's own leader.

    Their follow-ups and reminders of such cases return to the case's leader, their
    offers and "will you take it?" questions lapse, so no nudge about a case reaches
    someone who may no longer see it.
    """
    unseen = select(Case.id).where(~can_see(leader_id))
    await session.execute(
        delete(Responsibility).where(
            Responsibility.leader_id == leader_id,
            Responsibility.child_id.in_(select(Child.id).where(Child.case_id.in_(unseen))),
        )
    )
    await session.execute(
        delete(Handover).where(
            or_(Handover.to_id == leader_id, Handover.from_id == leader_id),
            Handover.case_id.in_(unseen),
        )
    )
    stranded = await session.scalars(
        select(Reminder).where(
            Reminder.leader_id == leader_id,
            Reminder.status.in_(OPEN_STATUSES),
            Reminder.case_id.in_(unseen),
        )
    )
    for reminder in stranded:
        if reminder.kind in (ReminderKind.ESCALATION, ReminderKind.HANDOVER):
            reminder.status = ReminderStatus.CANCELLED
        else:
            owner = await session.scalar(select(Case.leader_id).where(Case.id == reminder.case_id))
            assert owner is not None
            reminder.leader_id = owner


async def shares_of(session: AsyncSession, case_id: int) -> Sequence[CaseShare]:
    """How case ``case_id`` is shared now."""
    found = await session.scalars(
        select(CaseShare).where(CaseShare.case_id == case_id).order_by(CaseShare.id)
    )
    return found.all()


async def toggle_share(
    session: AsyncSession,
    case: Case,
    team_id: int,
    leader_id: int | None,
    actor: int,
    now: datetime,
) -> bool:
    """Share ``case`` in the team (with ``leader_id``, or all), or stop; whether now shared."""
    same = and_(
        CaseShare.case_id == case.id,
        CaseShare.team_id == team_id,
        CaseShare.leader_id.is_(None) if leader_id is None else CaseShare.leader_id == leader_id,
    )
    existing = (await session.scalars(select(CaseShare).where(same))).all()
    kind = EventKind.UNSHARED if existing else EventKind.SHARED
    if existing:
        await session.execute(delete(CaseShare).where(same))
    else:
        session.add(CaseShare(case_id=case.id, team_id=team_id, leader_id=leader_id, shared_at=now))
    record(session, case.id, kind, actor, now, other=leader_id, team_id=team_id)
    return not existing


async def shared_with(session: AsyncSession, leader_id: int) -> Sequence[Case]:
    """Open cases of other leaders that ``leader_id`` can see through a team, newest first."""
    found = await session.scalars(
        select(Case)
        .where(Case.leader_id != leader_id, Case.closed_at.is_(None), can_see(leader_id))
        .order_by(Case.id.desc())
    )
    return found.all()


def record(
    session: AsyncSession,
    case_id: int,
    kind: EventKind | HistoryKind,
    actor: int | None,
    now: datetime,
    *,
    other: int | None = None,
    team_id: int | None = None,
    child_id: int | None = None,
    detail: str | None = None,
) -> None:
    """One line in the case's history."""
    session.add(
        CaseEvent(
            case_id=case_id,
            at=now,
            kind=kind,
            actor_id=actor,
            other_id=other,
            team_id=team_id,
            child_id=child_id,
            detail=detail,
        )
    )


async def sharers(session: AsyncSession, case: Case) -> list[int]:
    """Every leader who may see ``case`` now: its own leader first, then the co-leaders."""
    whole = select(TeamMember.leader_id).where(
        TeamMember.team_id.in_(
            select(CaseShare.team_id).where(
                CaseShare.case_id == case.id, CaseShare.leader_id.is_(None)
            )
        )
    )
    named = (
        select(CaseShare.leader_id)
        .join(
            TeamMember,
            and_(
                TeamMember.team_id == CaseShare.team_id,
                TeamMember.leader_id == CaseShare.leader_id,
            ),
        )
        .where(CaseShare.case_id == case.id)
    )
    found = set((await session.scalars(whole)).all()) | set((await session.scalars(named)).all())
    found.discard(case.leader_id)
    return [case.leader_id, *sorted(i for i in found if i is not None)]


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
    a reminder of its own ("will you take it?"), out of their quiet hours.
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
            session.add(
                Reminder(
                    leader_id=leader_id,
                    case_id=case.id,
                    child_id=reminder.child_id,
                    kind=ReminderKind.ESCALATION,
                    due_at=out_of_quiet_hours(now, leader.rhythm),
                    status=ReminderStatus.PENDING,
                    attempts=0,
                    created_at=now,
                    late=False,
                )
            )
        record(
            session,
            case.id,
            EventKind.ESCALATED,
            reminder.leader_id,
            now,
            child_id=reminder.child_id,
        )
        escalated += 1
    return escalated


def set_responsible(child: Child, leader_id: int, now: datetime) -> None:
    """``leader_id`` follows ``child`` up from now on; the child's open nudges go to them."""
    if leader_id == child.case.leader_id:
        child.responsibility = None
    elif child.responsibility is None:
        child.responsibility = Responsibility(leader_id=leader_id, since=now)
    else:
        child.responsibility.leader_id = leader_id
        child.responsibility.since = now
    for reminder in child.reminders:
        if reminder.is_open and reminder.kind in (ReminderKind.FOLLOW_UP, ReminderKind.REPORT_BACK):
            reminder.leader_id = leader_id


def take_over(child: Child, leader_id: int, now: datetime) -> bool:
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
    set_responsible(child, leader_id, now)
    for reminder in child.reminders:
        if reminder.kind == ReminderKind.ESCALATION and reminder.is_open:
            reminder.status = (
                ReminderStatus.ANSWERED if reminder is mine else ReminderStatus.CANCELLED
            )
    return True


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
) -> None:
    """Offer the case (or ``child``'s follow-up) to ``to_id``; an earlier offer of it lapses.

    The offer reaches them as a reminder of its own, due now (out of their quiet hours).
    """
    child_id = None if child is None else child.id
    same = and_(
        Handover.case_id == case.id,
        Handover.child_id.is_(None) if child_id is None else Handover.child_id == child_id,
    )
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
            offered_at=now,
        )
    )
    recipient = await session.get(Leader, to_id)
    assert recipient is not None
    session.add(
        Reminder(
            leader_id=to_id,
            case_id=case.id,
            child_id=child_id,
            kind=ReminderKind.HANDOVER,
            due_at=out_of_quiet_hours(now, recipient.rhythm),
            status=ReminderStatus.PENDING,
            attempts=0,
            created_at=now,
            late=False,
        )
    )
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
                if reminder.is_open and reminder.kind in (
                    ReminderKind.FOLLOW_UP,
                    ReminderKind.REPORT_BACK,
                ):
                    reminder.leader_id = to_id
    for reminder in await session.scalars(
        select(Reminder).where(
            Reminder.case_id == case.id,
            Reminder.child_id.is_(None),
            Reminder.leader_id == old,
            Reminder.status.in_(OPEN_STATUSES),
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


async def team_open_cases(
    session: AsyncSession, team: Team, viewer_id: int, limit: int
) -> tuple[Sequence[Case], set[int], int]:
    """Open cases of the team's members, oldest first, at most ``limit``.

    Also which of them ``viewer_id`` may see (their own or shared with them), and how
    many open cases there are in all.
    """
    members = [m.leader_id for m in team.members]
    where = (Case.leader_id.in_(members), Case.closed_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(Case).where(*where)) or 0
    found = (await session.scalars(select(Case).where(*where).order_by(Case.id).limit(limit))).all()
    visible = await session.scalars(
        select(Case.id).where(Case.id.in_([c.id for c in found]), can_see(viewer_id))
    )
    return found, set(visible.all()), total


async def ask_new_year(session: AsyncSession, now: datetime) -> int:
    """At a team's working-year start, ask each member about each of their open cases.

    One reminder per open case of every member ("hand it over, close it, or keep
    it?"), once per year and team; a case already asked about is not asked twice
    (a leader in two teams). Returns how many reminders were planned.
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
        asked = select(Reminder.case_id).where(
            Reminder.kind == ReminderKind.NEW_YEAR, Reminder.status.in_(OPEN_STATUSES)
        )
        open_cases = await session.scalars(
            select(Case).where(
                Case.leader_id.in_(members), Case.closed_at.is_(None), Case.id.not_in(asked)
            )
        )
        for case in open_cases.all():
            leader = await session.get(Leader, case.leader_id)
            assert leader is not None
            session.add(
                Reminder(
                    leader_id=case.leader_id,
                    case_id=case.id,
                    kind=ReminderKind.NEW_YEAR,
                    due_at=out_of_quiet_hours(now, leader.rhythm),
                    status=ReminderStatus.PENDING,
                    attempts=0,
                    created_at=now,
                    late=False,
                )
            )
            planned += 1
        await session.flush()
    return planned


async def orphaned_cases(session: AsyncSession, team: Team, leader_id: int) -> Sequence[Case]:
    """The leader's open cases shared in ``team``: they would be orphaned by leaving it."""
    found = await session.scalars(
        select(Case)
        .where(
            Case.leader_id == leader_id,
            Case.closed_at.is_(None),
            Case.id.in_(select(CaseShare.case_id).where(CaseShare.team_id == team.id)),
        )
        .order_by(Case.id)
    )
    return found.all()


async def successor(session: AsyncSession, case: Case) -> int | None:
    """Who takes a shared case over when its leader erases their data.

    A co-leader who follows one of its children up, else a coordinator among those it is
    shared with, else the first of them; ``None`` when it is shared with nobody.
    """
    others = [i for i in await sharers(session, case) if i != case.leader_id]
    if not others:
        return None
    following = [c.responsibility.leader_id for c in case.children if c.responsibility]
    for leader_id in following:
        if leader_id in others:
            return leader_id
    coordinators = set(
        (
            await session.scalars(
                select(TeamMember.leader_id).where(
                    TeamMember.leader_id.in_(others), TeamMember.role == TeamRole.COORDINATOR
                )
            )
        ).all()
    )
    return next((i for i in others if i in coordinators), others[0])


@dataclass(frozen=True)
class ErasurePlan:
    """What a leader's /delete does beyond their own data, said before they confirm."""

    passed_on: list[tuple[Case, str]]
    """Each shared open case, and the name of the co-leader it passes to."""
    teams_ended: list[str]
    """Teams whose last coordinator the leader is: erased with them."""


async def erasure_plan(session: AsyncSession, leader_id: int) -> ErasurePlan:
    """What erasing ``leader_id`` would do to shared cases and teams."""
    own = await session.scalars(
        select(Case).where(Case.leader_id == leader_id, Case.closed_at.is_(None)).order_by(Case.id)
    )
    passed_on = []
    for case in own.all():
        heir = await successor(session, case)
        if heir is not None:
            shown = await session.scalar(
                select(TeamMember.display_name).where(TeamMember.leader_id == heir).limit(1)
            )
            passed_on.append((case, shown or "?"))
    ended = [m.team.name for m in await teams_of(session, leader_id) if _last_coordinator(m)]
    return ErasurePlan(passed_on, ended)


def _last_coordinator(membership: TeamMember) -> bool:
    coordinators = [m for m in membership.team.members if m.role == TeamRole.COORDINATOR]
    return [m.leader_id for m in coordinators] == [membership.leader_id]


async def before_erasure(session: AsyncSession, leader_id: int, now: datetime) -> None:
    """Hand the leader's shared cases to their co-leaders, then end the teams they lead.

    What only the leader holds is then erased with them (``bot.storage.privacy``). The
    follow-ups others handed to them go back to each case's own leader first, so the
    erasure takes no reminder of another leader's case with it.
    """
    own = await session.scalars(
        select(Case).where(Case.leader_id == leader_id, Case.closed_at.is_(None)).order_by(Case.id)
    )
    for case in own.all():
        heir = await successor(session, case)
        if heir is None:
            continue
        await hand_case_over(session, case, heir, now)
        record(session, case.id, EventKind.PASSED_ON, leader_id, now, other=heir)
    others = await session.scalars(
        select(Reminder).where(
            Reminder.leader_id == leader_id,
            Reminder.status.in_(OPEN_STATUSES),
            Reminder.kind.in_((ReminderKind.FOLLOW_UP, ReminderKind.REPORT_BACK)),
            Reminder.case_id.in_(select(Case.id).where(Case.leader_id != leader_id)),
        )
    )
    for reminder in others.all():
        owner = await session.scalar(select(Case.leader_id).where(Case.id == reminder.case_id))
        assert owner is not None
        reminder.leader_id = owner
    for membership in await teams_of(session, leader_id):
        if _last_coordinator(membership):
            await session.delete(membership.team)
    await session.flush()
