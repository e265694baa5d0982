"""Commands and buttons that are not about one case: start, help, cancel, the main menu."""

from __future__ import annotations

from bot import states
from bot.callback_data import Menu, MenuPress
from bot.handlers import case_list, quick_check, setup
from bot.screens import menu
from bot.turn import Turn, button_value, leader_turn


@leader_turn
async def start(turn: Turn) -> object:
    """/start: what the bot is for and the three jobs."""
    menu.welcome(turn)
    return states.IDLE


@leader_turn
async def show_help(turn: Turn) -> object:
    """/help: the commands. Whatever the leader was typing, they can go on typing it."""
    menu.help_text(turn)
    return None


@leader_turn
async def cancel(turn: Turn) -> object:
    """/cancel: leave the flow; what was saved stays saved."""
    menu.cancelled(turn)
    return states.IDLE


@leader_turn
async def menu_pressed(turn: Turn) -> object:
    """A button of the main menu."""
    pressed = button_value(turn, MenuPress)
    if pressed is None:
        menu.outdated(turn)
        return None
    match pressed.item:
        case Menu.CHECK:
            return await quick_check.open_checklist(turn)
        case Menu.NEW:
            return await setup.begin(turn, None)
        case Menu.CASES:
            return await case_list.first_page(turn)
        case Menu.HELP:
            menu.help_text(turn)
            return None
    menu.welcome(turn)
    return states.IDLE


@leader_turn
async def off_script(turn: Turn) -> object:
    """A message nothing expects: an unknown command, a photo, or text while none is awaited.

    The leader stays where they were: a typed answer the bot waits for can still come.
    """
    message = turn.update.effective_message
    if message is None:
        return None
    if message.text and message.text.startswith("/"):
        menu.unknown_command(turn)
    elif not message.text:
        menu.text_only(turn)
    else:
        menu.nothing_expected(turn)
    return None
