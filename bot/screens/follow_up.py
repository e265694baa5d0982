"""Step 3 on screen: planning the next follow-up, its outcome, putting a reminder off."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, get_day_names

from bot import calendar_file
from bot.callback_data import AskMeetingDay, CalendarFile, Menu, MenuPress, case_button
from bot.screens import escalation, next_up
from bot.screens.format import moment, name, quoted, short_moment, title, typed
from bot.screens.nudges import follow_up_nudge, from_round
from bot.screens.step2 import done_rows
from bot.storage.models import Case, Child
from bot.turn import Keyboard, Rows, Turn
from flows import events, phrasing
from flows.case import (
    Next,
    agreements_to_mark,
    follow_up_number,
    open_reminder,
    planned_follow_up,
    report_back_open,
)
from flows.escalation import escalation_due
from flows.follow_up import SNOOZE_TEXT, ReminderKind, ReminderStatus, snooze_choices
from flows.follow_up_timing import FOLLOW_UP_CHOICES, FollowUpChoice, follow_up_moment
from flows.language import N_, _, babel_locale
from flows.protocol import everyone_stopped
from flows.replies import AFTER_OUTCOME, Shown
from flows.typed_day import IN_TWO_WEEKS_WORDS, TODAY_WORD, TOMORROW_WORD

CHOICE_TEXT: dict[FollowUpChoice, str] = {
    FollowUpChoice.IN_1_DAY: N_("In 1 day"),
    FollowUpChoice.IN_2_DAYS: N_("In 2 days"),
    FollowUpChoice.IN_1_WEEK: N_("In 1 week"),
    FollowUpChoice.IN_2_WEEKS: N_("In 2 weeks"),
    FollowUpChoice.NEXT_MEETING: N_("At the next meeting"),
    FollowUpChoice.ON_DATE: N_("📅 On a date I choose"),
}


def when_text(turn: Turn, when: datetime) -> str:
    """A reminder's moment as the leader reads it."""
    return moment(when, turn.now, turn.leader.rhythm.zone)


def plan(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """When to talk with ``child`` again; the proposed interval first."""
    proposed = None if shown is None else shown.proposed
    choices = list(FOLLOW_UP_CHOICES)
    if proposed in choices:
        choices.remove(proposed)
        choices.insert(0, proposed)
    rows: Rows = []
    for choice in choices:
        label = _(CHOICE_TEXT[choice])
        if choice is proposed:
            label = "⭐ " + label
        if choice is FollowUpChoice.NEXT_MEETING and not turn.leader.rhythm.has_meeting:
            if turn.leader.rhythm_asked:
                rows.append([(_("Set your group's meeting day"), AskMeetingDay(case.id, child.id))])
            continue
        rows.append([(label, case_button(case.id, events.PlanChosen(child.id, choice)))])
    ask_rhythm = []
    if not turn.leader.rhythm_asked:
        # Asked where it is first needed: once answered (or "no fixed rhythm"), not again.
        ask_rhythm = [
            _(
                "💡 When does your group meet? Tell me once, and every reminder lands "
                "just before an activity, when you can still act on it."
            )
        ]
        rows.append([(_("🗓 When does your group meet?"), AskMeetingDay(case.id, child.id))])
    turn.say(
        "\n\n".join(
            [
                title(_("Step 3 — follow-up with %(child)s") % {"child": name(child.nickname)}),
                _(phrasing.STEP3_WHEN) % {"child": name(child.nickname)},
                *ask_rhythm,
                _("When do you want to talk with %(child)s again? I will remind you.")
                % {"child": name(child.nickname)},
            ]
        ),
        rows,
    )


def planned(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The follow-up is planned."""
    when = due_at(child)
    passed = next_up.passed_line(turn, case, Next.RECORD_FOLLOW_UP, child.id, when)
    parts = [
        passed
        or _("🔔 I will remind you to talk with %(child)s again on %(moment)s.")
        % {"child": name(child.nickname), "moment": when_text(turn, when)}
    ]
    if report_back_open(child):
        if turn.leader.rhythm.has_activities:
            asked = _(
                "You promised %(victim)s to report back on this talk: I will ask you "
                "before the next activity whether you did."
            )
        else:
            asked = _(
                "You promised %(victim)s to report back on this talk: I will ask you "
                "tomorrow whether you did."
            )
        parts.append(asked % {"victim": name(case.victim_nickname)})
    # A talk moved whose file the leader took: the calendar follows.
    calendar_file.talk_moved(turn, case, child)
    turn.say(
        "\n\n".join(parts),
        [
            *next_up.way_on(turn, case, child.id),
            [(_("📅 In my calendar"), CalendarFile(case.id, child.id))],
            [(_("📂 My cases"), MenuPress(Menu.CASES))],
        ],
    )


def due_at(child: Child) -> datetime:
    """The moment of the child's planned follow-up (one is planned on the screens using it)."""
    planned = planned_follow_up(child)
    assert planned is not None
    return planned.due_at


def ask_date(
    turn: Turn, case: Case | None = None, child: Child | None = None, shown: Shown | None = None
) -> None:
    """A date typed by the leader."""
    saturday = str(get_day_names("wide", locale=babel_locale())[5])
    turn.say(
        _(
            "On which day? Type a date (for example %(example)s or %(named)s), a weekday "
            "(%(weekday)s, or %(weekday)s %(in_two_weeks)s), “%(today)s” or “%(tomorrow)s”."
        )
        % {
            "example": "28-11",
            "named": format_date(date(2026, 11, 28), "d MMM", locale=babel_locale()),
            "weekday": saturday,
            "in_two_weeks": _(IN_TWO_WEEKS_WORDS),
            "today": _(TODAY_WORD),
            "tomorrow": _(TOMORROW_WORD),
        }
    )


def date_refused(
    turn: Turn, case: Case | None = None, child: Child | None = None, shown: Shown | None = None
) -> None:
    """A typed date that is not a date, or not in the future."""
    turn.say(
        _(
            "I can't read that as a date in the future. Type it as day-month or "
            "day-month-year, for example "
            "%(example)s, or tap /cases to choose something else."
        )
        % {"example": "28-11"}
    )


def date_passed(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    """A typed day-month that has passed this year: next year's is not taken silently."""
    assert shown.detail is not None  # the date next year
    next_year = date.fromisoformat(shown.detail)
    turn.say(
        _(
            "%(day)s has passed this year. Do you mean %(day)s %(year)s? Then type "
            "%(example)s. Or type another day, for example “%(today)s”."
        )
        % {
            "day": format_date(next_year, "d MMMM", locale=babel_locale()),
            "year": next_year.year,
            "example": f"{next_year.day}-{next_year.month}-{next_year.year}",
            "today": _(TODAY_WORD),
        }
    )


def meeting_not_set(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """ "Next meeting" needs the meeting day."""
    turn.say(
        _("I don't know your group's meeting day yet. Set it in /settings."),
        [[(_("⚙️ Set the meeting day"), AskMeetingDay(case.id, child.id))]],
    )


def next_activity_soon(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """ "At the next activity", chosen less than a day before it: that one, or the one after?"""
    rhythm = turn.leader.rhythm
    soon = follow_up_moment(FollowUpChoice.NEXT_MEETING_ANYWAY, turn.now, rhythm)
    after = follow_up_moment(FollowUpChoice.AFTER_NEXT_MEETING, turn.now, rhythm)
    turn.say(
        "\n\n".join(
            [
                _(
                    "The next activity is very soon: I would remind you on %(moment)s. "
                    "The protocol says to talk again after 1 to 2 days or 1 to 2 weeks, "
                    "so %(child)s has time to keep the agreements."
                )
                % {"moment": when_text(turn, soon), "child": name(child.nickname)},
                _("Which activity do you take?"),
            ]
        ),
        [
            [
                (
                    _("The one after: %(moment)s") % {"moment": short_moment(after, rhythm.zone)},
                    case_button(
                        case.id, events.PlanChosen(child.id, FollowUpChoice.AFTER_NEXT_MEETING)
                    ),
                )
            ],
            [
                (
                    _("That one anyway: %(moment)s") % {"moment": short_moment(soon, rhythm.zone)},
                    case_button(
                        case.id, events.PlanChosen(child.id, FollowUpChoice.NEXT_MEETING_ANYWAY)
                    ),
                )
            ],
        ],
    )


def snooze_options(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """When to remind again of a talk that has not happened yet."""
    talk = follow_up_number(child)
    rows: Keyboard = [
        [(_(SNOOZE_TEXT[snooze]), case_button(case.id, events.Snoozed(child.id, talk, snooze)))]
        for snooze in snooze_choices(turn.leader.rhythm)
    ]
    turn.say(
        _("When shall I remind you again of the talk with %(child)s?")
        % {"child": name(child.nickname)},
        rows,
    )


def snoozed(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The reminder is put off."""
    when = due_at(child)
    calendar_file.talk_moved(turn, case, child)
    passed = next_up.passed_line(turn, case, Next.RECORD_FOLLOW_UP, child.id, when)
    turn.say(
        passed
        or _("OK, I will remind you of the talk with %(child)s on %(moment)s.")
        % {
            "child": name(child.nickname),
            "moment": when_text(turn, when),
        },
        [*next_up.way_on(turn, case, child.id), [(_("📂 My cases"), MenuPress(Menu.CASES))]],
    )


def ask_new_proposal(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """Not (fully) stopped: motivate a new proposal, and write it down.

    When this outcome makes the rounds without "stopped" reach the setting, the next
    steps come now, before the proposal: not a week later with the next reminder.
    """
    reached = escalation_due(child, turn.settings.escalate_after_rounds)
    if shown is not None and shown.detail == AFTER_OUTCOME and reached:
        escalation.next_steps(turn, case, child, shown)
    turn.say(
        "\n\n".join(
            [
                phrasing.step3_points(child.nickname)[1],
                _("What does %(child)s propose now? Send each new agreement as a separate message.")
                % {"child": name(child.nickname)},
                _("Tap “Done” when all of them are in."),
            ]
        ),
        done_rows(case, child),
    )


def stopped(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    """The bullying has stopped: keep repeating, allow time; next follow-up, or close.

    Closing is offered only when it has stopped for every child of the case.
    """
    proposed = shown.proposed
    assert proposed is not None  # the protocol proposes the next interval with it
    may_close = everyone_stopped(case)
    advice = (
        _("I suggest the next follow-up a bit later. Or, if you judge it done, close the case.")
        if may_close
        else _("I suggest the next follow-up a bit later.")
    )
    rows: Rows = [
        [
            (
                "⭐ " + _(CHOICE_TEXT[proposed]),
                case_button(case.id, events.PlanChosen(child.id, proposed)),
            )
        ],
        [(_("🗓 Another moment"), case_button(case.id, events.AskPlan(child.id)))],
    ]
    if may_close:
        rows.append([(_("🗂 Close the case"), case_button(case.id, events.Close(0)))])
    turn.say(
        "\n\n".join(
            [
                _("🎉 Good news about %(child)s.") % {"child": name(child.nickname)},
                quoted(_(phrasing.STEP3_STOPPED_COUNTS)),
                advice,
            ]
        ),
        rows,
    )


def already_recorded(
    turn: Turn, case: Case | None = None, child: Child | None = None, shown: Shown | None = None
) -> None:
    """A nudge's button pressed twice."""
    turn.toast(_("That follow-up is already written down."))


def cancelled(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The follow-up is cancelled."""
    was_at = next(
        (
            r.due_at
            for r in reversed(child.reminders)
            if r.kind == ReminderKind.FOLLOW_UP and r.status == ReminderStatus.CANCELLED
        ),
        None,
    )
    calendar_file.talk_cancelled(turn, case, child, was_at)
    turn.say(
        _("The follow-up with %(child)s is cancelled: no reminder will come.")
        % {"child": name(child.nickname)},
        next_up.way_on(turn, case, child.id),
    )


def already_planned(
    turn: Turn, case: Case | None = None, child: Child | None = None, shown: Shown | None = None
) -> None:
    """The same follow-up chosen twice."""
    turn.toast(_("That follow-up is planned already."))


def report_back_snoozed(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The reminder to report back is put off."""
    reminder = open_reminder(child, ReminderKind.REPORT_BACK)
    assert reminder is not None
    when = reminder.due_at
    passed = next_up.passed_line(turn, case, Next.REPORT_BACK, child.id, when)
    turn.say(
        passed
        or _("OK, I will remind you to report back to %(victim)s on %(moment)s.")
        % {
            "victim": name(case.victim_nickname),
            "moment": when_text(turn, when),
        },
        [*next_up.way_on(turn, case, child.id), [(_("📂 My cases"), MenuPress(Menu.CASES))]],
    )


def record_outcome(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """A follow-up that came due, opened from the case: how did it go?"""
    planned = planned_follow_up(child)
    assert planned is not None
    escalate_after = turn.settings.escalate_after_rounds
    text, rows = follow_up_nudge(case, child, planned, late=False, escalate_after=escalate_after)
    turn.say(text, rows)


#: How long an agreement is on its button; the message above has it whole.
_BUTTON_TEXT = 40


def still_stands(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """With a new proposal: does each earlier agreement still stand? One tap each."""
    marked = agreements_to_mark(child)
    lines = [
        f"{_mark(a.ended_in is None)} {typed(a.text)} ({from_round(child, a.follow_up_id)})"
        for a in marked
    ]
    rows: Rows = []
    for number, agreement in enumerate(marked, start=1):
        stands = agreement.ended_in is None
        text = agreement.text
        if len(text) > _BUTTON_TEXT:
            text = text[: _BUTTON_TEXT - 1].rstrip() + "…"
        rows.append(
            [
                (
                    f"{_mark(stands)} {number}. {text}",
                    case_button(
                        case.id, events.AgreementStands(child.id, agreement.id, not stands)
                    ),
                )
            ]
        )
    rows.append([(_("▶️ Continue"), case_button(case.id, events.StandingMarked(child.id)))])
    turn.show(
        "\n\n".join(
            [
                title(
                    _("Do the earlier agreements of %(child)s still stand?")
                    % {"child": name(child.nickname)}
                ),
                "\n".join(lines),
                _(
                    "Tap an agreement that no longer stands (tap again if it does). "
                    "Those that no longer stand stay in the case's history."
                ),
            ]
        ),
        rows,
    )


def _mark(stands: bool) -> str:
    return "✅" if stands else "❌"
