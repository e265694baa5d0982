"""Cases of a leader: every query checks that the case is the leader's own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.storage.models import Agreement, Case, Child, Leader
from flows.case import Consent, Role


async def owned_case(session: AsyncSession, leader: Leader, case_id: int | None) -> Case | None:
    """The case ``case_id`` if it belongs to ``leader``; ``None`` otherwise (never another's)."""
    if not case_id:
        return None
    return await session.scalar(select(Case).where(Case.id == case_id, Case.leader_id == leader.id))


async def load_many(
    session: AsyncSession, case_ids: set[int], child_ids: set[int] | None = None
) -> dict[int, Case]:
    """These cases with their children, agreements, follow-ups and reminders, by id.

    One query per table for all of them (the relationships load "selectin"), rather
    than one round per case. With ``child_ids``, each case's ``children`` holds only
    those of its children (the ones a batch of nudges is about), not the others: for a
    read that renders them and is thrown away, never for one that changes a case. The
    caller keeps the returned cases: the session holds its objects only weakly, so a
    case nobody refers to would be loaded again.
    """
    if not case_ids:
        return {}
    query = select(Case).where(Case.id.in_(case_ids))
    if child_ids is not None:
        query = query.options(selectinload(Case.children.and_(Child.id.in_(child_ids))))
    found = await session.scalars(query)
    return {case.id: case for case in found}


async def open_cases(
    session: AsyncSession,
    leader: Leader,
    offset: int,
    limit: int,
    *,
    before_id: int | None = None,
) -> tuple[Sequence[Case], int]:
    """A page of the leader's open cases, newest first, and how many there are in all.

    Both come from the index on (leader, closed, id) (``ix_cases_leader_open``): the
    count reads no case, and the page is a keyset page, the open cases older than
    ``before_id`` (the last case of the page before). Without ``before_id`` the page
    starts after ``offset`` open cases: that boundary is looked up in the index, and
    only the page's own cases are read.
    """
    where = (Case.leader_id == leader.id, Case.closed_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(Case).where(*where)) or 0
    if before_id is None and offset > 0:
        before_id = await session.scalar(
            select(Case.id).where(*where).order_by(Case.id.desc()).offset(offset - 1).limit(1)
        )
        if before_id is None:
            return [], total
    keyset = () if before_id is None else (Case.id < before_id,)
    page = await session.scalars(
        select(Case).where(*where, *keyset).order_by(Case.id.desc()).limit(limit)
    )
    return page.all(), total


def new_case(
    session: AsyncSession, leader: Leader, victim_nickname: str, mask: int | None, now: datetime
) -> Case:
    """A new open case for ``leader``."""
    case = Case(
        leader_id=leader.id,
        victim_nickname=victim_nickname,
        criteria_mask=mask,
        consent=Consent.NOT_ASKED,
        created_at=now,
        updated_at=now,
        children=[],
    )
    session.add(case)
    return case


def add_child(case: Case, nickname: str) -> Child:
    """A child who bullies (the role can be changed right after) added to ``case``."""
    child = Child(
        nickname=nickname,
        role=Role.PESTER,
        position=len(case.children),
        witnessed=True,
        agreements=[],
    )
    case.children.append(child)
    return child


def add_agreement(child: Child, text: str, now: datetime) -> Agreement:
    """Record one thing the child proposed to do."""
    agreement = Agreement(text=text, created_at=now)
    child.agreements.append(agreement)
    return agreement


def child_of(case: Case, child_id: int | None) -> Child | None:
    """The child ``child_id`` of ``case`` (``None`` for a child of another case)."""
    return next((c for c in case.children if c.id == child_id), None)
