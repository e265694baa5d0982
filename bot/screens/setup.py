"""Setting up a case: who is bullied, and who bullies or joins in."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.callback_data import KeepFirstPart, TakeRest, case_button
from bot.screens.format import name, title, typed
from bot.storage.models import Case, Child
from bot.turn import Keyboard, Turn
from flows import events
from flows.case import (
    CHILDREN_PER_CASE_MAX,
    ELLIPSIS,
    NICKNAME_MAX,
    ROLE_NOT_CHOSEN,
    ROLE_TEXT,
    ChildRecord,
    Role,
    role_of,
)
from flows.language import _, babel_locale
from flows.replies import Shown


def nickname_advice() -> str:
    """Why a nickname is enough, said where a leader first types a name."""
    return _(
        "A nickname or initials are enough: I only need to tell the children apart. "
        "Please don't type a full name, age, school or anything else — the less is "
        "stored about a child, the better."
    )


def ask_victim(
    turn: Turn, case: Case | None = None, child: Child | None = None, shown: Shown | None = None
) -> None:
    """Ask for the nickname of the child who is bullied."""
    turn.say(
        "\n\n".join(
            [
                title(_("New case")),
                _("What do you call the child who is bullied?"),
                nickname_advice(),
            ]
        )
    )


def ask_child(
    turn: Turn, case: Case, child: Child | None = None, shown: Shown | None = None
) -> None:
    """Ask for the nickname of (another) child who bullies or joins in."""
    if case.children:
        question = _("What do you call the next child who bullies or joins in?")
    else:
        question = _("Who bullies or joins in? Type the nickname or initials of one child.")
    turn.say(question + "\n\n" + _("One child at a time: you can add more after this one."))


def role_text(child: ChildRecord) -> str:
    """Whether ``child`` bullies or joins in, as the leader reads it."""
    role = role_of(child)
    return _(ROLE_NOT_CHOSEN) if role is None else _(ROLE_TEXT[role])


def count(number: int) -> str:
    """A number in the leader's language: "1.200" in Dutch, "1,200" in English."""
    return format_decimal(number, locale=babel_locale())


def too_long(turn: Turn, length: int, limit: int, part: str, rest: int) -> None:
    """A typed text over its limit: kept, the part that fits shown before it is taken."""
    shown = typed(part) if part.endswith(ELLIPSIS) else typed(part) + " " + ELLIPSIS
    turn.say(
        "\n\n".join(
            [
                _(
                    "That is %(length)s characters; here it can be at most %(limit)s. "
                    "I kept what you typed. This is the part that fits:"
                )
                % {"length": count(length), "limit": count(limit)},
                shown,
                _(
                    "Take this part, and I keep the other %(rest)s characters for you. "
                    "Or type it again, shorter."
                )
                % {"rest": count(rest)},
            ]
        ),
        [[(_("✂️ Take this part"), KeepFirstPart())]],
    )


#: At most this much of a rest is shown back: with the words around it, a message stays
#: within Telegram's limit. The whole rest is kept, and taken or noted whole.
REST_SHOWN = 3000


def _shown_rest(rest: str) -> str:
    if len(rest) <= REST_SHOWN:
        return typed(rest)
    return typed(rest[:REST_SHOWN].rsplit(" ", 1)[0]) + " " + ELLIPSIS


def _where_kept(child: ChildRecord | None) -> str:
    if child is None:
        return _("The rest of what you typed, so it is not lost:")
    return _(
        "I kept the rest of what you typed as a note about %(child)s (in the case and in /export):"
    ) % {"child": name(child.nickname)}


def rest_offered(turn: Turn, rest: str, child: ChildRecord | None) -> None:
    """The rest of a text typed too long, kept as a note and offered as the next agreement."""
    turn.say(
        _where_kept(child)
        + "\n"
        + _shown_rest(rest)
        + "\n\n"
        + _("Take it as the next agreement, or send another one."),
        [[(_("➕ Take it as the next agreement"), TakeRest())]],
    )


def rest_shown(turn: Turn, rest: str, child: ChildRecord | None) -> None:
    """The rest of a text typed too long, given back and kept, so nothing typed is lost."""
    turn.say(_where_kept(child) + "\n" + _shown_rest(rest))


def nickname_taken(
    turn: Turn, case: Case | None = None, child: Child | None = None, shown: Shown | None = None
) -> None:
    """A nickname that already names a child of the case."""
    turn.say(
        _(
            "That nickname is already used in this case. Please type another one, so the "
            "children can be told apart."
        )
    )


def nickname_refused(
    turn: Turn, case: Case | None = None, child: Child | None = None, shown: Shown | None = None
) -> None:
    """A typed nickname that is empty or too long."""
    turn.say(
        _("Please type a nickname or initials of at most %(max)d characters.")
        % {"max": NICKNAME_MAX}
    )


def ask_role(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """Does this child bully or join in? (A name typed now corrects the nickname.)"""
    turn.say(
        _("Does %(child)s bully, or join in?") % {"child": name(child.nickname)}
        + "\n\n"
        + _("Typed the name wrong? Type it again and tap the role after."),
        [
            [
                (_("Bullies"), case_button(case.id, events.RoleChosen(child.id, Role.PESTER))),
                (
                    _("Joins in"),
                    case_button(case.id, events.RoleChosen(child.id, Role.MEEPESTER)),
                ),
            ]
        ],
    )


def children_so_far(
    turn: Turn, case: Case, child: Child | None = None, shown: Shown | None = None
) -> None:
    """Who is in the case so far, and whether there is another child."""
    lines = [f"• {name(c.nickname)} ({role_text(c)})" for c in case.children]
    rows: Keyboard = []
    if len(case.children) < CHILDREN_PER_CASE_MAX:
        rows = [[(_("➕ Another child"), case_button(case.id, events.AddChild(0)))]]
    everyone = case_button(case.id, events.SetupDone(0))
    rows = [*rows, [(_("✅ That's everyone: go to step 1"), everyone)]]
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
