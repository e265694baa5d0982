"""What is next in a case, for every open child, in time order: the lines and the buttons.

Each line names the child and the moment it waits for; a moment that has passed is
said to be due since then, never shown as if it were coming. A button opens what is
due for one child with one tap (:class:`flows.events.ContinueWith`).
"""

from __future__ import annotations

from datetime import datetime

from bot.callback_data import case_button
from bot.screens.format import name, short_moment
from bot.storage.models import Case
from bot.turn import Rows, Turn
from flows import events
from flows.case import (
    Next,
    NextItem,
    NextStep,
    asked_unanswered,
    first_due,
    follow_up_repeat,
    open_reminder,
)
from flows.follow_up import ReminderKind
from flows.language import N_, _

#: Each next thing, in a line of the case's list.
LINE_TEXT: dict[Next, str] = {
    Next.ADD_CHILD: N_("Set-up: add who bullies or joins in"),
    Next.ASK_CONSENT: N_("Step 1: ask %(victim)s about a talk with %(child)s"),
    Next.CONSENT_DECLINED: N_("Step 1: %(victim)s does not agree (yet) to a talk with %(child)s"),
    Next.RECORD_MAY_TELL: N_("Step 1: write down what you may tell %(child)s"),
    Next.PREPARE_CONVERSATION: N_("Step 2: prepare the talk with %(child)s"),
    Next.CHOOSE_FEELING: N_("Step 2: prepare the talk with %(child)s"),
    Next.HOLD_CONVERSATION: N_("Step 2: hold the talk with %(child)s"),
    Next.PLAN_FOLLOW_UP: N_("Step 3: plan the next follow-up with %(child)s"),
    Next.REPORT_BACK: N_("Step 2: report back to %(victim)s on the talk with %(child)s"),
    Next.RECORD_FOLLOW_UP: N_("Step 3: how did the follow-up with %(child)s go?"),
    Next.FOLLOW_UP: N_("Step 3: follow-up with %(child)s on %(when)s"),
    Next.CLOSED: N_("Closed"),
}

#: Each next thing, short, on the button that opens it.
BUTTON_TEXT: dict[Next, str] = {
    Next.ASK_CONSENT: N_("ask %(victim)s"),
    Next.CONSENT_DECLINED: N_("ask %(victim)s again"),
    Next.RECORD_MAY_TELL: N_("what you may tell"),
    Next.PREPARE_CONVERSATION: N_("prepare the talk"),
    Next.CHOOSE_FEELING: N_("prepare the talk"),
    Next.HOLD_CONVERSATION: N_("the talk"),
    Next.PLAN_FOLLOW_UP: N_("plan the follow-up"),
    Next.REPORT_BACK: N_("report back to %(victim)s"),
    Next.RECORD_FOLLOW_UP: N_("the follow-up"),
}


def _nickname(case: Case, item: NextItem) -> str:
    return next((c.nickname for c in case.children if c.id == item.child_id), "")


def item_line(turn: Turn, case: Case, item: NextItem) -> str:
    """One child's next thing, with its moment: coming, or due since when."""
    zone = turn.leader.rhythm.zone
    values = {
        "victim": name(case.victim_nickname),
        "child": name(_nickname(case, item)),
        "when": "" if item.at is None else short_moment(item.at, zone),
    }
    line = _(LINE_TEXT[item.what]) % values
    if item.at is None or item.what is Next.FOLLOW_UP:
        return line
    line += " — " + moment_note(turn, item.at)
    child = next((c for c in case.children if c.id == item.child_id), None)
    if child is None:
        return line
    if item.what is Next.RECORD_FOLLOW_UP:
        again = follow_up_repeat(child)
    elif item.what in _ASKED_AGAIN:
        reminder = open_reminder(child, _ASKED_AGAIN[item.what])
        again = reminder if asked_unanswered(reminder, turn.now) else None
    else:
        again = None
    if again is not None and again.due_at > turn.now:
        # Its reminder went unanswered: the moment it is asked again.
        line += ", " + moment_note(turn, again.due_at)
    return line


#: The items whose reminder, sent and not answered, is asked again later.
_ASKED_AGAIN = {
    Next.ASK_CONSENT: ReminderKind.STEP1,
    Next.CONSENT_DECLINED: ReminderKind.STEP1,
    Next.REPORT_BACK: ReminderKind.REPORT_BACK,
}


def passed_line(turn: Turn, case: Case, what: Next, child_id: int, at: datetime) -> str | None:
    """A screen's reminder moment that has passed, as the case's list says it ("due since
    …"); ``None`` while it is still coming (the screen says when it comes)."""
    if at > turn.now:
        return None
    return "🔔 " + item_line(turn, case, NextItem(what, child_id, at))


def moment_note(turn: Turn, at: datetime) -> str:
    """A reminder's moment in a list: "reminder on …", or "due since …" once it passed."""
    when = short_moment(at, turn.leader.rhythm.zone)
    if at > turn.now:
        return _("reminder on %(when)s") % {"when": when}
    return _("due since %(when)s") % {"when": when}


def item_button_text(case: Case, item: NextItem) -> str:
    """What is due for one child, short: "ask Noor again", "the follow-up"."""
    return _(BUTTON_TEXT[item.what]) % {"victim": case.victim_nickname}


def item_row(case: Case, item: NextItem) -> Rows:
    """The button that opens what is due for one child, in the case's own list."""
    label = _("▶️ %(child)s: %(what)s") % {
        "child": _nickname(case, item),
        "what": item_button_text(case, item),
    }
    return [[(label, case_button(case.id, events.ContinueWith(item.child_id)))]]


def continue_text(case: Case, step: NextStep) -> str:
    """The case's "Continue" button, saying for whom and what when it is about a child."""
    if step.child_id is None or step.what not in BUTTON_TEXT:
        return _("▶️ Continue")
    return _("▶️ Continue with %(child)s: %(what)s") % {
        "child": next((c.nickname for c in case.children if c.id == step.child_id), ""),
        "what": _(BUTTON_TEXT[step.what]) % {"victim": case.victim_nickname},
    }


def way_on(turn: Turn, case: Case, besides: int | None = None) -> Rows:
    """After a screen that ends a step for one child: a button to the next thing due in
    the case (for another child), if there is one."""
    if case.closed_at is not None:
        return []
    item = first_due(case, turn.now, besides)
    if item is None or item.what not in BUTTON_TEXT:
        return []
    label = _("▶️ Go on with %(child)s: %(what)s") % {
        "child": _nickname(case, item),
        "what": item_button_text(case, item),
    }
    return [[(label, case_button(case.id, events.ContinueWith(item.child_id)))]]
