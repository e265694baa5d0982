"""Step 3: following up with each child until the bullying has stopped."""

from __future__ import annotations

from datetime import date

from flows.case import (
    CaseRecord,
    ChildRecord,
    agreements_to_mark,
    current_round,
    end_follow_up_repeat,
    planned_follow_up,
)
from flows.effects.step2 import plan_after_proposal
from flows.escalation import weighed_outcome
from flows.events import (
    AgreementStands,
    CancelFollowUp,
    DateTyped,
    NextStepChosen,
    OutcomeGiven,
    OutcomeWithView,
    PlanChosen,
    Snoozed,
    StandingMarked,
    VictimViewGiven,
)
from flows.follow_up import (
    Outcome,
    ReminderKind,
    ReminderStatus,
    needs_new_proposal,
    proposed_next_choice,
    snoozed_until,
)
from flows.follow_up_timing import (
    FOLLOW_UP_CHOICES,
    NEXT_ACTIVITY_ANSWERS,
    FollowUpChoice,
    follow_up_moment,
)
from flows.history import HistoryKind, HistoryLine, NextStepChoice
from flows.moment import Moment
from flows.replies import AFTER_OUTCOME, Reply, Screen, Shown, next_screen, show
from flows.typed_day import LATEST_DATE_AHEAD, read_day


def plan_chosen(case: CaseRecord, child: ChildRecord, event: PlanChosen, at: Moment) -> Reply:
    """An interval, the next meeting, or "a date" for the next follow-up."""
    if event.choice not in FOLLOW_UP_CHOICES + NEXT_ACTIVITY_ANSWERS:
        return show(Screen.PLAN, child)
    if event.choice is FollowUpChoice.ON_DATE:
        return show(Screen.ASK_DATE, child)
    if event.choice is FollowUpChoice.NEXT_MEETING and not at.rhythm.has_activities:
        return show(Screen.MEETING_NOT_SET, child)
    if event.choice is FollowUpChoice.NEXT_MEETING:
        # The protocol: "after 1–2 days or 1–2 weeks". An activity that starts within a
        # day of the talk is sooner than that: the leader says which one they mean.
        first = at.rhythm.next_activity(at.now)
        if first is not None and at.rhythm.starts_soon(first, at.now):
            return show(Screen.NEXT_ACTIVITY_SOON, child)
    return _schedule(case, child, event.choice, None, at)


def date_typed(case: CaseRecord, child: ChildRecord, event: DateTyped, at: Moment) -> Reply:
    """The date of the next follow-up, typed: today at the earliest, a year at most.

    A date without a year that has passed this year is not taken as next year's
    silently: the leader is asked to type it with its year, or another day.
    """
    today = at.now.astimezone(at.rhythm.zone).date()
    typed = read_day(event.text, today)
    if typed is None or typed.day < today or typed.day > today + LATEST_DATE_AHEAD:
        return show(Screen.DATE_REFUSED, child)
    if typed.passed:
        return Reply((Shown(Screen.DATE_PASSED, child, detail=typed.day.isoformat()),))
    return _schedule(case, child, FollowUpChoice.ON_DATE, typed.day, at)


def _schedule(
    case: CaseRecord, child: ChildRecord, choice: FollowUpChoice, on: date | None, at: Moment
) -> Reply:
    when = follow_up_moment(choice, at.now, at.rhythm, on_date=on)
    current = planned_follow_up(child)
    if current is not None and current.due_at == when and current.choice == choice:
        # The same choice pressed twice: planned once, said once.
        return show(Screen.ALREADY_PLANNED, child)
    at.records.plan_reminder(case, child, ReminderKind.FOLLOW_UP, when, at.now, choice)
    end_follow_up_repeat(child, ReminderStatus.CANCELLED)
    at.touch(case)
    planned = Shown(Screen.PLANNED, child)
    after = next_screen(case, at.now)
    if after.screen in (Screen.REPORT_BACK, Screen.OVERVIEW):
        # Nothing else to do now: the reminders (to report back, to follow up) will come.
        return Reply((planned,))
    return Reply((planned, after))


def cancel_follow_up(
    case: CaseRecord, child: ChildRecord, event: CancelFollowUp, at: Moment
) -> Reply:
    """No reminder for this child's follow-up."""
    planned = planned_follow_up(child)
    assert planned is not None  # the transition is allowed while one is planned
    planned.status = ReminderStatus.CANCELLED
    end_follow_up_repeat(child, ReminderStatus.CANCELLED)
    return show(Screen.FOLLOW_UP_CANCELLED, child)


def outcome(case: CaseRecord, child: ChildRecord, event: OutcomeGiven, at: Moment) -> Reply:
    """How far the bullying has stopped: a new proposal, or the next follow-up."""
    return _outcome(case, child, event.outcome, at)


def _outcome(case: CaseRecord, child: ChildRecord, given: Outcome, at: Moment) -> Reply:
    planned = planned_follow_up(child)
    assert planned is not None  # the transition is allowed while one is planned
    planned.status = ReminderStatus.ANSWERED
    end_follow_up_repeat(child, ReminderStatus.ANSWERED)
    at.records.add_round(child, given, planned.choice, at.now)
    at.touch(case)
    history = (HistoryLine(HistoryKind.OUTCOME, child.id, given),)
    if needs_new_proposal(given):
        shown = Shown(Screen.NEW_PROPOSAL, child, detail=AFTER_OUTCOME)
        return Reply((shown,), history=history)
    proposed = proposed_next_choice(given, planned.choice)
    return Reply((Shown(Screen.STOPPED, child, proposed),), history=history)


def snoozed(case: CaseRecord, child: ChildRecord, event: Snoozed, at: Moment) -> Reply:
    """Not talked yet: remind again at the moment chosen."""
    planned = planned_follow_up(child)
    assert planned is not None  # the transition is allowed while one is planned
    planned.due_at = snoozed_until(event.snooze, at.now, at.rhythm)
    planned.status = ReminderStatus.PENDING
    planned.late = False
    end_follow_up_repeat(child, ReminderStatus.CANCELLED)
    return show(Screen.SNOOZED, child)


# --- When it does not stop: the bullied child's view, and the next steps. ------------------


def victim_view(case: CaseRecord, child: ChildRecord, event: VictimViewGiven, at: Moment) -> Reply:
    """What the child who is bullied says; the outcome question comes with it."""
    return Reply((Shown(Screen.OUTCOME_WITH_VIEW, child, detail=event.view),))


def outcome_with_view(
    case: CaseRecord, child: ChildRecord, event: OutcomeWithView, at: Moment
) -> Reply:
    """The outcome that counts is the weightier of the two views (see flows.escalation)."""
    weighed = weighed_outcome(event.outcome, event.view)
    reply = _outcome(case, child, weighed, at)
    child.follow_ups[-1].victim_view = event.view
    if weighed is event.outcome:
        return reply
    shown = (Shown(Screen.VIEWS_WEIGHED, child, detail=event.view), *reply.shown)
    return Reply(shown, history=reply.history)


def next_step_chosen(
    case: CaseRecord, child: ChildRecord, event: NextStepChosen, at: Moment
) -> Reply:
    """The next step the leader takes when the bullying does not stop."""
    at.touch(case)
    chosen = Shown(Screen.NEXT_STEP_CHOSEN, child, detail=event.choice)
    shown = (
        (chosen, Shown(Screen.APPROACHES)) if event.choice is NextStepChoice.APPROACH else (chosen,)
    )
    return Reply(shown, history=(HistoryLine(HistoryKind.NEXT_STEP, child.id, event.choice),))


# --- With a new proposal: which earlier agreements still stand. ---------------------------


def agreement_stands(
    case: CaseRecord, child: ChildRecord, event: AgreementStands, at: Moment
) -> Reply:
    """One tap on an earlier agreement: it stands (the default), or it no longer does."""
    round_ = current_round(child)
    agreement = next((a for a in agreements_to_mark(child) if a.id == event.agreement_id), None)
    if round_ is None or agreement is None:
        return show(Screen.STILL_STANDS, child)
    ended_in = None if event.stands else round_.id
    if agreement.ended_in == ended_in:
        return show(Screen.STILL_STANDS, child)
    agreement.ended_in = ended_in
    at.touch(case)
    kind = HistoryKind.AGREEMENT_STANDS if event.stands else HistoryKind.AGREEMENT_ENDED
    return Reply(
        (Shown(Screen.STILL_STANDS, child),),
        history=(HistoryLine(kind, child.id, str(agreement.id)),),
    )


def standing_marked(
    case: CaseRecord, child: ChildRecord, event: StandingMarked, at: Moment
) -> Reply:
    """Every earlier agreement is marked: when is the next follow-up?"""
    return plan_after_proposal(child)
