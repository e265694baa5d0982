"""When a follow-up reminder is due.

Step 3 of the protocol: "after 1–2 days or 1–2 weeks, depending on how your group
works, talk with the child who bullies again". The leader picks an interval (or
the next group meeting, or a date), and this module turns that choice into the
moment the bot sends the reminder.

Everything is reckoned in the leader's time zone, because "in two days" means
"on the day after tomorrow, in the evening" to a person, not "in 48 hours": a
reminder picked the day before a DST change still arrives at the usual hour.
Results are always aware datetimes in UTC, ready to be stored and scheduled.

No clock is read here: ``now`` is passed in, so the rules can be tested at any
moment of any year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: A leader who names no time zone is most likely in Belgium (the protocol is Flemish).
DEFAULT_TIME_ZONE = "Europe/Brussels"
#: "This evening" is at this local time, whatever the preferred time is: a leader
#: who likes reminders at 09:00 still means the evening when they say "this evening".
EVENING = time(19, 0)
#: "This evening" must still be at least this far ahead, or it is as good as "now".
EVENING_MIN_LEAD = timedelta(minutes=30)
#: What "this evening" becomes once the evening is (nearly) here.
EVENING_FALLBACK = timedelta(hours=2)
#: A camp day's activities start at this local time: "on camp, the next morning".
CAMP_START = time(9, 0)
#: How long before an activity a reminder lands, unless the leader set another time.
DEFAULT_LEAD = timedelta(hours=1)
#: An activity that starts sooner than this after the talk is not "the next one" to
#: the protocol ("after 1–2 days or 1–2 weeks"): the leader is asked which one is meant.
NEXT_ACTIVITY_TOO_SOON = timedelta(days=1)
#: "In a week" with a group that has activities: the first activity a week on, or
#: this many days earlier (a Sunday talk's "week" ends at Saturday's activity).
EARLY_DAYS = 1
#: Default lateness tolerance for :func:`is_late`: the job queue may run a little
#: behind, which is no reason to tell the leader the reminder comes late.
DEFAULT_GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class Rhythm:
    """How a leader's group works, as far as reminder times are concerned.

    ``quiet_start``–``quiet_end`` are local wall-clock times in which no reminder
    is sent; the span may wrap midnight (22:00–08:00) or not (13:00–14:00), and
    equal start and end means there are no quiet hours.

    The group's activities ("werking"): ``meeting_days`` (0 = Monday … 6 = Sunday)
    with ``meeting_time`` (start) and ``meeting_end`` describe weekly activities;
    ``meeting_weekday`` is the one-day shorthand of older callers. From
    ``camp_start`` to ``camp_end`` (both included) the group is on camp and meets
    every day from :data:`CAMP_START`; after the camp the weekly rhythm is back.
    Reminders for an activity land ``lead`` before it starts. Without either, the
    group has no fixed rhythm and ``preferred_time`` is when "in N days" lands.
    """

    time_zone: str = DEFAULT_TIME_ZONE
    quiet_start: time = time(22, 0)
    quiet_end: time = time(8, 0)
    meeting_weekday: int | None = None
    meeting_time: time | None = None
    preferred_time: time = time(19, 0)
    meeting_days: tuple[int, ...] = ()
    meeting_end: time | None = None
    lead: timedelta = DEFAULT_LEAD
    camp_start: date | None = None
    camp_end: date | None = None

    def __post_init__(self) -> None:
        """Reject a rhythm the rules cannot work with, with a message that says why."""
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            # ZoneInfo raises ZoneInfoNotFoundError (a KeyError) for unknown names and
            # ValueError for malformed ones; one clear ValueError is easier on callers.
            raise ValueError(
                f"unknown time zone {self.time_zone!r}: expected an IANA name "
                f"such as 'Europe/Brussels'"
            ) from exc
        if self.meeting_weekday is not None and not self.meeting_days:
            object.__setattr__(self, "meeting_days", (self.meeting_weekday,))
        if self.meeting_days:
            object.__setattr__(self, "meeting_days", tuple(sorted(set(self.meeting_days))))
            if self.meeting_weekday is None:
                object.__setattr__(self, "meeting_weekday", self.meeting_days[0])
        if not timedelta(0) <= self.lead <= timedelta(hours=12):
            raise ValueError(f"lead must be between 0 and 12 hours, not {self.lead}")
        if (self.camp_start is None) != (self.camp_end is None) or (
            self.camp_start is not None
            and self.camp_end is not None
            and self.camp_end < self.camp_start
        ):
            raise ValueError("a camp needs a first and a last day, the last not before the first")
        if (self.meeting_weekday is None) != (self.meeting_time is None):
            # Half a meeting cannot be scheduled; refusing it here beats a surprise
            # when the leader picks "next meeting" weeks later.
            raise ValueError("meeting_weekday and meeting_time must be set together, or neither")
        for day in self.meeting_days:
            if isinstance(day, bool) or not 0 <= day <= 6:
                raise ValueError(f"meeting_weekday must be 0 (Monday) to 6 (Sunday), not {day!r}")
        for name in ("quiet_start", "quiet_end", "preferred_time", "meeting_time", "meeting_end"):
            value = getattr(self, name)
            # A time with its own tzinfo would fight with time_zone; all times in a
            # rhythm are wall-clock times in time_zone.
            if value is not None and value.tzinfo is not None:
                raise ValueError(f"{name} must be a local time without tzinfo")

    @property
    def zone(self) -> ZoneInfo:
        """The leader's time zone (ZoneInfo caches instances, so this is cheap)."""
        return ZoneInfo(self.time_zone)

    @property
    def has_quiet_hours(self) -> bool:
        """Whether any quiet hours are set (equal start and end means none)."""
        return self.quiet_start != self.quiet_end

    @property
    def has_meeting(self) -> bool:
        """Whether weekly activities are known, so "next meeting" can be offered."""
        return bool(self.meeting_days) and self.meeting_time is not None

    @property
    def has_activities(self) -> bool:
        """Whether the group has a rhythm at all: weekly activities or a camp."""
        return self.has_meeting or self.camp_start is not None

    def activity_start(self, day: date) -> time | None:
        """When the group's activity starts on ``day`` (local), or ``None`` without one."""
        first, last = self.camp_start, self.camp_end
        if first is not None and last is not None and first <= day <= last:
            return CAMP_START
        if self.meeting_time is not None and day.weekday() in self.meeting_days:
            return self.meeting_time
        return None

    def reminder_on(self, day: date) -> datetime | None:
        """The moment (UTC) a reminder for ``day``'s activity lands: ``lead`` before it."""
        start = self.activity_start(day)
        if start is None:
            return None
        return out_of_quiet_hours(_local_moment(day, start, self.zone) - self.lead, self)

    def activity_from(self, day: date, after: datetime) -> datetime | None:
        """The reminder of the first activity on or after ``day`` that is still after ``after``.

        ``None`` when the group has no activity from ``day`` on (no fixed rhythm, or a
        camp that is over without weekly activities).
        """
        last = day + timedelta(days=15)
        if self.camp_end is not None and self.camp_end + timedelta(days=1) > last:
            last = self.camp_end + timedelta(days=1)
        current = day
        while current <= last:
            moment = self.reminder_on(current)
            if moment is not None and moment > after:
                return moment
            current += timedelta(days=1)
        return None

    def activity_near(self, day: date, after: datetime) -> datetime | None:
        """The reminder of the first activity from the day before ``day`` on, still after
        ``after`` (and never on ``after``'s own day: that is "the next activity").

        "In a week" from a Sunday talk with a Saturday group is the Saturday six days
        on, not the one thirteen days on; from a Friday-night talk it is the Saturday
        eight days on, not tomorrow's.
        """
        tomorrow = after.astimezone(self.zone).date() + timedelta(days=1)
        return self.activity_from(max(day - timedelta(days=EARLY_DAYS), tomorrow), after)

    def next_activity(self, now: datetime) -> datetime | None:
        """The reminder of the next activity, still ahead of ``now``."""
        return self.activity_from(now.astimezone(self.zone).date(), now)

    def starts_soon(self, reminder: datetime, now: datetime) -> bool:
        """Whether the activity ``reminder`` is for starts less than a day after ``now``."""
        return reminder + self.lead - now < NEXT_ACTIVITY_TOO_SOON


class FollowUpChoice(StrEnum):
    """What the leader answered to "when do you want to be reminded?".

    The values are short on purpose: they travel in Telegram callback data, which
    is limited to 64 bytes. A custom "remind me later" delay is not a member; it
    goes through :func:`snooze_moment`.
    """

    IN_1_DAY = "1d"
    IN_2_DAYS = "2d"
    IN_1_WEEK = "1w"
    IN_2_WEEKS = "2w"
    NEXT_MEETING = "meeting"
    #: The next activity although it starts soon after the talk (the leader said so).
    NEXT_MEETING_ANYWAY = "meeting1"
    #: The activity after the next one, when the next one is too soon after the talk.
    AFTER_NEXT_MEETING = "meeting2"
    ON_DATE = "date"
    # "Remind me later" choices, offered when a reminder comes at a bad moment.
    THIS_EVENING = "evening"
    TOMORROW = "tomorrow"


#: The choices for planning a follow-up conversation, in the order to offer them.
FOLLOW_UP_CHOICES: tuple[FollowUpChoice, ...] = (
    FollowUpChoice.IN_1_DAY,
    FollowUpChoice.IN_2_DAYS,
    FollowUpChoice.IN_1_WEEK,
    FollowUpChoice.IN_2_WEEKS,
    FollowUpChoice.NEXT_MEETING,
    FollowUpChoice.ON_DATE,
)

#: The answers to "the next activity is very soon: that one, or the one after?".
NEXT_ACTIVITY_ANSWERS: tuple[FollowUpChoice, ...] = (
    FollowUpChoice.NEXT_MEETING_ANYWAY,
    FollowUpChoice.AFTER_NEXT_MEETING,
)

# Calendar days ahead, counted in the leader's zone (not 24-hour periods).
_DAYS_AHEAD: dict[FollowUpChoice, int] = {
    FollowUpChoice.IN_1_DAY: 1,
    FollowUpChoice.IN_2_DAYS: 2,
    FollowUpChoice.IN_1_WEEK: 7,
    FollowUpChoice.IN_2_WEEKS: 14,
    FollowUpChoice.TOMORROW: 1,
}

# See next_interval_after_stopped for why each step is what it is.
_LONGER_INTERVAL: dict[FollowUpChoice, FollowUpChoice] = {
    FollowUpChoice.IN_1_DAY: FollowUpChoice.IN_2_DAYS,
    FollowUpChoice.IN_2_DAYS: FollowUpChoice.IN_1_WEEK,
    FollowUpChoice.IN_1_WEEK: FollowUpChoice.IN_2_WEEKS,
    FollowUpChoice.IN_2_WEEKS: FollowUpChoice.IN_2_WEEKS,
    FollowUpChoice.NEXT_MEETING: FollowUpChoice.IN_2_WEEKS,
    FollowUpChoice.NEXT_MEETING_ANYWAY: FollowUpChoice.IN_2_WEEKS,
    FollowUpChoice.AFTER_NEXT_MEETING: FollowUpChoice.IN_2_WEEKS,
    FollowUpChoice.ON_DATE: FollowUpChoice.IN_2_WEEKS,
}


def follow_up_moment(
    choice: FollowUpChoice,
    now: datetime,
    rhythm: Rhythm,
    on_date: date | None = None,
) -> datetime:
    """The moment (aware, UTC) a reminder for ``choice`` is due, made at ``now``.

    * ``IN_1_DAY`` / ``IN_2_DAYS`` / ``IN_1_WEEK`` / ``IN_2_WEEKS`` / ``TOMORROW``:
      that many calendar days ahead in the leader's zone, at ``preferred_time``.
    * ``NEXT_MEETING``: the next meeting that starts at least an hour from now.
    * ``ON_DATE``: ``on_date`` at ``preferred_time``; it must lie in the future.
    * ``THIS_EVENING``: today at 19:00 if that is at least 30 minutes ahead,
      otherwise two hours from now.

    The result is then moved out of the quiet hours, so it is always strictly
    after ``now``. Raises :class:`ValueError` for a naive ``now``, an unknown
    choice, "next meeting" without a meeting, a missing or past date, or a date
    given with another choice.
    """
    _require_aware(now, "now")
    # Callback data arrives as plain text; accept "1d" as well as the member, and
    # turn anything else into a ValueError here rather than a KeyError below.
    choice = FollowUpChoice(choice)
    if on_date is not None and choice is not FollowUpChoice.ON_DATE:
        raise ValueError(f"on_date is only used with {FollowUpChoice.ON_DATE!r}, not {choice!r}")
    zone = rhythm.zone
    today = now.astimezone(zone).date()

    if choice in _DAYS_AHEAD:
        day = today + timedelta(days=_DAYS_AHEAD[choice])
        # A group with a rhythm meets at its activities: "in a week" is the activity a
        # week on, at the lead time before it, never after it has ended.
        activity = rhythm.activity_near(day, now)
        if activity is not None:
            return activity
        moment = _local_moment(day, rhythm.preferred_time, zone)
    elif choice in (FollowUpChoice.NEXT_MEETING, FollowUpChoice.NEXT_MEETING_ANYWAY):
        activity = rhythm.next_activity(now)
        if activity is None:
            raise ValueError(
                "no group meeting is set: add the meeting day and time "
                "before choosing 'next meeting'"
            )
        return activity
    elif choice is FollowUpChoice.AFTER_NEXT_MEETING:
        first = rhythm.next_activity(now)
        activity = (
            None
            if first is None
            else rhythm.activity_from(first.astimezone(zone).date() + timedelta(days=1), first)
        )
        if activity is None:
            raise ValueError("no group meeting is set: 'the meeting after next' needs one")
        return activity
    elif choice is FollowUpChoice.ON_DATE:
        if on_date is None:
            raise ValueError("a follow-up on a date needs the date (on_date)")
        activity = rhythm.reminder_on(on_date)
        if activity is not None and activity > now:
            return activity
        moment = _local_moment(on_date, rhythm.preferred_time, zone)
        if on_date == today and moment <= now:
            # "Today", typed when the evening is (nearly) here: in two hours.
            evening = _local_moment(today, EVENING, zone)
            moment = evening if evening - now >= EVENING_MIN_LEAD else now + EVENING_FALLBACK
        if moment <= now:
            raise ValueError(
                f"the follow-up date {on_date.isoformat()} at "
                f"{rhythm.preferred_time.isoformat('minutes')} is not in the future"
            )
    else:  # THIS_EVENING, the only choice left
        evening = _local_moment(today, EVENING, zone)
        moment = evening if evening - now >= EVENING_MIN_LEAD else now + EVENING_FALLBACK
    return out_of_quiet_hours(moment, rhythm)


def snooze_moment(now: datetime, rhythm: Rhythm, delay: timedelta) -> datetime:
    """The moment (aware, UTC) a reminder put off by a custom ``delay`` is due.

    The delay is elapsed time ("in 3 hours" is 3 real hours, even across a DST
    change), then the result is moved out of the quiet hours. Raises
    :class:`ValueError` for a naive ``now`` or a delay that is not positive.
    """
    _require_aware(now, "now")
    if delay <= timedelta(0):
        raise ValueError(f"a snooze delay must be positive, not {delay}")
    # Add in UTC: adding a timedelta to a datetime in a ZoneInfo zone adds wall
    # time, which would make "in 1 hour" 0 or 2 real hours across a DST change.
    later = now.astimezone(UTC) + delay
    if delay >= timedelta(days=1):
        # Days ahead, for a group with a rhythm: at the first activity from that day.
        activity = rhythm.activity_from(later.astimezone(rhythm.zone).date(), now)
        if activity is not None:
            return activity
    return out_of_quiet_hours(later, rhythm)


def out_of_quiet_hours(moment: datetime, rhythm: Rhythm) -> datetime:
    """``moment`` in UTC, moved to the end of the quiet hours if it falls in them.

    Quiet hours are judged by the wall clock in the leader's zone: start
    inclusive, end exclusive, so a moment at exactly ``quiet_end`` stays. A span
    whose start is later than its end wraps midnight (22:00–08:00): a moment
    after the start moves to the end on the next day, a moment before the end
    to the end on the same day. Raises :class:`ValueError` for a naive moment.
    """
    _require_aware(moment, "moment")
    if not rhythm.has_quiet_hours:
        return moment.astimezone(UTC)
    zone = rhythm.zone
    local = moment.astimezone(zone)
    wall = local.time()  # naive wall-clock time; comparisons ignore fold
    start, end = rhythm.quiet_start, rhythm.quiet_end
    if start < end:  # a span within one day, e.g. 13:00–14:00
        if not start <= wall < end:
            return moment.astimezone(UTC)
        end_day = local.date()
    else:  # a span that wraps midnight, e.g. 22:00–08:00
        if end <= wall < start:
            return moment.astimezone(UTC)
        end_day = local.date() + timedelta(days=1) if wall >= start else local.date()
    # The end is a wall time, so on a DST night it may not exist (02:30 on
    # 2026-03-29 in Brussels: the end of the gap, 03:00 CEST, is used) or exist
    # twice (02:30 on 2026-10-25: the earlier one); _local_moment explains why.
    moved = _local_moment(end_day, end, zone)
    if moved <= moment:
        # Only on a fall-back night: the wall clock repeats an hour, and a moment in
        # the second pass (say 02:10 CET) is "before 02:30" on the clock while the
        # first 02:30 (CEST) is already behind it. The quiet hours then end at the
        # second 02:30, the one still ahead.
        moved = _local_moment(end_day, end, zone, fold=1)
    return moved


def next_interval_after_stopped(previous: FollowUpChoice) -> FollowUpChoice:
    """The interval to propose for the next check when the bullying has stopped.

    The protocol says to keep following up and to allow enough time, so each
    check proposes a longer wait: 1 day → 2 days → 1 week → 2 weeks, and then
    2 weeks again (longer than that and the follow-up fades away). "Next
    meeting" becomes 2 weeks: groups mostly meet weekly, so a week is what the
    leader had, and the step up from a week is two; there is no "meeting after
    next" choice to offer. A chosen date becomes 2 weeks too, since the interval
    behind it is unknown and the protocol asks for more time, not less. The
    leader can always pick something else.

    Snooze choices are not intervals (they put off one reminder) and raise
    :class:`ValueError`: pass the follow-up choice the reminder was made with.
    """
    previous = FollowUpChoice(previous)
    try:
        return _LONGER_INTERVAL[previous]
    except KeyError:
        raise ValueError(
            f"{previous!r} is a snooze, not a follow-up interval; "
            f"pass the choice the follow-up was planned with"
        ) from None


def replanned_moment(
    due: datetime,
    choice: str | None,
    now: datetime,
    before: Rhythm,
    after: Rhythm,
) -> datetime:
    """Where a planned reminder goes when the leader changes their rhythm.

    * Planned for "the next meeting" while the meeting day or time changed: the
      next meeting of the new rhythm.
    * Otherwise it keeps its wall-clock time: "Tuesday 19:00" stays Tuesday
      19:00 in a new time zone (it was planned by the leader's clock, not by UTC).
    * Either way it is then moved out of the new quiet hours.

    A move that would put it at or before ``now`` keeps it where it was (out of
    the quiet hours): changing a setting never makes a reminder fire at once.
    """
    for moment, name in ((due, "due"), (now, "now")):
        _require_aware(moment, name)
    wall = due.astimezone(before.zone)
    if after.has_activities and choice != FollowUpChoice.ON_DATE:
        # The activities changed (or the lead time): the reminder goes with its activity.
        start = (
            wall if choice != FollowUpChoice.NEXT_MEETING else now.astimezone(after.zone)
        ).date()
        activity = after.activity_from(start, now)
        if activity is not None:
            return activity
    moved = out_of_quiet_hours(
        _local_moment(wall.date(), wall.time().replace(tzinfo=None), after.zone), after
    )
    return moved if moved > now else out_of_quiet_hours(due, after)


def is_late(due: datetime, now: datetime, grace: timedelta = DEFAULT_GRACE) -> bool:
    """Whether a reminder sent at ``now`` comes more than ``grace`` after ``due``.

    Exactly ``grace`` late is still on time. Raises :class:`ValueError` for naive
    datetimes or a negative grace.
    """
    _require_aware(due, "due")
    _require_aware(now, "now")
    if grace < timedelta(0):
        raise ValueError(f"grace must not be negative, not {grace}")
    return now - due > grace


def _require_aware(moment: datetime, name: str) -> None:
    """Refuse naive datetimes: their zone is a guess, and a wrong guess is a wrong hour."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not naive {moment!r}")


def _local_moment(day: date, wall: time, zone: ZoneInfo, fold: int = 0) -> datetime:
    """The UTC instant at which the clocks in ``zone`` show ``wall`` on ``day``.

    Two wall times are special around DST changes:

    * In the spring-forward gap (02:30 on 2026-03-29 in Brussels) the wall time
      never shows. We take the first instant that does exist after it, the end of
      the gap (03:00 CEST): it is the moment the clock "passes" the wanted time,
      and it keeps the reminder as early as possible without making it earlier
      than asked. (``fold=0`` alone would give 03:30, ``fold=1`` 01:30.)
    * In the fall-back fold (02:30 on 2026-10-25) the wall time shows twice. We
      take the earlier one (``fold=0``) unless the caller asks for the later one.
    """
    naive = datetime.combine(day, wall.replace(tzinfo=None, fold=0))
    candidate = naive.replace(tzinfo=zone, fold=fold)
    in_utc = candidate.astimezone(UTC)
    # A wall time that exists survives the round trip; one in a gap comes back
    # shifted by the size of the gap.
    if in_utc.astimezone(zone).replace(tzinfo=None, fold=0) == naive:
        return in_utc
    return _end_of_gap(naive, zone)


def _end_of_gap(naive: datetime, zone: ZoneInfo) -> datetime:
    """The instant (UTC) a DST gap that contains the wall time ``naive`` ends.

    zoneinfo gives a gap time the offset from before the change with ``fold=0``
    and the one from after with ``fold=1`` (PEP 495). Read with the later offset
    the wall time falls before the change, read with the earlier one after it;
    the change itself lies between, and we find it by bisection to the second
    (zone transitions are on whole seconds). A gap is at most a day wide, so this
    takes about 17 steps.
    """
    offset_before = naive.replace(tzinfo=zone, fold=0).utcoffset()
    offset_after = naive.replace(tzinfo=zone, fold=1).utcoffset()
    assert offset_before is not None and offset_after is not None  # ZoneInfo always has one
    utc_naive = naive.replace(tzinfo=UTC)
    low = math.floor((utc_naive - offset_after).timestamp())  # before the change
    high = math.ceil((utc_naive - offset_before).timestamp())  # at or after the change
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)
