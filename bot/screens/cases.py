"""The leader's cases: the list, one case at a glance, closing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.callback_data import CasesPage, Menu, MenuPress, case_button
from bot.screens import approaches, next_up, step1_waiting
from bot.screens.escalation import victim_says
from bot.screens.format import bulleted, day, name, short_moment, title, typed
from bot.screens.nudges import standing_lines
from bot.screens.setup import role_text
from bot.storage.models import Case, Child
from bot.team_callbacks import CaseHistory, HandoverOpen, ShareOpen
from bot.turn import Keyboard, Rows, Turn
from flows import events
from flows.case import (
    Consent,
    Next,
    last_outcome,
    next_items,
    next_step,
    planned_follow_up,
    report_back_open,
)
from flows.escalation import VictimView
from flows.follow_up import OUTCOME_TEXT, Outcome
from flows.language import _, ngettext
from flows.replies import Shown

PAGE_SIZE = 6


#: At most this many next items per case in the list of cases (the rest is counted).
LIST_ITEMS_MAX = 6


def next_lines(turn: Turn, case: Case) -> list[str]:
    """What is next in ``case``, one line per open child's item, in time order."""
    if not case.children:
        return [_("Set-up: add who bullies or joins in")]
    return [next_up.item_line(turn, case, item) for item in next_items(case, turn.now)]


def _listed(turn: Turn, case: Case) -> str:
    """For the list of cases: what is next in the case, in time order, the first few."""
    lines = next_lines(turn, case)
    shown = lines[:LIST_ITEMS_MAX]
    more = len(lines) - len(shown)
    if more:
        shown.append(
            ngettext("… and %(count)d more", "… and %(count)d more", more) % {"count": more}
        )
    return "\n".join("   " + line for line in shown)


def case_list(turn: Turn, cases: Sequence[Case], total: int, offset: int) -> None:
    """A page of open cases, each with where it stands; tapping one opens it."""
    if total == 0:
        turn.show(
            _("You have no open cases. Start one with /new."),
            [[(_("➕ New case"), MenuPress(Menu.NEW))]],
        )
        return
    lines = [
        f"{offset + n}. {name(case.victim_nickname)}\n" + _listed(turn, case)
        for n, case in enumerate(cases, start=1)
    ]
    rows: Keyboard = [
        [(f"{offset + n}. {case.victim_nickname}", case_button(case.id, events.Open(0)))]
        for n, case in enumerate(cases, start=1)
    ]
    paging = []
    if offset > 0:
        paging.append((_("◀️ Previous"), CasesPage(max(0, offset - PAGE_SIZE))))
    if offset + PAGE_SIZE < total:
        paging.append((_("Next ▶️"), CasesPage(offset + PAGE_SIZE)))
    rows = [*rows, paging, [(_("➕ New case"), MenuPress(Menu.NEW))]]
    header = ngettext("You have %(count)d open case.", "You have %(count)d open cases.", total)
    turn.show(
        "\n\n".join(
            [
                title(_("My cases")),
                header % {"count": total},
                "\n\n".join(lines),
                _("Tap a case to continue."),
            ]
        ),
        rows,
    )


def _views(case: Case, view: str | None) -> str:
    """The bullied child's view of a follow-up, after its outcome."""
    try:
        return " — " + victim_says(case, VictimView(view)) if view else ""
    except ValueError:
        return ""


def child_summary(turn: Turn, case: Case, child: Child) -> str:
    """One child's step 1, talk and follow-ups at a glance."""
    consent = {
        Consent.NOT_ASKED: _("not asked yet"),
        Consent.AGREED: _("agreed"),
        Consent.DECLINED: _("did not agree (yet)"),
    }[Consent(child.consent)]
    reminder = step1_waiting.step1_reminder(child) if child.consent != Consent.AGREED else None
    if reminder is not None:
        # Step 1 waits for a reminder: the child and their next moment stay in sight.
        consent += " — " + next_up.moment_note(turn, reminder.due_at)
    parts = [
        f"{name(child.nickname)} ({role_text(child)})",
        _("Step 1: %(consent)s") % {"consent": consent}
        + (
            ("\n   " + _("You may tell: %(text)s") % {"text": typed(child.may_tell)})
            if child.may_tell
            else ""
        ),
    ]
    if child.note:
        parts.append(_("note:") + " " + typed(child.note))
    if child.held_at is None:
        parts.append(_("talk prepared") if child.facts is not None else _("talk not prepared yet"))
        return "\n   ".join(parts)
    parts.append(_("talk held on %(date)s") % {"date": day(child.held_at)})
    if child.agreements:
        parts.append(standing_lines(child, in_case=True))
    parts.append(_("reported back ✅") if child.reported_back_at else _("not reported back yet"))
    for follow_up in child.follow_ups:
        parts.append(
            _("follow-up on %(date)s: %(outcome)s")
            % {
                "date": day(follow_up.recorded_at),
                "outcome": _(OUTCOME_TEXT[Outcome(follow_up.outcome)]),
            }
            + _views(case, follow_up.victim_view)
        )
    planned = planned_follow_up(child)
    if planned is not None:
        when = short_moment(planned.due_at, turn.leader.rhythm.zone)
        parts.append(
            _("Next follow-up: %(when)s") % {"when": when}
            if planned.due_at > turn.now
            else _("Follow-up due since %(when)s") % {"when": when}
        )
    return "\n   ".join(parts)


def overview(
    turn: Turn, case: Case, child: Child | None = None, shown: Shown | None = None
) -> None:
    """One case at a glance, with its next step as the first button."""
    step = next_step(case, turn.now)
    lines = [
        title(_("Case %(victim)s") % {"victim": name(case.victim_nickname)}),
        _("Started on %(date)s") % {"date": day(case.created_at)},
    ]
    lines += [
        extra for extra in (approaches.approach_line(case), approaches.history_lines(case)) if extra
    ]
    lines += [child_summary(turn, case, c) for c in case.children]
    if step.what is Next.CLOSED:
        lines.append(title(_("Closed")))
    else:
        lines.append(_("<b>Next, in time order:</b>") + "\n" + bulleted(next_lines(turn, case)))
    rows: Rows = []
    opened: list[int] = []
    if step.what is not Next.CLOSED:
        rows.append([(next_up.continue_text(case, step), case_button(case.id, events.Continue(0)))])
        # What is due for another child opens with one tap, not only from its reminder.
        for item in next_items(case, turn.now):
            due = item.due(turn.now) and item.what in next_up.BUTTON_TEXT
            if due and item.child_id != step.child_id and item.child_id not in opened:
                rows += next_up.item_row(case, item)
                opened.append(item.child_id)
        for child in case.children:
            if report_back_open(child):
                done = case_button(case.id, events.ReportedBack(child.id))
                told = {"victim": case.victim_nickname, "child": child.nickname}
                rows.append([(_("✅ Reported back to %(victim)s on %(child)s") % told, done)])
        for child in case.children:
            if planned_follow_up(child) is None:
                continue
            values = {"child": child.nickname}
            move = case_button(case.id, events.AskPlan(child.id))
            cancel = case_button(case.id, events.CancelFollowUp(child.id))
            rows.append([(_("🗓 Move the follow-up with %(child)s") % values, move)])
            rows.append([(_("✖️ Cancel the follow-up with %(child)s") % values, cancel)])
        rows.append([(_("➕ Another child"), case_button(case.id, events.AddChild(0)))])
        rows.append([(_("✏️ Correct something"), case_button(case.id, events.Correct(0)))])
        rows.append([(_("🧭 Other approaches"), case_button(case.id, events.ShowApproaches(0)))])
        rows.append([(_("🗂 Close the case"), case_button(case.id, events.Close(0)))])
        if case.leader_id == turn.leader.id:
            rows.append([(_("👥 Share with co-leaders"), ShareOpen(case.id))])
        if any(c.responsible_id == turn.leader.id for c in case.children) or (
            case.leader_id == turn.leader.id
        ):
            rows.append([(_("🤝 Hand over"), HandoverOpen(case.id))])
    rows.append([(_("🕓 History"), CaseHistory(case.id))])
    rows.append([(_("📂 My cases"), MenuPress(Menu.CASES))])
    turn.say("\n\n".join(lines), rows)


def still_open(turn: Turn, case: Case) -> list[str]:
    """What closing would leave undone, per child: step 1 not asked or refused, no talk yet,
    the promise to report back, a follow-up planned or not stopped at the last one."""
    victim = name(case.victim_nickname)
    lines = []
    for child in case.children:
        values = {"victim": victim, "child": name(child.nickname)}
        if child.consent == Consent.NOT_ASKED:
            lines.append(_("%(victim)s was never asked about a talk with %(child)s.") % values)
            continue
        if child.consent == Consent.DECLINED:
            lines.append(_("%(victim)s did not agree (yet) to a talk with %(child)s.") % values)
            continue
        if child.held_at is None:
            lines.append(_("No talk with %(child)s yet.") % values)
            continue
        if report_back_open(child):
            lines.append(
                _("You have not reported back to %(victim)s on the talk with %(child)s yet.")
                % values
            )
        planned = planned_follow_up(child)
        if planned is not None:
            values["when"] = short_moment(planned.due_at, turn.leader.rhythm.zone)
            lines.append(
                _("A follow-up with %(child)s is planned on %(when)s.") % values
                if planned.due_at > turn.now
                else _("A follow-up with %(child)s is due since %(when)s.") % values
            )
        elif not child.follow_ups:
            lines.append(_("No follow-up with %(child)s yet.") % values)
        elif last_outcome(child) is not Outcome.STOPPED:
            lines.append(
                _("At the last follow-up with %(child)s the bullying had not stopped.") % values
            )
    return lines


def confirm_close(
    turn: Turn, case: Case, child: Child | None = None, shown: Shown | None = None
) -> None:
    """Ask before closing, saying what is still open: a closed case cannot be opened again."""
    open_items = still_open(turn, case)
    warning = (
        ["\n".join([_("Still open in this case:"), bulleted(open_items)])] if open_items else []
    )
    turn.say(
        "\n\n".join(
            [
                *warning,
                _("Close the case of %(victim)s? A closed case cannot be opened again.")
                % {"victim": name(case.victim_nickname)},
            ]
        ),
        [
            [(_("🗂 Yes, close it"), case_button(case.id, events.CloseConfirmed(0)))],
            [(_("↩️ No, keep it open"), case_button(case.id, events.Open(0)))],
        ],
    )


def closed(turn: Turn, case: Case, child: Child | None = None, shown: Shown | None = None) -> None:
    """The case is closed, and when it will be erased."""
    erase_on = turn.now + timedelta(days=turn.settings.retention_closed_days)
    turn.say(
        _("The case of %(victim)s is closed.") % {"victim": name(case.victim_nickname)}
        + " "
        + _("Its reminders are erased; everything else in it is erased on %(date)s.")
        % {"date": day(erase_on)},
        [[(_("📂 My cases"), MenuPress(Menu.CASES))]],
    )
