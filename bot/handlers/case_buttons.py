"""Every button inside a case: check it belongs to the leader, then do what it says.

The case is looked up with the leader's id on the server side, so a button
replayed by another leader, or data crafted by hand, finds nothing and changes
nothing. A button of a closed case only opens its overview.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.callback_data import Act, CaseButton
from bot.handlers import case_list, follow_up, setup, step1, step2
from bot.screens import menu
from bot.storage.cases import child_of, owned_case
from bot.storage.models import Case, Child
from bot.turn import Turn, leader_turn

log = logging.getLogger(__name__)

Action = Callable[[Turn, Case, Child | None, str], Awaitable[object]]

ACTIONS: dict[Act, Action] = {
    Act.OPEN: case_list.open_case,
    Act.NEXT: case_list.continue_case,
    Act.ADD_CHILD: setup.add_child,
    Act.ROLE: setup.role_chosen,
    Act.SETUP_DONE: setup.setup_done,
    Act.CONSENT: step1.consent_given,
    Act.ASK_AGAIN: step1.ask_again,
    Act.LATER: step1.later,
    Act.MAY_TELL: step1.edit_may_tell,
    Act.WITNESSED: step2.witnessed,
    Act.FACTS: step2.edit_facts,
    Act.FEELING: step2.feeling_chosen,
    Act.HELD: step2.talk_held,
    Act.AGREEMENTS_DONE: step2.agreements_done,
    Act.REPORTED: step2.reported_back,
    Act.PLAN: follow_up.plan_chosen,
    Act.OUTCOME: follow_up.outcome_given,
    Act.SNOOZE: follow_up.snooze,
    Act.NEW_PROPOSAL_DONE: follow_up.new_proposal_done,
    Act.CANCEL_FOLLOW_UP: follow_up.cancel_follow_up,
    Act.REPORT_LATER: follow_up.report_back_later,
    Act.KEEP_OPEN: case_list.keep_open,
    Act.CLOSE: case_list.close_asked,
    Act.CLOSE_CONFIRMED: case_list.close_confirmed,
}

#: What a button of a closed case may still do.
ALLOWED_WHEN_CLOSED = {Act.OPEN}


@leader_turn
async def case_button(turn: Turn) -> object:
    """A button that names a case."""
    pressed = turn.callback
    if not isinstance(pressed, CaseButton):
        menu.outdated(turn)
        return None
    case = await owned_case(turn.session, turn.leader, pressed.case_id)
    if case is None:
        log.info("case button for a case not found: leader=%s act=%s", turn.leader.id, pressed.act)
        menu.not_found(turn)
        return None
    if case.closed_at is not None and pressed.act not in ALLOWED_WHEN_CLOSED:
        return await case_list.open_case(turn, case, None, "")
    child = child_of(case, pressed.child_id) if pressed.child_id else None
    if pressed.child_id and child is None:
        menu.not_found(turn)
        return None
    return await ACTIONS[pressed.act](turn, case, child, pressed.value)
