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
    setup,
    step1,
    step1_waiting,
    step2,
)
from bot.screens.nudges import report_back_nudge
from bot.storage import leaders
from bot.storage.models import Case, Child
from bot.turn import Turn
from flows.approaches import Approach
from flows.case import FEELING_MAX, LONG_TEXT_MAX
from flows.escalation import VictimView
from flows.history import NextStepChoice, Step1Choice
from flows.protocol import everyone_stopped
from flows.replies import Awaiting, Reply, Screen, Shown

Draw = Callable[[Turn, Case, Child, Shown], None]


def _report_back(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    text, rows = report_back_nudge(case, child)
    turn.say(text, rows)


def _text_refused(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    limit = FEELING_MAX if leaders.awaiting(turn.leader) is Awaiting.FEELING else LONG_TEXT_MAX
    step2.text_refused(turn, limit)


def _stopped(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    assert shown.proposed is not None
    follow_up.stopped(turn, case, child, shown.proposed, may_close=everyone_stopped(case))


def _detail(shown: Shown) -> str:
    """The value a screen is about (an approach, a view, a choice): always given with it."""
    assert shown.detail is not None
    return shown.detail


#: How each screen is drawn; ``child`` is the child the screen is about (unused by some).
DRAW: dict[Screen, Draw] = {
    Screen.ASK_VICTIM: lambda turn, case, child, shown: setup.ask_victim(turn),
    Screen.ASK_CHILD: lambda turn, case, child, shown: setup.ask_child(turn, case),
    Screen.NICKNAME_REFUSED: lambda turn, case, child, shown: setup.nickname_refused(turn),
    Screen.NICKNAME_TAKEN: lambda turn, case, child, shown: setup.nickname_taken(turn),
    Screen.ASK_ROLE: lambda turn, case, child, shown: setup.ask_role(turn, case, child),
    Screen.CHILDREN_SO_FAR: lambda turn, case, child, shown: setup.children_so_far(turn, case),
    Screen.ASK_CONSENT: lambda turn, case, child, shown: step1.ask_consent(turn, case, child),
    Screen.DECLINED: lambda turn, case, child, shown: step1_waiting.declined(turn, case, child),
    Screen.NOT_ASKED_YET: lambda turn, case, child, shown: step1_waiting.not_asked_yet(
        turn, case, child
    ),
    Screen.ASK_MAY_TELL: lambda turn, case, child, shown: step1.ask_may_tell(turn, case, child),
    Screen.STEP1_DONE: lambda turn, case, child, shown: step1.step1_done(turn, case, child),
    Screen.ASK_WITNESSED: lambda turn, case, child, shown: step2.ask_witnessed(turn, case, child),
    Screen.ASK_FACTS: lambda turn, case, child, shown: step2.ask_facts(turn, case, child),
    Screen.ASK_FEELING: lambda turn, case, child, shown: step2.ask_feeling(turn, case, child),
    Screen.TEXT_REFUSED: _text_refused,
    Screen.SCRIPT: lambda turn, case, child, shown: step2.script(turn, case, child),
    Screen.ASK_AGREEMENTS: lambda turn, case, child, shown: step2.ask_agreements(turn, case, child),
    Screen.AGREEMENTS_SO_FAR: lambda turn, case, child, shown: step2.agreements_so_far(
        turn, case, child
    ),
    Screen.AGREEMENT_REFUSED: lambda turn, case, child, shown: step2.agreement_refused(
        turn, case, child
    ),
    Screen.AGREEMENTS_FULL: lambda turn, case, child, shown: step2.too_many_agreements(
        turn, case, child
    ),
    Screen.NO_AGREEMENTS_YET: lambda turn, case, child, shown: step2.no_agreements_yet(turn),
    Screen.HELD: lambda turn, case, child, shown: step2.held(turn, child),
    Screen.REPORT_BACK: _report_back,
    Screen.REPORT_BACK_SNOOZED: lambda turn, case, child, shown: follow_up.report_back_snoozed(
        turn, case, child
    ),
    Screen.PLAN: lambda turn, case, child, shown: follow_up.plan(turn, case, child, shown.proposed),
    Screen.ASK_DATE: lambda turn, case, child, shown: follow_up.ask_date(turn),
    Screen.DATE_REFUSED: lambda turn, case, child, shown: follow_up.date_refused(turn),
    Screen.MEETING_NOT_SET: lambda turn, case, child, shown: follow_up.meeting_not_set(
        turn, case, child
    ),
    Screen.PLANNED: lambda turn, case, child, shown: follow_up.planned(turn, case, child),
    Screen.ALREADY_PLANNED: lambda turn, case, child, shown: follow_up.already_planned(turn),
    Screen.RECORD_OUTCOME: lambda turn, case, child, shown: follow_up.record_outcome(
        turn, case, child
    ),
    Screen.ALREADY_RECORDED: lambda turn, case, child, shown: follow_up.already_recorded(turn),
    Screen.SNOOZE_OPTIONS: lambda turn, case, child, shown: follow_up.snooze_options(
        turn, case, child
    ),
    Screen.SNOOZED: lambda turn, case, child, shown: follow_up.snoozed(turn, child),
    Screen.NEW_PROPOSAL: lambda turn, case, child, shown: follow_up.ask_new_proposal(
        turn, case, child
    ),
    Screen.STOPPED: _stopped,
    Screen.FOLLOW_UP_CANCELLED: lambda turn, case, child, shown: follow_up.cancelled(turn, child),
    Screen.CORRECTIONS: lambda turn, case, child, shown: corrections.menu(turn, case),
    Screen.ASK_VICTIM_RENAME: lambda turn, case, child, shown: corrections.ask_victim_rename(
        turn, case
    ),
    Screen.ASK_AGREEMENT_TEXT: lambda turn, case, child, shown: corrections.ask_agreement_text(
        turn, child, shown.item
    ),
    Screen.CONFIRM_REMOVE_CHILD: lambda turn, case, child, shown: corrections.confirm_remove_child(
        turn, case, child
    ),
    Screen.OVERVIEW: lambda turn, case, child, shown: cases.overview(turn, case),
    Screen.CONFIRM_CLOSE: lambda turn, case, child, shown: cases.confirm_close(turn, case),
    Screen.CLOSED: lambda turn, case, child, shown: cases.closed(turn, case),
    # When the protocol does not fit, or does not work.
    Screen.STEP1_WAITING: lambda turn, case, child, shown: step1_waiting.waiting(
        turn, case, child, Step1Choice(_detail(shown))
    ),
    Screen.FACTS_HINT: lambda turn, case, child, shown: facts_hint.facts_hint(turn, case, child),
    Screen.APPROACHES: lambda turn, case, child, shown: approaches.approaches(turn, case),
    Screen.APPROACH: lambda turn, case, child, shown: approaches.approach(
        turn, case, Approach(_detail(shown))
    ),
    Screen.APPROACH_CHOSEN: lambda turn, case, child, shown: approaches.approach_chosen(
        turn, case, Approach(_detail(shown))
    ),
    Screen.OUTCOME_WITH_VIEW: lambda turn, case, child, shown: escalation.outcome_with_view(
        turn, case, child, VictimView(_detail(shown))
    ),
    Screen.VIEWS_WEIGHED: lambda turn, case, child, shown: escalation.views_weighed(
        turn, case, child, VictimView(_detail(shown))
    ),
    Screen.NEXT_STEPS: lambda turn, case, child, shown: escalation.next_steps(turn, case, child),
    Screen.NEXT_STEP_CHOSEN: lambda turn, case, child, shown: escalation.next_step_chosen(
        turn, case, child, NextStepChoice(_detail(shown))
    ),
}


def show(turn: Turn, case: Case, reply: Reply) -> None:
    """Draw the screens of ``reply`` and put the leader where the last one waits."""
    for shown in reply.shown:
        child = shown.child
        assert child is None or isinstance(child, Child)
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
