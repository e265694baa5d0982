"""The leader's cases: the list, page by page."""

from __future__ import annotations

from bot.callback_data import CasesPage
from bot.screens import cases as screens
from bot.storage import cases, leaders
from bot.turn import Turn, leader_turn
from flows.replies import Awaiting


async def show_page(turn: Turn, offset: int) -> None:
    """One page of open cases."""
    found, total = await cases.open_cases(turn.session, turn.leader, offset, screens.PAGE_SIZE)
    if offset and not found and total:
        await show_page(turn, 0)
        return
    leaders.place(turn.leader, Awaiting.NOTHING)
    screens.case_list(turn, found, total, offset)


@leader_turn
async def cases_command(turn: Turn) -> None:
    """/cases: the open cases with where each stands."""
    await show_page(turn, 0)


@leader_turn
async def page_pressed(turn: Turn) -> None:
    """Previous / next page."""
    assert isinstance(turn.callback, CasesPage)
    await show_page(turn, turn.callback.offset)
