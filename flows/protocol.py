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

from babel import Locale
from babel.dates import get_day_names

from flows import fact_words, step1_waiting
from flows.case import (
    AGREEMENT_MAX,
    AGREEMENTS_PER_CONVERSATION_MAX,
    CHILDREN_PER_CASE_MAX,
    FEELING_MAX,
    LONG_TEXT_MAX,
    NICKNAME_MAX,
    AgreementRecord,
    CaseRecord,
    ChildRecord,
    Consent,
    RoundRecord,
    Stage,
    child_stage,
    clean_text,
    current_round,
    follow_up_number,
    last_outcome,
    open_reminder,
    planned_follow_up,
    role_of,
    round_agreements,
    same_nickname,
    step1_settled,
)
from flows.escalation import weighed_outcome
from flows.events import (
    AddChild,
    AgreementEdited,
    AgreementsDone,
    AgreementTyped,
    ApproachChosen,
    AskAgain,
    AskFeeling,
    AskPlan,
    AskRole,
    AskSnooze,
    CancelFollowUp,
    ChildNamed,
    ChildRemoved,
    Close,
    CloseConfirmed,
    ConsentAnswered,
    Continue,
    Correct,
    DateTyped,
    DeleteAgreement,
    EditAgreement,
    EditFacts,
    EditMayTell,
    Event,
    FactsKept,
    FactsTyped,
    FeelingChosen,
    FeelingTyped,
    FollowUpAnswer,
    KeepOpen,
    MayTellTyped,
    NextStepChosen,
    NicknameCorrected,
    NotAskedYet,
    Open,
    OutcomeGiven,
    OutcomeWithView,
    PlanChosen,
    RemoveChild,
    RenameVictim,
    ReportBackLater,
    ReportedBack,
    RoleChosen,
    SameFactsAs,
    SameFeelingAs,
    SetupDone,
    ShowApproach,
    ShowApproaches,
    ShowNextSteps,
    Snoozed,
    Step1Chosen,
    TalkHeld,
    VictimRenamed,
    VictimViewGiven,
    Witnessed,
)
from flows.follow_up import (
    Outcome,
    ReminderKind,
    ReminderStatus,
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
from flows.history import HistoryKind, NextStepChoice, Step1Choice
from flows.language import N_, _, babel_locale
from flows.replies import (
    AWAITS,
    NEXT_SCREEN,
    Awaiting,
    Reply,
    Screen,
    Shown,
    next_screen,
    show,
    where_it_stands,
)


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

    def remove_agreement(self, child: ChildRecord, agreement: AgreementRecord) -> None:
        """An agreement the leader deleted."""
        ...

    def remove_child(self, case: CaseRecord, child: ChildRecord) -> None:
        """A child added by mistake, with everything recorded for them."""
        ...

    def add_history(
        self,
        case: CaseRecord,
        child: ChildRecord | None,
        kind: HistoryKind,
        detail: str,
        now: datetime,
    ) -> None:
        """An entry of the case's history: what the leader chose (see :mod:`flows.history`)."""
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
    if all(c.consent == Consent.NOT_ASKED for c in case.children):
        return CaseStage.SETUP
    if not any(step1_settled(c) for c in case.children):
        return CaseStage.STEP1
    return CaseStage.CHILDREN


def _touch(case: CaseRecord, at: Moment) -> None:
    case.updated_at = at.now


def _open(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.OVERVIEW)


def _continue(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return where_it_stands(case, at.now)


def _add_child(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    if len(case.children) >= CHILDREN_PER_CASE_MAX:
        return show(Screen.CHILDREN_SO_FAR)
    return show(Screen.ASK_CHILD)


def _child_named(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, ChildNamed)
    nickname = clean_text(event.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        return show(Screen.NICKNAME_REFUSED)
    if same_nickname(case, nickname):
        return show(Screen.NICKNAME_TAKEN)
    if len(case.children) >= CHILDREN_PER_CASE_MAX:
        return show(Screen.CHILDREN_SO_FAR)
    added = at.records.add_child(case, nickname)
    _touch(case, at)
    return show(Screen.ASK_ROLE, added)


def _nickname_corrected(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    """The role question stays open; the text is taken as the name it corrects."""
    assert isinstance(event, NicknameCorrected) and child is not None
    nickname = clean_text(event.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        return show(Screen.NICKNAME_REFUSED, child)
    if same_nickname(case, nickname, besides=child.id):
        return show(Screen.NICKNAME_TAKEN, child)
    child.nickname = nickname
    _touch(case, at)
    return show(Screen.ASK_ROLE, child)


def _role_chosen(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, RoleChosen) and child is not None
    child.role = event.role
    _touch(case, at)
    if case_stage(case) is CaseStage.SETUP:
        return show(Screen.CHILDREN_SO_FAR)
    if child.consent == Consent.NOT_ASKED:
        return where_it_stands(case, at.now)  # a child added later: their step 1 is next
    return show(Screen.OVERVIEW)  # a correction, later on


def _without_role(case: CaseRecord) -> ChildRecord | None:
    return next((c for c in case.children if role_of(c) is None), None)


def _setup_done(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    if not case.children:
        return show(Screen.ASK_CHILD)
    unsure = _without_role(case)
    if unsure is not None:
        # Step 1 names the children by what they do: every role is picked first.
        return show(Screen.ASK_ROLE, unsure)
    return where_it_stands(case, at.now)  # step 1, for the first child not asked yet


def _consent(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    """The bullied child's answer about one child who bullies."""
    assert isinstance(event, ConsentAnswered) and child is not None
    unsure = _without_role(case)
    if unsure is not None:
        return show(Screen.ASK_ROLE, unsure)
    child.consent = Consent.AGREED if event.agreed else Consent.DECLINED
    _touch(case, at)
    if event.agreed:
        _cancel_step1_reminder(child)
        if child.may_tell:
            return where_it_stands(case, at.now)
        return show(Screen.ASK_MAY_TELL, child)
    # Never silently: a reminder to ask again comes, whatever the leader does next.
    _remind_step1(case, child, step1_waiting.AFTER_NO[Step1Choice.TRY_LATER], at)
    return show(Screen.DECLINED, child)


def _not_asked_yet(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert child is not None
    if child.consent == Consent.AGREED:
        return where_it_stands(case, at.now)
    _remind_step1(case, child, step1_waiting.ask_reminder(at.rhythm), at)
    return show(Screen.NOT_ASKED_YET, child)


def _ask_again(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert child is not None
    if child.consent == Consent.AGREED:
        return where_it_stands(case, at.now)
    return show(Screen.ASK_CONSENT, child)


def _edit_may_tell(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert child is not None
    if child.consent != Consent.AGREED:
        return where_it_stands(case, at.now)
    return show(Screen.ASK_MAY_TELL, child)


def _may_tell_typed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, MayTellTyped) and child is not None
    if child.consent != Consent.AGREED:
        return where_it_stands(case, at.now)
    text = clean_text(event.text, LONG_TEXT_MAX)
    if text is None:
        return show(Screen.TEXT_REFUSED, child)
    child.may_tell = text
    _touch(case, at)
    return show(Screen.STEP1_DONE, child)


def _witnessed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, Witnessed) and child is not None
    child.witnessed = event.seen
    return show(Screen.ASK_FACTS, child)


def _edit_facts(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.ASK_WITNESSED, child)


def _facts_typed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, FactsTyped) and child is not None
    facts = clean_text(event.text, LONG_TEXT_MAX)
    if facts is None:
        return show(Screen.TEXT_REFUSED, child)
    child.facts = facts
    _touch(case, at)
    if fact_words.worth_a_look(facts, case.victim_nickname):
        # A gentle hint, never a block: the facts are kept; typing again replaces them.
        return show(Screen.FACTS_HINT, child)
    return _after_facts(child)


def _after_facts(child: ChildRecord) -> Reply:
    if child.held_at is not None:
        return show(Screen.OVERVIEW)  # a correction after the talk
    return show(Screen.SCRIPT if child.feeling is not None else Screen.ASK_FEELING, child)


def _ask_feeling(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert child is not None
    return show(Screen.ASK_FACTS if child.facts is None else Screen.ASK_FEELING, child)


def _feeling(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, FeelingChosen | FeelingTyped) and child is not None
    if child.facts is None:
        return show(Screen.ASK_FACTS, child)
    if isinstance(event, FeelingChosen):
        feeling: str | None = event.feeling
    else:
        feeling = clean_text(event.text, FEELING_MAX, single_line=True)
        if feeling is None:
            return show(Screen.TEXT_REFUSED, child)
    assert feeling is not None
    child.feeling = feeling
    _touch(case, at)
    return show(Screen.OVERVIEW if child.held_at is not None else Screen.SCRIPT, child)


def _talk_held(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.ASK_AGREEMENTS, child)


def _agreement_typed(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    """One collector for step 2's proposal and for a new proposal in step 3."""
    assert isinstance(event, AgreementTyped) and child is not None
    text = clean_text(event.text, AGREEMENT_MAX)
    if text is None:
        return show(Screen.AGREEMENT_REFUSED, child)
    round_ = current_round(child)
    if len(round_agreements(child, round_)) >= AGREEMENTS_PER_CONVERSATION_MAX:
        return show(Screen.AGREEMENTS_FULL, child)
    at.records.add_agreement(child, text, round_, at.now)
    _touch(case, at)
    return show(Screen.AGREEMENTS_SO_FAR, child)


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
    return show(Screen.REPORT_BACK_SNOOZED, child)


def _ask_plan(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.PLAN, child)


def _schedule(
    case: CaseRecord, child: ChildRecord, choice: FollowUpChoice, on: date | None, at: Moment
) -> Reply:
    when = follow_up_moment(choice, at.now, at.rhythm, on_date=on)
    current = planned_follow_up(child)
    if current is not None and current.due_at == when and current.choice == choice:
        # The same choice pressed twice: planned once, said once.
        return show(Screen.ALREADY_PLANNED, child)
    at.records.plan_reminder(case, child, ReminderKind.FOLLOW_UP, when, at.now, choice)
    _touch(case, at)
    planned = Shown(Screen.PLANNED, child)
    after = next_screen(case, at.now)
    if after.screen in (Screen.REPORT_BACK, Screen.OVERVIEW):
        # Nothing else to do now: the reminders (to report back, to follow up) will come.
        return Reply((planned,))
    return Reply((planned, after))


def _plan_chosen(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, PlanChosen) and child is not None
    if event.choice not in FOLLOW_UP_CHOICES:
        return show(Screen.PLAN, child)
    if event.choice is FollowUpChoice.ON_DATE:
        return show(Screen.ASK_DATE, child)
    if event.choice is FollowUpChoice.NEXT_MEETING and not at.rhythm.has_meeting:
        return show(Screen.MEETING_NOT_SET, child)
    return _schedule(case, child, event.choice, None, at)


#: The furthest ahead a typed follow-up date may be.
LATEST_DATE_AHEAD = timedelta(days=366)
_DATE = re.compile(r"^\s*(\d{1,2})\s*[-/. ]\s*(\d{1,2})(?:\s*[-/. ]\s*(\d{2}|\d{4}))?\s*\.?\s*$")


#: The word for the day after today, in the leader's language ("morgen", "demain", …).
TOMORROW_WORD = N_("tomorrow")


def _day_words() -> dict[str, int]:
    """Weekday names (0 = Monday) as a leader may type them, in their language and English."""
    words: dict[str, int] = {}
    for locale in {babel_locale(), Locale.parse("en")}:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names = get_day_names(width, context, locale=locale)
                words.update({str(n).casefold().rstrip("."): d for d, n in names.items()})
    return words


def parse_day(text: str, today: date) -> date | None:
    """A date a leader typed: day-month(-year), a weekday's name, or "tomorrow".

    The year defaults to the next such day; a weekday is the next one after today.
    """
    word = text.strip().casefold().rstrip(".")
    if word in {_(TOMORROW_WORD).casefold(), "tomorrow"}:
        return today + timedelta(days=1)
    weekday = _day_words().get(word)
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
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
        return show(Screen.DATE_REFUSED, child)
    return _schedule(case, child, FollowUpChoice.ON_DATE, day, at)


def _cancel_follow_up(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    assert child is not None
    planned = planned_follow_up(child)
    assert planned is not None
    planned.status = ReminderStatus.CANCELLED
    return show(Screen.FOLLOW_UP_CANCELLED, child)


def _outcome(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, OutcomeGiven) and child is not None
    planned = planned_follow_up(child)
    assert planned is not None
    planned.status = ReminderStatus.ANSWERED
    at.records.add_round(child, event.outcome, planned.choice, at.now)
    _touch(case, at)
    if needs_new_proposal(event.outcome):
        return show(Screen.NEW_PROPOSAL, child)
    proposed = proposed_next_choice(event.outcome, planned.choice)
    return Reply((Shown(Screen.STOPPED, child, proposed),))


def _ask_snooze(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.SNOOZE_OPTIONS, child)


def _snoozed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, Snoozed) and child is not None
    planned = planned_follow_up(child)
    assert planned is not None
    planned.due_at = snoozed_until(event.snooze, at.now, at.rhythm)
    planned.status = ReminderStatus.PENDING
    planned.late = False
    return show(Screen.SNOOZED, child)


def _keep_open(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    _touch(case, at)
    return show(Screen.OVERVIEW)


def _close(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.CONFIRM_CLOSE)


def _close_confirmed(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    case.closed_at = at.now
    _touch(case, at)
    at.records.erase_reminders(case)
    return show(Screen.CLOSED)


def _correct(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.CORRECTIONS)


def _rename_victim(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.ASK_VICTIM_RENAME)


def _victim_renamed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, VictimRenamed)
    nickname = clean_text(event.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        return show(Screen.NICKNAME_REFUSED)
    if nickname.casefold() in {c.nickname.casefold() for c in case.children}:
        return show(Screen.NICKNAME_TAKEN)
    case.victim_nickname = nickname
    _touch(case, at)
    return show(Screen.OVERVIEW)


def _ask_role(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.ASK_ROLE, child)


def _agreement(child: ChildRecord, agreement_id: int) -> AgreementRecord | None:
    return next((a for a in child.agreements if a.id == agreement_id), None)


def _edit_agreement(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, EditAgreement) and child is not None
    if _agreement(child, event.agreement_id) is None:
        return where_it_stands(case, at.now)
    return Reply((Shown(Screen.ASK_AGREEMENT_TEXT, child, item=event.agreement_id),))


def _agreement_edited(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    assert isinstance(event, AgreementEdited) and child is not None
    agreement = _agreement(child, event.agreement_id)
    if agreement is None:
        return where_it_stands(case, at.now)
    text = clean_text(event.text, AGREEMENT_MAX)
    if text is None:
        return show(Screen.AGREEMENT_REFUSED, child)
    agreement.text = text
    _touch(case, at)
    return show(Screen.CORRECTIONS)


def _delete_agreement(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    assert isinstance(event, DeleteAgreement) and child is not None
    agreement = _agreement(child, event.agreement_id)
    if agreement is None:
        return where_it_stands(case, at.now)
    at.records.remove_agreement(child, agreement)
    _touch(case, at)
    return show(Screen.CORRECTIONS)


def _remove_child(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    return show(Screen.CONFIRM_REMOVE_CHILD, child)


def _child_removed(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert child is not None
    at.records.remove_child(case, child)
    _touch(case, at)
    return where_it_stands(case, at.now)


def _other(case: CaseRecord, child: ChildRecord, other_id: int) -> ChildRecord | None:
    return next((c for c in case.children if c.id == other_id and c.id != child.id), None)


def _same_facts(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, SameFactsAs) and child is not None
    other = _other(case, child, event.other_id)
    if other is None or other.facts is None:
        return where_it_stands(case, at.now)
    child.facts, child.witnessed = other.facts, other.witnessed
    _touch(case, at)
    return _after_facts(child)


def _same_feeling(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, SameFeelingAs) and child is not None
    other = _other(case, child, event.other_id)
    if other is None or other.feeling is None or child.facts is None:
        return where_it_stands(case, at.now)
    child.feeling = other.feeling
    _touch(case, at)
    return show(Screen.OVERVIEW if child.held_at is not None else Screen.SCRIPT, child)


_OPEN = frozenset({CaseStage.SETUP, CaseStage.STEP1, CaseStage.CHILDREN})
_ANY = frozenset(CaseStage)
_STEP2 = frozenset({Stage.FACTS, Stage.FEELING, Stage.READY_TO_TALK})
_TALKED = frozenset({Stage.TO_PLAN, Stage.PLANNED, Stage.DUE, Stage.NEW_PROPOSAL, Stage.MONITORING})
_PLANNED = frozenset({Stage.PLANNED, Stage.DUE})
_ALL_STAGES = frozenset(Stage) - {Stage.CLOSED}
_STEP1 = frozenset({Stage.WAITING_FOR_STEP1})
_NOT_TALKED = _STEP1 | _STEP2
_PREPARED = _STEP2 | _TALKED


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
    # A child can be added at any step: their own step 1 comes next.
    AddChild: Transition(_OPEN, None, _add_child),
    ChildNamed: Transition(_OPEN, None, _child_named),
    NicknameCorrected: Transition(_OPEN, _ALL_STAGES, _nickname_corrected),
    RoleChosen: Transition(_OPEN, _ALL_STAGES, _role_chosen),
    SetupDone: Transition(_OPEN, None, _setup_done),
    # Step 1: with the child who is bullied.
    # A talk held on a "yes" is not taken back by a stale button: until the talk only.
    ConsentAnswered: Transition(_OPEN, _NOT_TALKED, _consent),
    NotAskedYet: Transition(_OPEN, _STEP1, _not_asked_yet),
    AskAgain: Transition(_OPEN, _STEP1, _ask_again),
    EditMayTell: Transition(_OPEN, _NOT_TALKED, _edit_may_tell),
    MayTellTyped: Transition(_OPEN, _NOT_TALKED, _may_tell_typed),
    # Step 2: with each child who bullies or joins in.
    Witnessed: Transition(_case(CaseStage.CHILDREN), _PREPARED, _witnessed),
    EditFacts: Transition(_case(CaseStage.CHILDREN), _PREPARED, _edit_facts),
    FactsTyped: Transition(_case(CaseStage.CHILDREN), _PREPARED, _facts_typed),
    SameFactsAs: Transition(_case(CaseStage.CHILDREN), _PREPARED, _same_facts),
    AskFeeling: Transition(_case(CaseStage.CHILDREN), _PREPARED, _ask_feeling),
    FeelingChosen: Transition(_case(CaseStage.CHILDREN), _PREPARED, _feeling),
    FeelingTyped: Transition(_case(CaseStage.CHILDREN), _PREPARED, _feeling),
    SameFeelingAs: Transition(_case(CaseStage.CHILDREN), _PREPARED, _same_feeling),
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
    # Corrections: anything typed or picked can be corrected later, at any step.
    Correct: Transition(_OPEN, None, _correct),
    RenameVictim: Transition(_OPEN, None, _rename_victim),
    VictimRenamed: Transition(_OPEN, None, _victim_renamed),
    AskRole: Transition(_OPEN, _ALL_STAGES, _ask_role),
    EditAgreement: Transition(_OPEN, _ALL_STAGES, _edit_agreement),
    AgreementEdited: Transition(_OPEN, _ALL_STAGES, _agreement_edited),
    DeleteAgreement: Transition(_OPEN, _ALL_STAGES, _delete_agreement),
    RemoveChild: Transition(_OPEN, _NOT_TALKED, _remove_child),
    ChildRemoved: Transition(_OPEN, _NOT_TALKED, _child_removed),
}


def allowed(case: CaseRecord, event: Event, now: datetime) -> bool:
    """Whether ``event`` fits where ``case`` (and the event's child) stands."""
    transition = TRANSITIONS[type(event)]
    if case_stage(case) not in transition.case_stages:
        return False
    if transition.child_stages is None:
        return True
    child = next((c for c in case.children if c.id == event.child_id), None)
    if child is None or child_stage(case, child, now) not in transition.child_stages:
        return False
    # A reminder's button answers its own talk, not the next one planned since.
    return not isinstance(event, FollowUpAnswer) or event.follow_up == follow_up_number(child)


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


#: How long each typed answer may be; a longer one is kept, and its first part offered.
TEXT_LIMITS: dict[Awaiting, int] = {
    Awaiting.VICTIM_NAME: NICKNAME_MAX,
    Awaiting.CHILD_NAME: NICKNAME_MAX,
    Awaiting.CHILD_ROLE: NICKNAME_MAX,
    Awaiting.MAY_TELL: LONG_TEXT_MAX,
    Awaiting.FACTS: LONG_TEXT_MAX,
    Awaiting.FEELING: FEELING_MAX,
    Awaiting.AGREEMENTS: AGREEMENT_MAX,
    Awaiting.VICTIM_RENAME: NICKNAME_MAX,
    Awaiting.AGREEMENT_EDIT: AGREEMENT_MAX,
}


def first_part(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, cut at a space where there is one."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip()


#: The typed answers that are events in a case, by what the bot waits for.
#: Each is made from the leader's place (the child, and the agreement being corrected).
TYPED_EVENTS: dict[Awaiting, Callable[[int, int, str], Event]] = {
    Awaiting.CHILD_NAME: lambda child, item, text: ChildNamed(child, text),
    Awaiting.CHILD_ROLE: lambda child, item, text: NicknameCorrected(child, text),
    Awaiting.MAY_TELL: lambda child, item, text: MayTellTyped(child, text),
    Awaiting.FACTS: lambda child, item, text: FactsTyped(child, text),
    Awaiting.FEELING: lambda child, item, text: FeelingTyped(child, text),
    Awaiting.AGREEMENTS: lambda child, item, text: AgreementTyped(child, text),
    Awaiting.FOLLOW_UP_DATE: lambda child, item, text: DateTyped(child, text),
    Awaiting.VICTIM_RENAME: lambda child, item, text: VictimRenamed(child, text),
    Awaiting.AGREEMENT_EDIT: lambda child, item, text: AgreementEdited(child, item, text),
}


def last_round_stopped(child: ChildRecord) -> bool:
    """Whether the bullying had stopped at this child's last follow-up."""
    return last_outcome(child) is Outcome.STOPPED


def everyone_stopped(case: CaseRecord) -> bool:
    """Whether the bullying had stopped at the last follow-up of every child of ``case``."""
    return all(last_round_stopped(c) for c in case.children)


# --- When the protocol does not fit, or does not work. -----------------------------------
# Step 1 refused or not asked yet (a reminder, never silence), the facts hint, other
# approaches (flows.approaches), the bullied child's view at each follow-up and the next
# steps after rounds without "stopped" (flows.escalation), each choice in the case's
# history (flows.history).


def _remind_step1(case: CaseRecord, child: ChildRecord, choice: FollowUpChoice, at: Moment) -> None:
    """A step-1 reminder about ``child`` (replacing an open one)."""
    when = step1_waiting.reminder_moment(choice, at.now, at.rhythm)
    at.records.plan_reminder(case, child, ReminderKind.STEP1, when, at.now, choice)


def _cancel_step1_reminder(child: ChildRecord) -> None:
    reminder = open_reminder(child, ReminderKind.STEP1)
    if reminder is not None:
        reminder.status = ReminderStatus.CANCELLED


def _step1_chosen(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, Step1Chosen) and child is not None
    if child.consent != Consent.DECLINED:
        return where_it_stands(case, at.now)
    _remind_step1(case, child, step1_waiting.AFTER_NO[event.choice], at)
    at.records.add_history(case, child, HistoryKind.STEP1, event.choice, at.now)
    _touch(case, at)
    return Reply((Shown(Screen.STEP1_WAITING, child, detail=event.choice),))


def _facts_kept(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert child is not None
    if child.facts is None:
        return show(Screen.ASK_FACTS, child)
    return show(Screen.SCRIPT if child.feeling is not None else Screen.ASK_FEELING, child)


def _show_approaches(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    return show(Screen.APPROACHES)


def _show_approach(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, ShowApproach)
    return Reply((Shown(Screen.APPROACH, detail=event.approach),))


def _approach_chosen(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    assert isinstance(event, ApproachChosen)
    if case.approach != event.approach:
        case.approach = event.approach
        at.records.add_history(case, None, HistoryKind.APPROACH, event.approach, at.now)
        _touch(case, at)
    return Reply((Shown(Screen.APPROACH_CHOSEN, detail=event.approach),))


def _victim_view(case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment) -> Reply:
    assert isinstance(event, VictimViewGiven) and child is not None
    return Reply((Shown(Screen.OUTCOME_WITH_VIEW, child, detail=event.view),))


def _outcome_with_view(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    """The outcome that counts is the weightier of the two views (see flows.escalation)."""
    assert isinstance(event, OutcomeWithView) and child is not None
    weighed = weighed_outcome(event.outcome, event.view)
    reply = _outcome(case, child, OutcomeGiven(child.id, event.follow_up, weighed), at)
    child.follow_ups[-1].victim_view = event.view
    if weighed is event.outcome:
        return reply
    return Reply((Shown(Screen.VIEWS_WEIGHED, child, detail=event.view), *reply.shown))


def _show_next_steps(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    return show(Screen.NEXT_STEPS, child)


def _next_step_chosen(
    case: CaseRecord, child: ChildRecord | None, event: Event, at: Moment
) -> Reply:
    assert isinstance(event, NextStepChosen) and child is not None
    at.records.add_history(case, child, HistoryKind.NEXT_STEP, event.choice, at.now)
    _touch(case, at)
    chosen = Shown(Screen.NEXT_STEP_CHOSEN, child, detail=event.choice)
    if event.choice is NextStepChoice.APPROACH:
        return Reply((chosen, Shown(Screen.APPROACHES)))
    return Reply((chosen,))


TRANSITIONS.update(
    {
        Step1Chosen: Transition(_OPEN, _STEP1, _step1_chosen),
        FactsKept: Transition(_case(CaseStage.CHILDREN), _STEP2, _facts_kept),
        ShowApproaches: Transition(_OPEN, None, _show_approaches),
        ShowApproach: Transition(_OPEN, None, _show_approach),
        ApproachChosen: Transition(_OPEN, None, _approach_chosen),
        VictimViewGiven: Transition(_case(CaseStage.CHILDREN), _PLANNED, _victim_view),
        OutcomeWithView: Transition(_case(CaseStage.CHILDREN), _PLANNED, _outcome_with_view),
        ShowNextSteps: Transition(_case(CaseStage.CHILDREN), _TALKED, _show_next_steps),
        NextStepChosen: Transition(_case(CaseStage.CHILDREN), _TALKED, _next_step_chosen),
    }
)

_REFUSAL.update(
    {
        VictimViewGiven: Screen.ALREADY_RECORDED,
        OutcomeWithView: Screen.ALREADY_RECORDED,
    }
)


#: The protocol's public face: its events and replies are used as ``protocol.X``.
__all__ = [
    "AWAITS",
    "NEXT_SCREEN",
    "AddChild",
    "AgreementEdited",
    "AgreementTyped",
    "AgreementsDone",
    "ApproachChosen",
    "AskAgain",
    "AskFeeling",
    "AskPlan",
    "AskRole",
    "AskSnooze",
    "Awaiting",
    "CancelFollowUp",
    "ChildNamed",
    "ChildRemoved",
    "Close",
    "CloseConfirmed",
    "ConsentAnswered",
    "Continue",
    "Correct",
    "DateTyped",
    "DeleteAgreement",
    "EditAgreement",
    "EditFacts",
    "EditMayTell",
    "Event",
    "FactsKept",
    "FactsTyped",
    "FeelingChosen",
    "FeelingTyped",
    "FollowUpAnswer",
    "KeepOpen",
    "MayTellTyped",
    "NextStepChosen",
    "NicknameCorrected",
    "NotAskedYet",
    "Open",
    "OutcomeGiven",
    "OutcomeWithView",
    "PlanChosen",
    "RemoveChild",
    "RenameVictim",
    "Reply",
    "ReportBackLater",
    "ReportedBack",
    "RoleChosen",
    "SameFactsAs",
    "SameFeelingAs",
    "Screen",
    "SetupDone",
    "ShowApproach",
    "ShowApproaches",
    "ShowNextSteps",
    "Shown",
    "Snoozed",
    "Step1Chosen",
    "TalkHeld",
    "VictimRenamed",
    "VictimViewGiven",
    "Witnessed",
    "next_screen",
    "show",
    "where_it_stands",
]
