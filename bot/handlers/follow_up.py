"""Step 3: planning follow-ups, recording how they went, putting reminders off."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot import states
from bot.handlers.current import active_child
from bot.screens import follow_up as screens
from bot.screens.next_step import show_next
from bot.storage import cases, reminders
from bot.storage.models import Case, Child, FollowUp
from bot.turn import Turn, leader_turn
from flows.case import AGREEMENT_MAX, AGREEMENTS_PER_CONVERSATION_MAX, clean_text
from flows.follow_up import (
    Outcome,
    ReminderKind,
    ReminderStatus,
    needs_new_proposal,
    proposed_next_choice,
)
from flows.follow_up_timing import (
    FOLLOW_UP_CHOICES,
    FollowUpChoice,
    follow_up_moment,
    snooze_moment,
)

_DATE = re.compile(r"^\s*(\d{1,2})\s*[-/. ]\s*(\d{1,2})(?:\s*[-/. ]\s*(\d{2}|\d{4}))?\s*\.?\s*$")


def _plannable(case: Case, child: Child | None) -> bool:
    return child is not None and child.held_at is not None and case.closed_at is None


def _schedule(
    turn: Turn, case: Case, child: Child, choice: FollowUpChoice, on: date | None
) -> object:
    when = follow_up_moment(choice, turn.now, turn.leader.rhythm, on_date=on)
    reminders.plan(turn.session, case, child, ReminderKind.FOLLOW_UP, when, turn.now, choice)
    case.updated_at = turn.now
    screens.planned(turn, child, when)
    return show_next(turn, case)


async def plan_chosen(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """An interval, the next meeting, or "a date": when to talk with the child again."""
    if child is None or not _plannable(case, child):
        return show_next(turn, case)
    if value not in set(FOLLOW_UP_CHOICES):
        screens.plan(turn, case, child)
        return states.IDLE
    choice = FollowUpChoice(value)
    if choice is FollowUpChoice.ON_DATE:
        return screens.ask_date(turn, case, child)
    if choice is FollowUpChoice.NEXT_MEETING and not turn.leader.rhythm.has_meeting:
        screens.meeting_not_set(turn)
        return states.IDLE
    return _schedule(turn, case, child, choice, None)


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


@leader_turn
async def date_typed(turn: Turn) -> object:
    """The date of the next follow-up."""
    found = await active_child(turn)
    if found is None:
        return states.IDLE
    case, child = found
    if not _plannable(case, child):
        return show_next(turn, case)
    today = turn.now.astimezone(turn.leader.rhythm.zone).date()
    day = parse_day(turn.text, today)
    if day is None or day <= today or day > today + timedelta(days=366):
        screens.date_refused(turn)
        return None
    return _schedule(turn, case, child, FollowUpChoice.ON_DATE, day)


async def outcome_given(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """How far the bullying has stopped, from the nudge or the case."""
    planned = child.open_follow_up if child is not None else None
    if child is None or planned is None or value not in set(Outcome):
        screens.already_recorded(turn)
        return show_next(turn, case)
    outcome = Outcome(value)
    planned.status = ReminderStatus.ANSWERED
    child.follow_ups.append(
        FollowUp(outcome=outcome, recorded_at=turn.now, previous_choice=planned.choice)
    )
    case.updated_at = turn.now
    await turn.session.flush()
    if needs_new_proposal(outcome):
        return screens.ask_new_proposal(turn, case, child)
    everyone_stopped = all(c.last_outcome == Outcome.STOPPED for c in case.children)
    proposed = proposed_next_choice(outcome, planned.choice)
    screens.stopped(turn, case, child, proposed, may_close=everyone_stopped)
    return states.IDLE


@leader_turn
async def new_agreement_typed(turn: Turn) -> object:
    """One agreement of the child's new proposal."""
    found = await active_child(turn)
    if found is None:
        return states.IDLE
    case, child = found
    if not child.follow_ups or child.open_follow_up is not None:
        return show_next(turn, case)
    text = clean_text(turn.text, AGREEMENT_MAX)
    if text is None:
        screens.agreement_refused(turn, case, child)
        return None
    latest = child.follow_ups[-1]
    if sum(1 for a in child.agreements if a.follow_up_id == latest.id) >= (
        AGREEMENTS_PER_CONVERSATION_MAX
    ):
        return None
    agreement = cases.add_agreement(child, text, turn.now)
    agreement.follow_up_id = latest.id
    screens.new_proposal_so_far(turn, case, child)
    return None


async def new_proposal_done(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """The new proposal is in: when is the next follow-up?"""
    if child is None or not child.follow_ups or child.open_follow_up is not None:
        return show_next(turn, case)
    latest = child.follow_ups[-1]
    screens.plan(
        turn, case, child, proposed_next_choice(Outcome(latest.outcome), latest.previous_choice)
    )
    return states.IDLE


async def snooze(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Not talked yet: remind again later."""
    planned = child.open_follow_up if child is not None else None
    if child is None or planned is None:
        screens.already_recorded(turn)
        return show_next(turn, case)
    rhythm = turn.leader.rhythm
    if value in (FollowUpChoice.THIS_EVENING, FollowUpChoice.TOMORROW):
        when = follow_up_moment(FollowUpChoice(value), turn.now, rhythm)
    elif value == "3d":
        when = snooze_moment(turn.now, rhythm, timedelta(days=3))
    elif value == "1w":
        when = snooze_moment(turn.now, rhythm, timedelta(weeks=1))
    else:
        screens.snooze_options(turn, case, child)
        return states.IDLE
    planned.due_at = when
    planned.status = ReminderStatus.PENDING
    planned.late = False
    screens.snoozed(turn, child, when)
    return states.IDLE


async def cancel_follow_up(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """No reminder for this child's follow-up."""
    if child is None or child.open_follow_up is None:
        return show_next(turn, case)
    reminders.cancel(child.open_follow_up)
    screens.cancelled(turn, child)
    return states.IDLE


async def report_back_later(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Remind me tomorrow of reporting back to the child who was bullied."""
    if child is None or child.reported_back_at is not None or case.closed_at is not None:
        return show_next(turn, case)
    when = follow_up_moment(FollowUpChoice.TOMORROW, turn.now, turn.leader.rhythm)
    reminders.plan(turn.session, case, child, ReminderKind.REPORT_BACK, when, turn.now)
    screens.report_back_snoozed(turn, case, when)
    return states.IDLE
