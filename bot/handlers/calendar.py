"""A planned follow-up talk as a file for the leader's calendar (see bot.calendar_file).

The case is found through ``visible_case`` at the press, as for its history: only who
sees the case gets the file.
"""

from __future__ import annotations

import logging

from bot import calendar_file
from bot.callback_data import CalendarFile
from bot.screens import menu
from bot.storage import cases
from bot.storage.cases import child_of
from bot.turn import Turn, leader_turn
from flows.language import _

log = logging.getLogger(__name__)


@leader_turn
async def pressed(turn: Turn) -> None:
    """The calendar file of the talk planned with one child."""
    press = turn.callback
    assert isinstance(press, CalendarFile)
    case = await cases.visible_case(turn.session, turn.leader, press.case_id)
    child = child_of(case, press.child_id) if case is not None else None
    if case is None or child is None or case.closed_at is not None:
        log.info("calendar button for a case not found: leader=%s", turn.leader.id)
        menu.not_found(turn)
        return
    if not calendar_file.send_talk(turn, case, child):
        turn.toast(_("No talk is planned with this child any more."))
