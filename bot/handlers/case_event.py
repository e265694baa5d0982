"""One event in a case: the protocol decides, the rows change, the next screens are drawn."""

from __future__ import annotations

import logging

from bot.screens.reply import show
from bot.storage.cases import CaseRows
from bot.storage.history import record
from bot.storage.models import Case
from bot.storage.notices import tell
from bot.turn import Turn
from flows import protocol
from flows.events import Event
from flows.history import HistoryKind
from flows.moment import Moment

log = logging.getLogger(__name__)

#: Changes in a case that each leader it touches is told about, when another made them.
TOLD = (HistoryKind.CONSENT, HistoryKind.ROLE)


async def act(turn: Turn, case: Case, event: Event) -> None:
    """Let the protocol handle ``event`` in ``case``, save, and show what comes next.

    The lines the event adds to the case's history are written with the leader who
    sent it (the protocol's records do not say who recorded them).
    """
    records = CaseRows(turn.session)
    reply = protocol.handle(case, event, Moment(turn.now, turn.leader.rhythm, records))
    if not reply.accepted:
        log.info(
            "event refused where the case stands: leader=%s case=%s event=%s",
            turn.leader.id,
            case.id,
            type(event).__name__,
        )
    await records.flush()
    for line in reply.history:
        written = record(
            turn.session,
            case.id,
            line.kind,
            turn.leader.id,
            turn.now,
            child_id=line.child_id,
            detail=line.detail,
        )
        if line.kind in TOLD and line.child_id is not None:
            # What may be told, or what a child did, changed: the case's own leader and
            # whoever follows the child up hear it, unless they changed it themselves.
            child = next((c for c in case.children if c.id == line.child_id), None)
            touched = [case.leader_id, child.responsible_id if child else None]
            await tell(turn.session, [i for i in touched if i != turn.leader.id], written, turn.now)
    show(turn, case, reply)
