"""What the team is told: escalations, handovers offered, notices, and who takes a
child's follow-up first when several co-leaders are asked.

Names are escaped like everything typed (see ``bot.screens.team``).
"""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from bot.callback_data import Menu, MenuPress, case_button
from bot.screens.format import day, name, short_moment
from bot.screens.nudges import follow_up_nudge
from bot.storage.history import EventKind
from bot.storage.models import Case, CaseEvent, Child
from bot.storage.notices import Asker, Notice
from bot.team_callbacks import (
    WHOLE_CASE,
    HandoverAnswer,
    TakeOver,
    TeamOpen,
)
from bot.turn import Keyboard, Rows, Turn
from flows import events
from flows.case import Consent, ReminderRecord, Role
from flows.language import _, ngettext


def escalation_nudge(
    case: Case, child: Child, asker: Asker | None = None, zone: ZoneInfo | None = None
) -> tuple[str, Keyboard]:
    """A co-leader's follow-up nudge went unanswered: whose, since when; will you take it?"""
    values = {"child": name(child.nickname), "victim": name(case.victim_nickname)}
    if asker is not None and asker.name and asker.since is not None and zone is not None:
        text = _(
            "🔔 The reminder %(leader)s got on %(moment)s to talk with %(child)s again "
            "(case %(victim)s) has not been answered. Will you take this follow-up?"
        ) % {**values, "leader": escape(asker.name), "moment": short_moment(asker.since, zone)}
    else:
        text = (
            _(
                "🔔 The reminder to talk with %(child)s again (case %(victim)s) has not been "
                "answered. Will you take this follow-up?"
            )
            % values
        )
    return (
        text,
        [
            [(_("🙋 I'll take it"), TakeOver(case.id, child.id))],
            [(_("📁 Open the case"), case_button(case.id, events.Open(0)))],
        ],
    )


def handover_nudge(
    case: Case, child: Child | None, asker: Asker | None = None
) -> tuple[str, Keyboard]:
    """A co-leader offers you a case or a child's follow-up: who."""
    values = {"victim": name(case.victim_nickname)}
    who = escape(asker.name) if asker is not None and asker.name else None
    if child is None and who:
        text = _("🤝 %(leader)s asks you to take over the case of %(victim)s.") % {
            **values,
            "leader": who,
        }
    elif child is None:
        text = _("🤝 A co-leader asks you to take over the case of %(victim)s.") % values
    elif who:
        text = _(
            "🤝 %(leader)s asks you to take over the follow-up with %(child)s (case %(victim)s)."
        ) % {**values, "child": name(child.nickname), "leader": who}
    else:
        text = _(
            "🤝 A co-leader asks you to take over the follow-up with %(child)s (case %(victim)s)."
        ) % {**values, "child": name(child.nickname)}
    child_id = WHOLE_CASE if child is None else child.id
    return (
        text,
        [
            [(_("✅ Accept"), HandoverAnswer(case.id, child_id, True))],
            [(_("✖️ Decline"), HandoverAnswer(case.id, child_id, False))],
            [(_("📁 Open the case"), case_button(case.id, events.Open(0)))],
        ],
    )


def notice_nudge(case: Case, child: Child | None, notice: Notice) -> tuple[str, Keyboard]:
    """A change in a case that touches this leader: who did what.

    The case and its children are named only for a leader who may see the case now.
    """
    line = notice.line

    def who(leader_id: int | None) -> str:
        found = notice.names.get(leader_id) if leader_id is not None else None
        return escape(found) if found else _("a co-leader")

    values = {
        "leader": who(line.actor_id),
        "other": who(line.other_id),
        "case": _("the case of %(victim)s") % {"victim": name(case.victim_nickname)}
        if notice.sees
        else _("a case of %(date)s") % {"date": day(case.created_at)},
        "child": name(child.nickname) if notice.sees and child is not None else _("a child"),
        "team": name(notice.team or "?"),
    }
    whole = line.child_id is None
    match line.kind:
        case EventKind.HANDOVER_DECLINED:
            text = (
                _("✖️ %(leader)s declined to take over %(case)s. You stay responsible.")
                if whole
                else _(
                    "✖️ %(leader)s declined to take over the follow-up with %(child)s "
                    "(%(case)s). You keep following it up."
                )
            )
        case EventKind.HANDOVER_ACCEPTED:
            text = (
                _("✅ %(leader)s accepted %(case)s: they are responsible for it now.")
                if whole
                else _(
                    "✅ %(leader)s accepted the follow-up with %(child)s (%(case)s): "
                    "the reminders go to them now."
                )
            )
        case EventKind.ESCALATED:
            text = _(
                "🔔 Your reminder to talk with %(child)s again (%(case)s) was not "
                "answered: it went to the co-leaders who share the case. Whoever takes it "
                "first follows %(child)s up."
            )
        case EventKind.TOOK_OVER:
            text = _(
                "🙋 %(leader)s took over the follow-up with %(child)s (%(case)s): "
                "the reminders go to them now."
            )
        case EventKind.PASSED_ON if notice.recipient == line.other_id:
            text = _(
                "📥 %(leader)s erased their data: %(case)s passed to you, with everything in "
                "it. You are responsible for it now."
            )
        case EventKind.PASSED_ON:
            text = _("📥 %(leader)s erased their data: %(case)s passed to %(other)s.")
        case EventKind.CONSENT:
            text = (
                _(
                    "✏️ %(leader)s wrote down that the child who is bullied agreed to a talk "
                    "with %(child)s (%(case)s)."
                )
                if line.detail == Consent.AGREED
                else _(
                    "✏️ %(leader)s wrote down that the child who is bullied did not agree "
                    "(yet) to a talk with %(child)s (%(case)s)."
                )
            )
        case EventKind.ROLE:
            text = (
                _("✏️ %(leader)s changed the role of %(child)s (%(case)s): joins in.")
                if line.detail == Role.MEEPESTER
                else _("✏️ %(leader)s changed the role of %(child)s (%(case)s): bullies.")
            )
        case EventKind.LEFT_TEAM if notice.recipient == line.other_id:
            count = int(line.detail) if line.detail and line.detail.isdigit() else 1
            values["count"] = str(count)
            text = (
                ngettext(
                    "🚪 You left team %(team)s: the case shared with you there is no longer "
                    "visible to you.",
                    "🚪 You left team %(team)s: the %(count)s cases shared with you there are "
                    "no longer visible to you.",
                    count,
                )
                if line.actor_id == line.other_id
                else ngettext(
                    "🚪 %(leader)s removed you from team %(team)s: the case shared with you "
                    "there is no longer visible to you.",
                    "🚪 %(leader)s removed you from team %(team)s: the %(count)s cases shared "
                    "with you there are no longer visible to you.",
                    count,
                )
            )
        case EventKind.LEFT_TEAM:
            text = _("🚪 %(other)s is no longer in team %(team)s and no longer sees %(case)s.")
        case EventKind.HANDED_BACK if notice.recipient == line.actor_id:
            text = _(
                "↩️ You are no longer in team %(team)s: %(case)s, which you held there, "
                "went back to %(other)s. You no longer see it."
            )
        case EventKind.HANDED_BACK:
            text = _(
                "↩️ %(leader)s is no longer in team %(team)s: %(case)s, which they held "
                "there, went back to you. You are responsible for it now."
            )
        case _:
            text = _("Something changed in %(case)s: see its history.")
    rows: Rows = []
    if notice.sees:
        rows.append([(_("📁 Open the case"), case_button(case.id, events.Open(0)))])
    return _begins_a_sentence(text % values, _("a co-leader")), rows


def _begins_a_sentence(text: str, nobody: str) -> str:
    """``text``, with "a co-leader" (a leader whose name is erased) written as a sentence
    begins when the text, after its sign, starts with it."""
    sign, space, rest = text.partition(" ")
    if space and nobody and rest.startswith(nobody):
        return f"{sign} {nobody[0].upper()}{rest[1:]}"
    return text


def team_notice_nudge(notice: Notice) -> tuple[str, Keyboard]:
    """A change of the team itself: a member is out of it (``EventKind.OUT_OF_TEAM``).

    The one removed reads who removed them, from which team, and how many of its cases
    they held and saw there (never which: they no longer see them); a coordinator reads
    who is out, and who removed them. A leader who erased their data is not named.
    """
    line = notice.line

    def who(leader_id: int | None) -> str:
        found = notice.names.get(leader_id) if leader_id is not None else None
        return escape(found) if found else _("a co-leader")

    held, _sep, seen = (line.detail or "").partition(":")
    counts = {
        "held": int(held) if held.isdigit() else 0,
        "seen": int(seen) if seen.isdigit() else 0,
    }
    values = {
        "leader": who(line.actor_id),
        "other": who(line.other_id),
        "team": name(notice.team or "?"),
        **{key: str(count) for key, count in counts.items()},
    }
    rows: Rows = []
    if notice.recipient == line.other_id:
        parts = [
            _(
                "🚪 %(leader)s removed you from team %(team)s. You no longer see any case "
                "of that team."
            )
        ]
        if counts["held"]:
            parts.append(
                ngettext(
                    "The case you were responsible for there went back to the team.",
                    "The %(held)s cases you were responsible for there went back to the team.",
                    counts["held"],
                )
            )
        if counts["seen"]:
            parts.append(
                ngettext(
                    "The case shared with you there is no longer visible to you.",
                    "The %(seen)s cases shared with you there are no longer visible to you.",
                    counts["seen"],
                )
            )
        text = " ".join(parts)
    else:
        text = (
            _("🚪 %(other)s left team %(team)s.")
            if line.actor_id == line.other_id
            else _("🚪 %(leader)s removed %(other)s from team %(team)s.")
        )
        if line.team_id is not None and notice.team is not None:
            rows.append([(_("👥 Open the team"), TeamOpen(line.team_id))])
    return _begins_a_sentence(text % values, _("a co-leader")), rows


def already_taken(turn: Turn, child: Child, first: CaseEvent | None, known: dict[int, str]) -> None:
    """Someone answered the reminder first (or this leader took it already): who."""
    if first is not None and first.actor_id == turn.leader.id and first.kind == EventKind.TOOK_OVER:
        turn.toast(_("You took it already."))
        turn.say(
            _("You took over the follow-up with %(child)s already: the reminders come to you.")
            % {"child": name(child.nickname)},
            [[(_("📂 My cases"), MenuPress(Menu.CASES))]],
        )
        return
    turn.toast(_("Already taken care of."))
    if first is None or first.actor_id not in known:
        text = _("This follow-up is already taken care of: someone answered the reminder first.")
    elif first.kind == EventKind.TOOK_OVER:
        text = _(
            "%(leader)s answered the reminder first: they took over the follow-up with %(child)s."
        )
    else:
        text = _(
            "%(leader)s answered the reminder first: the follow-up talk with %(child)s is "
            "already written down."
        )
    who = escape(known.get(first.actor_id or 0, "")) if first is not None else ""
    turn.say(
        text % {"leader": who, "child": name(child.nickname)},
        [[(_("📂 My cases"), MenuPress(Menu.CASES))]],
    )


def answered_first(
    turn: Turn, case: Case, child: Child, first: CaseEvent, known: dict[int, str]
) -> None:
    """A button of a follow-up talk another leader answered first: by whom."""
    values = {
        "leader": escape(known.get(first.actor_id or 0, "")) or _("a co-leader"),
        "child": name(child.nickname),
    }
    if first.kind == EventKind.TOOK_OVER:
        turn.toast(_("Someone else took this follow-up."))
        text = _(
            "%(leader)s took over the follow-up with %(child)s: it is theirs to write down. "
            "Nothing changed."
        )
    else:
        turn.toast(_("That follow-up is already written down."))
        text = _(
            "This follow-up talk with %(child)s was already written down by %(leader)s. "
            "Nothing changed."
        )
    turn.say(text % values, [[(_("📁 Open the case"), case_button(case.id, events.Open(0)))]])


def taken(turn: Turn, case: Case, child: Child, reminder: ReminderRecord) -> None:
    """The co-leader follows the child up now: here is the nudge they take over."""
    turn.say(
        _("You follow up %(child)s from now on; the reminders come to you.")
        % {"child": name(child.nickname)}
    )
    text, rows = follow_up_nudge(case, child, reminder, late=False)
    turn.say(text, rows)
