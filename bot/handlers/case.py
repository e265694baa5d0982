"""A new case, and a button pressed in a case (typed answers: ``bot.handlers.typed``).

A press carries one of the protocol's events (:mod:`flows.events`); the protocol
(:mod:`flows.protocol`) decides whether it fits where the case stands, changes the
rows, and says which screens come next and what typed answer the bot then waits for.

The case is looked up with the leader's id on the server side, so a button
replayed by another leader, or data crafted by hand, finds nothing and changes
nothing; a case shared with the leader in a team is found while they are in it.
"""

from __future__ import annotations

import logging

from bot.callback_data import CasePress
from bot.handlers.case_event import act
from bot.screens import menu, setup, team_notices
from bot.storage import cases, escalations, history, leaders
from bot.turn import Turn, leader_turn
from flows.case import NICKNAME_MAX, clean_text
from flows.events import FollowUpAnswer
from flows.replies import Awaiting

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
    event = press.event
    child = cases.child_of(case, event.child_id)
    if isinstance(event, FollowUpAnswer) and child is not None:
        # One follow-up talk has one answer: whoever answered it first.
        first = await escalations.answered_by(turn.session, child, event.follow_up, turn.leader.id)
        if first is not None:
            known = await history.names(turn.session, {first.actor_id or 0})
            team_notices.answered_first(turn, case, child, first, known)
            return
    await act(turn, case, event)


async def victim_named(turn: Turn, text: str) -> None:
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
