"""Drives ``python -m bot console`` through its standard input, as a person at a terminal would.

Each line is written only after the console has shown its prompt, and what it
printed in between is returned, so a test reads the conversation turn by turn
and presses buttons by their labels (the console numbers them).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from bot.console.session import BAR, PROMPT
from tests.support.running_bot import TEST_DATA_KEY

_BUTTON = re.compile(r"\[(\d+)\] (.+?)(?=\s{3}\[\d+\] |$)")


def console_environment(**extra: str) -> dict[str, str]:
    """The environment of a newcomer trying the bot: a data key, an English terminal."""
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "TMPDIR") if name in os.environ}
    return {
        **keep,
        "DATA_KEY": TEST_DATA_KEY,
        "LANG": "en_GB.UTF-8",
        # Only `:wait` sends reminders, so each turn's output is complete at the prompt.
        "REMINDER_INTERVAL_SECONDS": "3600",
        **extra,
    }


def buttons(screen: str) -> dict[str, int]:
    """The numbered buttons of the newest message in ``screen``: label → number."""
    found: dict[str, int] = {}
    for line in screen.splitlines():
        if line.startswith(BAR.rstrip()):
            found = {}
        for number, label in _BUTTON.findall(line.strip()):
            found[label.strip()] = int(number)
    return found


class ConsoleDriver:
    """One console process in ``folder``, read turn by turn (``python -m bot console`` of this
    checkout unless another ``command`` is given)."""

    def __init__(
        self, folder: Path, environment: dict[str, str], command: list[str] | None = None
    ) -> None:
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "bot", "console"],
            cwd=folder,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._output = bytearray()
        self._seen = 0
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.screen = self.until_prompt()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while chunk := self.process.stdout.read1(65536):
            with self._changed:
                self._output += chunk
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def until_prompt(self, timeout: float = 30) -> str:
        """What the console printed since the last turn, up to its next prompt."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._output) == self._seen or not self._output.endswith(PROMPT.encode()):
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():
                    raise AssertionError(
                        f"no prompt within {timeout} s; the console printed:\n"
                        + self._output[self._seen :].decode(errors="replace")
                        + self._stderr()
                    )
                self._changed.wait(min(left, 0.5))
            text = self._output[self._seen :].decode()
            self._seen = len(self._output)
        return text

    def _stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return "\nstderr:\n" + self.process.stderr.read().decode(errors="replace")

    def send(self, line: str) -> str:
        """Type ``line`` and Enter; returns what the console answered."""
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()
        self.screen = self.until_prompt()
        return self.screen

    def press(self, label: str) -> str:
        """Type the number of the button whose label contains ``label``."""
        offered = buttons(self.screen)
        matches = [number for text, number in offered.items() if label in text]
        assert matches, f"no button {label!r} among {list(offered)} in:\n{self.screen}"
        return self.send(str(matches[0]))

    def finish(self, timeout: float = 30) -> tuple[int, str, str]:
        """Close the input; returns the exit status, the rest of stdout, and stderr."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        code = self.process.wait(timeout)
        self._reader.join(timeout)
        with self._changed:
            rest = self._output[self._seen :].decode()
        assert self.process.stderr is not None
        return code, rest, self.process.stderr.read().decode()
