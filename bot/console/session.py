"""``python -m bot console``: the bot in a terminal, for trying it without a Telegram token.

The Application, its handlers, texts, storage and reminders are the bot's own;
only the Bot API is answered inside the process (``bot.console.local_bot_api``)
and the leader is whoever types here. What is typed becomes a Telegram update;
a number presses a button of the newest message, when it has buttons; a line
starting with ``:`` speaks to the console itself (moving the clock to see reminders).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import shutil
import sys
import textwrap
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application

from bot.application import build_application
from bot.console.local_bot_api import CONSOLE_CHAT_ID, LocalBotApi, ShownMessage
from bot.console.terminal import button_lines, html_to_text, indent, wants_colour
from bot.screens.format import local_moment
from bot.settings import Settings, default_database_url
from bot.storage import reminders
from bot.storage.database import Database
from bot.storage.models import Leader
from flows.follow_up_timing import DEFAULT_TIME_ZONE
from flows.language import _, pick_language, using_language

PROMPT = "› "
#: The console's database file, in the ``data`` folder beside the bot's own.
CONSOLE_DATABASE = "console.sqlite3"
#: The bar in front of the bot's messages, like a chat bubble's edge.
BAR = "┃ "
#: Units of ``:wait``: weeks, days, hours, minutes.
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_AMOUNT = re.compile(r"(\d+)\s*([wdhm])", re.IGNORECASE | re.ASCII)
#: A button's number (ASCII digits only: "²" is text).
_NUMBER = re.compile(r"[0-9]{1,4}")


@dataclass
class ConsoleClock:
    """The wall clock, moved ahead by ``:wait``."""

    ahead: timedelta = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def move_to(self, moment: datetime) -> None:
        """Set the clock to ``moment`` (never backwards)."""
        self.ahead = max(self.ahead, moment - datetime.now(UTC))


def parse_wait(text: str) -> timedelta | None:
    """``3d``, ``2h30m``, ``1w 2d``: how far to move the clock; ``None`` if it is not that."""
    compact = text.replace(" ", "")
    if not compact or _AMOUNT.sub("", compact):
        return None
    total = timedelta()
    for amount, unit in _AMOUNT.findall(compact):
        total += timedelta(**{_UNITS[unit.lower()]: int(amount)})
    return total if total else None


def terminal_language() -> str | None:
    """The language of the terminal (``LANG=fr_BE.UTF-8`` → ``fr-BE``), as Telegram sends it."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(".", 1)[0]
        if value and value not in ("C", "POSIX"):
            return value.replace("_", "-")
    return None


class Screen:
    """Prints the bot's messages, its notices and the prompt, in the order they happen."""

    def __init__(self, out: TextIO, echo: bool) -> None:
        self.out = out
        self.colour = wants_colour(out)
        self.echo = echo
        self.prompting = False

    def _print(self, text: str) -> None:
        if self.prompting:
            # Something arrived while the leader was typing (a reminder): keep it readable.
            self.out.write("\n")
        self.out.write(text + "\n")
        if self.prompting:
            self.out.write(PROMPT)
        self.out.flush()

    def message(self, shown: ShownMessage, *, edited: bool) -> None:
        """A message of the bot: its text behind a bar, its buttons numbered below it."""
        text = html_to_text(shown.html, colour=self.colour)
        lines = ["", indent(f"✎\n{text}" if edited else text, BAR)]
        labels = [[button.label for button in row] for row in shown.rows]
        lines += [indent(line) for line in button_lines(labels)]
        self._print("\n".join(lines))

    def toast(self, text: str) -> None:
        """The short notice Telegram shows on top of the chat after a button press."""
        self._print(f"  » {text}")

    def file(self, path: Path, caption: str) -> None:
        """A file the bot sent (an export), saved where the leader can open it."""
        self._print("\n" + indent(f"📎 {path}\n{caption}", BAR))

    def note(self, text: str) -> None:
        """A few lines of the console itself (not of the bot)."""
        width = max(40, min(100, shutil.get_terminal_size().columns)) - 2
        self._print(
            "\n"
            + "\n".join(textwrap.wrap(text, width, initial_indent="# ", subsequent_indent="# "))
        )

    def prompt(self) -> None:
        self.out.write(PROMPT)
        self.out.flush()
        self.prompting = True

    def typed(self, line: str) -> None:
        """The leader pressed Enter; without a terminal, show what was read."""
        self.prompting = False
        if self.echo:
            self.out.write(line + "\n")
            self.out.flush()


class Console:
    """One leader at a terminal, talking to the bot."""

    def __init__(self, settings: Settings, out: TextIO, stdin: TextIO) -> None:
        self.clock = ConsoleClock()
        self.screen = Screen(out, echo=not stdin.isatty())
        self.stdin = stdin
        self.database = Database(settings.database_url)
        self._ids = itertools.count(1)
        self.bot_api = LocalBotApi(
            self.screen,
            self.clock,
            files_folder=Path.cwd() / "data" / "exports",
            next_message_id=lambda: next(self._ids),
        )
        self.application: Application = build_application(  # type: ignore[type-arg]
            settings, self.database, clock=self.clock, bot_api=self.bot_api
        )
        self.name = os.environ.get("USER", "") or "Leader"
        self.language_code = terminal_language()
        self.user = {
            "id": CONSOLE_CHAT_ID,
            "is_bot": False,
            "first_name": self.name,
            "language_code": self.language_code,
        }
        self._updates = itertools.count(1)

    async def run(self) -> None:
        """Talk until the input ends or ``:quit``; everything is saved as it goes."""
        application = self.application
        await application.initialize()
        try:
            if application.post_init:
                await application.post_init(application)
            await application.start()
            try:
                await self._talk()
            finally:
                await application.stop()
        finally:
            await application.shutdown()
            await self.database.dispose()

    async def _talk(self) -> None:
        with using_language(await self._language()):
            self.screen.note(self._help())
        await self.handle("/start")
        lines = _read_lines(self.stdin)
        while True:
            self.screen.prompt()
            line = await lines.get()
            if line is None:
                self.screen.typed("")
                break
            self.screen.typed(line)
            if not await self.handle(line.strip()):
                break
        with using_language(await self._language()):
            self.screen.note(_("Stopped. Everything is saved: start again to go on."))

    async def handle(self, line: str) -> bool:
        """Act on one typed line; ``False`` when the leader wants to stop."""
        if not line:
            return True
        if line.startswith(":"):
            return await self._console_command(line[1:].strip())
        shown = self.bot_api.buttons_message
        if _NUMBER.fullmatch(line) and shown is not None:
            buttons = [button for row in shown.rows for button in row]
            number = int(line)
            if not 1 <= number <= len(buttons):
                with using_language(await self._language()):
                    self.screen.note(
                        _("There is no button %(number)d; the buttons are numbered 1 to %(last)d.")
                        % {"number": number, "last": len(buttons)}
                    )
                return True
            await self._process(
                "callback_query",
                {
                    "id": str(next(self._updates)),
                    "from": self.user,
                    "chat_instance": str(CONSOLE_CHAT_ID),
                    "data": buttons[number - 1].data,
                    "message": shown.to_json(),
                },
            )
            return True
        await self._process("message", self._message(line))
        return True

    async def _console_command(self, command: str) -> bool:
        word, _space, rest = command.partition(" ")
        word = word.lower()
        with using_language(await self._language()):
            if word in ("quit", "exit", "q"):
                return False
            if word == "wait":
                ahead = parse_wait(rest)
                if ahead is None:
                    self.screen.note(self._help())
                    return True
                await self._move_clock(self.clock() + ahead)
                now = await self._now()
                self.screen.note(_("The clock moved ahead: it is now %(moment)s.") % now)
                return True
            if word == "time":
                self.screen.note(_("It is now %(moment)s.") % await self._now())
                return True
            self.screen.note(self._help())
            return True

    async def _move_clock(self, until: datetime) -> None:
        """Move the clock to ``until``, stopping at each reminder on the way when it is due.

        So a reminder comes at its own moment (and is not "late"), as it would have
        if the leader had waited that long.
        """
        while True:
            async with self.database.session() as session:
                due = await reminders.next_due(session, CONSOLE_CHAT_ID)
            if due is None or due > until or due <= self.clock():
                break
            self.clock.move_to(due)
            self.screen.note(_("It is now %(moment)s.") % await self._now())
            await self._run_jobs()
        self.clock.move_to(until)
        await self._run_jobs()

    async def _run_jobs(self) -> None:
        """Let the reminders and the retention job look at the moved clock at once."""
        assert self.application.job_queue is not None
        for job in self.application.job_queue.jobs():
            await job.run(self.application)

    async def _process(self, kind: str, payload: dict[str, Any]) -> None:
        data = {"update_id": next(self._updates), kind: payload}
        update = Update.de_json(data, self.application.bot)
        await self.application.process_update(update)

    def _message(self, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(self.clock().timestamp()),
            "chat": {
                "id": CONSOLE_CHAT_ID,
                "type": "private",
                "first_name": self.user["first_name"],
            },
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return message

    async def _leader(self) -> Leader | None:
        async with self.database.session() as session:
            return await session.get(Leader, CONSOLE_CHAT_ID)

    async def _language(self) -> str:
        """The leader's language once they exist, else the terminal's."""
        leader = await self._leader()
        return leader.language if leader else pick_language(self.language_code)

    async def _now(self) -> dict[str, str]:
        """The console's clock in the leader's time zone."""
        leader = await self._leader()
        zone = ZoneInfo(leader.time_zone if leader else DEFAULT_TIME_ZONE)
        return {"moment": local_moment(self.clock(), zone)}

    @staticmethod
    def _help() -> str:
        return _(
            "Pestgesprek in your terminal: the same conversation as in Telegram, kept on this "
            "computer. Type a number to press a button; anything else is sent as a message. "
            ":wait 3d moves the clock three days ahead (h for hours, w for weeks) so you see "
            "the reminders; :time shows the clock; :quit stops."
        )


def _read_lines(stream: TextIO) -> asyncio.Queue[str | None]:
    """Lines of ``stream`` as they are typed, read by a thread so the bot keeps running.

    ``None`` marks the end of the input. The thread is a daemon: Ctrl-C never waits on it.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for line in stream:
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\r\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return queue


def console_settings(settings: Settings, folder: Path) -> Settings:
    """The bot's settings for the console: its own SQLite file, no token, no rate limit.

    The console never uses DATABASE_URL: its reminder job would otherwise claim the
    real leaders' reminders and print them here instead of sending them, and its
    retention job would erase their cases. Trying the bot never touches real data.
    """
    return replace(
        settings,
        database_url=default_database_url(folder, CONSOLE_DATABASE),
        token=settings.token or "console",
        # Nothing leaves this process: no limit to keep to.
        rate_limit=False,
    )


def run_console(settings: Settings) -> None:
    """Run the console until the input ends, ``:quit`` or Ctrl-C."""
    console = Console(settings, sys.stdout, sys.stdin)
    try:
        asyncio.run(console.run())
    except KeyboardInterrupt:
        sys.stdout.write("\n")
