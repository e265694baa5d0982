"""/language: switch the language, even half-way through a step."""

from __future__ import annotations

from bot.callback_data import LanguagePress
from bot.screens import language as screens
from bot.screens import menu
from bot.storage import cases
from bot.turn import Turn, leader_turn
from flows.language import SUPPORTED_LANGUAGES, set_language


@leader_turn
async def language_command(turn: Turn) -> None:
    """/language: the choice. Whatever the leader was typing, they can go on typing it."""
    screens.choose(turn)


@leader_turn
async def chosen(turn: Turn) -> None:
    """A language button: remembered, and used from this very answer on."""
    pressed = turn.callback
    if not isinstance(pressed, LanguagePress) or pressed.code not in SUPPORTED_LANGUAGES:
        menu.outdated(turn)
        return
    turn.leader.language = pressed.code
    set_language(pressed.code)
    case = await cases.owned_case(turn.session, turn.leader, turn.leader.active_case_id)
    screens.switched(turn, case.id if case is not None and case.closed_at is None else None)
