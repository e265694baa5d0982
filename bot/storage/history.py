"""Each case's history: who did what when, written as it happens.

One table holds it (``case_events``, read as ``Case.history``): /history, the
print-ready document and /export all read it. Every event a leader sends into a case
answers the lines it causes (``flows.history``: consent, a talk held, each agreement,
each follow-up's outcome, reporting back, closing, and the choices made when the
protocol does not fit); ``bot.handlers.case_event`` writes them with the leader who
sent it. Shares, escalations and hand-overs are written where they happen. All go
through :func:`record`. Lines carry ids and short values, never a text typed about a
child. A line without a case belongs to a team's own history (a member out of it): the
same table, so a notice points at it as at any line (``bot.storage.notices``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import CaseEvent, Team, TeamMember
from flows.history import HistoryKind


class EventKind(StrEnum):
    """What a line of a case's history says happened."""

    CREATED = "created"
    # What the protocol's events cause (flows.history).
    CONSENT = HistoryKind.CONSENT.value
    TALK_HELD = HistoryKind.TALK_HELD.value
    AGREEMENT = HistoryKind.AGREEMENT.value
    OUTCOME = HistoryKind.OUTCOME.value
    REPORTED_BACK = HistoryKind.REPORTED_BACK.value
    AGREEMENT_ENDED = HistoryKind.AGREEMENT_ENDED.value
    AGREEMENT_STANDS = HistoryKind.AGREEMENT_STANDS.value
    CLOSED = HistoryKind.CLOSED.value
    ROLE = HistoryKind.ROLE.value
    SHARED = "shared"
    UNSHARED = "unshared"
    ESCALATED = "escalated"
    TOOK_OVER = "took_over"
    HANDOVER_OFFERED = "handover_offered"
    HANDOVER_ACCEPTED = "handover_accepted"
    HANDOVER_DECLINED = "handover_declined"
    PASSED_ON = "passed_on"
    # A member out of the team: a case they held in it went back (to ``other``).
    HANDED_BACK = "handed_back"
    # A member out of the team (``other``; ``actor`` who removed them, or they themselves):
    # a case of another shared with them there is no longer visible to them. The detail
    # is how many such cases they lost sight of at once.
    LEFT_TEAM = "left_team"
    # A line of the team's own history (no case): ``other`` is out of the team, removed
    # by ``actor`` or gone of their own accord (``actor`` is ``other``). The detail is
    # how many of the team's cases they held and how many they saw there ("held:seen").
    OUT_OF_TEAM = "out_of_team"
    # The new working year's question was asked of ``other`` (the year as detail), and
    # how the case's leader answered it (``keep``, ``hand_over`` or ``close``).
    YEAR_ASKED = "year_asked"
    YEAR_ANSWERED = "year_answered"
    # What the leader chose (flows.history), with the choice as the line's detail.
    APPROACH = HistoryKind.APPROACH.value
    STEP1 = HistoryKind.STEP1.value
    NEXT_STEP = HistoryKind.NEXT_STEP.value


def record(
    session: AsyncSession,
    case_id: int | None,
    kind: EventKind | HistoryKind,
    actor: int | None,
    now: datetime,
    *,
    other: int | None = None,
    team_id: int | None = None,
    child_id: int | None = None,
    detail: str | None = None,
) -> CaseEvent:
    """One line in the case's history (``case_id`` ``None``: in the team's, ``team_id``)."""
    line = CaseEvent(
        case_id=case_id,
        at=now,
        kind=kind,
        actor_id=actor,
        other_id=other,
        team_id=team_id,
        child_id=child_id,
        detail=detail,
    )
    session.add(line)
    return line


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


async def timeline(session: AsyncSession, case_id: int) -> Sequence[CaseEvent]:
    """The case's whole history, oldest first."""
    found = await session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)
    )
    return found.all()
