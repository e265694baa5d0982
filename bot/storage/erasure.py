"""What a leader's erasure does to others: shared cases pass on, they leave their teams.

What only the leader holds is then erased with them (``bot.storage.privacy``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.handovers import hand_case_over
from bot.storage.history import EventKind, record
from bot.storage.models import Case, Reminder, TeamMember
from bot.storage.notices import tell
from bot.storage.teams import remove_member, teams_of
from bot.storage.visibility import sharers
from flows.follow_up import CHILD_FOLLOW_UP_KINDS, OPEN_STATUSES
from flows.team import Membership, TeamRole, may_leave


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
    """Teams the leader is the last member of: erased with them."""
    needs_coordinator: list[TeamMember]
    """The leader's memberships of teams with other members they are the only
    coordinator of: someone else becomes coordinator first, as before leaving."""


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
    memberships = await teams_of(session, leader_id)
    ended = [m.team.name for m in memberships if len(m.team.members) == 1]
    return ErasurePlan(passed_on, ended, _needs_coordinator(memberships))


def _needs_coordinator(memberships: Sequence[TeamMember]) -> list[TeamMember]:
    """The memberships whose team would be left without a coordinator."""
    return [
        m
        for m in memberships
        if not may_leave(
            [Membership(o.leader_id, TeamRole(o.role)) for o in m.team.members], m.leader_id
        )
    ]


async def before_erasure(session: AsyncSession, leader_id: int, now: datetime) -> bool:
    """Hand the leader's shared cases to their co-leaders, then take them out of their
    teams as leaving does; whether it could (not while they are a team's only
    coordinator: someone else becomes coordinator first).

    What only the leader holds is then erased with them (``bot.storage.privacy``). The
    follow-ups others handed to them go back to each case's own leader first, so the
    erasure takes no reminder of another leader's case with it. Every leader who sees a
    case that passes on, and every one a case of a team goes back to, is told.
    """
    memberships = await teams_of(session, leader_id)
    if _needs_coordinator(memberships):
        return False
    own = await session.scalars(
        select(Case).where(Case.leader_id == leader_id, Case.closed_at.is_(None)).order_by(Case.id)
    )
    for case in own.all():
        heir = await successor(session, case)
        if heir is None:
            continue
        await hand_case_over(session, case, heir, now)
        passed = record(session, case.id, EventKind.PASSED_ON, leader_id, now, other=heir)
        await session.flush()
        await tell(session, await sharers(session, case), passed, now)
    others = await session.scalars(
        select(Reminder).where(
            Reminder.leader_id == leader_id,
            Reminder.status.in_(OPEN_STATUSES),
            Reminder.kind.in_(CHILD_FOLLOW_UP_KINDS),
            Reminder.case_id.in_(select(Case.id).where(Case.leader_id != leader_id)),
        )
    )
    for reminder in others.all():
        owner = await session.scalar(select(Case.leader_id).where(Case.id == reminder.case_id))
        assert owner is not None
        reminder.leader_id = owner
    for membership in memberships:
        # As leaving: the team's cases they still hold go back, and both sides are told;
        # the last member out ends the team.
        await remove_member(session, membership.team, membership, now)
    await session.flush()
    return True
