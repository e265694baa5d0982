"""/privacy, /export and /delete."""

from __future__ import annotations

import json

from bot import states
from bot.callback_data import PrivacyPress
from bot.screens import menu
from bot.screens import privacy as screens
from bot.storage import privacy
from bot.turn import Turn, leader_turn


@leader_turn
async def privacy_command(turn: Turn) -> object:
    """/privacy: a short plain statement."""
    screens.statement(turn)
    return None


@leader_turn
async def export_command(turn: Turn) -> object:
    """/export: all the leader's data as a file in the chat."""
    data = await privacy.export(turn.session, turn.leader)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    filename = f"pestgesprek-{turn.now.date().isoformat()}.json"
    turn.send_file(content, filename, screens.export_caption())
    return None


@leader_turn
async def delete_command(turn: Turn) -> object:
    """/delete: asks first."""
    screens.confirm_delete(turn)
    return states.IDLE


@leader_turn
async def delete_pressed(turn: Turn) -> object:
    """Erase everything, or keep it."""
    pressed = turn.callback
    if not isinstance(pressed, PrivacyPress) or pressed.action not in ("erase", "keep"):
        menu.outdated(turn)
        return None
    if pressed.action == "keep":
        screens.kept(turn)
        return None
    await privacy.erase_leader(turn.session, turn.leader)
    turn.session.expunge(turn.leader)
    screens.erased(turn)
    return states.IDLE
