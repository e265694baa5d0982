"""What the protocol's answer looks like: each screen of :mod:`flows.protocol` drawn.

The protocol decides which screens come next (:class:`flows.replies.Reply`);
here each is drawn with the case's rows, and the leader's place in the flow is
set to what the last one waits for. This is the one place that maps a protocol
screen to text and buttons.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.screens import (
    approaches,
    cases,
    corrections,
    escalation,
    facts_hint,
    follow_up,
    nudges,
    setup,
    step1,
    step1_waiting,
    step2,
)
from bot.storage import leaders
from bot.storage.models import Case, Child
from bot.turn import Turn
from flows.replies import Awaiting, Reply, Screen, Shown

#: How a screen is drawn: ``child`` is the child it is about (``None`` for the case's own
#: screens, which take ``Child | None``), ``shown`` what the protocol said with it.
Draw = Callable[[Turn, Case, Child, Shown], None]

#: How each screen is drawn.
DRAW: dict[Screen, Draw] = {
    Screen.ASK_VICTIM: setup.ask_victim,
    Screen.ASK_CHILD: setup.ask_child,
    Screen.NICKNAME_REFUSED: setup.nickname_refused,
    Screen.NICKNAME_TAKEN: setup.nickname_taken,
    Screen.ASK_ROLE: setup.ask_role,
    Screen.CHILDREN_SO_FAR: setup.children_so_far,
    Screen.ASK_CONSENT: step1.ask_consent,
    Screen.DECLINED: step1_waiting.declined,
    Screen.NOT_ASKED_YET: step1_waiting.not_asked_yet,
    Screen.ASK_MAY_TELL: step1.ask_may_tell,
    Screen.STEP1_DONE: step1.step1_done,
    Screen.ASK_WITNESSED: step2.ask_witnessed,
    Screen.ASK_FACTS: step2.ask_facts,
    Screen.ASK_FEELING: step2.ask_feeling,
    Screen.TEXT_REFUSED: step2.text_refused,
    Screen.SCRIPT: step2.script,
    Screen.ASK_AGREEMENTS: step2.ask_agreements,
    Screen.AGREEMENTS_SO_FAR: step2.agreements_so_far,
    Screen.AGREEMENT_REFUSED: step2.agreement_refused,
    Screen.AGREEMENTS_FULL: step2.too_many_agreements,
    Screen.NO_AGREEMENTS_YET: step2.no_agreements_yet,
    Screen.HELD: step2.held,
    Screen.REPORT_BACK: nudges.report_back,
    Screen.REPORT_BACK_SNOOZED: follow_up.report_back_snoozed,
    Screen.REPORTED_BACK: step2.reported_back,
    Screen.PLAN: follow_up.plan,
    Screen.ASK_DATE: follow_up.ask_date,
    Screen.DATE_REFUSED: follow_up.date_refused,
    Screen.MEETING_NOT_SET: follow_up.meeting_not_set,
    Screen.DATE_PASSED: follow_up.date_passed,
    Screen.NEXT_ACTIVITY_SOON: follow_up.next_activity_soon,
    Screen.PLANNED: follow_up.planned,
    Screen.ALREADY_PLANNED: follow_up.already_planned,
    Screen.RECORD_OUTCOME: follow_up.record_outcome,
    Screen.ALREADY_RECORDED: follow_up.already_recorded,
    Screen.SNOOZE_OPTIONS: follow_up.snooze_options,
    Screen.SNOOZED: follow_up.snoozed,
    Screen.NEW_PROPOSAL: follow_up.ask_new_proposal,
    Screen.STILL_STANDS: follow_up.still_stands,
    Screen.STOPPED: follow_up.stopped,
    Screen.FOLLOW_UP_CANCELLED: follow_up.cancelled,
    Screen.CORRECTIONS: corrections.menu,
    Screen.ASK_VICTIM_RENAME: corrections.ask_victim_rename,
    Screen.ASK_AGREEMENT_TEXT: corrections.ask_agreement_text,
    Screen.CONFIRM_REMOVE_CHILD: corrections.confirm_remove_child,
    Screen.CONFIRM_DELETE_AGREEMENT: corrections.confirm_delete_agreement,
    Screen.OVERVIEW: cases.overview,
    Screen.CONFIRM_CLOSE: cases.confirm_close,
    Screen.CLOSED: cases.closed,
    # When the protocol does not fit, or does not work.
    Screen.STEP1_WAITING: step1_waiting.waiting,
    Screen.FACTS_HINT: facts_hint.facts_hint,
    Screen.APPROACHES: approaches.approaches,
    Screen.APPROACH: approaches.approach,
    Screen.APPROACH_CHOSEN: approaches.approach_chosen,
    Screen.OUTCOME_WITH_VIEW: escalation.outcome_with_view,
    Screen.VIEWS_WEIGHED: escalation.views_weighed,
    Screen.NEXT_STEPS: escalation.next_steps,
    Screen.NEXT_STEP_CHOSEN: escalation.next_step_chosen,
}


def show(turn: Turn, case: Case, reply: Reply) -> None:
    """Draw the screens of ``reply`` and put the leader where the last one waits."""
    for shown in reply.shown:
        child = shown.child
        assert child is None or isinstance(child, Child)
        # A screen about a child is always shown with one (the protocol's Shown says so).
        DRAW[shown.screen](turn, case, child, shown)  # type: ignore[arg-type]
    awaiting = reply.awaiting
    if awaiting is None:
        return  # a refusal: the leader stays where they were
    child = reply.child
    if case.closed_at is not None:
        leaders.place(turn.leader, Awaiting.NOTHING)
    else:
        child_id = child.id if child is not None else None
        leaders.place(turn.leader, awaiting, case.id, child_id, reply.item)
