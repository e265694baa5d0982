"""Two bots sharing one PostgreSQL database.

They never send the same nudge (row locks), and a leader keeps their place in the
flow whichever of the two handles their next message. The last test runs two real
``python -m bot`` processes behind one webhook URL, with a round-robin load
balancer handing each update to the other process.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from telegram import Bot
from telegram.ext import Application

from bot.__main__ import prepare
from bot.nudges import NudgeDispatcher
from bot.retention import RetentionJob
from bot.storage.database import Database
from tests.e2e.test_follow_up import held_talk
from tests.e2e.test_webhook import free_port
from tests.e2e.walk import new_case, reach_facts
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import BotProcess
from tests.support.clock import TestClock
from tests.support.database_peek import count, eventually_count
from tests.support.round_robin import RoundRobin
from tests.support.running_bot import running_bot, settings_for_standin
from tests.support.standin_records import TOKEN
from tests.support.waiting import wait_until


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_dispatchers_on_one_postgresql_database_send_each_nudge_once(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> None:
    leaders = [api.user(8000 + n, "Jo", language_code="en") for n in range(12)]
    async with running_bot(api, database_url, clock):
        for leader in leaders:
            await held_talk(leader)
    clock.advance(days=7, hours=1, minutes=5)

    databases = [Database(database_url), Database(database_url)]
    bots = [Bot(TOKEN, base_url=api.base_url), Bot(TOKEN, base_url=api.base_url)]
    dispatchers = [NudgeDispatcher(database, clock, batch=2) for database in databases]
    try:
        for bot in bots:
            await bot.initialize()
        sent = await asyncio.gather(
            *(d.send_due(b) for d, b in zip(dispatchers, bots, strict=True))
        )
    finally:
        for bot in bots:
            await bot.shutdown()
        for database in databases:
            await database.dispose()

    counts = [
        sum("Step 3: talk with Tom again" in m.text for m in leader.messages) for leader in leaders
    ]
    assert sum(sent) == len(leaders)
    assert all(sent), f"both took a share: {sent}"
    assert counts == [1] * len(leaders), "every leader got their nudge exactly once"


@asynccontextmanager
async def serving(application: Application) -> AsyncIterator[None]:  # type: ignore[type-arg]
    """Let ``application`` take the updates for a while (the other one waits, still running)."""
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield
    finally:
        await application.updater.stop()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_leader_keeps_their_place_when_two_bots_take_turns(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> None:
    leader = api.user(8100, "Jo", language_code="en")
    async with (
        running_bot(api, database_url, clock, polling=False) as first,
        running_bot(api, database_url, clock, polling=False) as second,
    ):
        async with serving(first):
            await reach_facts(leader)
        async with serving(second):
            # The second bot has never seen this leader: the database says facts are awaited.
            await leader.send("took his cap away")
            await leader.expect("Name your feeling")
        async with serving(first):
            # The first bot last saw the leader typing facts; they have moved on since.
            await leader.send("worried")
            script = await leader.expect("Your script for the talk with")
    assert "took his cap away" in script.text
    assert "worried" in script.text


async def healthy(port: int) -> bool:
    try:
        async with httpx.AsyncClient() as client:
            return (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200
    except httpx.HTTPError:
        return False


async def make_follow_ups_due(database_url: str) -> None:
    """A week has passed: every planned follow-up is due now."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "UPDATE reminders SET due_at = :due "
                    "WHERE status = 'pending' AND kind = 'follow_up'"
                ),
                {"due": datetime.now(UTC) - timedelta(minutes=1)},
            )
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_bot_processes_behind_one_webhook_keep_every_place_and_nudge_once(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    ports = [free_port(), free_port()]
    async with RoundRobin(ports, free_port()) as balancer:
        processes = []
        for number, port in enumerate(ports):
            folder = tmp_path / f"bot-{number}"
            folder.mkdir()
            process = BotProcess(api, database_url, folder)
            process.env.update(
                WEBHOOK_URL=f"http://127.0.0.1:{balancer.port}/telegram-hook",
                WEBHOOK_SECRET="s3cret-token",
                WEBHOOK_LISTEN="127.0.0.1",
                WEBHOOK_PORT=str(port),
                REMINDER_INTERVAL_SECONDS="0.2",
                LOG_LEVEL="INFO",
            )
            # One after the other, as a rolling start: each migrates the schema first.
            await process.start_without_polling()
            processes.append(process)
            for _ in range(200):
                if await healthy(port):
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"bot {number} did not start:\n{process.log.read_text()}")
        try:
            leaders = [api.user(8200 + n, "Jo", language_code="en") for n in range(4)]
            # Every update goes to the other process than the one before it.
            await asyncio.gather(*(held_talk(leader) for leader in leaders))
            assert set(balancer.routed) == set(ports)

            await make_follow_ups_due(database_url)
            await wait_until(
                lambda: all(
                    any("Step 3: talk with Tom again" in m.text for m in leader.messages)
                    for leader in leaders
                ),
                "every leader's follow-up nudge",
                20,
            )
            sent = "SELECT count(*) FROM reminders WHERE kind = 'follow_up' AND status = 'sent'"
            await eventually_count(database_url, sent, len(leaders))
        finally:
            codes = [await process.terminate() for process in processes]
        assert codes == [0, 0]
        # Both processes have ended: whatever either of them sent, the stand-in holds.
        counts = [
            sum("Step 3: talk with Tom again" in m.text for m in leader.messages)
            for leader in leaders
        ]
        assert counts == [1] * len(leaders), "each nudge came once, from one of the two"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_bots_starting_together_on_an_empty_database_both_start(
    api: BotApiStandin, database_url: str
) -> None:
    settings = settings_for_standin(api, database_url)
    # Each start creates the schema and records the data key; together they take turns.
    await asyncio.gather(*(prepare(settings) for _ in range(3)))
    assert await count(database_url, "SELECT count(*) FROM meta") == 1
    assert await count(database_url, "SELECT count(*) FROM alembic_version") == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_bots_erasing_and_asking_at_once_ask_about_a_forgotten_case_once(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> None:
    leader = api.user(8300, "Jo", language_code="en")
    async with running_bot(api, database_url, clock):
        await new_case(leader, "Sam", [("Tom", "Bullies")])
    clock.advance(days=366)

    settings = settings_for_standin(api, database_url)
    databases = [Database(database_url) for _ in range(4)]
    try:
        rounds = await asyncio.gather(
            *(RetentionJob(database, settings, clock).run_once() for database in databases)
        )
    finally:
        for database in databases:
            await database.dispose()
    asked = "SELECT count(*) FROM reminders WHERE kind = 'inactive'"
    assert await count(database_url, asked) == 1
    assert sorted(planned for _erased, planned in rounds) == [0, 0, 0, 1]
