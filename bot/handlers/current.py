"""The case and child a typed answer belongs to (the leader's pointer)."""

from __future__ import annotations

from bot.screens import menu
from bot.storage.cases import child_of, owned_case
from bot.storage.models import Case, Child
from bot.turn import Turn


async def active_case(turn: Turn) -> Case | None:
    """The open case the leader is typing for; says so when there is none."""
    case = await owned_case(turn.session, turn.leader, turn.leader.active_case_id)
    if case is None or case.closed_at is not None:
        menu.nothing_expected(turn)
        return None
    return case


async def active_child(turn: Turn) -> tuple[Case, Child] | None:
    """The open case and the child the leader is typing for."""
    case = await active_case(turn)
    if case is None:
        return None
    child = child_of(case, turn.leader.active_child_id)
    if child is None:
        menu.nothing_expected(turn)
        return None
    return case, child
