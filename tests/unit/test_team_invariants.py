"""The team's rule, checked after every step of random walks over the team's storage.

A case always has exactly one responsible leader, every leader who may see it is named
by an explicit share (or is that leader), and nothing of a team's cases is visible to
a leader outside the team — whatever members do in whatever order: make cases, share
and unshare them, offer and hand them over (keeping sight or not), accept or decline,
be removed, leave and join again. And whoever is removed is told, once.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import Integer, cast, select
from sqlalchemy.orm import selectinload

from bot.storage import cases, handovers, leaders, teams, visibility
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from bot.storage.history import EventKind, record
from bot.storage.models import (
    Base,
    Case,
    CaseEvent,
    CaseShare,
    Handover,
    Reminder,
    Team,
    TeamMember,
)
from flows.follow_up import ReminderKind
from tests.support.running_bot import TEST_DATA_KEY

START = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
#: A the coordinator, B and C co-leaders, D never in the team.
LEADERS = (1, 2, 3, 4)
COORDINATOR = 1
leader_ids = st.sampled_from(LEADERS)
#: Who acts in the team most of the time.
members_ids = st.sampled_from((1, 2, 3))
#: The lines that tell someone is out of the team: of the team, or of a case of it.
LEAVING = (EventKind.OUT_OF_TEAM, EventKind.LEFT_TEAM, EventKind.HANDED_BACK)


class TeamWalk(RuleBasedStateMachine):
    """One team, four leaders, the storage functions the team's buttons call."""

    def __init__(self) -> None:
        super().__init__()
        use_cipher(DataCipher((TEST_DATA_KEY,)))
        self.loop = asyncio.new_event_loop()
        self.folder = tempfile.mkdtemp()
        self.database = Database(f"sqlite+aiosqlite:///{Path(self.folder) / 'walk.sqlite3'}")
        self.now = START
        #: Who went out of the team in the last step: who, whether removed, and when.
        self.out: tuple[int, bool, datetime] | None = None
        self.run(self._setup())

    def run(self, step: Coroutine[Any, Any, None]) -> None:
        self.now += timedelta(minutes=1)
        self.loop.run_until_complete(step)

    def teardown(self) -> None:
        self.loop.run_until_complete(self.database.dispose())
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    async def _setup(self) -> None:
        async with self.database.engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        async with self.database.session() as session, session.begin():
            for leader_id in LEADERS:
                await leaders.get_or_create(session, leader_id, "nl", self.now)
            team = teams.create(session, COORDINATOR, "Kapoenen", "A", self.now)
            await session.flush()
            for leader_id in (2, 3):
                teams.add_member(team, leader_id, f"L{leader_id}", self.now)
            self.team_id = team.id

    async def _team(self, session: Any) -> Team:
        team = await session.scalar(
            select(Team).where(Team.id == self.team_id).options(selectinload(Team.members))
        )
        assert team is not None
        return team

    async def _members(self, session: Any) -> dict[int, TeamMember]:
        found = await session.scalars(select(TeamMember).where(TeamMember.team_id == self.team_id))
        return {m.leader_id: m for m in found}

    @rule(owner=members_ids)
    def new_case(self, owner: int) -> None:
        async def step() -> None:
            async with self.database.session() as session, session.begin():
                leader = await leaders.get_or_create(session, owner, "nl", self.now)
                case = cases.new_case(session, leader, "Lotte", None, self.now)
                await session.flush()
                record(session, case.id, EventKind.CREATED, owner, self.now)

        self.run(step())

    async def _own_case(self, session: Any, owner: int, pick: int) -> Case | None:
        owned = (
            await session.scalars(
                select(Case).where(Case.leader_id == owner, Case.closed_at.is_(None))
            )
        ).all()
        return owned[pick % len(owned)] if owned else None

    @rule(owner=members_ids, pick=st.integers(0, 2), whom=st.sampled_from((0, *LEADERS)))
    def share(self, owner: int, pick: int, whom: int) -> None:
        """The case's leader shares it in the team (0: the whole team), or stops."""

        async def step() -> None:
            async with self.database.session() as session, session.begin():
                members = await self._members(session)
                case = await self._own_case(session, owner, pick)
                if case is None or owner not in members or (whom and whom not in members):
                    return
                if whom == owner:
                    return
                await visibility.toggle_share(
                    session, case, self.team_id, whom or None, owner, self.now
                )

        self.run(step())

    @rule(owner=members_ids, pick=st.integers(0, 2), to=members_ids, keep=st.booleans())
    def offer(self, owner: int, pick: int, to: int, keep: bool) -> None:
        """The case's leader offers the whole case to a co-leader (as the button does)."""

        async def step() -> None:
            async with self.database.session() as session, session.begin():
                members = await self._members(session)
                case = await self._own_case(session, owner, pick)
                if case is None or owner not in members or to not in members or to == owner:
                    return
                if not await visibility.sees(session, to, case.id):
                    visibility.share_for_offer(session, case, self.team_id, to, owner, self.now)
                await handovers.offer_handover(
                    session, case, None, self.team_id, owner, to, self.now, keep
                )

        self.run(step())

    @rule(taker=members_ids, accept=st.booleans())
    def answer(self, taker: int, accept: bool) -> None:
        """The co-leader answers an offer made to them (as the button does)."""

        async def step() -> None:
            async with self.database.session() as session, session.begin():
                offer = await session.scalar(
                    select(Handover).where(Handover.to_id == taker, Handover.child_id.is_(None))
                )
                if offer is None:
                    return
                case = await cases.visible_case(
                    session,
                    await leaders.get_or_create(session, taker, "nl", self.now),
                    offer.case_id,
                )
                if case is None:
                    return
                members = await self._members(session)
                await session.delete(offer)
                if case.leader_id != offer.from_id or taker not in members:
                    return
                kind = EventKind.HANDOVER_ACCEPTED if accept else EventKind.HANDOVER_DECLINED
                record(
                    session,
                    case.id,
                    kind,
                    taker,
                    self.now,
                    other=offer.from_id,
                    team_id=offer.team_id,
                )
                if not accept:
                    await visibility.end_offer_share(
                        session, case, offer.team_id, taker, taker, self.now
                    )
                    return
                await handovers.hand_case_over(session, case, taker, self.now)
                await session.flush()
                if offer.keeps_sight:
                    await visibility.keep_sight(
                        session, case, offer.team_id, offer.from_id, taker, self.now
                    )

        self.run(step())

    @rule(gone=st.sampled_from((2, 3)), removed=st.booleans())
    def out_of_the_team(self, gone: int, removed: bool = True) -> None:
        """A co-leader is removed by the coordinator, or leaves (the coordinator gets
        back what goes to no one else, either way)."""

        async def step() -> None:
            async with self.database.session() as session, session.begin():
                team = await self._team(session)
                member = next((m for m in team.members if m.leader_id == gone), None)
                if member is None:
                    return
                await teams.remove_member(
                    session,
                    team,
                    member,
                    self.now,
                    hand_to=COORDINATOR,
                    by=COORDINATOR if removed else None,
                )
                self.out = (gone, removed, self.now)

        self.run(step())

    @rule(joining=st.sampled_from((2, 3)))
    def join_again(self, joining: int) -> None:
        async def step() -> None:
            async with self.database.session() as session, session.begin():
                team = await self._team(session)
                if all(m.leader_id != joining for m in team.members):
                    teams.add_member(team, joining, f"L{joining}", self.now)

        self.run(step())

    @invariant()
    def the_rule_holds(self) -> None:
        self.run(self._check())

    @invariant()
    def who_is_out_of_the_team_is_told(self) -> None:
        """Someone removed is told once, by the team's line; someone who left is not told
        of the team by a notice, and the coordinator hears of it; nobody else does."""
        if self.out is None:
            return
        gone, removed, at = self.out
        self.out = None

        async def check() -> None:
            async with self.database.session() as session:
                told = (
                    await session.execute(
                        select(Reminder.leader_id, CaseEvent.kind, CaseEvent.actor_id)
                        .join(CaseEvent, CaseEvent.id == cast(Reminder.choice, Integer))
                        .where(
                            Reminder.kind == ReminderKind.NOTICE,
                            Reminder.created_at == at,
                            CaseEvent.kind.in_(LEAVING),
                        )
                    )
                ).all()
            to_gone = [(kind, actor) for leader_id, kind, actor in told if leader_id == gone]
            team_lines = {leader_id for leader_id, kind, _ in told if kind == EventKind.OUT_OF_TEAM}
            if removed:
                assert to_gone == [(EventKind.OUT_OF_TEAM, COORDINATOR)], to_gone
                assert team_lines == {gone}, "nobody else hears of the removal from the team"
            else:
                assert EventKind.OUT_OF_TEAM not in [kind for kind, _ in to_gone]
                assert COORDINATOR in {leader_id for leader_id, _, _ in told}
                assert team_lines <= {COORDINATOR}

        self.run(check())

    async def _check(self) -> None:
        async with self.database.session() as session:
            members = set(await self._members(session))
            open_cases = (await session.scalars(select(Case).where(Case.closed_at.is_(None)))).all()
            shares = (await session.scalars(select(CaseShare))).all()
            team_cases = set(
                (
                    await session.scalars(
                        select(CaseEvent.case_id).where(CaseEvent.team_id == self.team_id)
                    )
                ).all()
            )
            offers = (await session.scalars(select(Handover))).all()
            for share in shares:
                if share.leader_id is None:
                    continue
                last = await session.scalar(
                    select(CaseEvent)
                    .where(
                        CaseEvent.case_id == share.case_id,
                        CaseEvent.team_id == share.team_id,
                        CaseEvent.other_id == share.leader_id,
                        CaseEvent.kind.in_((EventKind.SHARED, EventKind.UNSHARED)),
                    )
                    .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
                    .limit(1)
                )
                if last is not None and last.detail == visibility.FOR_OFFER:
                    # The sight an offer gave lasts while the offer is open.
                    assert any(
                        o.case_id == share.case_id and o.to_id == share.leader_id for o in offers
                    ), "an offer declined or lapsed still shows the case"
            for case in open_cases:
                # Exactly one responsible leader, who sees the case.
                assert case.leader_id in LEADERS
                assert await visibility.sees(session, case.leader_id, case.id)
                if any(s.case_id == case.id for s in shares):
                    assert case.leader_id in members, "a shared case's leader is in the team"
                for leader_id in LEADERS:
                    named = any(
                        s.case_id == case.id
                        and s.team_id == self.team_id
                        and leader_id in members
                        and s.leader_id in (None, leader_id)
                        for s in shares
                    )
                    seen = await visibility.sees(session, leader_id, case.id)
                    # Seen only by its leader or through an explicit share.
                    assert seen == (leader_id == case.leader_id or named), (leader_id, case.id)
                    if leader_id not in members and case.id in team_cases:
                        assert not seen, "nothing of the team's cases outside the team"


TeamWalk.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_the_team_rule_holds_in_random_walks = TeamWalk.TestCase


def test_an_offer_declined_or_lapsed_leaves_no_sight_of_the_case_behind() -> None:
    walk = TeamWalk()
    try:
        walk.new_case(owner=1)
        walk.offer(owner=1, pick=0, to=2, keep=True)
        walk.the_rule_holds()
        walk.answer(taker=2, accept=False)
        walk.the_rule_holds()
        # Offered to Ben, then to Cas instead: Ben's offer lapses, and his sight with it.
        walk.offer(owner=1, pick=0, to=2, keep=True)
        walk.offer(owner=1, pick=0, to=3, keep=False)
        walk.the_rule_holds()
        walk.answer(taker=3, accept=True)
        walk.the_rule_holds()
        # Cas is removed: the case goes back to An, who handed it over.
        walk.out_of_the_team(gone=3)
        walk.the_rule_holds()
    finally:
        walk.teardown()


def test_a_case_once_shared_in_the_team_goes_back_when_its_leader_leaves() -> None:
    """Cas shares his case with An and stops again, then leaves: the team once saw it,
    so it goes to the coordinator and not out of the team with him."""
    walk = TeamWalk()
    try:
        walk.new_case(owner=3)
        walk.share(owner=3, pick=0, whom=1)
        walk.share(owner=3, pick=0, whom=1)
        walk.the_rule_holds()
        walk.out_of_the_team(gone=3)
        walk.the_rule_holds()
    finally:
        walk.teardown()
