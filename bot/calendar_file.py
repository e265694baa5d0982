"""A planned follow-up talk as a calendar file (RFC 5545), for the leader's own calendar.

The leader taps "📅 In my calendar" on a planned talk and gets an ``.ics`` file for
that moment. Once they took it, moving the talk sends the same event again (same UID,
a higher SEQUENCE) and cancelling it sends its cancellation (METHOD:CANCEL,
STATUS:CANCELLED), so the calendar follows. A leader who never took the file gets no
file when the talk moves.

Calendar apps sync to clouds: the entry names no child, only the case's number
("Pestgesprek — follow-up talk (case 3)").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.storage.models import Case, Child
from bot.turn import Turn
from flows.case import follow_up_number, planned_follow_up
from flows.language import _

#: How long the talk stands in the calendar: a short talk at the activity.
TALK_LENGTH = timedelta(minutes=30)


def uid(case: Case, child: Child) -> str:
    """The event's UID: one per follow-up talk, the same however often it moves."""
    return f"pestgesprek-{case.id}-{child.id}-{follow_up_number(child)}@pestgesprek"


def talk_file(
    case: Case, child: Child, start: datetime, sequence: int, now: datetime, *, cancel: bool
) -> bytes:
    """The calendar file of the talk with ``child`` at ``start`` (or its cancellation)."""
    # Imported when a leader asks for a file: the start-up does without it.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Pestgesprek//Pestgesprek//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "PUBLISH")
    event = Event()
    event.add("uid", uid(case, child))
    event.add("sequence", sequence)
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("duration", TALK_LENGTH)
    event.add("summary", _("Pestgesprek — follow-up talk (case %(number)d)") % {"number": case.id})
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _send(turn: Turn, case: Case, child: Child, start: datetime, *, cancel: bool) -> None:
    data = talk_file(case, child, start, child.calendar_sequence, turn.now, cancel=cancel)
    caption = (
        _("The talk is cancelled: this file takes it out of your calendar.")
        if cancel
        else _("Open this file to put the talk in your calendar.")
    )
    turn.send_file(data, f"pestgesprek-{case.id}-{child.id}.ics", caption)


def send_talk(turn: Turn, case: Case, child: Child) -> bool:
    """The planned talk with ``child`` as a file, remembered as taken; ``False`` when no
    talk is planned."""
    planned = planned_follow_up(child)
    if planned is None:
        return False
    talk = follow_up_number(child)
    if child.calendar_talk == talk:
        child.calendar_sequence += 1
    else:
        child.calendar_talk = talk
        child.calendar_sequence = 0
    _send(turn, case, child, planned.due_at, cancel=False)
    return True


def talk_moved(turn: Turn, case: Case, child: Child) -> None:
    """The talk moved: its update, if the leader took its file before."""
    planned = planned_follow_up(child)
    if planned is None or child.calendar_talk != follow_up_number(child):
        return
    child.calendar_sequence += 1
    _send(turn, case, child, planned.due_at, cancel=False)


def talk_cancelled(turn: Turn, case: Case, child: Child, was_at: datetime | None) -> None:
    """The talk is cancelled: its cancellation, if the leader took its file before."""
    if was_at is None or child.calendar_talk != follow_up_number(child):
        return
    child.calendar_sequence += 1
    _send(turn, case, child, was_at, cancel=True)
    child.calendar_talk = None
