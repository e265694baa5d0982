"""Two bots sharing one database never send the same nudge (row locks on PostgreSQL)."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot

from bot.nudges import NudgeDispatcher
from bot.storage.database import Database
from tests.e2e.test_follow_up import held_talk
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
