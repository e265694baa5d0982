"""The leader's cases: the list, opening one where it stands, closing."""

from __future__ import annotations

from datetime import timedelta

from bot import states
from bot.callback_data import CasesPage
from bot.screens import cases as screens
from bot.screens import menu
from bot.screens.next_step import show_next
from bot.storage import cases, reminders
from bot.storage.leaders import point_at
from bot.storage.models import Case, Child
from bot.turn import Turn, leader_turn


async def show_page(turn: Turn, offset: int) -> object:
    """One page of open cases."""
    found, total = await cases.open_cases(turn.session, turn.leader, offset, screens.PAGE_SIZE)
    if offset and not found and total:
        return await show_page(turn, 0)
    point_at(turn.leader, None)
    screens.case_list(turn, found, total, offset)
    return states.IDLE


async def first_page(turn: Turn) -> object:
    """The first page of open cases."""
    return await show_page(turn, 0)


@leader_turn
async def cases_command(turn: Turn) -> object:
    """/cases: the open cases with where each stands."""
    return await first_page(turn)


@leader_turn
async def page_pressed(turn: Turn) -> object:
    """Previous / next page."""
    if not isinstance(turn.callback, CasesPage) or turn.callback.offset < 0:
        menu.outdated(turn)
        return None
    return await show_page(turn, turn.callback.offset)


async def open_case(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """A case at a glance."""
    point_at(turn.leader, case.id)
    screens.overview(turn, case)
    return states.IDLE


async def continue_case(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Straight to the next thing to do."""
    return show_next(turn, case)


async def keep_open(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """The case stays open: that counts as activity."""
    case.updated_at = turn.now
    screens.overview(turn, case)
    return states.IDLE


async def close_asked(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Closing needs a confirmation."""
    screens.confirm_close(turn, case)
    return states.IDLE


async def close_confirmed(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Close the case."""
    case.closed_at = turn.now
    case.updated_at = turn.now
    await reminders.erase_all(turn.session, case)
    point_at(turn.leader, None)
    erase_on = turn.now + timedelta(days=turn.settings.retention_closed_days)
    screens.closed(turn, case, erase_on)
    return states.IDLE
