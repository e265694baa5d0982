"""Commands that are not about one case: start and cancel, and messages nothing expects."""

from __future__ import annotations

from bot.screens import menu
from bot.storage import leaders
from bot.turn import Turn, leader_turn
from flows.replies import Awaiting


@leader_turn
async def start(turn: Turn) -> None:
    """/start: what the bot is for and the three jobs."""
    leaders.place(turn.leader, Awaiting.NOTHING)
    menu.welcome(turn)


@leader_turn
async def cancel(turn: Turn) -> None:
    """/cancel: leave the flow; what was saved stays saved."""
    leaders.place(turn.leader, Awaiting.NOTHING)
    menu.cancelled(turn)


@leader_turn
async def off_script(turn: Turn) -> None:
    """A message nothing expects: an unknown command, a photo, or text while none is awaited.

    The leader stays where they were: a typed answer the bot waits for can still come.
    """
    message = turn.update.effective_message
    if message is None:
        return
    if message.text and message.text.startswith("/"):
        menu.unknown_command(turn)
    else:
        menu.text_only(turn)


@leader_turn
async def outdated_button(turn: Turn) -> None:
    """A button whose data is not (or no longer) one of ours."""
    menu.outdated(turn)
