"""What a leader's erasure does to others: shared cases pass on, teams they lead end.

What only the leader holds is then erased with them (``bot.storage.privacy``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.handovers import hand_case_over
from bot.storage.history import EventKind, record
from bot.storage.models import Case, Reminder, TeamMember
from bot.storage.teams import teams_of
from bot.storage.visibility import sharers
from flows.follow_up import OPEN_STATUSES, ReminderKind
from flows.team import TeamRole


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
