"""Show a case at its next step: the one place that maps the protocol's next step to a screen."""

from __future__ import annotations

from bot import states
from bot.screens import cases, follow_up, setup, step1, step2
from bot.storage.cases import child_of
from bot.storage.leaders import point_at
from bot.storage.models import Case
from bot.turn import Turn
from flows.case import Next, next_step


def show_next(turn: Turn, case: Case) -> object:
    """Queue the screen of the next thing to do in ``case``; return the conversation state."""
    step = next_step(case)
    child = child_of(case, step.child_id)
    point_at(turn.leader, case.id, child.id if child else None)
    match step.what:
        case Next.ADD_CHILD:
            return setup.ask_child(turn, case)
        case Next.ASK_CONSENT:
            step1.ask_consent(turn, case)
        case Next.CONSENT_DECLINED:
            step1.declined(turn, case)
        case Next.RECORD_MAY_TELL:
            return step1.ask_may_tell(turn, case)
        case Next.PREPARE_CONVERSATION if child:
            step2.ask_witnessed(turn, case, child)
        case Next.CHOOSE_FEELING if child:
            return step2.ask_feeling(turn, case, child)
        case Next.HOLD_CONVERSATION if child:
            step2.script(turn, case, child)
        case Next.PLAN_FOLLOW_UP if child:
            follow_up.plan(turn, case, child)
        case Next.REPORT_BACK if child:
            step2.report_back(turn, case, child)
        case Next.RECORD_FOLLOW_UP if child:
            follow_up.record_outcome(turn, case, child)
        case _:
            cases.overview(turn, case)
    return states.IDLE
