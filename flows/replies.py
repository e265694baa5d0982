"""What the protocol answers: the screens to show, and the typed answer each waits for.

:mod:`flows.protocol` decides which screens come next; the bot draws each one
(``bot/screens/reply.py``). A screen is declared here with the kind of typed answer
the bot then waits for (:attr:`Screen.awaits`), the way aiogram-dialog keeps a
screen's awaited input on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flows.case import (
    CaseRecord,
    ChildRecord,
    Next,
    NextItem,
    Stage,
    child_stage,
    current_round,
    next_items,
    next_step,
    round_agreements,
)
from flows.follow_up_timing import FollowUpChoice
from flows.history import HistoryLine


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
    CAMP_DATES = "camp_dates"
    VICTIM_RENAME = "victim_rename"
    AGREEMENT_EDIT = "agreement_edit"
    # A team's name (bot.handlers.team), outside any case.
    TEAM_NAME = "team_name"
    # A reply typed in a practice talk (bot.handlers.practice): read, never kept.
    PRACTICE = "practice"


class Screen(StrEnum):
    """What the bot shows a leader in a case, and the typed answer it then waits for.

    A screen is declared once, with what it awaits: ``ASK_FACTS = "ask_facts",
    Awaiting.FACTS``; a plain value awaits nothing typed, and ``None`` marks a refusal,
    after which the leader stays where they were.
    """

    awaits: Awaiting | None

    def __new__(cls, value: str, awaits: Awaiting | None = Awaiting.NOTHING) -> Screen:
        member = str.__new__(cls, value)
        member._value_ = value
        member.awaits = awaits
        return member

    # Setting up the case.
    ASK_VICTIM = "ask_victim", Awaiting.VICTIM_NAME
    ASK_CHILD = "ask_child", Awaiting.CHILD_NAME
    NICKNAME_REFUSED = "nickname_refused", None
    NICKNAME_TAKEN = "nickname_taken", None
    ASK_ROLE = "ask_role", Awaiting.CHILD_ROLE
    CHILDREN_SO_FAR = "children_so_far"
    # Step 1.
    ASK_CONSENT = "ask_consent"
    DECLINED = "declined"
    NOT_ASKED_YET = "not_asked_yet"
    ASK_MAY_TELL = "ask_may_tell", Awaiting.MAY_TELL
    STEP1_DONE = "step1_done"
    # Step 2.
    ASK_WITNESSED = "ask_witnessed"
    ASK_FACTS = "ask_facts", Awaiting.FACTS
    ASK_FEELING = "ask_feeling", Awaiting.FEELING
    TEXT_REFUSED = "text_refused", None
    SCRIPT = "script"
    ASK_AGREEMENTS = "ask_agreements", Awaiting.AGREEMENTS
    AGREEMENTS_SO_FAR = "agreements_so_far", Awaiting.AGREEMENTS
    AGREEMENT_REFUSED = "agreement_refused", None
    AGREEMENTS_FULL = "agreements_full", None
    NO_AGREEMENTS_YET = "no_agreements_yet", None
    HELD = "held"
    REPORT_BACK = "report_back"
    REPORT_BACK_SNOOZED = "report_back_snoozed"
    REPORTED_BACK = "reported_back"
    # Step 3.
    PLAN = "plan"
    ASK_DATE = "ask_date", Awaiting.FOLLOW_UP_DATE
    DATE_REFUSED = "date_refused", None
    DATE_PASSED = "date_passed", Awaiting.FOLLOW_UP_DATE
    MEETING_NOT_SET = "meeting_not_set"
    NEXT_ACTIVITY_SOON = "next_activity_soon"
    PLANNED = "planned"
    ALREADY_PLANNED = "already_planned", None
    RECORD_OUTCOME = "record_outcome"
    ALREADY_RECORDED = "already_recorded", None
    SNOOZE_OPTIONS = "snooze_options"
    SNOOZED = "snoozed"
    NEW_PROPOSAL = "new_proposal", Awaiting.AGREEMENTS
    STILL_STANDS = "still_stands"
    STOPPED = "stopped"
    FOLLOW_UP_CANCELLED = "follow_up_cancelled"
    # Corrections, at any step.
    CORRECTIONS = "corrections"
    ASK_VICTIM_RENAME = "ask_victim_rename", Awaiting.VICTIM_RENAME
    ASK_AGREEMENT_TEXT = "ask_agreement_text", Awaiting.AGREEMENT_EDIT
    CONFIRM_REMOVE_CHILD = "confirm_remove_child"
    CONFIRM_DELETE_AGREEMENT = "confirm_delete_agreement"
    # The case as a whole.
    OVERVIEW = "overview"
    CONFIRM_CLOSE = "confirm_close"
    CLOSED = "closed"
    # When the protocol does not fit, or does not work (the section at the end).
    STEP1_WAITING = "step1_waiting"
    # Typing the facts again replaces them; a button keeps them.
    FACTS_HINT = "facts_hint", Awaiting.FACTS
    APPROACHES = "approaches"
    APPROACH = "approach"
    APPROACH_CHOSEN = "approach_chosen"
    OUTCOME_WITH_VIEW = "outcome_with_view"
    VIEWS_WEIGHED = "views_weighed"
    NEXT_STEPS = "next_steps"
    NEXT_STEP_CHOSEN = "next_step_chosen"


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


#: The detail of a new proposal's screen shown right after the outcome that asks for it:
#: when that outcome reaches the rounds for the next steps, they come with it.
AFTER_OUTCOME = "after_outcome"


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
    history: tuple[HistoryLine, ...] = ()
    """The lines the event adds to the case's history."""

    @property
    def awaiting(self) -> Awaiting | None:
        """The typed answer to wait for after the last screen (``None``: unchanged)."""
        return self.shown[-1].screen.awaits

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


def item_screen(case: CaseRecord, item: NextItem, now: datetime) -> Shown:
    """The screen where one child's next item is taken up."""
    child = next((c for c in case.children if c.id == item.child_id), None)
    if child is not None and child_stage(case, child, now) is Stage.NEW_PROPOSAL:
        written = round_agreements(child, current_round(child))
        return Shown(Screen.AGREEMENTS_SO_FAR if written else Screen.NEW_PROPOSAL, child)
    if item.what is Next.CONSENT_DECLINED and item.due(now):
        # The moment to ask again has come: the question itself, once more.
        return Shown(Screen.ASK_CONSENT, child)
    return Shown(NEXT_SCREEN[item.what], child)


def continue_with(case: CaseRecord, child: ChildRecord, now: datetime) -> Reply:
    """What is due for ``child`` now, opened; the case at a glance when nothing is."""
    # The child's first due item in the case's own order, as its button says.
    due = [i for i in next_items(case, now) if i.child_id == child.id and i.due(now)]
    if not due:
        return Reply((Shown(Screen.OVERVIEW),))
    return Reply((item_screen(case, due[0], now),))
