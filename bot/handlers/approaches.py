"""Other approaches from the quick check, and No Blame's short check: stateless, like it."""

from __future__ import annotations

from bot.callback_data import (
    Background,
    CheckApproach,
    NoBlameAnswer,
    NoBlameShow,
    NoBlameToggle,
    Why,
)
from bot.screens import approaches, escalation, menu
from bot.turn import Turn, leader_turn
from flows.approaches import NO_BLAME_FULL_MASK, NoBlameCheck
from flows.criteria import FULL_MASK


def _valid(mask: int, checked: int = 0) -> bool:
    return 0 <= mask <= FULL_MASK and 0 <= checked <= NO_BLAME_FULL_MASK


@leader_turn
async def pressed(turn: Turn) -> None:
    """A tap on an approach from the quick check, on No Blame's short check, or on "Why?"."""
    match turn.callback:
        case CheckApproach(mask=mask, approach=approach) if _valid(mask):
            approaches.approach_from_check(turn, mask, approach)
        case NoBlameShow(mask=mask, checked=checked) if _valid(mask, checked):
            approaches.no_blame_check(turn, mask, checked)
        case NoBlameToggle(mask=mask, checked=checked, item=item) if _valid(
            mask, checked
        ) and item in set(NoBlameCheck):
            approaches.no_blame_check(turn, mask, checked ^ (1 << item))
        case NoBlameAnswer(mask=mask, checked=checked) if _valid(mask, checked):
            approaches.no_blame_answer(turn, mask, checked)
        case Why(topic=Background.NEXT_STEPS):
            escalation.why_next_steps(turn)
        case _:
            menu.outdated(turn)
