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
from bot.screens import menu, setup
from bot.screens.reply import show
from bot.storage import cases, history, leaders, teams
from bot.storage.cases import CaseRows
from bot.storage.models import Case
from bot.turn import Turn, leader_turn
from flows import protocol
from flows.case import NICKNAME_MAX, clean_text
from flows.protocol import Awaiting

log = logging.getLogger(__name__)


async def act(turn: Turn, case: Case, event: protocol.Event) -> None:
    """Let the protocol handle ``event`` in ``case``, save, and show what comes next."""
    records = CaseRows(turn.session)
    moment = protocol.Moment(turn.now, turn.leader.rhythm, records)
    before = history.snapshot(case)
    reply = protocol.handle(case, event, moment)
    if not reply.accepted:
        log.info(
            "event refused where the case stands: leader=%s case=%s event=%s",
            turn.leader.id,
            case.id,
            type(event).__name__,
        )
    await records.flush()
    history.note_changes(turn.session, case, before, turn.leader.id, turn.now)
    show(turn, case, reply)


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


async def _victim_named(turn: Turn) -> None:
    """The nickname of the child who is bullied: the case is made."""
    nickname = clean_text(turn.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        setup.nickname_refused(turn)
        return
    leader = turn.leader
    case = cases.new_case(turn.session, leader, nickname, leader.draft_criteria_mask, turn.now)
    leader.draft_criteria_mask = None
    await turn.session.flush()
    teams.record(turn.session, case.id, teams.EventKind.CREATED, leader.id, turn.now)
    leaders.place(leader, Awaiting.CHILD_NAME, case.id)
    setup.ask_child(turn, case)


@leader_turn
async def typed(turn: Turn) -> None:
    """A typed message: the answer the leader's place in the flow waits for."""
    awaiting = leaders.awaiting(turn.leader)
    if awaiting is Awaiting.VICTIM_NAME:
        await _victim_named(turn)
        return
    if awaiting is Awaiting.TIME_ZONE:
        await settings.zone_typed(turn)
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
    await act(turn, case, make_event(turn.leader.active_child_id or 0, turn.text))
