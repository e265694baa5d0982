"""What the protocol answers: the screens to show, and the typed answer each waits for.

:mod:`flows.protocol` decides which screens come next; the bot draws each one
(``bot/screens/reply.py``). A screen is declared here with the kind of typed answer
the bot then waits for (:data:`AWAITS`), the way aiogram-dialog keeps a screen's
text, buttons and awaited input together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flows.case import (
    CaseRecord,
    ChildRecord,
    Next,
    Stage,
    child_stage,
    current_round,
    next_step,
    round_agreements,
)
from flows.follow_up_timing import FollowUpChoice


class Awaiting(StrEnum):
    """The typed answer the bot waits for; buttons and commands work whatever it is."""

    NOTHING = "nothing"
    VICTIM_NAME = "victim_name"
    CHILD_NAME = "child_name"
    CHILD_ROLE = "child_role"
    """The role question is open: a typed text corrects the nickname just given."""
    MAY_TELL = "may_tell"
    FACTS = "facts"
    FEELING = "feeling"
    AGREEMENTS = "agreements"
    FOLLOW_UP_DATE = "follow_up_date"
    TIME_ZONE = "time_zone"
    VICTIM_RENAME = "victim_rename"
    AGREEMENT_EDIT = "agreement_edit"
    # A team's name (bot.handlers.team), outside any case.
    TEAM_NAME = "team_name"


class Screen(StrEnum):
    """What the bot shows a leader in a case. Each waits for one kind of typed answer."""

    # Setting up the case.
    ASK_VICTIM = "ask_victim"
    ASK_CHILD = "ask_child"
    NICKNAME_REFUSED = "nickname_refused"
    NICKNAME_TAKEN = "nickname_taken"
    ASK_ROLE = "ask_role"
    CHILDREN_SO_FAR = "children_so_far"
    # Step 1.
    ASK_CONSENT = "ask_consent"
    DECLINED = "declined"
    NOT_ASKED_YET = "not_asked_yet"
    ASK_MAY_TELL = "ask_may_tell"
    STEP1_DONE = "step1_done"
    # Step 2.
    ASK_WITNESSED = "ask_witnessed"
    ASK_FACTS = "ask_facts"
    ASK_FEELING = "ask_feeling"
    TEXT_REFUSED = "text_refused"
    SCRIPT = "script"
    ASK_AGREEMENTS = "ask_agreements"
    AGREEMENTS_SO_FAR = "agreements_so_far"
    AGREEMENT_REFUSED = "agreement_refused"
    AGREEMENTS_FULL = "agreements_full"
    NO_AGREEMENTS_YET = "no_agreements_yet"
    HELD = "held"
    REPORT_BACK = "report_back"
    REPORT_BACK_SNOOZED = "report_back_snoozed"
    # Step 3.
    PLAN = "plan"
    ASK_DATE = "ask_date"
    DATE_REFUSED = "date_refused"
    MEETING_NOT_SET = "meeting_not_set"
    PLANNED = "planned"
    ALREADY_PLANNED = "already_planned"
    RECORD_OUTCOME = "record_outcome"
    ALREADY_RECORDED = "already_recorded"
    SNOOZE_OPTIONS = "snooze_options"
    SNOOZED = "snoozed"
    NEW_PROPOSAL = "new_proposal"
    STOPPED = "stopped"
    FOLLOW_UP_CANCELLED = "follow_up_cancelled"
    # Corrections, at any step.
    CORRECTIONS = "corrections"
    ASK_VICTIM_RENAME = "ask_victim_rename"
    ASK_AGREEMENT_TEXT = "ask_agreement_text"
    CONFIRM_REMOVE_CHILD = "confirm_remove_child"
    # The case as a whole.
    OVERVIEW = "overview"
    CONFIRM_CLOSE = "confirm_close"
    CLOSED = "closed"
    # When the protocol does not fit, or does not work (the section at the end).
    STEP1_WAITING = "step1_waiting"
    FACTS_HINT = "facts_hint"
    APPROACHES = "approaches"
    APPROACH = "approach"
    APPROACH_CHOSEN = "approach_chosen"
    OUTCOME_WITH_VIEW = "outcome_with_view"
    VIEWS_WEIGHED = "views_weighed"
    NEXT_STEPS = "next_steps"
    NEXT_STEP_CHOSEN = "next_step_chosen"


#: What each screen waits for. ``None``: a refusal, the leader stays where they were.
AWAITS: dict[Screen, Awaiting | None] = {
    Screen.ASK_VICTIM: Awaiting.VICTIM_NAME,
    Screen.ASK_CHILD: Awaiting.CHILD_NAME,
    Screen.NICKNAME_REFUSED: None,
    Screen.NICKNAME_TAKEN: None,
    Screen.ASK_ROLE: Awaiting.CHILD_ROLE,
    Screen.CHILDREN_SO_FAR: Awaiting.NOTHING,
    Screen.ASK_CONSENT: Awaiting.NOTHING,
    Screen.DECLINED: Awaiting.NOTHING,
    Screen.NOT_ASKED_YET: Awaiting.NOTHING,
    Screen.ASK_MAY_TELL: Awaiting.MAY_TELL,
    Screen.STEP1_DONE: Awaiting.NOTHING,
    Screen.ASK_WITNESSED: Awaiting.NOTHING,
    Screen.ASK_FACTS: Awaiting.FACTS,
    Screen.ASK_FEELING: Awaiting.FEELING,
    Screen.TEXT_REFUSED: None,
    Screen.SCRIPT: Awaiting.NOTHING,
    Screen.ASK_AGREEMENTS: Awaiting.AGREEMENTS,
    Screen.AGREEMENTS_SO_FAR: Awaiting.AGREEMENTS,
    Screen.AGREEMENT_REFUSED: None,
    Screen.AGREEMENTS_FULL: None,
    Screen.NO_AGREEMENTS_YET: None,
    Screen.HELD: Awaiting.NOTHING,
    Screen.REPORT_BACK: Awaiting.NOTHING,
    Screen.REPORT_BACK_SNOOZED: Awaiting.NOTHING,
    Screen.PLAN: Awaiting.NOTHING,
    Screen.ASK_DATE: Awaiting.FOLLOW_UP_DATE,
    Screen.DATE_REFUSED: None,
    Screen.MEETING_NOT_SET: Awaiting.NOTHING,
    Screen.PLANNED: Awaiting.NOTHING,
    Screen.ALREADY_PLANNED: None,
    Screen.RECORD_OUTCOME: Awaiting.NOTHING,
    Screen.ALREADY_RECORDED: None,
    Screen.SNOOZE_OPTIONS: Awaiting.NOTHING,
    Screen.SNOOZED: Awaiting.NOTHING,
    Screen.NEW_PROPOSAL: Awaiting.AGREEMENTS,
    Screen.STOPPED: Awaiting.NOTHING,
    Screen.FOLLOW_UP_CANCELLED: Awaiting.NOTHING,
    Screen.CORRECTIONS: Awaiting.NOTHING,
    Screen.ASK_VICTIM_RENAME: Awaiting.VICTIM_RENAME,
    Screen.ASK_AGREEMENT_TEXT: Awaiting.AGREEMENT_EDIT,
    Screen.CONFIRM_REMOVE_CHILD: Awaiting.NOTHING,
    Screen.OVERVIEW: Awaiting.NOTHING,
    Screen.CONFIRM_CLOSE: Awaiting.NOTHING,
    Screen.CLOSED: Awaiting.NOTHING,
    # When the protocol does not fit, or does not work.
    Screen.STEP1_WAITING: Awaiting.NOTHING,
    # Typing the facts again replaces them; a button keeps them.
    Screen.FACTS_HINT: Awaiting.FACTS,
    Screen.APPROACHES: Awaiting.NOTHING,
    Screen.APPROACH: Awaiting.NOTHING,
    Screen.APPROACH_CHOSEN: Awaiting.NOTHING,
    Screen.OUTCOME_WITH_VIEW: Awaiting.NOTHING,
    Screen.VIEWS_WEIGHED: Awaiting.NOTHING,
    Screen.NEXT_STEPS: Awaiting.NOTHING,
    Screen.NEXT_STEP_CHOSEN: Awaiting.NOTHING,
}

#: The screen for each next thing to do in a case.
NEXT_SCREEN: dict[Next, Screen] = {
    Next.ADD_CHILD: Screen.ASK_CHILD,
    Next.ASK_CONSENT: Screen.ASK_CONSENT,
    Next.CONSENT_DECLINED: Screen.DECLINED,
    Next.RECORD_MAY_TELL: Screen.ASK_MAY_TELL,
    Next.PREPARE_CONVERSATION: Screen.ASK_WITNESSED,
    Next.CHOOSE_FEELING: Screen.ASK_FEELING,
    Next.HOLD_CONVERSATION: Screen.SCRIPT,
    Next.PLAN_FOLLOW_UP: Screen.PLAN,
    Next.REPORT_BACK: Screen.REPORT_BACK,
    Next.RECORD_FOLLOW_UP: Screen.RECORD_OUTCOME,
    Next.FOLLOW_UP: Screen.OVERVIEW,
    Next.CLOSED: Screen.OVERVIEW,
}


# --- What the machine answers. ------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One screen to show, about the case or one of its children."""

    screen: Screen
    child: ChildRecord | None = None
    proposed: FollowUpChoice | None = None
    """The interval to propose first on a plan screen."""
    item: int | None = None
    """The record the screen is about within the child (an agreement being corrected)."""
    detail: str | None = None
    """The value a screen is about: an approach, the bullied child's view, a choice made."""


@dataclass(frozen=True)
class Reply:
    """What :func:`handle` answers: the screens to show, in order, and what is awaited."""

    shown: tuple[Shown, ...]
    accepted: bool = True

    @property
    def awaiting(self) -> Awaiting | None:
        """The typed answer to wait for after the last screen (``None``: unchanged)."""
        return AWAITS[self.shown[-1].screen]

    @property
    def child(self) -> ChildRecord | None:
        """The child the awaited answer is about, if any."""
        return self.shown[-1].child

    @property
    def item(self) -> int | None:
        """The record the awaited answer is about, if any (an agreement being corrected)."""
        return self.shown[-1].item


def show(screen: Screen, child: ChildRecord | None = None) -> Reply:
    """One screen, about the case or one child."""
    return Reply((Shown(screen, child),))


def next_screen(case: CaseRecord, now: datetime) -> Shown:
    """The screen of the one next thing to do in ``case``."""
    step = next_step(case, now)
    child = next((c for c in case.children if c.id == step.child_id), None)
    if child is not None and child_stage(case, child, now) is Stage.NEW_PROPOSAL:
        # Not (fully) stopped: the new proposal is being written down, and "Done" leads
        # on to planning. A leader who comes back to it goes on writing, not planning.
        written = round_agreements(child, current_round(child))
        return Shown(Screen.AGREEMENTS_SO_FAR if written else Screen.NEW_PROPOSAL, child)
    return Shown(NEXT_SCREEN[step.what], child)


def where_it_stands(case: CaseRecord, now: datetime, *before: Shown) -> Reply:
    """Screens ``before``, then the next thing to do."""
    return Reply((*before, next_screen(case, now)))
