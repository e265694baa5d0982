"""/settings: meeting day and hour, quiet hours, time zone."""

from __future__ import annotations

import re
from datetime import time

from bot import states
from bot.callback_data import SettingsPress
from bot.screens import menu
from bot.screens import settings as screens
from bot.storage import reminders
from bot.turn import Turn, leader_turn
from flows.follow_up_timing import Rhythm

_HOUR = re.compile(r"^([0-6])-([01]\d|2[0-3])00$")
_QUIET = re.compile(r"^([01]\d|2[0-3])00-([01]\d|2[0-3])00$")


@leader_turn
async def settings_command(turn: Turn) -> object:
    """/settings: what is set, and a button for each."""
    screens.overview(turn)
    return states.IDLE


def valid_zone(name: str) -> bool:
    """Whether ``name`` is a time zone the timing rules accept."""
    try:
        Rhythm(time_zone=name)
    except ValueError:
        return False
    return True


@leader_turn
async def pressed(turn: Turn) -> object:
    """A button of the settings screens; planned reminders follow a changed setting."""
    value = turn.callback
    if not isinstance(value, SettingsPress):
        menu.outdated(turn)
        return None
    leader = turn.leader
    before = leader.rhythm
    match value.setting, value.value:
        case "day", "":
            screens.ask_weekday(turn)
        case "day", "none":
            leader.meeting_weekday, leader.meeting_time = None, None
            await _changed(turn, before)
        case "day", day if day.isdigit() and 0 <= int(day) <= 6:
            screens.ask_hour(turn, int(day))
        case "hour", hour if found := _HOUR.match(hour):
            leader.meeting_weekday = int(found[1])
            leader.meeting_time = time(int(found[2])).strftime("%H:%M")
            await _changed(turn, before)
        case "quiet", "":
            screens.ask_quiet(turn)
        case "quiet", quiet if found := _QUIET.match(quiet):
            leader.quiet_start = f"{found[1]}:00"
            leader.quiet_end = f"{found[2]}:00"
            await _changed(turn, before)
        case "tz", "":
            return screens.ask_zone(turn)
        case "tz", number if number.isdigit() and int(number) < len(screens.ZONES):
            leader.time_zone = screens.ZONES[int(number)]
            await _changed(turn, before)
            return states.IDLE
        case _:
            menu.outdated(turn)
    return None


@leader_turn
async def zone_typed(turn: Turn) -> object:
    """A time zone typed by name."""
    name = turn.text.strip()
    if not valid_zone(name) or len(name) > 64:
        screens.zone_refused(turn)
        return None
    before = turn.leader.rhythm
    turn.leader.time_zone = name
    await _changed(turn, before)
    return states.IDLE


async def _changed(turn: Turn, before: Rhythm) -> None:
    """Move the planned reminders to the new settings, and show them with how many moved."""
    moved = await reminders.follow_new_rhythm(turn.session, turn.leader, before, turn.now)
    screens.overview(turn, moved=moved)
