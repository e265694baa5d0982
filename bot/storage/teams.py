"""Teams in the database: members, invitations, shared cases and each case's history.

Who may see a case is one SQL condition, :func:`can_see`: the case's own leader, or a
leader who is *now* a member of a team the case is shared in, with the whole team or
with them by name. Every case button and typed answer goes through it (see
``bot.storage.cases.visible_case``), so leaving a team or being removed from it takes
effect at the next press.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.storage.models import Case, CaseEvent, CaseShare, Team, TeamInvite, TeamMember
from flows.team import (
    INVITE_LIFETIME,
    TeamRole,
    invite_usable,
    new_token,
    token_hash,
)

#: A membership with its team and the team's members, loaded in the same round.
_WITH_TEAM = selectinload(TeamMember.team).selectinload(Team.members)
#: How long a leader's Telegram name may be as the team sees it.
DISPLAY_NAME_MAX = 64


class EventKind(StrEnum):
    """What a line of a case's history says happened."""

    SHARED = "shared"
    UNSHARED = "unshared"


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
    team = Team(name=name, created_at=now, members=[])
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


async def remove_member(session: AsyncSession, team: Team, gone: TeamMember) -> None:
    """``gone`` is out of ``team`` at once, with every share that reached them through it.

    Shares of their own cases in the team end too (a case is shared by its leader as a
    member), and so do shares naming them. The last member out ends the team.
    """
    own_cases = select(Case.id).where(Case.leader_id == gone.leader_id)
    await session.execute(
        delete(CaseShare).where(
            CaseShare.team_id == team.id,
            or_(CaseShare.leader_id == gone.leader_id, CaseShare.case_id.in_(own_cases)),
        )
    )
    team.members.remove(gone)
    await session.flush()
    if not team.members:
        await session.delete(team)


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
    kind: EventKind,
    actor: int | None,
    now: datetime,
    *,
    other: int | None = None,
    team_id: int | None = None,
) -> None:
    """One line in the case's history."""
    session.add(
        CaseEvent(
            case_id=case_id, at=now, kind=kind, actor_id=actor, other_id=other, team_id=team_id
        )
    )
