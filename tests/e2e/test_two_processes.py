"""Two bots sharing one PostgreSQL database.

They never send the same nudge (row locks), and a leader keeps their place in the
flow whichever of the two handles their next message.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Bot
from telegram.ext import Application

from bot.nudges import NudgeDispatcher
from bot.storage.database import Database
from tests.e2e.test_follow_up import held_talk
from tests.e2e.walk import reach_facts
from tests.support.bot_api_standin import TOKEN, BotApiStandin
from tests.support.clock import TestClock
from tests.support.running_bot import running_bot


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
