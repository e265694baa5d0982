"""A locked SQLite database while nudges are answered: every nudge once, none lost.

Another connection holds SQLite's write lock past the dispatcher's lock wait just
when Telegram's answers come back. The answers wait in memory and are written once
the lock is free; nothing is sent twice, not even after the claims could have lapsed.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing

import pytest
from telegram import Bot

from bot.nudges import NudgeDispatcher
from bot.storage.database import Database
from bot.storage.reminders import CLAIM_LEASE
from tests.e2e.test_follow_up import held_talk, nudges
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.running_bot import running_bot
from tests.support.standin_records import TOKEN
from tests.support.waiting import wait_until

LEADERS = 3


def statuses(path: str) -> list[tuple[str, int]]:
    """Each follow-up reminder's status and attempts, by id."""
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT status, attempts FROM reminders WHERE kind = 'follow_up' ORDER BY id"
        )
        return [(status, attempts) for status, attempts in rows]


def take_write_lock(path: str) -> sqlite3.Connection:
    """A second connection that holds the write lock until it rolls back."""
    holder = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


@pytest.mark.parametrize("batch", [1, 2, 50])
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_answers_wait_out_a_locked_database_and_every_nudge_comes_once(
    api: BotApiStandin, database_url: str, clock: TestClock, batch: int
) -> None:
    leaders = [api.user(8600 + n, "Jo", language_code="en") for n in range(LEADERS)]
    async with running_bot(api, database_url, clock):
        for leader in leaders:
            await held_talk(leader)
    clock.advance(days=7, hours=1, minutes=5)
    path = database_url.split("///", 1)[1]
    assert statuses(path) == [("pending", 0)] * LEADERS

    database = Database(database_url, lock_wait=0.1)
    telegram = Bot(TOKEN, base_url=api.base_url)
    dispatcher = NudgeDispatcher(database, clock, batch=batch)
    answers = api.hold_answers("sendMessage", count=LEADERS)
    try:
        await telegram.initialize()
        sending = asyncio.create_task(dispatcher.send_due(telegram))
        first = min(batch, LEADERS)
        await wait_until(
            lambda: sum(len(nudges(leader)) for leader in leaders) >= first,
            "the first batch to reach Telegram",
        )
        # Telegram has the messages; its answers are held back. Now someone else writes.
        holder = await asyncio.to_thread(take_write_lock, path)
        try:
            answers.set()
            await asyncio.wait_for(dispatcher.results.stalled.wait(), timeout=10)
            claimed = [status for status, _ in statuses(path)]
            assert claimed.count("sending") >= first, "the answers are not written yet"
            assert not sending.done(), "the round waits until every answer is written"
        finally:
            holder.rollback()
            holder.close()
        sent = await asyncio.wait_for(sending, timeout=10)
        # Batches not claimed while the lock was held go out in the next round.
        while more := await dispatcher.send_due(telegram):
            sent += more
        clock.advance(seconds=CLAIM_LEASE.total_seconds() + 60)
        again = await dispatcher.send_due(telegram)
    finally:
        await telegram.shutdown()
        await database.dispose()

    assert dispatcher.results.stalls >= 1
    assert sent == LEADERS
    assert again == 0, "no claim was left behind to be released and sent again"
    assert [len(nudges(leader)) for leader in leaders] == [1] * LEADERS
    assert statuses(path) == [("sent", 1)] * LEADERS
