"""Teams in the database: who is in which team, and the links that invite a leader in.

A leader leaving a team, or being removed from it, loses at once every share that
reached them through it (see ``bot.storage.visibility``); their open cases shared in
the team are offered to a coordinator (``bot.storage.handovers``), so none is orphaned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.storage.handovers import offer_handover
from bot.storage.models import (
    Case,
    CaseShare,
    Child,
    Handover,
    Reminder,
    Responsibility,
    Team,
    TeamInvite,
    TeamMember,
)
from bot.storage.visibility import can_see
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
        session.add(CaseShare(case_id=case.id, team_id=team.id, leader_id=hand_to))
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
