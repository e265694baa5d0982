"""The reminders a leader receives: a follow-up talk is due, or the promise to report back."""

from __future__ import annotations

from bot.callback_data import Act, CaseButton
from bot.screens.format import bulleted, day, name, numbered, title, typed
from bot.storage.models import Case, Child, Reminder
from bot.turn import Keyboard
from flows import phrasing
from flows.follow_up import Outcome
from flows.language import _


def late_note(reminder: Reminder) -> str:
    """Said above a reminder that comes later than planned (the bot was not running)."""
    return _("⏰ This reminder comes late: it was due on %(date)s.") % {
        "date": day(reminder.due_at)
    }


def current_agreements(child: Child) -> str:
    """The agreements that stand: the newest proposal's, or step 2's when there is none."""
    latest = child.follow_ups[-1].id if child.follow_ups else None
    newest = [a for a in child.agreements if a.follow_up_id == latest and latest is not None]
    chosen = newest or [a for a in child.agreements if a.follow_up_id is None]
    return bulleted(typed(a.text) for a in chosen)


def outcome_rows(case: Case, child: Child) -> Keyboard:
    """How far the bullying stopped, or: not talked yet."""

    def outcome(value: Outcome) -> CaseButton:
        return CaseButton(Act.OUTCOME, case.id, child.id, value)

    return [
        [
            (
                _("✅ Bullying has stopped"),
                CaseButton(Act.OUTCOME, case.id, child.id, Outcome.STOPPED),
            )
        ],
        [(_("🟡 Partly stopped"), CaseButton(Act.OUTCOME, case.id, child.id, Outcome.PARTLY))],
        [
            (
                _("❌ Not stopped"),
                CaseButton(Act.OUTCOME, case.id, child.id, Outcome.NOT_STOPPED),
            )
        ],
        [(_("⏰ Not talked yet: remind me later"), CaseButton(Act.SNOOZE, case.id, child.id))],
    ]


def follow_up_nudge(
    case: Case, child: Child, reminder: Reminder, late: bool
) -> tuple[str, Keyboard]:
    """Time to talk with ``child`` again: the agreements and step 3's questions."""
    parts = [late_note(reminder)] if late else []
    parts += [
        title(_("🔔 Step 3: talk with %(child)s again") % {"child": name(child.nickname)})
        + "\n"
        + _("Case %(victim)s") % {"victim": name(case.victim_nickname)},
        _("The agreements %(child)s made:") % {"child": name(child.nickname)}
        + "\n"
        + current_agreements(child),
        numbered(phrasing.step3_points()),
        _("How did it go?"),
    ]
    return "\n\n".join(parts), outcome_rows(case, child)


def report_back_nudge(
    case: Case, child: Child, reminder: Reminder, late: bool
) -> tuple[str, Keyboard]:
    """The promise of step 1: report back to the child who was bullied."""
    parts = [late_note(reminder)] if late else []
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
                CaseButton(Act.REPORTED, case.id, child.id),
            )
        ],
        [(_("⏰ Remind me tomorrow"), CaseButton(Act.REPORT_LATER, case.id, child.id))],
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
            [(_("🗂 Close the case"), CaseButton(Act.CLOSE, case.id))],
            [(_("▶️ Keep it open"), CaseButton(Act.KEEP_OPEN, case.id))],
        ],
    )
