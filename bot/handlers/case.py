"""Everything a leader does in a case: a button pressed, or an answer typed.

Both become one of the protocol's events (:mod:`flows.protocol`); the protocol
decides whether it fits where the case stands, changes the rows, and says which
screens come next and what typed answer the bot then waits for.

The case is looked up with the leader's id on the server side, so a button
replayed by another leader, or data crafted by hand, finds nothing and changes
nothing; a case shared with the leader in a team is found while they are in it.
"""

from __future__ import annotations

import logging

from bot.callback_data import CasePress
from bot.handlers import settings, team
from bot.handlers.case_event import act
from bot.screens import menu, setup
from bot.storage import cases, history, leaders
from bot.turn import Turn, leader_turn
from flows import protocol
from flows.case import NICKNAME_MAX, clean_text
from flows.protocol import Awaiting

log = logging.getLogger(__name__)


async def begin(turn: Turn, criteria_mask: int | None) -> None:
    """Start a new case, optionally carrying the quick check's ticks."""
    leaders.place(turn.leader, Awaiting.VICTIM_NAME)
    turn.leader.draft_criteria_mask = criteria_mask
    setup.ask_victim(turn)


@leader_turn
async def new_command(turn: Turn) -> None:
    """/new: a new case."""
    await begin(turn, None)


@leader_turn
async def pressed(turn: Turn) -> None:
    """A button in a case."""
    press = turn.callback
    assert isinstance(press, CasePress)
    case = await cases.visible_case(turn.session, turn.leader, press.case_id)
    if case is None:
        log.info("case button for a case not found: leader=%s", turn.leader.id)
        menu.not_found(turn)
        return
    await act(turn, case, press.event)


async def _victim_named(turn: Turn, text: str) -> None:
    """The nickname of the child who is bullied: the case is made."""
    nickname = clean_text(text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        setup.nickname_refused(turn)
        return
    leader = turn.leader
    case = cases.new_case(turn.session, leader, nickname, leader.draft_criteria_mask, turn.now)
    leader.draft_criteria_mask = None
    await turn.session.flush()
    history.record(turn.session, case.id, history.EventKind.CREATED, leader.id, turn.now)
    leaders.place(leader, Awaiting.CHILD_NAME, case.id)
    setup.ask_child(turn, case)


@leader_turn
async def typed(turn: Turn) -> None:
    """A typed message: the answer the leader's place in the flow waits for."""
    awaiting = leaders.awaiting(turn.leader)
    limit = protocol.TEXT_LIMITS.get(awaiting)
    text = turn.text.strip()
    if limit is not None and len(text) > limit:
        # Never thrown away: kept (encrypted) until the leader takes its first part.
        turn.leader.draft = text
        setup.too_long(turn, len(text), limit)
        return
    await answer(turn, awaiting, turn.text)


@leader_turn
async def keep_first_part(turn: Turn) -> None:
    """The first part of the text typed too long, taken as the answer it was meant to be."""
    awaiting = leaders.awaiting(turn.leader)
    limit = protocol.TEXT_LIMITS.get(awaiting)
    draft = turn.leader.draft
    if draft is None or limit is None:
        menu.outdated(turn)
        return
    turn.leader.draft = None
    await answer(turn, awaiting, protocol.first_part(draft, limit))


async def answer(turn: Turn, awaiting: Awaiting, text: str) -> None:
    """``text`` as the answer to what the leader's place waits for."""
    if awaiting is Awaiting.VICTIM_NAME:
        await _victim_named(turn, text)
        return
    if awaiting is Awaiting.TIME_ZONE:
        await settings.zone_typed(turn, text)
        return
    if awaiting is Awaiting.TEAM_NAME:
        await team.name_typed(turn)
        return
    make_event = protocol.TYPED_EVENTS.get(awaiting)
    case = await cases.visible_case(turn.session, turn.leader, turn.leader.active_case_id)
    if make_event is None or case is None or case.closed_at is not None:
        leaders.place(turn.leader, Awaiting.NOTHING)
        menu.nothing_expected(turn)
        return
    leader = turn.leader
    await act(turn, case, make_event(leader.active_child_id or 0, leader.active_item_id or 0, text))
