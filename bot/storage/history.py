"""Each case's history: who did what when, written as it happens.

One table holds it (``case_events``, read as ``Case.history``): /history, the
print-ready document and /export all read it. The protocol's records say what is
recorded, not who recorded it. So around every event a leader sends into a case
(``bot.handlers.case.act``) a small snapshot of the records is compared before and
after, and each change becomes a line with the leader who made it: consent, a talk
held, each agreement, each follow-up's outcome, reporting back, closing. The choices
the protocol records (``CaseRows.add_history``), shares, escalations and hand-overs
are written where they happen, through :func:`record`. Lines carry ids and short
values, never a text typed about a child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Case, CaseEvent, Team, TeamMember
from flows.history import HistoryKind


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
    # What the leader chose (flows.history), with the choice as the line's detail.
    APPROACH = HistoryKind.APPROACH.value
    STEP1 = HistoryKind.STEP1.value
    NEXT_STEP = HistoryKind.NEXT_STEP.value


def record(
    session: AsyncSession,
    case_id: int,
    kind: EventKind,
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


@dataclass(frozen=True)
class _ChildSnapshot:
    held: bool
    agreements: int
    rounds: int
    reported_back: bool
    consent: str


@dataclass(frozen=True)
class Snapshot:
    """What of a case the history follows, at one moment."""

    closed: bool
    children: dict[int, _ChildSnapshot]


def snapshot(case: Case) -> Snapshot:
    """The case as it stands now."""
    return Snapshot(
        closed=case.closed_at is not None,
        children={
            child.id: _ChildSnapshot(
                held=child.held_at is not None,
                agreements=len(child.agreements),
                rounds=len(child.follow_ups),
                reported_back=child.reported_back_at is not None,
                consent=child.consent,
            )
            for child in case.children
            if child.id is not None
        },
    )


def note_changes(
    session: AsyncSession, case: Case, before: Snapshot, actor: int, now: datetime
) -> None:
    """A line in the history for each thing ``actor`` just changed in ``case``."""

    def note(kind: EventKind, child_id: int | None = None, detail: str | None = None) -> None:
        record(session, case.id, kind, actor, now, child_id=child_id, detail=detail)

    for child in case.children:
        was = before.children.get(child.id)
        if was is None:
            continue  # added just now: nothing of it to note yet (and nothing loaded)
        if child.consent != was.consent:
            note(EventKind.CONSENT, child.id, child.consent)
        if child.held_at is not None and not was.held:
            note(EventKind.TALK_HELD, child.id)
        for _ in range(len(child.agreements) - was.agreements):
            note(EventKind.AGREEMENT, child.id)
        for round_ in child.follow_ups[was.rounds :]:
            note(EventKind.OUTCOME, child.id, round_.outcome)
        if child.reported_back_at is not None and not was.reported_back:
            note(EventKind.REPORTED_BACK, child.id)
    if case.closed_at is not None and not before.closed:
        note(EventKind.CLOSED)


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
