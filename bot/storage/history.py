"""Each case's history: the timeline to show, and the names in it.

Every event a leader sends into a case answers the history lines it causes
(consent, a talk held, each agreement, each follow-up's outcome, reporting back,
closing, the choices made when the protocol does not fit); ``bot.handlers.case_event``
writes them with the leader who made them. Shares, escalations and hand-overs are
written where they happen (``bot.storage.teams``). Lines carry ids and short values,
never a text typed about a child.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import CaseEvent, Team, TeamMember


async def timeline(session: AsyncSession, case_id: int) -> Sequence[CaseEvent]:
    """The case's history, oldest first."""
    found = await session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)
    )
    return found.all()


async def names(session: AsyncSession, leader_ids: set[int]) -> dict[int, str]:
    """How a team knows each of these leaders (the name they joined a team with)."""
    if not leader_ids:
        return {}
    found = await session.execute(
        select(TeamMember.leader_id, TeamMember.display_name)
        .where(TeamMember.leader_id.in_(leader_ids))
        .order_by(TeamMember.id)
    )
    return {leader_id: shown for leader_id, shown in found.all()}


async def team_names(session: AsyncSession, team_ids: set[int]) -> dict[int, str]:
    """The names of these teams."""
    if not team_ids:
        return {}
    found = await session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids)))
    return {team_id: team_name for team_id, team_name in found.all()}
