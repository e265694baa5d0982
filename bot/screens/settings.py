"""/settings: the group's rhythm, which decides when reminders come."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date, get_day_names

from bot.callback_data import (
    AskCamp,
    AskLead,
    AskMeetingDay,
    AskMeetingEnd,
    AskMoreDays,
    AskQuietHours,
    AskTimeZone,
    Callback,
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
from bot.screens.format import title
from bot.storage.models import Leader
from bot.turn import Keyboard, Rows, Turn
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
#: How long before an activity reminders may land, in minutes.
LEADS = (30, 60, 120, 180)


def weekday_name(weekday: int) -> str:
    """Monday … Sunday in the leader's language."""
    return str(get_day_names("wide", locale=babel_locale())[weekday])


def quiet_text(start: str, end: str) -> str:
    """Quiet hours as the leader reads them."""
    if start == end:
        return _("none")
    return f"{start}–{end}"


def lead_text(minutes: int) -> str:
    """How long before the activity a reminder lands, as the leader reads it."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def day_text(day: date) -> str:
    """A camp's day as the leader reads it: "1 July 2027"."""
    return format_date(day, "long", locale=babel_locale())


def meeting_text(leader: Leader) -> str:
    """The weekly activities: "Saturday 14:00–17:00", or "not set"."""
    days = leader.weekdays
    if not days or not leader.meeting_time:
        return _("not set")
    hours = leader.meeting_time
    if leader.meeting_end:
        hours = f"{hours}–{leader.meeting_end}"
    return ", ".join(weekday_name(d) for d in days) + f" {hours}"


def overview(turn: Turn, moved: int = 0) -> None:
    """The current settings and a button for each; ``moved`` reminders followed a change."""
    leader: Leader = turn.leader
    has_meeting = bool(leader.weekdays) and bool(leader.meeting_time)
    lines = [_("🗓 Group meeting: %(meeting)s") % {"meeting": meeting_text(leader)}]
    if leader.camp_start is not None and leader.camp_end is not None:
        lines.append(
            _("⛺ Camp, every day: %(first)s to %(last)s")
            % {"first": day_text(leader.camp_start), "last": day_text(leader.camp_end)}
        )
    if has_meeting or leader.camp_start is not None:
        lines.append(
            _("⏰ Reminders come %(lead)s before the activity")
            % {"lead": lead_text(leader.reminder_lead)}
        )
    else:
        lines.append(
            _("⏰ No fixed rhythm: reminders come at %(time)s")
            % {"time": turn.leader.rhythm.preferred_time.strftime("%H:%M")}
        )
    lines += [
        _("🌙 Quiet hours (no reminders): %(quiet)s")
        % {"quiet": quiet_text(leader.quiet_start, leader.quiet_end)},
        _("🌍 Time zone: %(zone)s") % {"zone": leader.time_zone},
    ]
    rows: Rows = [[(_("🗓 Meeting day"), AskMeetingDay())]]
    if has_meeting:
        rows.append(
            [
                (_("➕ Another day"), AskMoreDays()),
                (_("🕔 End of the activity"), AskMeetingEnd()),
            ]
        )
    rows.append([(_("⛺ Camp"), AskCamp())])
    if has_meeting or leader.camp_start is not None:
        rows.append([(_("⏰ Time before the activity"), AskLead())])
    rows += [
        [(_("🌙 Quiet hours"), AskQuietHours())],
        [(_("🌍 Time zone"), AskTimeZone())],
    ]
    turn.show(
        "\n\n".join(
            [
                title(_("Settings")),
                _(
                    "These decide when reminders come: just before an activity of your group, "
                    "when you can still act on them."
                ),
                "\n".join(lines),
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
        rows,
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
    turn.show(
        "\n\n".join(
            [
                _("On which day does your group meet?"),
                _(
                    "Reminders then land just before an activity, never after it. "
                    "Meeting on more days, or on camp? You can add that in /settings."
                ),
            ]
        ),
        rows,
    )


def ask_more_days(turn: Turn) -> None:
    """On which other day does the group also meet?"""
    days: list[tuple[str, Callback]] = [
        (weekday_name(d), MeetingDayAdded(d)) for d in range(7) if d not in turn.leader.weekdays
    ]
    rows: Keyboard = [days[i : i + 3] for i in range(0, len(days), 3)]
    turn.show(
        _("On which day does your group also meet, at %(hour)s?")
        % {"hour": turn.leader.meeting_time},
        rows,
    )


def ask_end(turn: Turn) -> None:
    """At what time does the activity end?"""
    start = int((turn.leader.meeting_time or "00:00")[:2])
    buttons: list[tuple[str, Callback]] = [
        (f"{hour:02d}:00", MeetingEndChosen(hour)) for hour in range(start + 1, 24)
    ]
    rows: Keyboard = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    turn.show(_("At what time does the activity end?"), rows)


def ask_lead(turn: Turn) -> None:
    """How long before the activity should reminders come?"""
    rows: Keyboard = [[(lead_text(minutes), LeadChosen(minutes))] for minutes in LEADS]
    turn.show(
        _(
            "How long before the activity should a reminder come? "
            "Then you can still prepare the talk."
        ),
        rows,
    )


def ask_camp(turn: Turn) -> None:
    """The camp's first and last day, typed."""
    rows: Rows = []
    if turn.leader.camp_start is not None:
        rows.append([(_("No camp"), NoCamp())])
    turn.show(
        _(
            "On camp your group meets every day: reminders then come in the morning. "
            "Type the first and the last day of the camp, for example %(example)s."
        )
        % {"example": "1-7 10-7"},
        rows,
    )


def camp_refused(turn: Turn) -> None:
    """Typed camp dates that are not two dates, or not in order."""
    turn.say(
        _("I can't read that as a camp. Type the first and the last day, for example %(example)s.")
        % {"example": "1-7 10-7"}
    )


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
