"""The quick check: stateless, the ticks travel in the buttons' callback data."""

from __future__ import annotations

from bot.callback_data import CheckAnswer, CheckEdit, CheckStartCase, CheckToggle
from bot.handlers import case
from bot.screens import check, menu
from bot.storage import leaders
from bot.turn import Turn, leader_turn
from flows.criteria import Criterion, from_mask, toggle
from flows.replies import Awaiting


def open_checklist(turn: Turn) -> None:
    """An empty checklist."""
    leaders.place(turn.leader, Awaiting.NOTHING)
    check.checklist(turn, 0)


@leader_turn
async def command(turn: Turn) -> None:
    """/criteria: the checklist, nothing ticked."""
    open_checklist(turn)


def _valid_mask(mask: int) -> bool:
    try:
        from_mask(mask)
    except ValueError:
        return False
    return True


@leader_turn
async def pressed(turn: Turn) -> None:
    """A tap on the checklist or on its answer."""
    match turn.callback:
        case CheckToggle(mask=mask, criterion=criterion) if _valid_mask(mask) and criterion in set(
            Criterion
        ):
            check.checklist(turn, toggle(mask, Criterion(criterion)))
        case CheckEdit(mask=mask) if _valid_mask(mask):
            check.checklist(turn, mask)
        case CheckAnswer(mask=mask) if _valid_mask(mask):
            check.answer(turn, mask)
        case CheckStartCase(mask=mask) if _valid_mask(mask):
            await case.begin(turn, mask)
        case _:
            menu.outdated(turn)
