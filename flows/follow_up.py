"""Step 3: following up with a child until the bullying has stopped.

The protocol: after 1–2 days or 1–2 weeks, talk with the child again; ask how far
the agreements are kept; if needed, motivate a new proposal. Whether every
agreement was kept does not matter, as long as the bullying has stopped. Keep
repeating, and allow enough time for the follow-up.

A reminder (a *nudge*) is what makes a volunteer actually do it. This module
holds the reminder's kinds and statuses and what each outcome of a follow-up
leads to; when a reminder is due is in :mod:`flows.follow_up_timing`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from flows.follow_up_timing import (
    FollowUpChoice,
    Rhythm,
    follow_up_moment,
    next_interval_after_stopped,
    out_of_quiet_hours,
    snooze_moment,
)
from flows.language import N_


class ReminderKind(StrEnum):
    """What a reminder is about."""

    FOLLOW_UP = "follow_up"
    """Talk with a child who bullies again (step 3)."""
    FOLLOW_UP_AGAIN = "follow_up_again"
    """The follow-up reminder was sent and not answered: the same question once more, at
    the next moment (:func:`asked_again_moment`). The sent one stays as it is (the team's
    escalation waits on it); answering either answers both."""
    REPORT_BACK = "report_back"
    """Report back to the child who is bullied, as promised in step 1."""
    INACTIVE = "inactive"
    """An open case without activity for a long time: close it?"""
    STEP1 = "step1"
    """Step 1 not asked yet, or refused: ask (again), never silently (flows.step1_waiting)."""
    ESCALATION = "escalation"
    """A co-leader's follow-up nudge went unanswered: will you take it? (teams)"""
    HANDOVER = "handover"
    """A co-leader offers you a case or a child's follow-up: accept it? (teams)"""
    NEW_YEAR = "new_year"
    """A new working year: hand this case over, close it, or keep it? (teams)"""
    NOTICE = "notice"
    """Something changed in a case that touches this leader: who is responsible or who
    may see it (teams). It names the history line that says what (``Reminder.choice``)."""


class ReminderStatus(StrEnum):
    """Where a reminder is in its life (see ``bot.storage.models.Reminder``)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    ANSWERED = "answered"
    CANCELLED = "cancelled"
    FAILED = "failed"


#: A reminder in one of these still stands for something the leader has to do.
OPEN_STATUSES = frozenset({ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.SENT})


class Outcome(StrEnum):
    """How far the bullying has stopped, as the leader found in the follow-up talk."""

    STOPPED = "stopped"
    PARTLY = "partly"
    NOT_STOPPED = "not_stopped"


OUTCOME_TEXT: dict[Outcome, str] = {
    Outcome.STOPPED: N_("the bullying has stopped"),
    Outcome.PARTLY: N_("the bullying has partly stopped"),
    Outcome.NOT_STOPPED: N_("the bullying has not stopped"),
}

#: Reminders that ask the leader something which, left unanswered, is asked again: a
#: child waiting for step 1, or the promise to report back, never goes silent.
ASKED_AGAIN: frozenset[ReminderKind] = frozenset(
    {ReminderKind.STEP1, ReminderKind.REPORT_BACK, ReminderKind.FOLLOW_UP_AGAIN}
)

#: The reminders about one child's follow-up that go to whoever follows the child up.
CHILD_FOLLOW_UP_KINDS: tuple[ReminderKind, ...] = (
    ReminderKind.FOLLOW_UP,
    ReminderKind.FOLLOW_UP_AGAIN,
    ReminderKind.REPORT_BACK,
)

#: The report-back reminder comes this long after the step-2 talk, if not done by then.
REPORT_BACK_AFTER = timedelta(days=1)


def needs_new_proposal(outcome: Outcome) -> bool:
    """Not (fully) stopped: motivate the child to come up with a new proposal."""
    return outcome is not Outcome.STOPPED


def proposed_next_choice(outcome: Outcome, previous: str | None) -> FollowUpChoice:
    """The interval to propose for the next follow-up.

    Stopped: a longer one than before (keep repeating, allow enough time). Not
    (fully) stopped: soon again, but never sooner than in two days, so the child
    has time to act on the new proposal.
    """
    try:
        before = FollowUpChoice(previous) if previous else FollowUpChoice.IN_1_WEEK
    except ValueError:
        before = FollowUpChoice.IN_1_WEEK
    if outcome is Outcome.STOPPED:
        return next_interval_after_stopped(before)
    if before in (FollowUpChoice.NEXT_MEETING_ANYWAY, FollowUpChoice.AFTER_NEXT_MEETING):
        # Offered as "at the next activity" again; it asks once more if that is too soon.
        return FollowUpChoice.NEXT_MEETING
    return FollowUpChoice.IN_2_DAYS if before is FollowUpChoice.IN_1_DAY else before


def report_back_moment(held_at: datetime, rhythm: Rhythm) -> datetime:
    """When to remind the leader of the promise to report back, if still not done.

    A group with a rhythm sees the child who is bullied at an activity: the reminder
    lands before the first one from the next day on.
    """
    later = held_at + REPORT_BACK_AFTER
    activity = rhythm.activity_from(later.astimezone(rhythm.zone).date(), held_at)
    return activity if activity is not None else out_of_quiet_hours(later, rhythm)


def asked_again_moment(sent_at: datetime, now: datetime, rhythm: Rhythm) -> datetime:
    """When a reminder sent at ``sent_at`` and not answered comes again, still after ``now``.

    At the group's next activity from the day after it was sent, or two days later for a
    group without a fixed rhythm.
    """
    after = max(sent_at, now)
    day = sent_at.astimezone(rhythm.zone).date() + timedelta(days=1)
    activity = rhythm.activity_from(day, after)
    if activity is not None:
        return activity
    return follow_up_moment(FollowUpChoice.IN_2_DAYS, after, rhythm)


def next_acting_moment(now: datetime, rhythm: Rhythm) -> datetime:
    """When a question a leader can only act on at an activity reaches them.

    With a rhythm: before their next activity (its start minus the lead), so a
    follow-up taken over or a case kept can be acted on there. Without one: now, out of
    the quiet hours.
    """
    activity = rhythm.next_activity(now)
    return activity if activity is not None else out_of_quiet_hours(now, rhythm)


class Snooze(StrEnum):
    """ "Not talked yet: remind me later": the moments a leader can put a follow-up off to."""

    THIS_EVENING = "evening"
    TOMORROW = "tomorrow"
    IN_3_DAYS = "3d"
    IN_1_WEEK = "1w"
    NEXT_ACTIVITY = "meeting"


def snooze_choices(rhythm: Rhythm) -> tuple[Snooze, ...]:
    """The moments offered to put a follow-up off to.

    A group with a rhythm talks at its activities: "this evening" or "tomorrow"
    would land after today's activity, so the next activity is offered instead.
    """
    if rhythm.has_activities:
        return (Snooze.NEXT_ACTIVITY, Snooze.IN_1_WEEK)
    return (Snooze.THIS_EVENING, Snooze.TOMORROW, Snooze.IN_3_DAYS, Snooze.IN_1_WEEK)


SNOOZE_TEXT: dict[Snooze, str] = {
    Snooze.NEXT_ACTIVITY: N_("At the next activity"),
    Snooze.THIS_EVENING: N_("This evening"),
    Snooze.TOMORROW: N_("Tomorrow"),
    Snooze.IN_3_DAYS: N_("In 3 days"),
    Snooze.IN_1_WEEK: N_("In 1 week"),
}


def snoozed_until(snooze: Snooze, now: datetime, rhythm: Rhythm) -> datetime:
    """When a follow-up put off with ``snooze`` comes again (out of the quiet hours)."""
    match snooze:
        case Snooze.NEXT_ACTIVITY:
            activity = rhythm.next_activity(now)
            if activity is not None:
                return activity
            return follow_up_moment(FollowUpChoice.TOMORROW, now, rhythm)
        case Snooze.THIS_EVENING:
            return follow_up_moment(FollowUpChoice.THIS_EVENING, now, rhythm)
        case Snooze.TOMORROW:
            return follow_up_moment(FollowUpChoice.TOMORROW, now, rhythm)
        case Snooze.IN_3_DAYS:
            return snooze_moment(now, rhythm, timedelta(days=3))
        case Snooze.IN_1_WEEK:
            return snooze_moment(now, rhythm, timedelta(weeks=1))
