"""When a follow-up reminder is due: every choice, quiet hours, time zones and DST.

Expected moments are written out by hand (as local wall times or UTC instants),
never computed with the code under test, so that each case can fail.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.follow_up_timing import (
    FOLLOW_UP_CHOICES,
    FollowUpChoice,
    Rhythm,
    follow_up_moment,
    is_late,
    next_interval_after_stopped,
    out_of_quiet_hours,
    replanned_moment,
    snooze_moment,
)

BRUSSELS = "Europe/Brussels"
NEW_YORK = "America/New_York"
TOKYO = "Asia/Tokyo"

C = FollowUpChoice
DEFAULT = Rhythm()
NO_QUIET = Rhythm(quiet_start=time(0, 0), quiet_end=time(0, 0))
# A weekly meeting on Wednesday at 19:30.
WEDNESDAY_MEETING = Rhythm(meeting_weekday=2, meeting_time=time(19, 30))


def at(
    y: int, mo: int, d: int, h: int = 0, mi: int = 0, zone: str = BRUSSELS, fold: int = 0
) -> datetime:
    """An aware moment given as the wall clock in ``zone``."""
    return datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(zone), fold=fold)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """An aware moment given in UTC."""
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)


def assert_utc(result: datetime) -> None:
    assert result.tzinfo is UTC
    assert result.utcoffset() == timedelta(0)


# --- Rhythm ---------------------------------------------------------------------------


def test_rhythm_defaults_match_the_documented_ones() -> None:
    rhythm = Rhythm()
    assert rhythm.time_zone == "Europe/Brussels"
    assert rhythm.quiet_start == time(22, 0)
    assert rhythm.quiet_end == time(8, 0)
    assert rhythm.meeting_weekday is None
    assert rhythm.meeting_time is None
    assert rhythm.preferred_time == time(19, 0)
    assert rhythm.has_quiet_hours
    assert not rhythm.has_meeting
    assert rhythm.zone == ZoneInfo("Europe/Brussels")


def test_rhythm_is_frozen() -> None:
    with pytest.raises(AttributeError):
        DEFAULT.time_zone = TOKYO  # type: ignore[misc]


@pytest.mark.parametrize("zone", [BRUSSELS, NEW_YORK, TOKYO, "UTC", "America/Sao_Paulo"])
def test_rhythm_accepts_iana_time_zones(zone: str) -> None:
    assert Rhythm(time_zone=zone).zone == ZoneInfo(zone)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "unknown time zone 'Mars/Olympus_Mons'"),
        ({"time_zone": ""}, "unknown time zone"),
        ({"time_zone": "../../etc/passwd"}, "unknown time zone"),
        ({"time_zone": "Europe/Brussels "}, "unknown time zone"),
        ({"time_zone": "CEST+2"}, "unknown time zone"),
        ({"meeting_weekday": 7, "meeting_time": time(19)}, "meeting_weekday must be 0"),
        ({"meeting_weekday": -1, "meeting_time": time(19)}, "meeting_weekday must be 0"),
        ({"meeting_weekday": True, "meeting_time": time(19)}, "meeting_weekday must be 0"),
        ({"meeting_weekday": 2}, "set together"),
        ({"meeting_time": time(19)}, "set together"),
        ({"quiet_start": time(22, tzinfo=UTC)}, "quiet_start must be a local time"),
        ({"quiet_end": time(8, tzinfo=UTC)}, "quiet_end must be a local time"),
        ({"preferred_time": time(19, tzinfo=UTC)}, "preferred_time must be a local time"),
        (
            {"meeting_weekday": 1, "meeting_time": time(19, tzinfo=UTC)},
            "meeting_time must be a local time",
        ),
    ],
)
def test_rhythm_rejects_what_it_cannot_work_with(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Rhythm(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("quiet_start", "quiet_end", "expected"),
    [
        (time(22), time(8), True),
        (time(13), time(14), True),
        (time(8), time(8), False),
        (time(0), time(0), False),
    ],
)
def test_equal_quiet_start_and_end_means_no_quiet_hours(
    quiet_start: time, quiet_end: time, expected: bool
) -> None:
    assert Rhythm(quiet_start=quiet_start, quiet_end=quiet_end).has_quiet_hours is expected


# --- FollowUpChoice -------------------------------------------------------------------


def test_choice_values_are_the_short_callback_codes() -> None:
    assert {c.name: c.value for c in FollowUpChoice} == {
        "IN_1_DAY": "1d",
        "IN_2_DAYS": "2d",
        "IN_1_WEEK": "1w",
        "IN_2_WEEKS": "2w",
        "NEXT_MEETING": "meeting",
        "NEXT_MEETING_ANYWAY": "meeting1",
        "AFTER_NEXT_MEETING": "meeting2",
        "ON_DATE": "date",
        "THIS_EVENING": "evening",
        "TOMORROW": "tomorrow",
    }


def test_choice_values_leave_room_in_64_byte_callback_data() -> None:
    assert max(len(c.value.encode()) for c in FollowUpChoice) <= 8


# --- N days ahead ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (C.IN_1_DAY, at(2026, 5, 13, 19)),
        (C.IN_2_DAYS, at(2026, 5, 14, 19)),
        (C.IN_1_WEEK, at(2026, 5, 19, 19)),
        (C.IN_2_WEEKS, at(2026, 5, 26, 19)),
        (C.TOMORROW, at(2026, 5, 13, 19)),
    ],
)
def test_days_ahead_land_at_the_preferred_time(choice: FollowUpChoice, expected: datetime) -> None:
    now = at(2026, 5, 12, 10, 0)  # a Tuesday morning
    result = follow_up_moment(choice, now, DEFAULT)
    assert result == expected
    assert_utc(result)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Just before midnight in Brussels (already the next day in Tokyo, not in UTC).
        (at(2026, 5, 12, 23, 30), at(2026, 5, 13, 19)),
        # Just after midnight in Brussels: still the previous day in UTC (22:30Z),
        # but the leader's calendar has turned, so "1 day" is the day after.
        (at(2026, 5, 13, 0, 30), at(2026, 5, 14, 19)),
        # Late evening after the preferred time: tomorrow, not "24 hours from now".
        (at(2026, 5, 12, 21, 0), at(2026, 5, 13, 19)),
        # Over a month and a year end.
        (at(2026, 12, 31, 12, 0), at(2027, 1, 1, 19)),
        (at(2028, 2, 28, 12, 0), at(2028, 2, 29, 19)),
    ],
)
def test_one_day_counts_calendar_days_in_the_leaders_zone(
    now: datetime, expected: datetime
) -> None:
    assert follow_up_moment(C.IN_1_DAY, now, DEFAULT) == expected


@pytest.mark.parametrize(
    ("zone", "now", "expected_utc"),
    [
        # Brussels in May is UTC+2: 19:00 local is 17:00Z.
        (BRUSSELS, utc(2026, 5, 12, 8), utc(2026, 5, 13, 17)),
        # New York in May is UTC-4: 19:00 local is 23:00Z.
        (NEW_YORK, utc(2026, 5, 12, 14), utc(2026, 5, 13, 23)),
        # 01:00Z on the 13th is still the evening of the 12th in New York.
        (NEW_YORK, utc(2026, 5, 13, 1), utc(2026, 5, 13, 23)),
        # Tokyo is UTC+9 all year: 19:00 local is 10:00Z.
        (TOKYO, utc(2026, 5, 12, 8), utc(2026, 5, 13, 10)),
        # 23:00Z on the 11th is already 08:00 on the 12th in Tokyo.
        (TOKYO, utc(2026, 5, 11, 23), utc(2026, 5, 13, 10)),
    ],
)
def test_one_day_in_different_time_zones(zone: str, now: datetime, expected_utc: datetime) -> None:
    result = follow_up_moment(C.IN_1_DAY, now, Rhythm(time_zone=zone))
    assert result == expected_utc
    assert_utc(result)


@pytest.mark.parametrize(
    ("choice", "now", "expected_utc"),
    [
        # Spring forward on 2026-03-29: 19:00 is 18:00Z on the 28th but 17:00Z on the 29th.
        (C.IN_1_DAY, at(2026, 3, 28, 12), utc(2026, 3, 29, 17)),
        (C.TOMORROW, at(2026, 3, 28, 12), utc(2026, 3, 29, 17)),
        (C.IN_1_WEEK, at(2026, 3, 25, 12), utc(2026, 4, 1, 17)),
        # Fall back on 2026-10-25: 19:00 is 17:00Z on the 24th but 18:00Z on the 25th.
        (C.IN_1_DAY, at(2026, 10, 24, 12), utc(2026, 10, 25, 18)),
        (C.IN_2_DAYS, at(2026, 10, 24, 12), utc(2026, 10, 26, 18)),
        (C.IN_2_WEEKS, at(2026, 10, 20, 12), utc(2026, 11, 3, 18)),
    ],
)
def test_dst_in_brussels_keeps_the_wall_clock_hour(
    choice: FollowUpChoice, now: datetime, expected_utc: datetime
) -> None:
    result = follow_up_moment(choice, now, DEFAULT)
    assert result == expected_utc
    assert result.astimezone(ZoneInfo(BRUSSELS)).time() == time(19, 0)


def test_dst_in_new_york_keeps_the_wall_clock_hour() -> None:
    # New York springs forward on 2026-03-08: 19:00 EST is 00:00Z, 19:00 EDT is 23:00Z.
    now = at(2026, 3, 7, 10, zone=NEW_YORK)
    assert follow_up_moment(C.IN_1_DAY, now, Rhythm(time_zone=NEW_YORK)) == utc(2026, 3, 8, 23)


def test_a_custom_preferred_time_is_used() -> None:
    rhythm = Rhythm(preferred_time=time(9, 15))
    assert follow_up_moment(C.IN_2_DAYS, at(2026, 5, 12, 10), rhythm) == at(2026, 5, 14, 9, 15)


def test_a_preferred_time_inside_quiet_hours_moves_to_their_end() -> None:
    rhythm = Rhythm(preferred_time=time(23, 0))
    assert follow_up_moment(C.IN_1_DAY, at(2026, 5, 12, 10), rhythm) == at(2026, 5, 14, 8)


@pytest.mark.parametrize(
    ("choice", "now", "expected_utc"),
    [
        # 02:30 does not exist on 2026-03-29 in Brussels: the clock jumps from 02:00
        # CET to 03:00 CEST at 01:00Z, the first instant after the wanted time.
        (C.IN_1_DAY, at(2026, 3, 28, 12), utc(2026, 3, 29, 1)),
        # 02:30 happens twice on 2026-10-25: the earlier one (CEST, 00:30Z) is taken.
        (C.IN_1_DAY, at(2026, 10, 24, 12), utc(2026, 10, 25, 0, 30)),
    ],
)
def test_a_preferred_time_in_a_dst_gap_or_fold(
    choice: FollowUpChoice, now: datetime, expected_utc: datetime
) -> None:
    rhythm = Rhythm(quiet_start=time(0), quiet_end=time(0), preferred_time=time(2, 30))
    assert follow_up_moment(choice, now, rhythm) == expected_utc


# --- Next meeting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # The reminder lands an hour before the meeting (19:30): 18:30.
        # Wednesday morning: the meeting later today.
        (at(2026, 5, 13, 10, 0), at(2026, 5, 13, 18, 30)),
        # Just before its reminder: still today's meeting.
        (at(2026, 5, 13, 18, 29), at(2026, 5, 13, 18, 30)),
        # Its reminder's moment has come: next week's.
        (at(2026, 5, 13, 18, 30), at(2026, 5, 20, 18, 30)),
        # Today's meeting is going on or over: next week's.
        (at(2026, 5, 13, 19, 30), at(2026, 5, 20, 18, 30)),
        (at(2026, 5, 13, 21, 0), at(2026, 5, 20, 18, 30)),
        # Tuesday night: tomorrow's meeting.
        (at(2026, 5, 12, 23, 0), at(2026, 5, 13, 18, 30)),
        # Thursday and Sunday: the coming Wednesday.
        (at(2026, 5, 14, 9, 0), at(2026, 5, 20, 18, 30)),
        (at(2026, 5, 17, 12, 0), at(2026, 5, 20, 18, 30)),
        # Over a month end.
        (at(2026, 5, 28, 12, 0), at(2026, 6, 3, 18, 30)),
    ],
)
def test_next_meeting(now: datetime, expected: datetime) -> None:
    result = follow_up_moment(C.NEXT_MEETING, now, WEDNESDAY_MEETING)
    assert result == expected
    assert_utc(result)


@pytest.mark.parametrize(
    ("weekday", "expected"),
    [
        (0, at(2026, 5, 18, 13)),  # Monday
        (1, at(2026, 5, 12, 13)),  # Tuesday, later today
        (5, at(2026, 5, 16, 13)),  # Saturday
        (6, at(2026, 5, 17, 13)),  # Sunday
    ],
)
def test_next_meeting_for_each_weekday(weekday: int, expected: datetime) -> None:
    rhythm = Rhythm(meeting_weekday=weekday, meeting_time=time(14, 0))
    assert follow_up_moment(C.NEXT_MEETING, at(2026, 5, 12, 9), rhythm) == expected


def test_next_meeting_across_spring_forward_keeps_the_meeting_hour() -> None:
    rhythm = Rhythm(meeting_weekday=6, meeting_time=time(10, 0))  # Sunday 10:00
    # Saturday 2026-03-28 (CET); Sunday's 10:00 is CEST, 08:00Z: its reminder 07:00Z.
    assert follow_up_moment(C.NEXT_MEETING, at(2026, 3, 28, 10), rhythm) == utc(2026, 3, 29, 7)


def test_next_meeting_in_new_york_uses_the_local_weekday() -> None:
    rhythm = Rhythm(time_zone=NEW_YORK, meeting_weekday=2, meeting_time=time(18, 0))
    # 03:00Z Thursday is still Wednesday 23:00 in New York: the meeting has passed.
    now = utc(2026, 5, 14, 3)
    assert follow_up_moment(C.NEXT_MEETING, now, rhythm) == at(2026, 5, 20, 17, zone=NEW_YORK)


def test_a_meeting_late_at_night_is_reminded_before_it_not_the_next_morning() -> None:
    rhythm = Rhythm(meeting_weekday=2, meeting_time=time(22, 30))
    assert follow_up_moment(C.NEXT_MEETING, at(2026, 5, 13, 10), rhythm) == at(2026, 5, 13, 21, 30)


def test_a_reminder_whose_lead_falls_in_quiet_hours_waits_for_their_end() -> None:
    rhythm = Rhythm(meeting_weekday=2, meeting_time=time(9, 0), lead=timedelta(hours=2))
    assert follow_up_moment(C.NEXT_MEETING, at(2026, 5, 12, 10), rhythm) == at(2026, 5, 13, 8)


def test_next_meeting_without_a_meeting_is_refused() -> None:
    with pytest.raises(ValueError, match="no group meeting is set"):
        follow_up_moment(C.NEXT_MEETING, at(2026, 5, 13, 10), DEFAULT)


# --- On a date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "on_date", "expected"),
    [
        (at(2026, 5, 12, 10), date(2026, 6, 1), at(2026, 6, 1, 19)),
        # Today, with the preferred time still ahead.
        (at(2026, 5, 12, 10), date(2026, 5, 12), at(2026, 5, 12, 19)),
        (at(2026, 5, 12, 18, 59), date(2026, 5, 12), at(2026, 5, 12, 19)),
        # On the fall-back day: 19:00 CET.
        (at(2026, 10, 20, 10), date(2026, 10, 25), utc(2026, 10, 25, 18)),
    ],
)
def test_on_date_lands_at_the_preferred_time(
    now: datetime, on_date: date, expected: datetime
) -> None:
    result = follow_up_moment(C.ON_DATE, now, DEFAULT, on_date=on_date)
    assert result == expected
    assert_utc(result)


def test_on_date_in_tokyo() -> None:
    result = follow_up_moment(
        C.ON_DATE, utc(2026, 5, 12), Rhythm(time_zone=TOKYO), on_date=date(2026, 5, 20)
    )
    assert result == utc(2026, 5, 20, 10)


@pytest.mark.parametrize(
    ("now", "on_date"),
    [
        (at(2026, 5, 12, 10), date(2026, 5, 11)),  # yesterday
        (at(2026, 5, 12, 10), date(2020, 1, 1)),
    ],
)
def test_on_date_in_the_past_is_refused(now: datetime, on_date: date) -> None:
    with pytest.raises(ValueError, match="not in the future"):
        follow_up_moment(C.ON_DATE, now, DEFAULT, on_date=on_date)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Today, typed when the evening is (nearly) here: two hours on.
        (at(2026, 5, 12, 19, 0), at(2026, 5, 12, 21, 0)),
        (at(2026, 5, 12, 21, 0), at(2026, 5, 13, 8, 0)),  # 23:00 is in the quiet hours
    ],
)
def test_on_date_today_after_its_hour_is_later_today(now: datetime, expected: datetime) -> None:
    assert follow_up_moment(C.ON_DATE, now, DEFAULT, on_date=date(2026, 5, 12)) == expected


def test_on_date_without_a_date_is_refused() -> None:
    with pytest.raises(ValueError, match="needs the date"):
        follow_up_moment(C.ON_DATE, at(2026, 5, 12, 10), DEFAULT)


@pytest.mark.parametrize("choice", [c for c in FollowUpChoice if c is not C.ON_DATE])
def test_a_date_with_another_choice_is_refused(choice: FollowUpChoice) -> None:
    with pytest.raises(ValueError, match="on_date is only used with"):
        follow_up_moment(choice, at(2026, 5, 12, 10), WEDNESDAY_MEETING, on_date=date(2026, 6, 1))


# --- This evening ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 5, 12, 10, 0), at(2026, 5, 12, 19, 0)),
        # In the early-morning quiet hours: this evening is still 19:00 today.
        (at(2026, 5, 12, 2, 0), at(2026, 5, 12, 19, 0)),
        # Exactly 30 minutes before: still 19:00.
        (at(2026, 5, 12, 18, 30), at(2026, 5, 12, 19, 0)),
        # Less than 30 minutes before: in two hours.
        (at(2026, 5, 12, 18, 31), at(2026, 5, 12, 20, 31)),
        (at(2026, 5, 12, 19, 30), at(2026, 5, 12, 21, 30)),
        # Two hours later falls in the quiet hours: the morning after.
        (at(2026, 5, 12, 20, 0), at(2026, 5, 13, 8, 0)),
        (at(2026, 5, 12, 23, 0), at(2026, 5, 13, 8, 0)),
    ],
)
def test_this_evening(now: datetime, expected: datetime) -> None:
    result = follow_up_moment(C.THIS_EVENING, now, DEFAULT)
    assert result == expected
    assert_utc(result)


def test_this_evening_is_19_00_whatever_the_preferred_time() -> None:
    rhythm = Rhythm(preferred_time=time(9, 0))
    assert follow_up_moment(C.THIS_EVENING, at(2026, 5, 12, 10), rhythm) == at(2026, 5, 12, 19)


def test_this_evening_in_tokyo() -> None:
    # 01:00Z is 10:00 in Tokyo; 19:00 JST is 10:00Z.
    result = follow_up_moment(C.THIS_EVENING, utc(2026, 5, 12, 1), Rhythm(time_zone=TOKYO))
    assert result == utc(2026, 5, 12, 10)


@pytest.mark.parametrize(
    ("now", "expected_utc"),
    [
        # 10:00 EDT: 19:00 EDT is 23:00Z.
        (at(2026, 5, 12, 10, 0, zone=NEW_YORK), utc(2026, 5, 12, 23, 0)),
        # 18:45 EDT is too close to 19:00: two hours later, 20:45 EDT = 00:45Z.
        (at(2026, 5, 12, 18, 45, zone=NEW_YORK), utc(2026, 5, 13, 0, 45)),
        # On the day New York springs forward (2026-03-08) 19:00 is EDT, 23:00Z.
        (at(2026, 3, 8, 1, 30, zone=NEW_YORK), utc(2026, 3, 8, 23, 0)),
    ],
)
def test_this_evening_in_new_york(now: datetime, expected_utc: datetime) -> None:
    assert follow_up_moment(C.THIS_EVENING, now, Rhythm(time_zone=NEW_YORK)) == expected_utc


# --- Tomorrow -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 5, 12, 23, 30), at(2026, 5, 13, 19)),
        (at(2026, 5, 12, 6, 0), at(2026, 5, 13, 19)),
        (at(2026, 5, 13, 0, 10), at(2026, 5, 14, 19)),
    ],
)
def test_tomorrow_is_the_next_calendar_day_at_the_preferred_time(
    now: datetime, expected: datetime
) -> None:
    assert follow_up_moment(C.TOMORROW, now, DEFAULT) == expected


# --- Choices as text and invalid input ------------------------------------------------


def test_a_choice_may_arrive_as_its_callback_text() -> None:
    now = at(2026, 5, 12, 10)
    assert follow_up_moment("1w", now, DEFAULT) == at(2026, 5, 19, 19)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["3d", "", "1D", "meeting ", "later"])
def test_an_unknown_choice_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a valid FollowUpChoice"):
        follow_up_moment(bad, at(2026, 5, 12, 10), DEFAULT)  # type: ignore[arg-type]


@pytest.mark.parametrize("choice", list(FollowUpChoice))
def test_a_naive_now_is_refused(choice: FollowUpChoice) -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        follow_up_moment(choice, datetime(2026, 5, 12, 10), WEDNESDAY_MEETING)


# --- Every choice, every zone, around the clock ---------------------------------------

SWEEP_ZONES = [BRUSSELS, NEW_YORK, TOKYO]
# Two days around each Brussels DST change and an ordinary day, every 37 minutes
# (so the minutes drift through the hour), starting just before midnight UTC.
SWEEP_STARTS = [utc(2026, 3, 27, 23, 50), utc(2026, 10, 23, 23, 50), utc(2026, 5, 11, 23, 50)]
SWEEP_NOWS = [
    start + timedelta(minutes=37 * i) for start in SWEEP_STARTS for i in range(3 * 24 * 60 // 37)
]


def _in_quiet_hours(moment: datetime, rhythm: Rhythm) -> bool:
    wall = moment.astimezone(rhythm.zone).time()
    return wall >= rhythm.quiet_start or wall < rhythm.quiet_end  # 22:00–08:00 wraps


@pytest.mark.parametrize("zone", SWEEP_ZONES)
@pytest.mark.parametrize("choice", list(FollowUpChoice))
def test_every_result_is_aware_utc_strictly_after_now_and_outside_quiet_hours(
    choice: FollowUpChoice, zone: str
) -> None:
    rhythm = Rhythm(time_zone=zone, meeting_weekday=5, meeting_time=time(14, 0))
    for now in SWEEP_NOWS:
        on_date = None
        if choice is C.ON_DATE:
            on_date = now.astimezone(rhythm.zone).date() + timedelta(days=3)
        result = follow_up_moment(choice, now, rhythm, on_date=on_date)
        assert_utc(result)
        assert result > now, (choice, zone, now)
        assert not _in_quiet_hours(result, rhythm), (choice, zone, now, result)
        # Nothing is ever planned more than two weeks and a week's activity ahead.
        assert result - now < timedelta(days=21), (choice, zone, now)


# --- Quiet hours ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 22:00–08:00, wrapping midnight.
        (at(2026, 5, 12, 23, 30), at(2026, 5, 13, 8, 0)),
        (at(2026, 5, 12, 22, 0), at(2026, 5, 13, 8, 0)),
        (at(2026, 5, 12, 23, 59), at(2026, 5, 13, 8, 0)),
        (at(2026, 5, 13, 0, 0), at(2026, 5, 13, 8, 0)),
        (at(2026, 5, 13, 3, 0), at(2026, 5, 13, 8, 0)),
        (at(2026, 5, 13, 7, 59), at(2026, 5, 13, 8, 0)),
        (at(2026, 5, 13, 8, 0), at(2026, 5, 13, 8, 0)),
        (at(2026, 5, 13, 12, 0), at(2026, 5, 13, 12, 0)),
        (at(2026, 5, 13, 21, 59), at(2026, 5, 13, 21, 59)),
        # Over a month end.
        (at(2026, 5, 31, 23, 0), at(2026, 6, 1, 8, 0)),
    ],
)
def test_quiet_hours_wrapping_midnight(moment: datetime, expected: datetime) -> None:
    result = out_of_quiet_hours(moment, DEFAULT)
    assert result == expected
    assert_utc(result)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 13:00–14:00, within one day.
        (at(2026, 5, 12, 12, 59), at(2026, 5, 12, 12, 59)),
        (at(2026, 5, 12, 13, 0), at(2026, 5, 12, 14, 0)),
        (at(2026, 5, 12, 13, 30), at(2026, 5, 12, 14, 0)),
        (at(2026, 5, 12, 13, 59), at(2026, 5, 12, 14, 0)),
        (at(2026, 5, 12, 14, 0), at(2026, 5, 12, 14, 0)),
        (at(2026, 5, 12, 23, 30), at(2026, 5, 12, 23, 30)),
        (at(2026, 5, 12, 3, 0), at(2026, 5, 12, 3, 0)),
    ],
)
def test_quiet_hours_within_one_day(moment: datetime, expected: datetime) -> None:
    rhythm = Rhythm(quiet_start=time(13, 0), quiet_end=time(14, 0))
    result = out_of_quiet_hours(moment, rhythm)
    assert result == expected
    assert_utc(result)


@pytest.mark.parametrize("hour", [0, 3, 7, 8, 13, 22, 23])
def test_no_quiet_hours_when_start_equals_end(hour: int) -> None:
    moment = at(2026, 5, 12, hour, 15)
    result = out_of_quiet_hours(moment, NO_QUIET)
    assert result == moment
    assert_utc(result)


def test_an_unmoved_moment_comes_back_in_utc() -> None:
    # 20:00 in Tokyo is 11:00Z, 13:00 in Brussels: not quiet.
    result = out_of_quiet_hours(at(2026, 5, 12, 20, 0, zone=TOKYO), DEFAULT)
    assert result == utc(2026, 5, 12, 11)
    assert_utc(result)


def test_quiet_hours_are_judged_in_the_leaders_zone_not_the_moments() -> None:
    # 07:00 in Tokyo is 00:00 in Brussels: quiet for a Brussels leader.
    result = out_of_quiet_hours(at(2026, 5, 12, 7, 0, zone=TOKYO), DEFAULT)
    assert result == at(2026, 5, 12, 8, 0)  # Brussels 08:00 = 06:00Z


@pytest.mark.parametrize(
    ("zone", "moment_utc", "expected_utc"),
    [
        # 23:30 EDT on the 12th is 03:30Z on the 13th; 08:00 EDT on the 13th is 12:00Z.
        (NEW_YORK, utc(2026, 5, 13, 3, 30), utc(2026, 5, 13, 12)),
        # 23:30 JST is 14:30Z; 08:00 JST the next day is 23:00Z.
        (TOKYO, utc(2026, 5, 12, 14, 30), utc(2026, 5, 12, 23)),
        # 07:59 JST is 22:59Z the day before; 08:00 JST is one minute later.
        (TOKYO, utc(2026, 5, 11, 22, 59), utc(2026, 5, 11, 23)),
        # 12:00Z is 08:00 EDT: not quiet.
        (NEW_YORK, utc(2026, 5, 13, 12), utc(2026, 5, 13, 12)),
    ],
)
def test_quiet_hours_in_other_zones(
    zone: str, moment_utc: datetime, expected_utc: datetime
) -> None:
    assert out_of_quiet_hours(moment_utc, Rhythm(time_zone=zone)) == expected_utc


@pytest.mark.parametrize(
    ("moment", "expected_utc"),
    [
        # Night into spring forward: 08:00 CEST is 06:00Z.
        (at(2026, 3, 28, 23, 30), utc(2026, 3, 29, 6)),
        (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 6)),  # 03:30 CEST
        # Night into fall back: 08:00 CET is 07:00Z.
        (at(2026, 10, 24, 23, 30), utc(2026, 10, 25, 7)),
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 7)),  # 02:30 CEST, first pass
        (utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 7)),  # 02:30 CET, second pass
    ],
)
def test_quiet_hours_across_dst_end_at_local_eight(
    moment: datetime, expected_utc: datetime
) -> None:
    assert out_of_quiet_hours(moment, DEFAULT) == expected_utc


@pytest.mark.parametrize(
    ("moment", "expected_utc"),
    [
        # Quiet until 02:30, which does not exist on 2026-03-29: the clock jumps
        # from 02:00 CET to 03:00 CEST at 01:00Z, and that is when quiet ends.
        (at(2026, 3, 28, 23, 0), utc(2026, 3, 29, 1, 0)),
        (at(2026, 3, 29, 1, 30), utc(2026, 3, 29, 1, 0)),
        (at(2026, 3, 29, 1, 59), utc(2026, 3, 29, 1, 0)),
        # After the jump the wall clock reads past 02:30: not quiet.
        (utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 0)),
    ],
)
def test_a_quiet_end_in_the_spring_forward_gap(moment: datetime, expected_utc: datetime) -> None:
    rhythm = Rhythm(quiet_start=time(22, 0), quiet_end=time(2, 30))
    result = out_of_quiet_hours(moment, rhythm)
    assert result == expected_utc
    assert result > moment or result == moment == expected_utc


@pytest.mark.parametrize(
    ("moment", "expected_utc"),
    [
        # 02:30 happens twice on 2026-10-25: at 00:30Z (CEST) and 01:30Z (CET).
        # Before the first pass, quiet ends at the earlier one.
        (at(2026, 10, 24, 23, 0), utc(2026, 10, 25, 0, 30)),
        (at(2026, 10, 25, 2, 10, fold=0), utc(2026, 10, 25, 0, 30)),
        # 02:10 in the second pass is after the first 02:30: quiet ends at the second.
        (at(2026, 10, 25, 2, 10, fold=1), utc(2026, 10, 25, 1, 30)),
        # 02:40 in the first pass is not quiet on the clock; neither is 02:30 CET.
        (utc(2026, 10, 25, 0, 40), utc(2026, 10, 25, 0, 40)),
        (utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 1, 30)),
    ],
)
def test_a_quiet_end_in_the_fall_back_fold(moment: datetime, expected_utc: datetime) -> None:
    rhythm = Rhythm(quiet_start=time(22, 0), quiet_end=time(2, 30))
    assert out_of_quiet_hours(moment, rhythm) == expected_utc


def test_a_quiet_start_in_the_gap_still_starts_the_quiet_hours() -> None:
    rhythm = Rhythm(quiet_start=time(2, 30), quiet_end=time(6, 0))
    # 01:59 CET: before the quiet hours.
    assert out_of_quiet_hours(utc(2026, 3, 29, 0, 59), rhythm) == utc(2026, 3, 29, 0, 59)
    # 03:00 CEST, right after the jump: quiet until 06:00 CEST (04:00Z).
    assert out_of_quiet_hours(utc(2026, 3, 29, 1, 0), rhythm) == utc(2026, 3, 29, 4, 0)


def test_a_quiet_end_in_the_gap_in_new_york() -> None:
    # New York skips 02:00–03:00 EST→EDT on 2026-03-08 at 07:00Z.
    rhythm = Rhythm(time_zone=NEW_YORK, quiet_start=time(23), quiet_end=time(2, 15))
    assert out_of_quiet_hours(at(2026, 3, 8, 0, 30, zone=NEW_YORK), rhythm) == utc(2026, 3, 8, 7)


def test_out_of_quiet_hours_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="moment must be an aware datetime"):
        out_of_quiet_hours(datetime(2026, 5, 12, 23, 30), DEFAULT)


# --- Snooze with a custom delay -------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "delay", "expected"),
    [
        (at(2026, 5, 12, 10, 0), timedelta(hours=3), at(2026, 5, 12, 13, 0)),
        (at(2026, 5, 12, 10, 0), timedelta(minutes=15), at(2026, 5, 12, 10, 15)),
        (at(2026, 5, 12, 10, 0), timedelta(days=3), at(2026, 5, 15, 10, 0)),
        # Into the quiet hours: the morning after.
        (at(2026, 5, 12, 21, 45), timedelta(minutes=30), at(2026, 5, 13, 8, 0)),
        # Started inside the quiet hours and still inside: their end.
        (at(2026, 5, 12, 6, 0), timedelta(hours=1), at(2026, 5, 12, 8, 0)),
        # Delays are elapsed time: 12 hours from 20:00 CET (19:00Z) on the 28th is
        # 07:00Z, which reads 09:00 CEST on the 29th (the night lost an hour).
        (at(2026, 3, 28, 20, 0), timedelta(hours=12), utc(2026, 3, 29, 7, 0)),
    ],
)
def test_snooze_moment(now: datetime, delay: timedelta, expected: datetime) -> None:
    result = snooze_moment(now, DEFAULT, delay)
    assert result == expected
    assert_utc(result)


def test_snooze_across_spring_forward_adds_real_time() -> None:
    # 01:30 CET is 00:30Z; one real hour later is 01:30Z, which reads 03:30 CEST.
    result = snooze_moment(at(2026, 3, 29, 1, 30), NO_QUIET, timedelta(hours=1))
    assert result == utc(2026, 3, 29, 1, 30)


def test_snooze_in_tokyo() -> None:
    # 21:30 JST (12:30Z) + 1 hour = 22:30 JST: quiet until 08:00 JST (23:00Z).
    result = snooze_moment(utc(2026, 5, 12, 12, 30), Rhythm(time_zone=TOKYO), timedelta(hours=1))
    assert result == utc(2026, 5, 12, 23)


@pytest.mark.parametrize("delay", [timedelta(0), timedelta(minutes=-5), timedelta(days=-1)])
def test_snooze_refuses_a_delay_that_is_not_positive(delay: timedelta) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        snooze_moment(at(2026, 5, 12, 10), DEFAULT, delay)


def test_snooze_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        snooze_moment(datetime(2026, 5, 12, 10), DEFAULT, timedelta(hours=1))


# --- After the bullying stopped -------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        (C.IN_1_DAY, C.IN_2_DAYS),
        (C.IN_2_DAYS, C.IN_1_WEEK),
        (C.IN_1_WEEK, C.IN_2_WEEKS),
        (C.IN_2_WEEKS, C.IN_2_WEEKS),
        (C.NEXT_MEETING, C.IN_2_WEEKS),
        (C.ON_DATE, C.IN_2_WEEKS),
        ("1d", C.IN_2_DAYS),
    ],
)
def test_next_interval_after_stopped_allows_more_time(
    previous: FollowUpChoice, expected: FollowUpChoice
) -> None:
    assert next_interval_after_stopped(previous) is expected


def test_repeating_after_stopped_settles_on_two_weeks() -> None:
    seen = [C.IN_1_DAY]
    for _ in range(5):
        seen.append(next_interval_after_stopped(seen[-1]))
    assert seen == [C.IN_1_DAY, C.IN_2_DAYS, C.IN_1_WEEK, C.IN_2_WEEKS, C.IN_2_WEEKS, C.IN_2_WEEKS]


@pytest.mark.parametrize("choice", FOLLOW_UP_CHOICES)
def test_every_follow_up_choice_has_a_next_interval(choice: FollowUpChoice) -> None:
    assert next_interval_after_stopped(choice) in FOLLOW_UP_CHOICES


@pytest.mark.parametrize("snooze", [C.THIS_EVENING, C.TOMORROW])
def test_a_snooze_has_no_next_interval(snooze: FollowUpChoice) -> None:
    with pytest.raises(ValueError, match="is a snooze, not a follow-up interval"):
        next_interval_after_stopped(snooze)


def test_an_unknown_previous_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="is not a valid FollowUpChoice"):
        next_interval_after_stopped("3w")  # type: ignore[arg-type]


# --- Lateness -------------------------------------------------------------------------

DUE = utc(2026, 5, 12, 17, 0)


@pytest.mark.parametrize(
    ("now", "grace", "late"),
    [
        (DUE - timedelta(minutes=1), timedelta(minutes=10), False),  # early
        (DUE, timedelta(minutes=10), False),
        (DUE + timedelta(minutes=5), timedelta(minutes=10), False),
        (DUE + timedelta(minutes=10), timedelta(minutes=10), False),  # exactly the grace
        (DUE + timedelta(minutes=10, microseconds=1), timedelta(minutes=10), True),
        (DUE + timedelta(hours=9), timedelta(minutes=10), True),
        (DUE, timedelta(0), False),
        (DUE + timedelta(seconds=1), timedelta(0), True),
        (DUE + timedelta(minutes=50), timedelta(hours=1), False),
        (DUE + timedelta(minutes=61), timedelta(hours=1), True),
    ],
)
def test_is_late(now: datetime, grace: timedelta, late: bool) -> None:
    assert is_late(DUE, now, grace) is late


@pytest.mark.parametrize(
    ("now", "late"),
    [(DUE + timedelta(minutes=10), False), (DUE + timedelta(minutes=11), True)],
)
def test_is_late_defaults_to_ten_minutes_of_grace(now: datetime, late: bool) -> None:
    assert is_late(DUE, now) is late


def test_is_late_compares_instants_across_zones() -> None:
    # 19:20 in Brussels (CEST) is 17:20Z: 20 minutes after DUE.
    assert is_late(DUE, at(2026, 5, 12, 19, 20))
    assert not is_late(DUE, at(2026, 5, 12, 19, 5))


def test_is_late_refuses_a_negative_grace() -> None:
    with pytest.raises(ValueError, match="grace must not be negative"):
        is_late(DUE, DUE, timedelta(minutes=-1))


@pytest.mark.parametrize(
    ("due", "now", "name"),
    [
        (datetime(2026, 5, 12, 17), DUE, "due"),
        (DUE, datetime(2026, 5, 12, 17), "now"),
    ],
)
def test_is_late_refuses_naive_datetimes(due: datetime, now: datetime, name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} must be an aware datetime"):
        is_late(due, now)


# Planned reminders after the leader changes their settings ------------------------------

NOW = at(2026, 11, 24, 18, 0)  # a Tuesday evening in Brussels
FRIDAY_MEETING = Rhythm(meeting_weekday=4, meeting_time=time(20, 0))


def test_a_new_time_zone_keeps_the_wall_clock_time_of_a_planned_reminder() -> None:
    due = at(2026, 12, 1, 19, 0)
    moved = replanned_moment(due, C.IN_1_WEEK, NOW, DEFAULT, Rhythm(time_zone=NEW_YORK))
    assert moved == at(2026, 12, 1, 19, 0, zone=NEW_YORK)
    assert_utc(moved)


def test_a_new_meeting_moves_a_next_meeting_reminder_to_the_new_meeting() -> None:
    due = at(2026, 11, 25, 18, 30)  # before Wednesday's meeting
    moved = replanned_moment(due, C.NEXT_MEETING, NOW, WEDNESDAY_MEETING, FRIDAY_MEETING)
    assert moved == at(2026, 11, 27, 19, 0)


def test_a_new_meeting_moves_a_reminder_in_weeks_to_that_week_s_meeting() -> None:
    due = at(2026, 12, 2, 18, 30)  # Wednesday, a week on
    moved = replanned_moment(due, C.IN_1_WEEK, NOW, WEDNESDAY_MEETING, FRIDAY_MEETING)
    assert moved == at(2026, 12, 4, 19, 0)


def test_without_a_meeting_any_more_a_next_meeting_reminder_stays() -> None:
    due = at(2026, 11, 25, 19, 30)
    assert replanned_moment(due, C.NEXT_MEETING, NOW, WEDNESDAY_MEETING, DEFAULT) == due


def test_new_quiet_hours_move_a_planned_reminder_out_of_them() -> None:
    due = at(2026, 11, 25, 21, 30)
    quieter = Rhythm(quiet_start=time(21, 0), quiet_end=time(9, 0))
    assert replanned_moment(due, None, NOW, DEFAULT, quieter) == at(2026, 11, 26, 9, 0)


def test_a_change_never_makes_a_reminder_fire_at_once() -> None:
    # 18:30 on the wall clock in Tokyo was hours ago: the reminder keeps its moment.
    due = at(2026, 11, 24, 18, 30)
    tokyo = Rhythm(time_zone=TOKYO, quiet_start=time(0, 0), quiet_end=time(0, 0))
    assert replanned_moment(due, C.THIS_EVENING, NOW, NO_QUIET, tokyo) == due


def test_replanning_refuses_naive_moments() -> None:
    with pytest.raises(ValueError, match="aware"):
        replanned_moment(datetime(2026, 12, 1, 19), None, NOW, DEFAULT, DEFAULT)


# --- "In a week" with a group that has activities: at least six days on ----------------

SATURDAY_GROUP = Rhythm(meeting_days=(5,), meeting_time=time(14, 0), meeting_end=time(17, 0))
WEDNESDAY_AND_SATURDAY = Rhythm(
    meeting_days=(2, 5), meeting_time=time(14, 0), meeting_end=time(17, 0)
)


@pytest.mark.parametrize(
    ("rhythm", "choice", "now", "expected"),
    [
        # After Saturday's activity: the Saturdays one and two weeks on.
        (SATURDAY_GROUP, C.IN_1_WEEK, at(2026, 12, 5, 17, 30), at(2026, 12, 12, 13)),
        (SATURDAY_GROUP, C.IN_2_WEEKS, at(2026, 12, 5, 17, 30), at(2026, 12, 19, 13)),
        # A Sunday talk: "in a week" is the Saturday six days on, not thirteen.
        (SATURDAY_GROUP, C.IN_1_WEEK, at(2026, 12, 6, 10), at(2026, 12, 12, 13)),
        (SATURDAY_GROUP, C.IN_2_WEEKS, at(2026, 12, 6, 10), at(2026, 12, 19, 13)),
        # A Friday-night talk: not tomorrow's activity, the one eight days on.
        (SATURDAY_GROUP, C.IN_1_WEEK, at(2026, 12, 4, 21), at(2026, 12, 12, 13)),
        # "In a day" on the morning of an activity is not that same afternoon.
        (SATURDAY_GROUP, C.IN_1_DAY, at(2026, 12, 5, 10), at(2026, 12, 12, 13)),
        # A Tuesday talk: not the Saturday four days on.
        (SATURDAY_GROUP, C.IN_1_WEEK, at(2026, 11, 24, 20), at(2026, 12, 5, 13)),
        # Two activities a week: a week on is the same weekday, not the next activity.
        (WEDNESDAY_AND_SATURDAY, C.IN_1_WEEK, at(2026, 12, 5, 17, 30), at(2026, 12, 12, 13)),
        (WEDNESDAY_AND_SATURDAY, C.IN_1_WEEK, at(2026, 12, 2, 17, 30), at(2026, 12, 9, 13)),
    ],
)
def test_a_week_on_is_the_first_activity_at_least_six_days_on(
    rhythm: Rhythm, choice: FollowUpChoice, now: datetime, expected: datetime
) -> None:
    assert follow_up_moment(choice, now, rhythm) == expected.astimezone(UTC)


@given(
    now=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    choice=st.sampled_from([C.IN_1_WEEK, C.IN_2_WEEKS]),
)
def test_with_weekly_activities_a_week_on_is_at_least_six_days_and_at_most_a_week_late(
    now: datetime, choice: FollowUpChoice
) -> None:
    result = follow_up_moment(choice, now, SATURDAY_GROUP).astimezone(ZoneInfo(BRUSSELS))
    target = now.astimezone(ZoneInfo(BRUSSELS)).date() + timedelta(days=_DAYS[choice])
    assert result.weekday() == 5 and result.time() == time(13, 0)
    assert -1 <= (result.date() - target).days <= 6


_DAYS = {C.IN_1_WEEK: 7, C.IN_2_WEEKS: 14}
