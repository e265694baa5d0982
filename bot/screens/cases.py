"""The leader's cases: the list, one case at a glance, closing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.callback_data import CasesPage, Menu, MenuPress, case_button
from bot.screens import approaches, step1_waiting
from bot.screens.escalation import victim_says
from bot.screens.format import bulleted, day, name, short_moment, title, typed
from bot.screens.nudges import standing_lines
from bot.screens.setup import role_text
from bot.storage.cases import child_of
from bot.storage.models import Case, Child
from bot.team_callbacks import CaseHistory, HandoverOpen, ShareOpen
from bot.turn import Keyboard, Rows, Turn
from flows import events
from flows.case import (
    Consent,
    Next,
    NextStep,
    next_step,
    planned_follow_up,
    report_back_open,
)
from flows.escalation import VictimView
from flows.follow_up import OUTCOME_TEXT, Outcome
from flows.language import _, ngettext
from flows.replies import Shown

PAGE_SIZE = 6


def describe_next(turn: Turn, case: Case, step: NextStep) -> str:
    """The next thing to do, in one line."""
    child = child_of(case, step.child_id)
    values = {
        "victim": name(case.victim_nickname),
        "child": name(child.nickname) if child else "",
        "when": "",
    }
    planned = planned_follow_up(child) if child is not None else None
    if planned is not None:
        values["when"] = short_moment(planned.due_at, turn.leader.rhythm.zone)
    texts = {
        Next.ADD_CHILD: _("Set-up: add who bullies or joins in"),
        Next.ASK_CONSENT: _("Step 1: ask %(victim)s's permission"),
        Next.CONSENT_DECLINED: _("Step 1: %(victim)s did not agree (yet)"),
        Next.RECORD_MAY_TELL: _("Step 1: write down what you may tell"),
        Next.PREPARE_CONVERSATION: _("Step 2: prepare the talk with %(child)s"),
        Next.CHOOSE_FEELING: _("Step 2: prepare the talk with %(child)s"),
        Next.HOLD_CONVERSATION: _("Step 2: hold the talk with %(child)s"),
        Next.PLAN_FOLLOW_UP: _("Step 3: plan the next follow-up with %(child)s"),
        Next.REPORT_BACK: _("Step 2: report back to %(victim)s on the talk with %(child)s"),
        Next.RECORD_FOLLOW_UP: _("Step 3: how did the follow-up with %(child)s go?"),
        Next.FOLLOW_UP: _("Step 3: follow-up with %(child)s on %(when)s"),
        Next.CLOSED: _("Closed"),
    }
    return texts[step.what] % values + step1_waiting.next_note(turn, case, step)


def case_list(turn: Turn, cases: Sequence[Case], total: int, offset: int) -> None:
    """A page of open cases, each with where it stands; tapping one opens it."""
    if total == 0:
        turn.show(
            _("You have no open cases. Start one with /new."),
            [[(_("➕ New case"), MenuPress(Menu.NEW))]],
        )
        return
    lines = [
        f"{offset + n}. {name(case.victim_nickname)} — "
        + describe_next(turn, case, next_step(case, turn.now))
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
                "\n".join(lines),
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
        consent += " — " + _("reminder on %(when)s") % {
            "when": short_moment(reminder.due_at, turn.leader.rhythm.zone)
        }
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
        parts.append(
            _("Next follow-up: %(when)s")
            % {"when": short_moment(planned.due_at, turn.leader.rhythm.zone)}
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
    lines.append(_("<b>Next:</b> %(next)s") % {"next": describe_next(turn, case, step)})
    rows: Rows = []
    if step.what is not Next.CLOSED:
        rows.append([(_("▶️ Continue"), case_button(case.id, events.Continue(0)))])
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
    """What closing would leave undone: promises to report back, planned follow-ups."""
    victim = name(case.victim_nickname)
    lines = []
    for child in case.children:
        values = {"victim": victim, "child": name(child.nickname)}
        if report_back_open(child):
            lines.append(
                _("You have not reported back to %(victim)s on the talk with %(child)s yet.")
                % values
            )
        planned = planned_follow_up(child)
        if planned is not None:
            values["when"] = short_moment(planned.due_at, turn.leader.rhythm.zone)
            lines.append(_("A follow-up with %(child)s is planned on %(when)s.") % values)
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
