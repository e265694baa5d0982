"""/privacy, /export and /delete."""

from __future__ import annotations

import functools
import json

from bot.callback_data import Erasure, PrivacyPress
from bot.handlers import history
from bot.screens import history as history_screens
from bot.screens import privacy as screens
from bot.screens import team as team_screens
from bot.storage import erasure, privacy
from bot.turn import Turn, leader_turn
from flows.language import _


@leader_turn
async def privacy_command(turn: Turn) -> None:
    """/privacy: a short plain statement."""
    screens.statement(turn)


@leader_turn
async def export_command(turn: Turn) -> None:
    """/export: all the leader's data as a file in the chat."""
    data = await privacy.export(turn.session, turn.leader)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    filename = f"pestgesprek-{turn.now.date().isoformat()}.json"
    turn.send_file(content, filename, screens.export_caption())
    # Each case's history (who did what when) as a document to print or pass on.
    document, document_name = await history.export_document(turn)
    turn.send_file(document, f"{document_name}.html", history_screens.export_caption())
    turn.send_rendered(
        functools.partial(history_screens.pdf_of, document),
        f"{document_name}.pdf",
        _("The same document as a PDF."),
    )


@leader_turn
async def delete_command(turn: Turn) -> None:
    """/delete: asks first, saying what happens to shared cases and teams."""
    plan = await erasure.erasure_plan(turn.session, turn.leader.id)
    if plan.needs_coordinator:
        # As before leaving: the team is not left without a coordinator.
        team_screens.coordinator_first(turn, plan.needs_coordinator)
        return
    team_screens.before_erasure(turn, plan)
    screens.confirm_delete(turn)


@leader_turn
async def delete_pressed(turn: Turn) -> None:
    """Erase everything, or keep it."""
    pressed = turn.callback
    assert isinstance(pressed, PrivacyPress)
    if pressed.action is Erasure.KEEP:
        screens.kept(turn)
        return
    if not await erasure.before_erasure(turn.session, turn.leader.id, turn.now):
        plan = await erasure.erasure_plan(turn.session, turn.leader.id)
        team_screens.coordinator_first(turn, plan.needs_coordinator)
        return
    await privacy.erase_leader(turn.session, turn.leader)
    turn.session.expunge(turn.leader)
    screens.erased(turn)
