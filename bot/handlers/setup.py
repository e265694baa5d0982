"""Setting up a case: the child who is bullied, then each child who bullies or joins in."""

from __future__ import annotations

from bot import states
from bot.screens import setup, step1
from bot.screens.next_step import show_next
from bot.storage import cases
from bot.storage.models import Case, Child
from bot.turn import Turn, leader_turn
from flows.case import CHILDREN_PER_CASE_MAX, NICKNAME_MAX, Consent, Role, clean_text


async def begin(turn: Turn, criteria_mask: int | None) -> object:
    """Start a new case, optionally carrying the quick check's ticks."""
    turn.leader.draft_criteria_mask = criteria_mask
    return setup.ask_victim(turn)


@leader_turn
async def new_command(turn: Turn) -> object:
    """/new: a new case."""
    return await begin(turn, None)


@leader_turn
async def victim_named(turn: Turn) -> object:
    """The nickname of the child who is bullied: the case is made."""
    nickname = clean_text(turn.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        setup.nickname_refused(turn)
        return None
    case = cases.new_case(
        turn.session, turn.leader, nickname, turn.leader.draft_criteria_mask, turn.now
    )
    turn.leader.draft_criteria_mask = None
    await turn.session.flush()
    return setup.ask_child(turn, case)


@leader_turn
async def child_named(turn: Turn) -> object:
    """The nickname of a child who bullies or joins in."""
    case = await cases.owned_case(turn.session, turn.leader, turn.leader.active_case_id)
    if case is None or case.closed_at is not None:
        setup.ask_victim(turn)
        return states.VICTIM_NAME
    nickname = clean_text(turn.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        setup.nickname_refused(turn)
        return None
    if len(case.children) >= CHILDREN_PER_CASE_MAX:
        setup.children_so_far(turn, case)
        return states.IDLE
    child = cases.add_child(case, nickname)
    case.updated_at = turn.now
    await turn.session.flush()
    setup.ask_role(turn, case, child)
    return states.IDLE


async def role_chosen(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Bullies or joins in."""
    if child is None or value not in set(Role):
        return show_next(turn, case)
    child.role = value
    setup.children_so_far(turn, case)
    return states.IDLE


async def add_child(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Another child who bullies or joins in."""
    if len(case.children) >= CHILDREN_PER_CASE_MAX or case.consent != Consent.NOT_ASKED:
        return show_next(turn, case)
    return setup.ask_child(turn, case)


async def setup_done(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Everyone is in: on to step 1."""
    if not case.children:
        return setup.ask_child(turn, case)
    if case.consent == Consent.NOT_ASKED:
        step1.ask_consent(turn, case)
        return states.IDLE
    return show_next(turn, case)
