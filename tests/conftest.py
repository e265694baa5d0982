"""Shared fixtures: the stand-in Bot API server, a database per test, the running bot."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from tests.support.bot_api_standin import BotApiStandin, SimUser
from tests.support.clock import TestClock
from tests.support.running_bot import running_bot


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
    """A skipped test hides what does not work: fail the run if any test was skipped."""
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} test(s) were skipped: that fails the run.")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A fresh SQLite file per test (PostgreSQL when TEST_DATABASE_URL is set)."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
async def api() -> AsyncIterator[BotApiStandin]:
    """The stand-in Bot API server; no test may make it refuse anything."""
    async with BotApiStandin() as server:
        yield server
        assert server.refusals == [], f"the Bot API refused: {server.refusals}"


@pytest.fixture
async def bot(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with running_bot(api, database_url, clock) as application:
        yield application


@pytest.fixture
def leader(api: BotApiStandin) -> SimUser:
    """A Dutch-speaking youth leader in a private chat with the bot."""
    return api.user(1001, "Lien", language_code="nl")
