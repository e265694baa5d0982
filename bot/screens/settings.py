"""/settings: the group's rhythm, which decides when reminders come."""

from __future__ import annotations

from babel.dates import get_day_names

from bot.callback_data import (
    AskMeetingDay,
    AskQuietHours,
    AskTimeZone,
    Callback,
    MeetingDayChosen,
    MeetingHourChosen,
    NoMeeting,
    QuietHoursChosen,
    TimeZoneChosen,
)
from bot.screens.format import title
from bot.storage.models import Leader
from bot.turn import Keyboard, Turn
from flows.language import _, babel_locale, ngettext

#: Time zones offered as buttons; any other IANA name can be typed.
ZONES = (
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Luxembourg",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/London",
)
#: Quiet hours offered: (start, end); equal start and end means none.
QUIET = (("22:00", "08:00"), ("21:00", "09:00"), ("23:00", "07:00"), ("00:00", "00:00"))
#: Meeting hours offered as buttons (whole hours).
HOURS = tuple(range(8, 22))


def weekday_name(weekday: int) -> str:
    """Monday … Sunday in the leader's language."""
    return str(get_day_names("wide", locale=babel_locale())[weekday])


def quiet_text(start: str, end: str) -> str:
    """Quiet hours as the leader reads them."""
    if start == end:
        return _("none")
    return f"{start}–{end}"


def overview(turn: Turn, moved: int = 0) -> None:
    """The current settings and a button for each; ``moved`` reminders followed a change."""
    leader: Leader = turn.leader
    if leader.meeting_weekday is not None and leader.meeting_time:
        meeting = f"{weekday_name(leader.meeting_weekday)} {leader.meeting_time}"
    else:
        meeting = _("not set")
    turn.show(
        "\n\n".join(
            [
                title(_("Settings")),
                _("These decide when reminders come."),
                "\n".join(
                    [
                        _("🗓 Group meeting: %(meeting)s") % {"meeting": meeting},
                        _("🌙 Quiet hours (no reminders): %(quiet)s")
                        % {"quiet": quiet_text(leader.quiet_start, leader.quiet_end)},
                        _("🌍 Time zone: %(zone)s") % {"zone": leader.time_zone},
                    ]
                ),
                *(
                    [
                        ngettext(
                            "🔁 %(count)d planned reminder was moved to fit these settings.",
                            "🔁 %(count)d planned reminders were moved to fit these settings.",
                            moved,
                        )
                        % {"count": moved}
                    ]
                    if moved
                    else []
                ),
            ]
        ),
        [
            [(_("🗓 Meeting day"), AskMeetingDay())],
            [(_("🌙 Quiet hours"), AskQuietHours())],
            [(_("🌍 Time zone"), AskTimeZone())],
        ],
    )


def ask_weekday(turn: Turn, plan: tuple[int, int] = (0, 0)) -> None:
    """On which day does the group meet? (``plan``: the case and child to plan for after.)"""
    days: list[tuple[str, Callback]] = [
        (weekday_name(d), MeetingDayChosen(d, *plan)) for d in range(7)
    ]
    rows: Keyboard = [
        days[0:3],
        days[3:6],
        days[6:],
        [(_("No weekly meeting"), NoMeeting())],
    ]
    turn.show(_("On which day does your group meet?"), rows)


def ask_hour(turn: Turn, weekday: int, plan: tuple[int, int] = (0, 0)) -> None:
    """At what time does the group meet?"""
    buttons: list[tuple[str, Callback]] = [
        (f"{hour:02d}:00", MeetingHourChosen(weekday, hour, *plan)) for hour in HOURS
    ]
    rows: Keyboard = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    turn.show(
        _("At what time does the group meet on %(day)s?") % {"day": weekday_name(weekday)}, rows
    )


def ask_quiet(turn: Turn) -> None:
    """Quiet hours presets."""
    rows: Keyboard = [
        [(quiet_text(start, end), QuietHoursChosen(int(start[:2]), int(end[:2])))]
        for start, end in QUIET
    ]
    turn.show(_("When should no reminder come?"), rows)


def ask_zone(turn: Turn) -> None:
    """Time zone buttons, or a name typed."""
    rows: Keyboard = [[(zone, TimeZoneChosen(n))] for n, zone in enumerate(ZONES)]
    turn.show(
        _("Which time zone are you in? Tap one, or type its name, for example %(example)s.")
        % {"example": "America/New_York"},
        rows,
    )


def zone_refused(turn: Turn) -> None:
    """A typed time zone that does not exist."""
    turn.say(
        _("I don't know that time zone. Type a name such as %(example)s.")
        % {"example": "Europe/Brussels"}
    )
