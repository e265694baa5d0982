"""Cases of a leader: every query checks that the case is the leader's own or shared with them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.storage import reminders, visibility
from bot.storage.models import Agreement, Case, Child, FollowUp, Leader
from flows.case import NO_ROLE, AgreementRecord, CaseRecord, ChildRecord, Consent, RoundRecord
from flows.follow_up import Outcome, ReminderKind


async def owned_case(session: AsyncSession, leader: Leader, case_id: int | None) -> Case | None:
    """The case ``case_id`` if it belongs to ``leader``; ``None`` otherwise (never another's)."""
    if not case_id:
        return None
    return await session.scalar(select(Case).where(Case.id == case_id, Case.leader_id == leader.id))


async def visible_case(session: AsyncSession, leader: Leader, case_id: int | None) -> Case | None:
    """The case ``case_id`` if ``leader`` may act on it now: their own, or shared with them.

    Shared means: in a team the leader is a member of at this moment, with the whole
    team or with them by name (see ``bot.storage.visibility.can_see``).
    """
    if not case_id:
        return None
    return await session.scalar(
        select(Case).where(Case.id == case_id, visibility.can_see(leader.id))
    )


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
        created_at=now,
        updated_at=now,
        children=[],
    )
    session.add(case)
    return case


def add_child(case: Case, nickname: str) -> Child:
    """A child added to ``case``; the leader picks whether they bully or join in."""
    child = Child(
        nickname=nickname,
        role=NO_ROLE,
        consent=Consent.NOT_ASKED,
        position=max((c.position for c in case.children), default=-1) + 1,
        witnessed=None,
        agreements=[],
    )
    case.children.append(child)
    return child


def child_of(case: Case, child_id: int | None) -> Child | None:
    """The child ``child_id`` of ``case`` (``None`` for a child of another case)."""
    return next((c for c in case.children if c.id == child_id), None)


class CaseRows:
    """The protocol's new records (``flows.moment.Records``) as rows of one session.

    The protocol makes records synchronously; erasing a closed case's reminders is
    a statement of its own, run by :meth:`flush` with the rest.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._erase: list[Case] = []

    def add_child(self, case: CaseRecord, nickname: str) -> ChildRecord:
        """A new child at the end of ``case``."""
        assert isinstance(case, Case)
        return add_child(case, nickname)

    def add_agreement(
        self, child: ChildRecord, text: str, round_: RoundRecord | None, now: datetime
    ) -> None:
        """One thing the child proposed to do, in step 2 or at a follow-up."""
        assert isinstance(child, Child)
        follow_up_id = None if round_ is None else round_.id
        child.agreements.append(Agreement(text=text, created_at=now, follow_up_id=follow_up_id))

    def add_round(
        self, child: ChildRecord, outcome: Outcome, previous_choice: str | None, now: datetime
    ) -> RoundRecord:
        """A follow-up talk and its outcome."""
        assert isinstance(child, Child)
        round_ = FollowUp(outcome=outcome, recorded_at=now, previous_choice=previous_choice)
        child.follow_ups.append(round_)
        return round_

    def plan_reminder(
        self,
        case: CaseRecord,
        child: ChildRecord,
        kind: ReminderKind,
        due_at: datetime,
        now: datetime,
        choice: str | None = None,
    ) -> None:
        """A new pending reminder (an open one of that kind is cancelled)."""
        assert isinstance(case, Case) and isinstance(child, Child)
        reminders.plan(self.session, case, child, kind, due_at, now, choice)

    def erase_reminders(self, case: CaseRecord) -> None:
        """Every reminder of ``case``, erased at :meth:`flush`."""
        assert isinstance(case, Case)
        self._erase.append(case)

    def remove_agreement(self, child: ChildRecord, agreement: AgreementRecord) -> None:
        """An agreement the leader deleted (its row goes at the flush)."""
        assert isinstance(child, Child) and isinstance(agreement, Agreement)
        child.agreements.remove(agreement)

    def remove_child(self, case: CaseRecord, child: ChildRecord) -> None:
        """A child added by mistake, with everything recorded for them."""
        assert isinstance(case, Case) and isinstance(child, Child)
        # Its history goes with it (ON DELETE CASCADE).
        case.children.remove(child)

    async def flush(self) -> None:
        """Write what the protocol changed, so new rows have their ids."""
        for case in self._erase:
            await reminders.erase_all(self.session, case)
        self._erase.clear()
        await self.session.flush()
