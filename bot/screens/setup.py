"""Setting up a case: who is bullied, and who bullies or joins in."""

from __future__ import annotations

from bot import states
from bot.callback_data import Act, CaseButton
from bot.screens.format import name, title
from bot.storage.leaders import point_at
from bot.storage.models import Case, Child
from bot.turn import Turn
from flows.case import CHILDREN_PER_CASE_MAX, NICKNAME_MAX, ROLE_TEXT, Role
from flows.language import _


def nickname_advice() -> str:
    """Why a nickname is enough, said where a leader first types a name."""
    return _(
        "A nickname or initials are enough: I only need to tell the children apart. "
        "Please don't type a full name, age, school or anything else — the less is "
        "stored about a child, the better."
    )


def ask_victim(turn: Turn) -> str:
    """Ask for the nickname of the child who is bullied."""
    point_at(turn.leader, None)
    turn.say(
        "\n\n".join(
            [
                title(_("New case")),
                _("What do you call the child who is bullied?"),
                nickname_advice(),
            ]
        )
    )
    return states.VICTIM_NAME


def ask_child(turn: Turn, case: Case) -> str:
    """Ask for the nickname of (another) child who bullies or joins in."""
    point_at(turn.leader, case.id)
    if case.children:
        question = _("What do you call the next child who bullies or joins in?")
    else:
        question = _("Who bullies or joins in? Type the nickname or initials of one child.")
    turn.say(question + "\n\n" + _("One child at a time: you can add more after this one."))
    return states.CHILD_NAME


def nickname_refused(turn: Turn) -> None:
    """A typed nickname that is empty or too long."""
    turn.say(
        _("Please type a nickname or initials of at most %(max)d characters.")
        % {"max": NICKNAME_MAX}
    )


def ask_role(turn: Turn, case: Case, child: Child) -> None:
    """Does this child bully or join in?"""
    turn.say(
        _("Does %(child)s bully, or join in?") % {"child": name(child.nickname)},
        [
            [
                (_("Bullies"), CaseButton(Act.ROLE, case.id, child.id, Role.PESTER)),
                (_("Joins in"), CaseButton(Act.ROLE, case.id, child.id, Role.MEEPESTER)),
            ]
        ],
    )


def children_so_far(turn: Turn, case: Case) -> None:
    """Who is in the case so far, and whether there is another child."""
    lines = [f"• {name(c.nickname)} ({_(ROLE_TEXT[Role(c.role)])})" for c in case.children]
    rows = []
    if len(case.children) < CHILDREN_PER_CASE_MAX:
        rows.append([(_("➕ Another child"), CaseButton(Act.ADD_CHILD, case.id))])
    rows.append([(_("✅ That's everyone: go to step 1"), CaseButton(Act.SETUP_DONE, case.id))])
    turn.show(
        "\n\n".join(
            [
                _("Children who bully or join in, in the case of %(victim)s:")
                % {"victim": name(case.victim_nickname)}
                + "\n"
                + "\n".join(lines),
                _("Is there another child who bullies or joins in?"),
            ]
        ),
        rows,
    )
