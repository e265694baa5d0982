"""The reminders a leader receives: a follow-up talk is due, or the promise to report back."""

from __future__ import annotations

from bot.callback_data import case_button
from bot.screens.format import bulleted, day, name, numbered, title, typed
from bot.storage.models import Case, Child
from bot.turn import Keyboard
from flows import phrasing, protocol
from flows.case import ReminderRecord, standing_agreements
from flows.follow_up import Outcome
from flows.language import _


def late_note(reminder: ReminderRecord) -> str:
    """Said above a reminder that comes later than planned (the bot was not running)."""
    return _("⏰ This reminder comes late: it was due on %(date)s.") % {
        "date": day(reminder.due_at)
    }


def outcome_rows(case: Case, child: Child) -> Keyboard:
    """How far the bullying stopped, or: not talked yet."""

    def outcome(label: str, value: Outcome) -> tuple[str, protocol.Event]:
        return label, protocol.OutcomeGiven(child.id, value)

    rows = [
        outcome(_("✅ Bullying has stopped"), Outcome.STOPPED),
        outcome(_("🟡 Partly stopped"), Outcome.PARTLY),
        outcome(_("❌ Not stopped"), Outcome.NOT_STOPPED),
        (_("⏰ Not talked yet: remind me later"), protocol.AskSnooze(child.id)),
    ]
    return [[(label, case_button(case.id, event))] for label, event in rows]


def follow_up_nudge(
    case: Case, child: Child, reminder: ReminderRecord, late: bool
) -> tuple[str, Keyboard]:
    """Time to talk with ``child`` again: the agreements and step 3's questions."""
    parts = [late_note(reminder)] if late else []
    parts += [
        title(_("🔔 Step 3: talk with %(child)s again") % {"child": name(child.nickname)})
        + "\n"
        + _("Case %(victim)s") % {"victim": name(case.victim_nickname)},
        _("The agreements %(child)s made:") % {"child": name(child.nickname)}
        + "\n"
        + bulleted(typed(a.text) for a in standing_agreements(child)),
        # The question first, for a phone screen; the protocol's points below it.
        title(_("How did it go?")),
        numbered(phrasing.step3_points()),
    ]
    return "\n\n".join(parts), outcome_rows(case, child)


def report_back_nudge(
    case: Case, child: Child, reminder: ReminderRecord | None = None, late: bool = False
) -> tuple[str, Keyboard]:
    """The promise of step 1: report back to the child who was bullied (a nudge, or in the case)."""
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
                case_button(case.id, protocol.ReportedBack(child.id)),
            )
        ],
        [(_("⏰ Remind me tomorrow"), case_button(case.id, protocol.ReportBackLater(child.id)))],
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
            [(_("🗂 Close the case"), case_button(case.id, protocol.Close(0)))],
            [(_("▶️ Keep it open"), case_button(case.id, protocol.KeepOpen(0)))],
        ],
    )
