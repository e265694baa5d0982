"""/language: the leader picks the language the bot speaks."""

from __future__ import annotations

from bot.callback_data import LanguagePress
from bot.turn import Turn
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


def switched(turn: Turn) -> None:
    """Said in the new language."""
    turn.show(
        _(
            "From now on I speak English with you. If you were in the middle of something, "
            "just go on where you were."
        )
    )
