"""Step 1: with the child who is bullied — permission, and what may be told."""

from __future__ import annotations

from flows import step1_waiting
from flows.case import LONG_TEXT_MAX, CaseRecord, ChildRecord, Consent, clean_text, open_reminder
from flows.effects.case import without_role
from flows.events import (
    AskAgain,
    ConsentAnswered,
    EditMayTell,
    MayTellTyped,
    NotAskedYet,
    Step1Chosen,
)
from flows.follow_up import ReminderKind, ReminderStatus
from flows.follow_up_timing import FollowUpChoice
from flows.history import HistoryKind, HistoryLine, Step1Choice
from flows.moment import Moment
from flows.replies import Reply, Screen, Shown, show, where_it_stands


def consent(case: CaseRecord, child: ChildRecord, event: ConsentAnswered, at: Moment) -> Reply:
    """The bullied child's answer about one child who bullies."""
    unsure = without_role(case)
    if unsure is not None:
        return show(Screen.ASK_ROLE, unsure)
    answer = Consent.AGREED if event.agreed else Consent.DECLINED
    history = (
        () if child.consent == answer else (HistoryLine(HistoryKind.CONSENT, child.id, answer),)
    )
    child.consent = answer
    at.touch(case)
    if event.agreed:
        _cancel_step1_reminder(child)
        if child.may_tell:
            return Reply(where_it_stands(case, at.now).shown, history=history)
        return Reply((Shown(Screen.ASK_MAY_TELL, child),), history=history)
    # Never silently: a reminder to ask again comes, whatever the leader does next.
    _remind_step1(case, child, step1_waiting.AFTER_NO[Step1Choice.TRY_LATER], at)
    return Reply((Shown(Screen.DECLINED, child),), history=history)


def not_asked_yet(case: CaseRecord, child: ChildRecord, event: NotAskedYet, at: Moment) -> Reply:
    """Not asked yet: a reminder to ask comes."""
    if child.consent == Consent.AGREED:
        return where_it_stands(case, at.now)
    _remind_step1(case, child, step1_waiting.ask_reminder(at.rhythm), at)
    return show(Screen.NOT_ASKED_YET, child)


def ask_again(case: CaseRecord, child: ChildRecord, event: AskAgain, at: Moment) -> Reply:
    """After a "no": the question once more."""
    if child.consent == Consent.AGREED:
        return where_it_stands(case, at.now)
    return show(Screen.ASK_CONSENT, child)


def edit_may_tell(case: CaseRecord, child: ChildRecord, event: EditMayTell, at: Moment) -> Reply:
    """Type what may be told (again), once permission is given."""
    if child.consent != Consent.AGREED:
        return where_it_stands(case, at.now)
    return show(Screen.ASK_MAY_TELL, child)


def may_tell_typed(case: CaseRecord, child: ChildRecord, event: MayTellTyped, at: Moment) -> Reply:
    """What may be told, typed: step 1 is done for this child, or it is corrected later."""
    if child.consent != Consent.AGREED:
        return where_it_stands(case, at.now)
    text = clean_text(event.text, LONG_TEXT_MAX)
    if text is None:
        return show(Screen.TEXT_REFUSED, child)
    child.may_tell = text
    at.touch(case)
    if child.facts is None:
        return show(Screen.STEP1_DONE, child)
    # A correction once step 2 is under way: the script shows it, or the case after the talk.
    if child.held_at is None and child.feeling is not None:
        return show(Screen.SCRIPT, child)
    return show(Screen.OVERVIEW if child.held_at is not None else Screen.ASK_FEELING, child)


# --- When step 1 is refused or not asked yet: a reminder, never silence. -------------------


def step1_chosen(case: CaseRecord, child: ChildRecord, event: Step1Chosen, at: Moment) -> Reply:
    """After a "no": ask again later, talk it over with the team, or keep watching."""
    if child.consent != Consent.DECLINED:
        return where_it_stands(case, at.now)
    _remind_step1(case, child, step1_waiting.AFTER_NO[event.choice], at)
    at.touch(case)
    return Reply(
        (Shown(Screen.STEP1_WAITING, child, detail=event.choice),),
        history=(HistoryLine(HistoryKind.STEP1, child.id, event.choice),),
    )


def _remind_step1(case: CaseRecord, child: ChildRecord, choice: FollowUpChoice, at: Moment) -> None:
    """A step-1 reminder about ``child`` (replacing an open one)."""
    when = step1_waiting.reminder_moment(choice, at.now, at.rhythm)
    at.records.plan_reminder(case, child, ReminderKind.STEP1, when, at.now, choice)


def _cancel_step1_reminder(child: ChildRecord) -> None:
    reminder = open_reminder(child, ReminderKind.STEP1)
    if reminder is not None:
        reminder.status = ReminderStatus.CANCELLED
