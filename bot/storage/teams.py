"""Teams in the database: who is in which team, and the links that invite a leader in.

A leader leaving a team, or being removed from it, loses at once every share that
reached them through it (see ``bot.storage.visibility``); the team's open cases they
are responsible for go back to whoever handed them over, or to a coordinator
(``bot.storage.handovers``), so none is orphaned and none stays with them. Who is out
is a line of the team's own history, told to them (if removed) and the coordinators.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.storage.handovers import hand_case_over
from bot.storage.history import EventKind, record
from bot.storage.models import (
    Case,
    CaseEvent,
    CaseShare,
    Child,
    Handover,
    Reminder,
    Responsibility,
    Team,
    TeamInvite,
    TeamMember,
)
from bot.storage.notices import tell
from bot.storage.visibility import can_see, sees
from flows.follow_up import OPEN_STATUSES, ReminderKind, ReminderStatus
from flows.team import (
    DEFAULT_ESCALATION_HOURS,
    DEFAULT_YEAR_START_MONTH,
    INVITE_LIFETIME,
    TeamRole,
    invite_usable,
    last_year_start,
    new_token,
    token_hash,
)

#: A membership with its team and the team's members, loaded in the same round.
_WITH_TEAM = selectinload(TeamMember.team).selectinload(Team.members)


#: How long a leader's Telegram name may be as the team sees it.
DISPLAY_NAME_MAX = 64


def display_name(first_name: str | None) -> str:
    """The name a team knows a leader by: their Telegram first name, on one line."""
    name = " ".join((first_name or "").split())[:DISPLAY_NAME_MAX]
    return name or "?"


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


async def invite_known(session: AsyncSession, token: str) -> bool:
    """Whether ``token`` is a link of a team at all (one that expired is still known; a
    revoked or replaced one is not: it is gone as if it never was)."""
    found = await session.scalar(
        select(TeamInvite.id).where(TeamInvite.token_hash == token_hash(token))
    )
    return found is not None


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
    by: int | None = None,
) -> int:
    """``gone`` is out of ``team`` at once, with every share that reached them through it.

    Every open case of the team they are responsible for goes back: to the leader who
    handed it to them in the team, if still in it, or else to ``hand_to`` (a
    coordinator) or another coordinator; nothing of it stays visible to them. Shares of
    their own cases in the team end too, and so do shares naming them; the cases of
    others they saw through the team are out of their sight. ``by``: the coordinator who
    removed them (``None``: they left).

    Each case's history says so, and whoever a case went back to, and each case's own
    leader, is told. The team's own history says who is out (a line without a case,
    ``EventKind.OUT_OF_TEAM``). Someone removed is told that once, by whom, with how many
    cases they held and saw there, and not once more for each case; someone who left
    hears about each case (they pressed it themselves, the cases are what is new). The
    coordinators are told who is out, except the one who removed them and one already
    told through a case. The last member out ends the team. Returns how many cases went
    back.
    """
    removed = by is not None and by != gone.leader_id
    held = await orphaned_cases(session, team, gone.leader_id)
    seen_here = (
        await session.scalars(
            select(Case.id)
            .where(
                Case.leader_id != gone.leader_id,
                Case.closed_at.is_(None),
                Case.id.in_(
                    select(CaseShare.case_id).where(
                        CaseShare.team_id == team.id,
                        or_(CaseShare.leader_id.is_(None), CaseShare.leader_id == gone.leader_id),
                    )
                ),
            )
            .order_by(Case.id)
        )
    ).all()
    handed_back = []
    for case in held:
        heir = await _heir(session, team, gone, case, hand_to)
        if heir is None:
            continue
        await hand_case_over(session, case, heir, now)
        handed_back.append(
            record(
                session,
                case.id,
                EventKind.HANDED_BACK,
                gone.leader_id,
                now,
                other=heir,
                team_id=team.id,
            )
        )
    await session.flush()
    own_cases = select(Case.id).where(Case.leader_id == gone.leader_id)
    await session.execute(
        delete(CaseShare).where(
            CaseShare.team_id == team.id,
            or_(CaseShare.leader_id == gone.leader_id, CaseShare.case_id.in_(own_cases)),
        )
    )
    team.members.remove(gone)
    await session.flush()
    await _after_leaving(session, gone.leader_id)
    told_of_a_case: set[int | None] = set()
    for line in handed_back:
        await tell(
            session, [line.other_id] if removed else [line.other_id, line.actor_id], line, now
        )
        told_of_a_case.add(line.other_id)
    lost = [case_id for case_id in seen_here if not await sees(session, gone.leader_id, case_id)]
    for number, case_id in enumerate(lost):
        out = record(
            session,
            case_id,
            EventKind.LEFT_TEAM,
            by or gone.leader_id,
            now,
            other=gone.leader_id,
            team_id=team.id,
            detail=str(len(lost)),
        )
        owner = await session.scalar(select(Case.leader_id).where(Case.id == case_id))
        # Who left hears it once, with how many; each case's own leader for their case.
        await tell(session, [gone.leader_id] if number == 0 and not removed else [], out, now)
        await tell(session, [owner], out, now)
        told_of_a_case.add(owner)
    if not team.members:
        await session.delete(team)
        return len(handed_back)
    line = record(
        session,
        None,
        EventKind.OUT_OF_TEAM,
        by or gone.leader_id,
        now,
        other=gone.leader_id,
        team_id=team.id,
        detail=f"{len(handed_back)}:{len(lost)}",
    )
    coordinators = [
        m.leader_id
        for m in team.members
        if m.role == TeamRole.COORDINATOR and m.leader_id not in told_of_a_case | {by}
    ]
    await tell(session, [gone.leader_id] if removed else [], line, now)
    await tell(session, coordinators, line, now)
    return len(handed_back)


async def _heir(
    session: AsyncSession, team: Team, gone: TeamMember, case: Case, hand_to: int | None
) -> int | None:
    """Who a case ``gone`` held in ``team`` goes back to: whoever handed it to them in the
    team if still in it, else ``hand_to``, else another coordinator."""
    staying = {m.leader_id: m for m in team.members if m.id != gone.id}
    giver = await session.scalar(
        select(CaseEvent.other_id)
        .where(
            CaseEvent.case_id == case.id,
            CaseEvent.kind == EventKind.HANDOVER_ACCEPTED,
            CaseEvent.child_id.is_(None),
            CaseEvent.actor_id == gone.leader_id,
            CaseEvent.team_id == team.id,
        )
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        .limit(1)
    )
    if giver is not None and giver in staying:
        return giver
    if hand_to is not None and hand_to in staying:
        return hand_to
    return next(
        (i for i, m in staying.items() if m.role == TeamRole.COORDINATOR),
        None,
    )


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
            # What they are told about it still reaches them, without the children's names.
            Reminder.kind != ReminderKind.NOTICE,
        )
    )
    for reminder in stranded:
        if reminder.kind in (ReminderKind.ESCALATION, ReminderKind.HANDOVER):
            reminder.status = ReminderStatus.CANCELLED
        else:
            owner = await session.scalar(select(Case.leader_id).where(Case.id == reminder.case_id))
            assert owner is not None
            reminder.leader_id = owner


async def orphaned_cases(session: AsyncSession, team: Team, leader_id: int) -> Sequence[Case]:
    """The team's open cases the leader is responsible for: every case that was ever
    shared, offered or handed over in ``team`` (it has a line of the team in its history),
    even if no share is left now. They go back when the leader leaves it, so a case the
    team once saw never stays with someone outside the team."""
    found = await session.scalars(
        select(Case)
        .where(
            Case.leader_id == leader_id,
            Case.closed_at.is_(None),
            or_(
                Case.id.in_(select(CaseShare.case_id).where(CaseShare.team_id == team.id)),
                Case.id.in_(select(CaseEvent.case_id).where(CaseEvent.team_id == team.id)),
            ),
        )
        .order_by(Case.id)
    )
    return found.all()


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
