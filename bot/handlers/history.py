"""A case's history: shown in the case, sent as a document, and part of /export.

The case is found through ``visible_case`` at the press: its own leader and the
co-leaders it is shared with see its history, nobody else.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from html import escape

from sqlalchemy import select

from bot.screens import history as screens
from bot.screens import menu
from bot.storage import cases, history, teams
from bot.storage.models import Case, CaseEvent, CaseShare
from bot.team_callbacks import CaseHistory, CaseHistoryDocument
from bot.turn import Turn, leader_turn
from flows.language import _

log = logging.getLogger(__name__)


async def _names(turn: Turn, events: Sequence[CaseEvent], team_ids: set[int]) -> screens.Names:
    leader_ids = {i for e in events for i in (e.actor_id, e.other_id) if i is not None}
    known = await history.names(turn.session, leader_ids | {turn.leader.id})
    if turn.leader.id not in known:
        user = turn.update.effective_user
        known[turn.leader.id] = teams.display_name(user.first_name if user else None)
    team_ids |= {e.team_id for e in events if e.team_id is not None}
    return screens.Names(known, await history.team_names(turn.session, team_ids))


async def _team_line(turn: Turn, case_ids: list[int]) -> str:
    """The teams the cases are shared in; else the leader's own teams."""
    shared_in = set(
        (
            await turn.session.scalars(
                select(CaseShare.team_id).where(CaseShare.case_id.in_(case_ids))
            )
        ).all()
    )
    if not shared_in:
        shared_in = {m.team_id for m in await teams.teams_of(turn.session, turn.leader.id)}
    named = await history.team_names(turn.session, shared_in)
    if not named:
        return _("No team.")
    return _("Team: %(teams)s.") % {"teams": ", ".join(escape(n) for n in sorted(named.values()))}


async def case_entries(turn: Turn, case: Case) -> list[screens.Entry]:
    """The case's history as lines for this leader in the chat."""
    events = await history.timeline(turn.session, case.id)
    names = await _names(turn, events, set())
    return screens.entries(case, events, names, cut=screens.AGREEMENT_IN_CHAT)


async def document_of(turn: Turn, found: Sequence[Case], heading: str) -> bytes:
    """One print-ready document with the case file of each of ``found``."""
    sections = []
    for case in found:
        section = escape(case.victim_nickname)
        if case.closed_at is not None:
            section += " — " + _("closed")
        events = await history.timeline(turn.session, case.id)
        found_lines = screens.entries(case, events, await _names(turn, events, set()))
        sections.append(screens.CaseSection(section, case, found_lines, events))
    team_line = await _team_line(turn, [c.id for c in found])
    return screens.document(turn, heading, team_line, sections)


@leader_turn
async def pressed(turn: Turn) -> None:
    """The history of a case, or its document."""
    press = turn.callback
    assert isinstance(press, CaseHistory | CaseHistoryDocument)
    case = await cases.visible_case(turn.session, turn.leader, press.case_id)
    if case is None:
        log.info("history button for a case not found: leader=%s", turn.leader.id)
        menu.not_found(turn)
        return
    if isinstance(press, CaseHistory):
        screens.history_screen(turn, case, await case_entries(turn, case))
        return
    heading = _("History of the case of %(victim)s") % {"victim": escape(case.victim_nickname)}
    data = await document_of(turn, [case], heading)
    filename = f"pestgesprek-history-{case.id}-{turn.now.date().isoformat()}"
    turn.send_file(data, f"{filename}.html", _("The history of the case, ready to print."))
    turn.send_rendered(
        functools.partial(screens.pdf_of, data), f"{filename}.pdf", _("The same document as a PDF.")
    )


async def export_document(turn: Turn) -> tuple[bytes, str]:
    """The history of every case of the leader, for /export, as HTML, and the file's name
    without its extension (the PDF is rendered from it: ``screens.pdf_of``)."""
    own = (await turn.session.scalars(select(Case).where(Case.leader_id == turn.leader.id))).all()
    data = await document_of(turn, own, _("History of my cases"))
    return data, f"pestgesprek-history-{turn.now.date().isoformat()}"
