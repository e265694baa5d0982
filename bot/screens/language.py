"""/language: the leader picks the language the bot speaks."""

from __future__ import annotations

from bot.callback_data import LanguagePress, Menu, MenuPress, case_button
from bot.turn import Keyboard, Turn
from flows import events
from flows.language import SUPPORTED_LANGUAGES, _, native_name


def choose(turn: Turn) -> None:
    """One button per language, named in itself so a leader finds their own; the current one
    is marked."""
    rows = [
        [
            (
                ("✅ " if code == turn.leader.language else "") + native_name(code),
                LanguagePress(code),
            )
        ]
        for code in SUPPORTED_LANGUAGES
    ]
    turn.show(_("Which language shall I speak?"), rows)


def switched(turn: Turn, case_id: int | None) -> None:
    """Said in the new language, with a way back to the case the leader was in."""
    back: Keyboard = (
        [[(_("▶️ Continue"), case_button(case_id, events.Continue(0)))]]
        if case_id is not None
        else [[(_("🏠 Main menu"), MenuPress(Menu.HOME))]]
    )
    turn.show(
        _(
            "From now on I speak English with you. If you were in the middle of something, "
            "just go on where you were."
        ),
        back,
    )
