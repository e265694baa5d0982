"""The bot's commands: one table for the handlers, Telegram's "/" menu and /help."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.callback_data import Menu, MenuPress
from bot.handlers import (
    case,
    case_list,
    language,
    menu,
    practice,
    privacy,
    quick_check,
    settings,
    team,
)
from bot.screens import menu as menu_screens
from bot.storage import leaders
from bot.turn import Context, Turn, leader_turn
from flows.language import N_, _
from flows.replies import Awaiting


@dataclass(frozen=True)
class Command:
    """A "/" command: its name, what it does in a few words, and its handler."""

    name: str
    description: str
    handler: Callable[[Update, Context], Coroutine[Any, Any, None]]


def help_screen(turn: Turn) -> None:
    """The list of commands, and the main menu."""
    menu_screens.help_text(turn, [(c.name, _(c.description)) for c in COMMANDS])


@leader_turn
async def show_help(turn: Turn) -> None:
    """/help: the commands. Whatever the leader was typing, they can go on typing it."""
    help_screen(turn)


@leader_turn
async def menu_pressed(turn: Turn) -> None:
    """A button of the main menu: the same jobs as the commands."""
    pressed = turn.callback
    assert isinstance(pressed, MenuPress)
    match pressed.item:
        case Menu.CHECK:
            quick_check.open_checklist(turn)
        case Menu.NEW:
            await case.begin(turn, None)
        case Menu.CASES:
            await case_list.show_page(turn, 0)
        case Menu.HELP:
            help_screen(turn)
        case Menu.PRACTICE:
            await practice.from_menu(turn)
        case Menu.HOME:
            leaders.place(turn.leader, Awaiting.NOTHING)
            menu_screens.welcome(turn)


#: Every command, in the order the "/" menu and /help list them.
COMMANDS: tuple[Command, ...] = (
    Command("start", N_("The main menu"), menu.start),
    Command(
        "criteria", N_("Quick check: does a one-on-one conversation fit?"), quick_check.command
    ),
    Command("new", N_("Start a new case"), case.new_command),
    Command("cases", N_("Your open cases"), case_list.cases_command),
    Command("team", N_("Your team: co-leaders and shared cases"), team.team_command),
    Command("settings", N_("Meeting day, quiet hours, time zone"), settings.settings_command),
    Command("language", N_("Choose the language"), language.language_command),
    Command("privacy", N_("What is stored, and your rights"), privacy.privacy_command),
    Command("export", N_("All your data as a file"), privacy.export_command),
    Command("delete", N_("Erase all your data"), privacy.delete_command),
    Command("cancel", N_("Stop what you are doing"), menu.cancel),
    Command("help", N_("All commands"), show_help),
)
