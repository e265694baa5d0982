"""Who may see a case: its own leader, and the co-leaders it is shared with.

Who may see a case is one SQL condition, :func:`can_see`: the case's own leader, or a
leader who is *now* a member of a team the case is shared in, with the whole team or
with them by name. Every case button and typed answer goes through it (see
``bot.storage.cases.visible_case``), so leaving a team or being removed from it takes
effect at the next press.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.history import EventKind, record
from bot.storage.models import Case, CaseEvent, CaseShare, TeamMember


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


async def shared_with(session: AsyncSession, leader_id: int) -> Sequence[Case]:
    """Open cases of other leaders that ``leader_id`` can see through a team, newest first."""
    found = await session.scalars(
        select(Case)
        .where(Case.leader_id != leader_id, Case.closed_at.is_(None), can_see(leader_id))
        .order_by(Case.id.desc())
    )
    return found.all()


async def shared_through(
    session: AsyncSession, leader_id: int, case_ids: Sequence[int]
) -> dict[int, list[int]]:
    """For each of these cases, the teams (ids, oldest first) through which ``leader_id``
    sees it now."""
    found = await session.execute(
        select(CaseShare.case_id, CaseShare.team_id)
        .join(
            TeamMember,
            and_(TeamMember.team_id == CaseShare.team_id, TeamMember.leader_id == leader_id),
        )
        .where(
            CaseShare.case_id.in_(case_ids),
            or_(CaseShare.leader_id.is_(None), CaseShare.leader_id == leader_id),
        )
        .order_by(CaseShare.team_id)
    )
    through: dict[int, list[int]] = {}
    for case_id, team_id in found.all():
        if team_id not in through.setdefault(case_id, []):
            through[case_id].append(team_id)
    return through


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
        session.add(CaseShare(case_id=case.id, team_id=team_id, leader_id=leader_id))
    record(session, case.id, kind, actor, now, other=leader_id, team_id=team_id)
    return not existing


#: The detail of a ``SHARED`` line written because the case was offered to the leader.
FOR_OFFER = "for_offer"


def share_for_offer(
    session: AsyncSession, case: Case, team_id: int, leader_id: int, actor: int, now: datetime
) -> None:
    """``leader_id`` is offered the case and sees it from now on, by name, in the team."""
    session.add(CaseShare(case_id=case.id, team_id=team_id, leader_id=leader_id))
    record(
        session,
        case.id,
        EventKind.SHARED,
        actor,
        now,
        other=leader_id,
        team_id=team_id,
        detail=FOR_OFFER,
    )


async def end_offer_share(
    session: AsyncSession, case: Case, team_id: int, leader_id: int, actor: int, now: datetime
) -> bool:
    """Declining undoes what the offer opened: the share by name that came with it ends.

    Only if the last share or unshare of the case with ``leader_id`` in the team was the
    offer's own: a share made on purpose before or since stays. Whether it ended.
    """
    last = await session.scalar(
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case.id,
            CaseEvent.team_id == team_id,
            CaseEvent.other_id == leader_id,
            CaseEvent.kind.in_((EventKind.SHARED, EventKind.UNSHARED)),
        )
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        .limit(1)
    )
    if last is None or last.kind != EventKind.SHARED or last.detail != FOR_OFFER:
        return False
    same = and_(
        CaseShare.case_id == case.id,
        CaseShare.team_id == team_id,
        CaseShare.leader_id == leader_id,
    )
    if await session.scalar(select(CaseShare.id).where(same)) is None:
        return False
    await session.execute(delete(CaseShare).where(same))
    record(session, case.id, EventKind.UNSHARED, actor, now, other=leader_id, team_id=team_id)
    return True


async def keep_sight(
    session: AsyncSession, case: Case, team_id: int, leader_id: int, actor: int, now: datetime
) -> None:
    """``leader_id`` handed ``case`` over and keeps seeing it: shared with them by name in
    the team, if they are still in it and see it no other way."""
    member = await session.scalar(
        select(TeamMember.id).where(
            TeamMember.team_id == team_id, TeamMember.leader_id == leader_id
        )
    )
    if member is None or await sees(session, leader_id, case.id):
        return
    session.add(CaseShare(case_id=case.id, team_id=team_id, leader_id=leader_id))
    record(session, case.id, EventKind.SHARED, actor, now, other=leader_id, team_id=team_id)
