"""/settings: meeting day and hour, quiet hours, time zone."""

from __future__ import annotations

from datetime import time

from bot.callback_data import (
    AskMeetingDay,
    AskQuietHours,
    AskTimeZone,
    MeetingDayChosen,
    MeetingHourChosen,
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
            leader.meeting_weekday, leader.meeting_time = None, None
            await _changed(turn, before)
        case MeetingDayChosen(weekday=day, case_id=case_id, child_id=child_id) if day <= 6:
            screens.ask_hour(turn, day, (case_id, child_id))
        case MeetingHourChosen(weekday=day, hour=hour, case_id=case_id, child_id=child_id) if (
            day <= 6 and hour <= 23
        ):
            leader.meeting_weekday = day
            leader.meeting_time = time(hour).strftime("%H:%M")
            await _changed(turn, before)
            if case_id:
                await back_to_plan(turn, case_id, child_id)
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


async def back_to_plan(turn: Turn, case_id: int, child_id: int) -> None:
    """The meeting day was set from a follow-up's plan: back on that plan, meeting offered."""
    case = await cases.owned_case(turn.session, turn.leader, case_id)
    if case is not None:
        await act(turn, case, events.AskPlan(child_id))


async def _changed(turn: Turn, before: Rhythm) -> None:
    """Move the planned reminders to the new settings, and show them with how many moved."""
    moved = await reminders.follow_new_rhythm(turn.session, turn.leader, before, turn.now)
    screens.overview(turn, moved=moved)
