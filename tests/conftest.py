"""Shared fixtures: the stand-in Bot API server, a database per test, the running bot."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram.ext import Application

from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.postgres import create_database, drop_database, postgres_server
from tests.support.running_bot import running_bot
from tests.support.standin_users import SimUser

#: Outcomes that hide what does not work: any of them fails the run.
HIDING = ("skipped", "xfailed", "xpassed")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
    """A skipped test hides what does not work: fail the run if any test was skipped."""
    for outcome in HIDING:
        hidden = terminalreporter.stats.get(outcome, [])
        if hidden:
            terminalreporter.write_line(f"{len(hidden)} test(s) {outcome}: that fails the run.")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    hidden = reporter is not None and any(reporter.stats.get(outcome) for outcome in HIDING)
    if hidden and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# Which database a test runs on. The rule: a test that needs a database (the
# ``database_url`` fixture, or ``bot``, which uses it) runs on SQLite only, unless it is
# marked ``both_databases``; then it runs on PostgreSQL as well. Mark a test, or a whole
# module with ``pytestmark = pytest.mark.both_databases``, when what it checks depends
# on the database, not on the protocol: the durable inbox and its claims, two processes
# on one database, leases and the nudges' claims, restarts, migrations and the schema,
# ids at the edge of the column's range, erasure and encryption at rest, the rounds that
# take PostgreSQL's advisory locks, the driver's log lines, and any code path with SQL of
# its own (``bot/storage`` branches on ``Database.kind``). The protocol's flows, screens
# and texts behave the same on both: they run once, on SQLite.
# A test may still name its databases itself:
# ``@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)``.
BOTH_DATABASES = "both_databases"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write the golden files of tests/e2e/golden/ anew instead of comparing with them",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{BOTH_DATABASES}: run on PostgreSQL as well as on SQLite (the rule: tests/conftest.py)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" not in metafunc.fixturenames:
        return
    for marker in metafunc.definition.iter_markers("parametrize"):
        names = marker.args[0]
        if "database_url" in (
            [n.strip() for n in names.split(",")] if isinstance(names, str) else names
        ):
            return
    both = metafunc.definition.get_closest_marker(BOTH_DATABASES) is not None
    metafunc.parametrize(
        "database_url", ["sqlite", "postgresql"] if both else ["sqlite"], indirect=True
    )


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """One PostgreSQL server for the whole run: ``TEST_POSTGRES_URL``, or one started here."""
    given = os.environ.get("TEST_POSTGRES_URL")
    if given:
        yield given
        return
    with postgres_server() as url:
        yield url


@pytest.fixture
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database per test: on SQLite, and also on PostgreSQL where the rule above says."""
    if getattr(request, "param", "sqlite") == "sqlite":
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
