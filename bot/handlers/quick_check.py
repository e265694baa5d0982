"""The quick check: stateless, the ticks travel in the buttons' callback data."""

from __future__ import annotations

from bot import states
from bot.callback_data import CheckAnswer, CheckEdit, CheckStartCase, CheckToggle
from bot.handlers import setup
from bot.screens import check, menu
from bot.turn import Turn, leader_turn
from flows.criteria import Criterion, from_mask, toggle


async def open_checklist(turn: Turn) -> object:
    """An empty checklist."""
    check.checklist(turn, 0)
    return states.IDLE


@leader_turn
async def criteria_command(turn: Turn) -> object:
    """/criteria: the checklist, nothing ticked."""
    return await open_checklist(turn)


def _valid_mask(mask: int) -> bool:
    try:
        from_mask(mask)
    except ValueError:
        return False
    return True


@leader_turn
async def pressed(turn: Turn) -> object:
    """A tap on the checklist or on its answer."""
    value = turn.callback
    match value:
        case CheckToggle(mask=mask, criterion=criterion) if _valid_mask(mask) and criterion in set(
            Criterion
        ):
            check.checklist(turn, toggle(mask, Criterion(criterion)))
        case CheckEdit(mask=mask) if _valid_mask(mask):
            check.checklist(turn, mask)
        case CheckAnswer(mask=mask) if _valid_mask(mask):
            check.answer(turn, mask)
        case CheckStartCase(mask=mask) if _valid_mask(mask):
            return await setup.begin(turn, mask)
        case _:
            menu.outdated(turn)
    return None
