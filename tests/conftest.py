"""Shared fixtures: the stand-in Bot API server, a database per test, the running bot."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram.ext import Application

from tests.support.bot_api_standin import BotApiStandin, SimUser
from tests.support.clock import TestClock
from tests.support.postgres import create_database, drop_database, postgres_server
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


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """One PostgreSQL server for the whole run: ``TEST_POSTGRES_URL``, or one started here."""
    given = os.environ.get("TEST_POSTGRES_URL")
    if given:
        yield given
        return
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database per test, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    url, name = await create_database(admin_url)
    yield url
    await drop_database(admin_url, name)


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
