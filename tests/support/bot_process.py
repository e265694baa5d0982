"""The bot as its own process (``python -m bot``), for tests that kill and restart it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.support.bot_api_standin import BotApiStandin
from tests.support.running_bot import TEST_DATA_KEY
from tests.support.standin_records import TOKEN

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    """Starts ``python -m bot`` against the stand-in; :meth:`kill` sends SIGKILL."""

    def __init__(self, api: BotApiStandin, database_url: str, workdir: Path) -> None:
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api.root,
            "DATABASE_URL": database_url,
            "DATA_KEY": TEST_DATA_KEY,
            "LOG_LEVEL": "DEBUG",
            "PYTHONPATH": str(ROOT),
        }
        self.workdir = workdir
        self.process: asyncio.subprocess.Process | None = None
        self.log = workdir / "bot.log"

    async def start(self, api: BotApiStandin) -> None:
        """Start the process and wait until it polls for updates."""
        polls_before = sum(1 for c in api.calls if c.method == "getUpdates")
        await self.start_without_polling()
        assert self.process is not None
        for _ in range(300):
            if sum(1 for c in api.calls if c.method == "getUpdates") > polls_before:
                return
            if self.process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        raise AssertionError(f"the bot did not start polling:\n{self.log.read_text()}")

    async def start_without_polling(self) -> None:
        """Start the process; the caller waits for what shows it is ready (webhook mode)."""
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=log,
                stdin=asyncio.subprocess.DEVNULL,
            )

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def terminate(self) -> int:
        """SIGTERM, and the exit status."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout=20)
