"""The main menu, the help text and the short answers that lead back to them."""

from __future__ import annotations

from bot.callback_data import Menu, MenuPress
from bot.screens.format import title
from bot.turn import Keyboard, Turn
from flows.language import _


def menu_rows() -> Keyboard:
    """The three jobs, one button each, a practice talk, and help."""
    return [
        [(_("✅ Quick check"), MenuPress(Menu.CHECK))],
        [(_("➕ New case"), MenuPress(Menu.NEW))],
        [(_("📂 My cases"), MenuPress(Menu.CASES))],
        [(_("🎭 Practise"), MenuPress(Menu.PRACTICE))],
        [(_("❓ Help"), MenuPress(Menu.HELP))],
    ]


def welcome(turn: Turn) -> None:
    """The first screen: what the bot is for and the three jobs."""
    turn.say(
        "\n\n".join(
            [
                title(_("Pestgesprek")),
                _(
                    "I help you with the one-on-one conversation with a child who bullies "
                    "or joins in bullying: check whether this approach fits, prepare the "
                    "talks in the protocol's own words, and follow up until the bullying "
                    "has stopped."
                ),
                _("What do you want to do?"),
            ]
        ),
        menu_rows(),
    )


def help_text(turn: Turn, commands: list[tuple[str, str]]) -> None:
    """The list of commands: each name and what it does."""
    turn.say(
        "\n".join([title(_("Commands")), *(f"/{name} – {what}" for name, what in commands)]),
        menu_rows(),
    )


def cancelled(turn: Turn) -> None:
    """After /cancel: nothing is lost, and how to go on."""
    turn.say(
        _("Stopped. Everything you entered is saved: continue any time with /cases."),
        menu_rows(),
    )


def nothing_expected(turn: Turn) -> None:
    """A typed message when the bot is not waiting for one."""
    turn.say(_("I am not waiting for a message right now. Pick what you want to do:"), menu_rows())


def not_found(turn: Turn) -> None:
    """A button for a case that is not (or no longer) there for this leader."""
    turn.toast(_("That case was not found."))
    turn.say(_("That case was not found. Your open cases are under /cases."), menu_rows())


def outdated(turn: Turn) -> None:
    """A button that no longer means anything."""
    turn.toast(_("This button is no longer valid."))
    turn.say(_("This button is no longer valid. Pick what you want to do:"), menu_rows())


def unknown_command(turn: Turn) -> None:
    """A command the bot does not have."""
    turn.say(_("I don't know that command. /help lists the ones I do know."))


def text_only(turn: Turn) -> None:
    """A photo, sticker or voice message: only text is read (and nothing else is kept)."""
    turn.say(_("I can only read typed text. Nothing of what you sent was kept."))
