"""Step 3 on screen: planning the next follow-up, its outcome, putting a reminder off."""

from __future__ import annotations

from datetime import datetime

from bot import states
from bot.callback_data import Act, CaseButton, Menu, MenuPress, SettingsPress
from bot.screens.format import bulleted, moment, name, quoted, title, typed
from bot.screens.nudges import follow_up_nudge
from bot.storage.leaders import point_at
from bot.storage.models import Case, Child
from bot.turn import Keyboard, Rows, Turn
from flows import phrasing
from flows.case import AGREEMENT_MAX
from flows.follow_up_timing import FOLLOW_UP_CHOICES, FollowUpChoice
from flows.language import N_, _

CHOICE_TEXT: dict[FollowUpChoice, str] = {
    FollowUpChoice.IN_1_DAY: N_("In 1 day"),
    FollowUpChoice.IN_2_DAYS: N_("In 2 days"),
    FollowUpChoice.IN_1_WEEK: N_("In 1 week"),
    FollowUpChoice.IN_2_WEEKS: N_("In 2 weeks"),
    FollowUpChoice.NEXT_MEETING: N_("At the next meeting"),
    FollowUpChoice.ON_DATE: N_("📅 On a date I choose"),
}

#: "Remind me later" choices: a named moment, or a delay in hours.
SNOOZE_TEXT: dict[str, str] = {
    FollowUpChoice.THIS_EVENING: N_("This evening"),
    FollowUpChoice.TOMORROW: N_("Tomorrow"),
    "3d": N_("In 3 days"),
    "1w": N_("In 1 week"),
}


def when_text(turn: Turn, when: datetime) -> str:
    """A reminder's moment as the leader reads it."""
    return moment(when, turn.now, turn.leader.rhythm.zone)


def plan(turn: Turn, case: Case, child: Child, proposed: FollowUpChoice | None = None) -> None:
    """When to talk with ``child`` again; the proposed interval first."""
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
            rows.append([(_("Set your group's meeting day"), SettingsPress("day", ""))])
            continue
        rows.append([(label, CaseButton(Act.PLAN, case.id, child.id, choice))])
    turn.say(
        "\n\n".join(
            [
                title(_("Step 3 — follow-up with %(child)s") % {"child": name(child.nickname)}),
                _(phrasing.STEP3_WHEN),
                _("When do you want to talk with %(child)s again? I will remind you.")
                % {"child": name(child.nickname)},
            ]
        ),
        rows,
    )


def planned(turn: Turn, child: Child, when: datetime) -> None:
    """The follow-up is planned."""
    turn.say(
        _("🔔 I will remind you to talk with %(child)s again on %(moment)s.")
        % {"child": name(child.nickname), "moment": when_text(turn, when)}
    )


def ask_date(turn: Turn, case: Case, child: Child) -> str:
    """A date typed by the leader."""
    point_at(turn.leader, case.id, child.id)
    turn.say(
        _("On which day? Type a date as day-month or day-month-year, for example %(example)s.")
        % {"example": "28-11"}
    )
    return states.FOLLOW_UP_DATE


def date_refused(turn: Turn) -> None:
    """A typed date that is not a date, or not in the future."""
    turn.say(
        _(
            "I can't read that as a date in the future. Type it as day-month or "
            "day-month-year, for example "
            "%(example)s, or tap /cases to choose something else."
        )
        % {"example": "28-11"}
    )


def meeting_not_set(turn: Turn) -> None:
    """ "Next meeting" needs the meeting day."""
    turn.say(
        _("I don't know your group's meeting day yet. Set it in /settings."),
        [[(_("⚙️ Set the meeting day"), SettingsPress("day", ""))]],
    )


def snooze_options(turn: Turn, case: Case, child: Child) -> None:
    """When to remind again of a talk that has not happened yet."""
    rows: Keyboard = [
        [(_(label), CaseButton(Act.SNOOZE, case.id, child.id, value))]
        for value, label in SNOOZE_TEXT.items()
    ]
    turn.say(
        _("When shall I remind you again of the talk with %(child)s?")
        % {"child": name(child.nickname)},
        rows,
    )


def snoozed(turn: Turn, child: Child, when: datetime) -> None:
    """The reminder is put off."""
    turn.say(
        _("OK, I will remind you of the talk with %(child)s on %(moment)s.")
        % {
            "child": name(child.nickname),
            "moment": when_text(turn, when),
        },
        [[(_("📂 My cases"), MenuPress(Menu.CASES))]],
    )


def ask_new_proposal(turn: Turn, case: Case, child: Child) -> str:
    """Not (fully) stopped: motivate a new proposal, and write it down."""
    point_at(turn.leader, case.id, child.id)
    turn.say(
        "\n\n".join(
            [
                quoted(_(phrasing.STEP3_MOTIVATE)),
                _("What does %(child)s propose now? Send each new agreement as a separate message.")
                % {"child": name(child.nickname)},
                _("Tap “Done” when all of them are in."),
            ]
        ),
        new_proposal_rows(case, child),
    )
    return states.NEW_PROPOSAL


def new_proposal_rows(case: Case, child: Child) -> Keyboard:
    """The button that closes the new proposal."""
    return [[(_("✅ Done"), CaseButton(Act.NEW_PROPOSAL_DONE, case.id, child.id))]]


def new_proposal_so_far(turn: Turn, case: Case, child: Child) -> None:
    """The new agreements so far."""
    latest = child.follow_ups[-1].id
    texts = [a.text for a in child.agreements if a.follow_up_id == latest]
    turn.say(
        _("New proposal so far:")
        + "\n"
        + bulleted(typed(t) for t in texts)
        + "\n\n"
        + _("Send another one, or tap “Done”."),
        new_proposal_rows(case, child),
    )


def stopped(
    turn: Turn, case: Case, child: Child, proposed: FollowUpChoice, may_close: bool
) -> None:
    """The bullying has stopped: keep repeating, allow time; next follow-up, or close.

    Closing is offered only when it has stopped for every child of the case.
    """
    advice = (
        _("I suggest the next follow-up a bit later. Or, if you judge it done, close the case.")
        if may_close
        else _("I suggest the next follow-up a bit later.")
    )
    rows: Rows = [
        [("⭐ " + _(CHOICE_TEXT[proposed]), CaseButton(Act.PLAN, case.id, child.id, proposed))],
        [(_("🗓 Another moment"), CaseButton(Act.PLAN, case.id, child.id))],
    ]
    if may_close:
        rows.append([(_("🗂 Close the case"), CaseButton(Act.CLOSE, case.id))])
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


def already_recorded(turn: Turn) -> None:
    """A nudge's button pressed twice."""
    turn.toast(_("That follow-up is already written down."))


def cancelled(turn: Turn, child: Child) -> None:
    """The follow-up is cancelled."""
    turn.say(
        _("The follow-up with %(child)s is cancelled: no reminder will come.")
        % {"child": name(child.nickname)}
    )


def report_back_snoozed(turn: Turn, case: Case, when: datetime) -> None:
    """The reminder to report back is put off."""
    turn.say(
        _("OK, I will remind you to report back to %(victim)s on %(moment)s.")
        % {
            "victim": name(case.victim_nickname),
            "moment": when_text(turn, when),
        },
        [[(_("📂 My cases"), MenuPress(Menu.CASES))]],
    )


def agreement_refused(turn: Turn, case: Case, child: Child) -> None:
    """An agreement of a new proposal that is empty or too long."""
    turn.say(
        _("An agreement can be at most %(max)d characters. Please type it again, shorter.")
        % {"max": AGREEMENT_MAX},
        new_proposal_rows(case, child),
    )


def record_outcome(turn: Turn, case: Case, child: Child) -> None:
    """A follow-up that came due, opened from the case: how did it go?"""
    text, rows = follow_up_nudge(case, child, child.open_follow_up, late=False)  # type: ignore[arg-type]
    turn.say(text, rows)
