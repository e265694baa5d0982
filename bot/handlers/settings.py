"""/settings: meeting day and hour, quiet hours, time zone."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from bot.callback_data import (
    AskCamp,
    AskLead,
    AskMeetingDay,
    AskMeetingEnd,
    AskMoreDays,
    AskQuietHours,
    AskTimeZone,
    LeadChosen,
    MeetingDayAdded,
    MeetingDayChosen,
    MeetingEndChosen,
    MeetingHourChosen,
    NoCamp,
    NoMeeting,
    QuietHoursChosen,
    TimeZoneChosen,
)
from bot.handlers.case_event import act
from bot.screens import menu
from bot.screens import settings as screens
from bot.storage import cases, leaders, reminders
from bot.turn import Turn, leader_turn
from flows import events
from flows.follow_up_timing import Rhythm
from flows.replies import Awaiting
from flows.typed_day import parse_day


@leader_turn
async def settings_command(turn: Turn) -> None:
    """/settings: what is set, and a button for each."""
    leaders.place(turn.leader, Awaiting.NOTHING)
    screens.overview(turn)


def valid_zone(name: str) -> bool:
    """Whether ``name`` is a time zone the timing rules accept."""
    try:
        Rhythm(time_zone=name)
    except ValueError:
        return False
    return True


@leader_turn
async def pressed(turn: Turn) -> None:
    """A button of the settings screens; planned reminders follow a changed setting."""
    leader = turn.leader
    before = leader.rhythm
    match turn.callback:
        case AskMeetingDay(case_id=case_id, child_id=child_id):
            screens.ask_weekday(turn, (case_id, child_id))
        case NoMeeting():
            leader.meeting_days, leader.meeting_time, leader.meeting_end = None, None, None
            leader.rhythm_asked = True
            await _changed(turn, before)
        case MeetingDayChosen(weekday=day, case_id=case_id, child_id=child_id) if day <= 6:
            screens.ask_hour(turn, day, (case_id, child_id))
        case MeetingHourChosen(weekday=day, hour=hour, case_id=case_id, child_id=child_id) if (
            day <= 6 and hour <= 23
        ):
            leader.meeting_days = str(day)
            leader.meeting_time = time(hour).strftime("%H:%M")
            if leader.meeting_end is not None and leader.meeting_end <= leader.meeting_time:
                leader.meeting_end = None
            leader.rhythm_asked = True
            await _changed(turn, before)
            if case_id:
                await back_to_plan(turn, case_id, child_id)
        case AskMoreDays() if leader.meeting_time:
            screens.ask_more_days(turn)
        case MeetingDayAdded(weekday=day) if day <= 6 and leader.meeting_time:
            leader.meeting_days = ",".join(str(d) for d in sorted({*leader.weekdays, day}))
            await _changed(turn, before)
        case AskMeetingEnd() if leader.meeting_time:
            screens.ask_end(turn)
        case MeetingEndChosen(hour=hour) if hour <= 23 and leader.meeting_time:
            end = time(hour).strftime("%H:%M")
            if end > leader.meeting_time:
                leader.meeting_end = end
            await _changed(turn, before)
        case AskLead():
            screens.ask_lead(turn)
        case LeadChosen(minutes=minutes) if minutes in screens.LEADS:
            leader.reminder_lead = minutes
            await _changed(turn, before)
        case AskCamp():
            leaders.place(leader, Awaiting.CAMP_DATES)
            screens.ask_camp(turn)
        case NoCamp():
            leader.camp_start, leader.camp_end = None, None
            leaders.place(leader, Awaiting.NOTHING)
            await _changed(turn, before)
        case AskQuietHours():
            screens.ask_quiet(turn)
        case QuietHoursChosen(start=start, end=end) if start <= 23 and end <= 23:
            leader.quiet_start = time(start).strftime("%H:%M")
            leader.quiet_end = time(end).strftime("%H:%M")
            await _changed(turn, before)
        case AskTimeZone():
            leaders.place(leader, Awaiting.TIME_ZONE)
            screens.ask_zone(turn)
        case TimeZoneChosen(index=number) if number < len(screens.ZONES):
            leader.time_zone = screens.ZONES[number]
            leaders.place(leader, Awaiting.NOTHING)
            await _changed(turn, before)
        case _:
            menu.outdated(turn)


async def zone_typed(turn: Turn, text: str) -> None:
    """A time zone typed by name (the leader's place says the bot waits for one)."""
    name = text.strip()
    if len(name) > 64 or not valid_zone(name):
        screens.zone_refused(turn)
        return
    before = turn.leader.rhythm
    turn.leader.time_zone = name
    leaders.place(turn.leader, Awaiting.NOTHING)
    await _changed(turn, before)


#: A day-month date within typed camp dates ("1-7 10-7", "1/7 tot 10/7").
_CAMP_DAY = re.compile(r"\d{1,2}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{2,4})?")
#: A camp longer than this is no camp.
CAMP_LONGEST = timedelta(days=31)


def camp_days(text: str, today: date) -> tuple[date, date] | None:
    """The first and last day of a camp typed as two dates, or ``None``."""
    found = _CAMP_DAY.findall(text)
    if len(found) != 2:
        return None
    first, last = parse_day(found[0], today), parse_day(found[1], today)
    if first is None or last is None:
        return None
    if last < first and last.replace(year=last.year + 1) - first <= CAMP_LONGEST:
        last = last.replace(year=last.year + 1)  # over New Year
    if last < first or last - first > CAMP_LONGEST:
        return None
    return first, last


async def camp_typed(turn: Turn, text: str) -> None:
    """The camp's first and last day, typed (the leader's place says the bot waits for them)."""
    today = turn.now.astimezone(turn.leader.rhythm.zone).date()
    days = camp_days(text, today - timedelta(days=1)) if len(text) <= 64 else None
    if days is None:
        screens.camp_refused(turn)
        return
    before = turn.leader.rhythm
    turn.leader.camp_start, turn.leader.camp_end = days
    turn.leader.rhythm_asked = True
    leaders.place(turn.leader, Awaiting.NOTHING)
    await _changed(turn, before)


async def back_to_plan(turn: Turn, case_id: int, child_id: int) -> None:
    """The meeting day was set from a follow-up's plan: back on that plan, meeting offered."""
    case = await cases.owned_case(turn.session, turn.leader, case_id)
    if case is not None:
        await act(turn, case, events.AskPlan(child_id))


async def _changed(turn: Turn, before: Rhythm) -> None:
    """Move the planned reminders to the new settings, and show them with how many moved."""
    moved = await reminders.follow_new_rhythm(turn.session, turn.leader, before, turn.now)
    screens.overview(turn, moved=moved)
