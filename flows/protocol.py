"""The protocol as a state machine: a leader's answer in, the next screen out.

The way h11 keeps HTTP in one table of transitions, this module keeps the
one-on-one conversation protocol in one place. A case's state is what is
recorded in it (see :mod:`flows.case`, where each child's :class:`Stage` is
derived from the records and ``now``). An *event* is one thing the leader did:
tapped a button, or typed an answer the bot was waiting for. :func:`handle`
checks the event against :data:`TRANSITIONS` (the stages it is allowed in),
changes the records, and answers with the screens to show next; each screen
says which typed answer the bot then waits for (:data:`AWAITS`).

An event that does not fit where the case stands (a stale button, a forged one,
a press on a closed case) changes nothing and shows where the case stands.

Nothing here reads a clock, a database or Telegram: ``now`` and the leader's
:class:`Rhythm` are passed in, and new records are made through the small
:class:`Records` protocol, which the bot implements with its database rows and
the tests with plain objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from flows.case import (
    AGREEMENT_MAX,
    AGREEMENTS_PER_CONVERSATION_MAX,
    CHILDREN_PER_CASE_MAX,
    FEELING_MAX,
    LONG_TEXT_MAX,
    NICKNAME_MAX,
    CaseRecord,
    ChildRecord,
    Consent,
    Feeling,
    Next,
    Role,
    RoundRecord,
    Stage,
    child_stage,
    clean_text,
    current_round,
    last_outcome,
    next_step,
    open_reminder,
    planned_follow_up,
    round_agreements,
)
from flows.follow_up import (
    Outcome,
    ReminderKind,
    ReminderStatus,
    Snooze,
    needs_new_proposal,
    proposed_next_choice,
    report_back_moment,
    snoozed_until,
)
from flows.follow_up_timing import (
    FOLLOW_UP_CHOICES,
    FollowUpChoice,
    Rhythm,
    follow_up_moment,
)


class Awaiting(StrEnum):
    """The typed answer the bot waits for; buttons and commands work whatever it is."""

    NOTHING = "nothing"
    VICTIM_NAME = "victim_name"
    CHILD_NAME = "child_name"
    MAY_TELL = "may_tell"
    FACTS = "facts"
    FEELING = "feeling"
    AGREEMENTS = "agreements"
    FOLLOW_UP_DATE = "follow_up_date"
    TIME_ZONE = "time_zone"
    # A team's name (bot.handlers.team), outside any case.
    TEAM_NAME = "team_name"


class Screen(StrEnum):
    """What the bot shows a leader in a case. Each waits for one kind of typed answer."""

    # Setting up the case.
    ASK_VICTIM = "ask_victim"
    ASK_CHILD = "ask_child"
    NICKNAME_REFUSED = "nickname_refused"
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
    # The case as a whole.
    OVERVIEW = "overview"
    CONFIRM_CLOSE = "confirm_close"
    CLOSED = "closed"


#: What each screen waits for. ``None``: a refusal, the leader stays where they were.
AWAITS: dict[Screen, Awaiting | None] = {
    Screen.ASK_VICTIM: Awaiting.VICTIM_NAME,
    Screen.ASK_CHILD: Awaiting.CHILD_NAME,
    Screen.NICKNAME_REFUSED: None,
    Screen.ASK_ROLE: Awaiting.NOTHING,
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
    Screen.OVERVIEW: Awaiting.NOTHING,
    Screen.CONFIRM_CLOSE: Awaiting.NOTHING,
    Screen.CLOSED: Awaiting.NOTHING,
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


# --- Events: one per thing a leader does in a case. ---------------------------------------
# Every event names its child by id (0 when it concerns the case). Their fields are ints,
# bools and enums only, so a button can carry one as it is (see bot.callback_data).


@dataclass(frozen=True)
class Event:
    """Something the leader did in a case."""

    child_id: int


@dataclass(frozen=True)
class Open(Event):
    """Open the case: it at a glance."""


@dataclass(frozen=True)
class Continue(Event):
    """Straight to the next thing to do."""


@dataclass(frozen=True)
class AddChild(Event):
    """Another child who bullies or joins in (before step 1 is asked)."""


@dataclass(frozen=True)
class ChildNamed(Event):
    """The nickname of a child who bullies or joins in, typed."""

    text: str


@dataclass(frozen=True)
class RoleChosen(Event):
    """Bullies, or joins in."""

    role: Role


@dataclass(frozen=True)
class SetupDone(Event):
    """Everyone is in: on to step 1."""


@dataclass(frozen=True)
class ConsentAnswered(Event):
    """Step 1: did the child who is bullied agree?"""

    agreed: bool


@dataclass(frozen=True)
class NotAskedYet(Event):
    """Step 1: the leader has not asked yet."""


@dataclass(frozen=True)
class AskAgain(Event):
    """Step 1 after a "no": the question once more."""


@dataclass(frozen=True)
class EditMayTell(Event):
    """Type what may be told (again)."""


@dataclass(frozen=True)
class MayTellTyped(Event):
    """What the child who is bullied allows the leader to tell, typed."""

    text: str


@dataclass(frozen=True)
class Witnessed(Event):
    """Step 2: seen ("I see") or heard ("I hear")."""

    seen: bool


@dataclass(frozen=True)
class EditFacts(Event):
    """Step 2: the facts once more, from "seen or heard"."""


@dataclass(frozen=True)
class FactsTyped(Event):
    """Step 2: the facts for "… has happened", typed."""

    text: str


@dataclass(frozen=True)
class AskFeeling(Event):
    """Step 2: the feeling question (again)."""


@dataclass(frozen=True)
class FeelingChosen(Event):
    """Step 2: a feeling the protocol names."""

    feeling: Feeling


@dataclass(frozen=True)
class FeelingTyped(Event):
    """Step 2: a feeling in the leader's own word."""

    text: str


@dataclass(frozen=True)
class TalkHeld(Event):
    """Step 2: the talk took place; the agreements come next."""


@dataclass(frozen=True)
class AgreementTyped(Event):
    """One agreement of step 2's proposal or of a new proposal in step 3."""

    text: str


@dataclass(frozen=True)
class AgreementsDone(Event):
    """Every agreement of the proposal is in."""


@dataclass(frozen=True)
class ReportedBack(Event):
    """The promise of step 1 is kept: the leader reported back on this talk."""


@dataclass(frozen=True)
class ReportBackLater(Event):
    """Remind me tomorrow of reporting back."""


@dataclass(frozen=True)
class AskPlan(Event):
    """Step 3: when to follow up (again, or moved)."""


@dataclass(frozen=True)
class PlanChosen(Event):
    """Step 3: an interval, the next meeting, or "a date" for the next follow-up."""

    choice: FollowUpChoice


@dataclass(frozen=True)
class DateTyped(Event):
    """Step 3: the date of the next follow-up, typed."""

    text: str


@dataclass(frozen=True)
class CancelFollowUp(Event):
    """Step 3: no reminder for this child's follow-up."""


@dataclass(frozen=True)
class OutcomeGiven(Event):
    """Step 3: how far the bullying has stopped."""

    outcome: Outcome


@dataclass(frozen=True)
class AskSnooze(Event):
    """Step 3: not talked yet; when to remind again?"""


@dataclass(frozen=True)
class Snoozed(Event):
    """Step 3: not talked yet; remind again at this moment."""

    snooze: Snooze


@dataclass(frozen=True)
class KeepOpen(Event):
    """An inactive case stays open."""


@dataclass(frozen=True)
class Close(Event):
    """Close the case: asks first."""


@dataclass(frozen=True)
class CloseConfirmed(Event):
    """Close the case, confirmed."""


# --- What the machine answers. ------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One screen to show, about the case or one of its children."""

    screen: Screen
    child: ChildRecord | None = None
    proposed: FollowUpChoice | None = None
    """The interval to propose first on a plan screen."""


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


class Records(Protocol):
    """Makes the new records of a case; the bot's are database rows."""

    def add_child(self, case: CaseRecord, nickname: str) -> ChildRecord:
        """A new child (who bullies, until the leader picks a role) at the end of the case."""
        ...

    def add_agreement(
        self, child: ChildRecord, text: str, round_: RoundRecord | None, now: datetime
    ) -> None:
        """An agreement of step 2 (``round_`` is ``None``) or of a follow-up's new proposal."""
        ...

    def add_round(
        self, child: ChildRecord, outcome: Outcome, previous_choice: str | None, now: datetime
    ) -> RoundRecord:
        """A follow-up talk that took place, with its outcome."""
        ...

    def plan_reminder(
        self,
        case: CaseRecord,
        child: ChildRecord,
        kind: ReminderKind,
        due_at: datetime,
        now: datetime,
        choice: str | None = None,
    ) -> None:
        """A new pending reminder of ``kind``; an open one of that kind is cancelled first."""
        ...

    def erase_reminders(self, case: CaseRecord) -> None:
        """Every reminder of a closed case, gone."""
        ...


@dataclass(frozen=True)
class Moment:
    """What time it is for the leader: ``now``, their rhythm, and where new records go."""

    now: datetime
    rhythm: Rhythm
    records: Records


# --- The transitions. ---------------------------------------------------------------------

Effect = Callable[[CaseRecord, ChildRecord | None, Event, Moment], Reply]


@dataclass(frozen=True)
class Transition:
    """Where an event is allowed, and what it does there."""

    case_stages: frozenset[CaseStage]
    """The stages of the case in which the event is allowed."""
    child_stages: frozenset[Stage] | None
    """For an event about a child: the child's stages in which it is allowed."""
    effect: Effect


class CaseStage(StrEnum):
    """Where the case as a whole stands: setting up, step 1, or the children's own paths."""

    SETUP = "setup"
    """Adding the children who bully or join in; step 1 not asked yet."""
    STEP1 = "step1"
    """Step 1 asked, not settled: permission or what may be told is missing."""
    CHILDREN = "children"
    """Step 1 settled: each child goes on along their own path."""
    CLOSED = "closed"


def case_stage(case: CaseRecord) -> CaseStage:
    """Where ``case`` stands as a whole."""
    if case.closed_at is not None:
        return CaseStage.CLOSED
    if case.consent == Consent.NOT_ASKED:
        return CaseStage.SETUP
    if case.consent == Consent.DECLINED or not case.may_tell:
        return CaseStage.STEP1
    return CaseStage.CHILDREN


def _show(screen: Screen, child: ChildRecord | None = None) -> Reply:
    return Reply((Shown(screen, child),))


def next_screen(case: CaseRecord, now: datetime) -> Shown:
    """The screen of the one next thing to do in ``case``."""
    step = next_step(case, now)
    child = next((c for c in case.children if c.id == step.child_id), None)
    return Shown(NEXT_SCREEN[step.what], child)


def where_it_stands(case: CaseRecord, now: datetime, *before: Shown) -> Reply:
    """Screens ``before``, then the next thing to do."""
    return Reply((*before, next_screen(case, now)))


def _touch(case: CaseRecord, at: Moment) -> None:
    case.updated_at = at.now


def _open(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return _show(Screen.OVERVIEW)


def _continue(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return where_it_stands(case, at.now)


def _add_child(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    if len(case.children) >= CHILDREN_PER_CASE_MAX:
        return _show(Screen.CHILDREN_SO_FAR)
    return _show(Screen.ASK_CHILD)


def _child_named(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, ChildNamed)
    nickname = clean_text(event.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        return _show(Screen.NICKNAME_REFUSED)
    if len(case.children) >= CHILDREN_PER_CASE_MAX:
        return _show(Screen.CHILDREN_SO_FAR)
    added = at.records.add_child(case, nickname)
    _touch(case, at)
    return _show(Screen.ASK_ROLE, added)


def _role_chosen(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, RoleChosen) and child is not None
    child.role = event.role
    return _show(Screen.CHILDREN_SO_FAR)


def _setup_done(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    if not case.children:
        return _show(Screen.ASK_CHILD)
    return _show(Screen.ASK_CONSENT)


def _consent(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, ConsentAnswered)
    if not case.children or any(c.held_at is not None for c in case.children):
        # A talk was held on this permission already; a stale button does not take it back.
        return where_it_stands(case, at.now)
    case.consent = Consent.AGREED if event.agreed else Consent.DECLINED
    _touch(case, at)
    return _show(Screen.ASK_MAY_TELL if event.agreed else Screen.DECLINED)


def _not_asked_yet(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return _show(Screen.NOT_ASKED_YET)


def _ask_again(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    if case.consent == Consent.AGREED:
        return where_it_stands(case, at.now)
    return _show(Screen.ASK_CONSENT)


def _edit_may_tell(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    if case.consent != Consent.AGREED:
        return where_it_stands(case, at.now)
    return _show(Screen.ASK_MAY_TELL)


def _may_tell_typed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, MayTellTyped)
    if case.consent != Consent.AGREED:
        return where_it_stands(case, at.now)
    text = clean_text(event.text, LONG_TEXT_MAX)
    if text is None:
        return _show(Screen.TEXT_REFUSED)
    case.may_tell = text
    _touch(case, at)
    return _show(Screen.STEP1_DONE)


def _witnessed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, Witnessed) and child is not None
    child.witnessed = event.seen
    return _show(Screen.ASK_FACTS, child)


def _edit_facts(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return _show(Screen.ASK_WITNESSED, child)


def _facts_typed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, FactsTyped) and child is not None
    facts = clean_text(event.text, LONG_TEXT_MAX)
    if facts is None:
        return _show(Screen.TEXT_REFUSED, child)
    child.facts = facts
    _touch(case, at)
    return _show(Screen.SCRIPT if child.feeling is not None else Screen.ASK_FEELING, child)


def _ask_feeling(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert child is not None
    return _show(Screen.ASK_FACTS if child.facts is None else Screen.ASK_FEELING, child)


def _feeling(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, FeelingChosen | FeelingTyped) and child is not None
    if child.facts is None:
        return _show(Screen.ASK_FACTS, child)
    if isinstance(event, FeelingChosen):
        feeling: str | None = event.feeling
    else:
        feeling = clean_text(event.text, FEELING_MAX, single_line=True)
        if feeling is None:
            return _show(Screen.TEXT_REFUSED, child)
    assert feeling is not None
    child.feeling = feeling
    _touch(case, at)
    return _show(Screen.SCRIPT, child)


def _talk_held(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return _show(Screen.ASK_AGREEMENTS, child)


def _agreement_typed(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    """One collector for step 2's proposal and for a new proposal in step 3."""
    assert isinstance(event, AgreementTyped) and child is not None
    text = clean_text(event.text, AGREEMENT_MAX)
    if text is None:
        return _show(Screen.AGREEMENT_REFUSED, child)
    round_ = current_round(child)
    if len(round_agreements(child, round_)) >= AGREEMENTS_PER_CONVERSATION_MAX:
        return _show(Screen.AGREEMENTS_FULL, child)
    at.records.add_agreement(child, text, round_, at.now)
    _touch(case, at)
    return _show(Screen.AGREEMENTS_SO_FAR, child)


def _agreements_done(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    assert child is not None
    if child.held_at is not None:
        # A new proposal (possibly none) is in: when is the next follow-up?
        latest = child.follow_ups[-1]
        proposed = proposed_next_choice(Outcome(latest.outcome), latest.previous_choice)
        return Reply((Shown(Screen.PLAN, child, proposed),))
    if not round_agreements(child, None):
        return Reply((Shown(Screen.NO_AGREEMENTS_YET, child), Shown(Screen.ASK_AGREEMENTS, child)))
    child.held_at = at.now
    _touch(case, at)
    # If the promise of step 1 is not kept by tomorrow, a reminder comes.
    at.records.plan_reminder(
        case, child, ReminderKind.REPORT_BACK, report_back_moment(at.now, at.rhythm), at.now
    )
    return Reply((Shown(Screen.HELD, child), Shown(Screen.PLAN, child)))


def _reported_back(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert child is not None
    if child.reported_back_at is None:
        child.reported_back_at = at.now
        _touch(case, at)
        reminder = open_reminder(child, ReminderKind.REPORT_BACK)
        if reminder is not None:
            reminder.status = ReminderStatus.CANCELLED
    return where_it_stands(case, at.now)


def _report_back_later(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    assert child is not None
    if child.reported_back_at is not None:
        return where_it_stands(case, at.now)
    when = follow_up_moment(FollowUpChoice.TOMORROW, at.now, at.rhythm)
    at.records.plan_reminder(case, child, ReminderKind.REPORT_BACK, when, at.now)
    return _show(Screen.REPORT_BACK_SNOOZED, child)


def _ask_plan(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return _show(Screen.PLAN, child)


def _schedule(
    case: CaseRecord, child: ChildRecord, choice: FollowUpChoice, on: date | None, at: Moment
) -> Reply:
    when = follow_up_moment(choice, at.now, at.rhythm, on_date=on)
    current = planned_follow_up(child)
    if current is not None and current.due_at == when and current.choice == choice:
        # The same choice pressed twice: planned once, said once.
        return _show(Screen.ALREADY_PLANNED, child)
    at.records.plan_reminder(case, child, ReminderKind.FOLLOW_UP, when, at.now, choice)
    _touch(case, at)
    return where_it_stands(case, at.now, Shown(Screen.PLANNED, child))


def _plan_chosen(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, PlanChosen) and child is not None
    if event.choice not in FOLLOW_UP_CHOICES:
        return _show(Screen.PLAN, child)
    if event.choice is FollowUpChoice.ON_DATE:
        return _show(Screen.ASK_DATE, child)
    if event.choice is FollowUpChoice.NEXT_MEETING and not at.rhythm.has_meeting:
        return _show(Screen.MEETING_NOT_SET, child)
    return _schedule(case, child, event.choice, None, at)


#: The furthest ahead a typed follow-up date may be.
LATEST_DATE_AHEAD = timedelta(days=366)
_DATE = re.compile(r"^\s*(\d{1,2})\s*[-/. ]\s*(\d{1,2})(?:\s*[-/. ]\s*(\d{2}|\d{4}))?\s*\.?\s*$")


def parse_day(text: str, today: date) -> date | None:
    """A day-month(-year) date typed by a leader; the year defaults to the next such day."""
    match = _DATE.match(text)
    if not match:
        return None
    day, month, year = int(match[1]), int(match[2]), match[3]
    try:
        if year is not None:
            full_year = int(year) + (2000 if len(year) == 2 else 0)
            return date(full_year, month, day)
        found = date(today.year, month, day)
        return found if found > today else date(today.year + 1, month, day)
    except ValueError:
        return None


def _date_typed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, DateTyped) and child is not None
    today = at.now.astimezone(at.rhythm.zone).date()
    day = parse_day(event.text, today)
    if day is None or day <= today or day > today + LATEST_DATE_AHEAD:
        return _show(Screen.DATE_REFUSED, child)
    return _schedule(case, child, FollowUpChoice.ON_DATE, day, at)


def _cancel_follow_up(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    assert child is not None
    planned = planned_follow_up(child)
    assert planned is not None
    planned.status = ReminderStatus.CANCELLED
    return _show(Screen.FOLLOW_UP_CANCELLED, child)


def _outcome(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, OutcomeGiven) and child is not None
    planned = planned_follow_up(child)
    assert planned is not None
    planned.status = ReminderStatus.ANSWERED
    at.records.add_round(child, event.outcome, planned.choice, at.now)
    _touch(case, at)
    if needs_new_proposal(event.outcome):
        return _show(Screen.NEW_PROPOSAL, child)
    proposed = proposed_next_choice(event.outcome, planned.choice)
    return Reply((Shown(Screen.STOPPED, child, proposed),))


def _ask_snooze(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return _show(Screen.SNOOZE_OPTIONS, child)


def _snoozed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, Snoozed) and child is not None
    planned = planned_follow_up(child)
    assert planned is not None
    planned.due_at = snoozed_until(event.snooze, at.now, at.rhythm)
    planned.status = ReminderStatus.PENDING
    planned.late = False
    return _show(Screen.SNOOZED, child)


def _keep_open(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    _touch(case, at)
    return _show(Screen.OVERVIEW)


def _close(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return _show(Screen.CONFIRM_CLOSE)


def _close_confirmed(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    case.closed_at = at.now
    _touch(case, at)
    at.records.erase_reminders(case)
    return _show(Screen.CLOSED)


_OPEN = frozenset({CaseStage.SETUP, CaseStage.STEP1, CaseStage.CHILDREN})
_ANY = frozenset(CaseStage)
_STEP2 = frozenset({Stage.FACTS, Stage.FEELING, Stage.READY_TO_TALK})
_TALKED = frozenset({Stage.TO_PLAN, Stage.PLANNED, Stage.DUE, Stage.NEW_PROPOSAL, Stage.MONITORING})
_PLANNED = frozenset({Stage.PLANNED, Stage.DUE})
_ALL_STAGES = frozenset(Stage) - {Stage.CLOSED}


def _case(*stages: CaseStage) -> frozenset[CaseStage]:
    return frozenset(stages)


#: Every event, where it is allowed, and what it does: the protocol in one table.
TRANSITIONS: dict[type[Event], Transition] = {
    Open: Transition(_ANY, None, _open),
    Continue: Transition(_OPEN, None, _continue),
    KeepOpen: Transition(_OPEN, None, _keep_open),
    Close: Transition(_OPEN, None, _close),
    CloseConfirmed: Transition(_OPEN, None, _close_confirmed),
    # Setting up the case.
    AddChild: Transition(_case(CaseStage.SETUP), None, _add_child),
    ChildNamed: Transition(_case(CaseStage.SETUP), None, _child_named),
    RoleChosen: Transition(_case(CaseStage.SETUP), _ALL_STAGES, _role_chosen),
    SetupDone: Transition(_case(CaseStage.SETUP), None, _setup_done),
    # Step 1: with the child who is bullied.
    ConsentAnswered: Transition(_OPEN, None, _consent),
    NotAskedYet: Transition(_case(CaseStage.SETUP, CaseStage.STEP1), None, _not_asked_yet),
    AskAgain: Transition(_OPEN, None, _ask_again),
    EditMayTell: Transition(_case(CaseStage.STEP1, CaseStage.CHILDREN), None, _edit_may_tell),
    MayTellTyped: Transition(_case(CaseStage.STEP1, CaseStage.CHILDREN), None, _may_tell_typed),
    # Step 2: with each child who bullies or joins in.
    Witnessed: Transition(_case(CaseStage.CHILDREN), _STEP2, _witnessed),
    EditFacts: Transition(_case(CaseStage.CHILDREN), _STEP2, _edit_facts),
    FactsTyped: Transition(_case(CaseStage.CHILDREN), _STEP2, _facts_typed),
    AskFeeling: Transition(_case(CaseStage.CHILDREN), _STEP2, _ask_feeling),
    FeelingChosen: Transition(_case(CaseStage.CHILDREN), _STEP2, _feeling),
    FeelingTyped: Transition(_case(CaseStage.CHILDREN), _STEP2, _feeling),
    TalkHeld: Transition(_case(CaseStage.CHILDREN), frozenset({Stage.READY_TO_TALK}), _talk_held),
    AgreementTyped: Transition(
        _case(CaseStage.CHILDREN),
        frozenset({Stage.READY_TO_TALK, Stage.NEW_PROPOSAL}),
        _agreement_typed,
    ),
    AgreementsDone: Transition(
        _case(CaseStage.CHILDREN),
        frozenset({Stage.READY_TO_TALK, Stage.NEW_PROPOSAL}),
        _agreements_done,
    ),
    ReportedBack: Transition(_case(CaseStage.CHILDREN), _TALKED, _reported_back),
    ReportBackLater: Transition(_case(CaseStage.CHILDREN), _TALKED, _report_back_later),
    # Step 3: following up until the bullying has stopped.
    AskPlan: Transition(_case(CaseStage.CHILDREN), _TALKED, _ask_plan),
    PlanChosen: Transition(_case(CaseStage.CHILDREN), _TALKED, _plan_chosen),
    DateTyped: Transition(_case(CaseStage.CHILDREN), _TALKED, _date_typed),
    CancelFollowUp: Transition(_case(CaseStage.CHILDREN), _PLANNED, _cancel_follow_up),
    OutcomeGiven: Transition(_case(CaseStage.CHILDREN), _PLANNED, _outcome),
    AskSnooze: Transition(_case(CaseStage.CHILDREN), _PLANNED, _ask_snooze),
    Snoozed: Transition(_case(CaseStage.CHILDREN), _PLANNED, _snoozed),
}


def allowed(case: CaseRecord, event: Event, now: datetime) -> bool:
    """Whether ``event`` fits where ``case`` (and the event's child) stands."""
    transition = TRANSITIONS[type(event)]
    if case_stage(case) not in transition.case_stages:
        return False
    if transition.child_stages is None:
        return True
    child = next((c for c in case.children if c.id == event.child_id), None)
    return child is not None and child_stage(case, child, now) in transition.child_stages


#: Refusals that say why before showing where the case stands.
_REFUSAL: dict[type[Event], Screen] = {
    OutcomeGiven: Screen.ALREADY_RECORDED,
    Snoozed: Screen.ALREADY_RECORDED,
    AskSnooze: Screen.ALREADY_RECORDED,
}


def handle(case: CaseRecord, event: Event, at: Moment) -> Reply:
    """Apply ``event`` to ``case`` if it fits where the case stands; answer what to show.

    An event that does not fit changes nothing: the answer is where the case stands
    (on a closed case, its overview), marked as not accepted.
    """
    if not allowed(case, event, at.now):
        if case.closed_at is not None:
            return Reply((Shown(Screen.OVERVIEW),), accepted=False)
        before = (Shown(_REFUSAL[type(event)]),) if type(event) in _REFUSAL else ()
        return Reply(where_it_stands(case, at.now, *before).shown, accepted=False)
    child = next((c for c in case.children if c.id == event.child_id), None)
    return TRANSITIONS[type(event)].effect(case, child, event, at)


def transition_table() -> list[tuple[str, str, str, str]]:
    """The table of transitions as text rows: event, case stages, child stages, effect."""
    rows = []
    for event, transition in TRANSITIONS.items():
        children = (
            "—"
            if transition.child_stages is None
            else ", ".join(sorted(s.value for s in transition.child_stages))
        )
        rows.append(
            (
                event.__name__,
                ", ".join(sorted(s.value for s in transition.case_stages)),
                children,
                (transition.effect.__name__).lstrip("_"),
            )
        )
    return rows


#: The typed answers that are events in a case, by what the bot waits for.
TYPED_EVENTS: dict[Awaiting, Callable[[int, str], Event]] = {
    Awaiting.CHILD_NAME: ChildNamed,
    Awaiting.MAY_TELL: MayTellTyped,
    Awaiting.FACTS: FactsTyped,
    Awaiting.FEELING: FeelingTyped,
    Awaiting.AGREEMENTS: AgreementTyped,
    Awaiting.FOLLOW_UP_DATE: DateTyped,
}


def last_round_stopped(child: ChildRecord) -> bool:
    """Whether the bullying had stopped at this child's last follow-up."""
    return last_outcome(child) is Outcome.STOPPED


def everyone_stopped(case: CaseRecord) -> bool:
    """Whether the bullying had stopped at the last follow-up of every child of ``case``."""
    return all(last_round_stopped(c) for c in case.children)
