"""The reminders a leader receives: a follow-up talk is due, or the promise to report back."""

from __future__ import annotations

from bot.callback_data import case_button
from bot.screens.escalation import check_in_question, check_in_rows, escalation_note
from bot.screens.format import bulleted, day, name, numbered, title, typed
from bot.storage.models import Case, Child
from bot.turn import Keyboard, Turn
from flows import events, phrasing
from flows.case import ChildRecord, ReminderRecord, round_number, standing_agreements
from flows.escalation import ESCALATE_AFTER_ROUNDS
from flows.follow_up_timing import Rhythm
from flows.language import _
from flows.replies import Shown


def from_round(child: ChildRecord, follow_up_id: int | None) -> str:
    """Which talk an agreement comes from: step 2's, or a numbered follow-up."""
    number = round_number(child, follow_up_id)
    if number == 0:
        return _("from the talk")
    return _("from follow-up %(number)d") % {"number": number}


def standing_lines(child: ChildRecord, *, in_case: bool = False) -> str:
    """The agreements of ``child`` that stand, each with the talk it comes from (in the
    case's overview, under the child's name: without it)."""
    standing = standing_agreements(child)
    if not standing:
        return _("No agreement of %(child)s stands any more.") % {"child": name(child.nickname)}
    if in_case:
        header = _("agreements that stand:")
    else:
        header = _("The agreements of %(child)s that stand:") % {"child": name(child.nickname)}
    return (
        header
        + "\n"
        + bulleted(f"{typed(a.text)} ({from_round(child, a.follow_up_id)})" for a in standing)
    )


def late_note(reminder: ReminderRecord) -> str:
    """Said above a reminder that comes later than planned (the bot was not running)."""
    return _("⏰ This reminder comes late: it was due on %(date)s.") % {
        "date": day(reminder.due_at)
    }


def follow_up_nudge(
    case: Case,
    child: Child,
    reminder: ReminderRecord,
    late: bool,
    escalate_after: int = ESCALATE_AFTER_ROUNDS,
) -> tuple[str, Keyboard]:
    """Time to talk with ``child`` again: the agreements, step 3's questions, and first
    what the child who is bullied says (the outcome question comes after it).

    After ``escalate_after`` rounds in a row without "stopped" it says so and offers
    the next steps.
    """
    parts = [late_note(reminder)] if late else []
    parts += [
        title(_("🔔 Step 3: talk with %(child)s again") % {"child": name(child.nickname)})
        + "\n"
        + _("Case %(victim)s") % {"victim": name(case.victim_nickname)},
        standing_lines(child),
    ]
    note = escalation_note(child, escalate_after)
    if note is not None:
        parts.append(note)
    # The question before the protocol's three points: on a phone it is what shows first.
    parts += [title(check_in_question(case)), numbered(phrasing.step3_points(child.nickname))]
    return "\n\n".join(parts), check_in_rows(case, child, escalate_after)


def report_back(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The promise of step 1, in the case: as the reminder says it."""
    text, rows = report_back_nudge(case, child, rhythm=turn.leader.rhythm)
    turn.say(text, rows)


def report_back_nudge(
    case: Case,
    child: Child,
    reminder: ReminderRecord | None = None,
    late: bool = False,
    rhythm: Rhythm | None = None,
) -> tuple[str, Keyboard]:
    """The promise of step 1: report back to the child who was bullied (a nudge, or in the case).

    A group with a rhythm is reminded again at its next activity, and the button says so.
    """
    parts = [late_note(reminder)] if late and reminder is not None else []
    parts.append(
        _(
            "🔔 In step 1 you promised %(victim)s to report back on your talk with %(child)s. "
            "Have you done that?"
        )
        % {"victim": name(case.victim_nickname), "child": name(child.nickname)}
    )
    rows: Keyboard = [
        [
            (
                _("✅ Yes, I reported back to %(victim)s") % {"victim": case.victim_nickname},
                case_button(case.id, events.ReportedBack(child.id)),
            )
        ],
        [
            (
                _("⏰ Remind me at the next activity")
                if rhythm is not None and rhythm.has_activities
                else _("⏰ Remind me tomorrow"),
                case_button(case.id, events.ReportBackLater(child.id)),
            )
        ],
    ]
    return "\n\n".join(parts), rows


def inactive_nudge(case: Case) -> tuple[str, Keyboard]:
    """An open case without activity for a long time: can it be closed?"""
    return (
        _(
            "🔔 Nothing has happened in the case of %(victim)s for a long time. If the "
            "bullying has stopped and you have followed up enough, you can close it."
        )
        % {"victim": name(case.victim_nickname)},
        [
            [(_("🗂 Close the case"), case_button(case.id, events.Close(0)))],
            [(_("▶️ Keep it open"), case_button(case.id, events.KeepOpen(0)))],
        ],
    )
