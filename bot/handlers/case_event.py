"""One event in a case: the protocol decides, the rows change, the next screens are drawn."""

from __future__ import annotations

import logging

from bot.screens.reply import show
from bot.storage import history
from bot.storage.cases import CaseRows
from bot.storage.models import Case
from bot.turn import Turn
from flows import protocol

log = logging.getLogger(__name__)


async def act(turn: Turn, case: Case, event: protocol.Event) -> None:
    """Let the protocol handle ``event`` in ``case``, save, and show what comes next."""
    records = CaseRows(turn.session)
    moment = protocol.Moment(turn.now, turn.leader.rhythm, records)
    before = history.snapshot(case)
    reply = protocol.handle(case, event, moment)
    if not reply.accepted:
        log.info(
            "event refused where the case stands: leader=%s case=%s event=%s",
            turn.leader.id,
            case.id,
            type(event).__name__,
        )
    await records.flush()
    history.note_changes(turn.session, case, before, turn.leader.id, turn.now)
    show(turn, case, reply)
