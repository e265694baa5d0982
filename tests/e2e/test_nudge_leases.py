"""Claims are leases: a stopped process's nudges come free in seconds, a live one keeps its own.

A process that claimed nudges and stopped leaves them in ``sending``; another process
sends them once their claims lapse (``CLAIM_LEASE``, half a minute), not minutes later.
A live process renews its claims while its nudges are on their way, so another process
never takes them and no leader gets one nudge twice; and a nudge whose claim it could
not renew in time is not sent by it, but later, once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.nudges import NudgeDispatcher
from bot.storage import reminders
from bot.storage.database import Database
from bot.storage.reminders import CLAIM_LEASE, LEASE_RENEWAL, SEND_WITHIN
from tests.e2e.test_follow_up import held_talk, nudges
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.running_bot import running_bot
from tests.support.standin_records import TOKEN
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until

# Nudge claims and their leases: SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL.
pytestmark = pytest.mark.both_databases

LEADERS = 3


async def due_follow_ups(
    api: BotApiStandin, database_url: str, clock: TestClock, count: int = LEADERS
) -> list[SimUser]:
    """Leaders with a talk held a week ago: each has one follow-up nudge due now."""
    leaders = [api.user(8700 + n, "Jo", language_code="en") for n in range(count)]
    async with running_bot(api, database_url, clock):
        for leader in leaders:
            await held_talk(leader)
    clock.advance(days=7, hours=1, minutes=5)
    return leaders


@pytest.fixture
async def telegram(api: BotApiStandin) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, base_url=api.base_url)
    await bot.initialize()
    try:
        yield bot
    finally:
        await bot.shutdown()


@pytest.fixture
async def databases(database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two bot processes' databases: the same data, each its own engine."""
    first, second = Database(database_url), Database(database_url)
    try:
        yield first, second
    finally:
        await first.dispose()
        await second.dispose()


async def test_the_claims_of_a_stopped_process_are_sent_once_their_lease_lapses(
    api: BotApiStandin,
    database_url: str,
    clock: TestClock,
    telegram: Bot,
    databases: tuple[Database, Database],
) -> None:
    leaders = await due_follow_ups(api, database_url, clock)
    stopped, restarted = databases
    # A process claims the nudges and is killed before it sends any of them.
    async with stopped.writing() as session:
        claimed = await reminders.claim_due(session, clock(), 50)
    assert len(claimed) == LEADERS

    dispatcher = NudgeDispatcher(restarted, clock)
    clock.advance(seconds=CLAIM_LEASE.total_seconds() - 1)
    assert await dispatcher.send_due(telegram) == 0, "the claims still hold"
    clock.advance(seconds=2)
    assert await dispatcher.send_due(telegram) == LEADERS

    assert [len(nudges(leader)) for leader in leaders] == [1] * LEADERS


async def test_a_live_process_renews_its_claims_and_another_never_sends_them_twice(
    api: BotApiStandin,
    database_url: str,
    clock: TestClock,
    telegram: Bot,
    databases: tuple[Database, Database],
) -> None:
    leaders = await due_follow_ups(api, database_url, clock)
    first_db, second_db = databases
    first, second = NudgeDispatcher(first_db, clock), NudgeDispatcher(second_db, clock)
    answers = api.hold_answers("sendMessage", count=LEADERS)

    sending = asyncio.create_task(first.send_due(telegram))
    await wait_until(
        lambda: sum(len(nudges(leader)) for leader in leaders) == LEADERS,
        "the first process's nudges to reach Telegram",
    )
    # Telegram's answers are slow to come back; the first process keeps renewing.
    for _ in range(int(CLAIM_LEASE / LEASE_RENEWAL) + 2):
        clock.advance(seconds=LEASE_RENEWAL.total_seconds())
        await first.renew_claims()
    assert await second.send_due(telegram) == 0, "the claims are the first process's"
    answers.set()

    assert await asyncio.wait_for(sending, timeout=10) == LEADERS
    assert [len(nudges(leader)) for leader in leaders] == [1] * LEADERS


async def test_a_nudge_whose_claim_was_not_renewed_in_time_is_sent_later_and_once(
    api: BotApiStandin,
    database_url: str,
    clock: TestClock,
    telegram: Bot,
    databases: tuple[Database, Database],
) -> None:
    leaders = await due_follow_ups(api, database_url, clock, count=2)
    first_db, second_db = databases
    # One nudge at a time: the second waits for Telegram's answer to the first.
    first = NudgeDispatcher(first_db, clock, in_flight=1)
    answers = api.hold_answers("sendMessage", count=1)

    sending = asyncio.create_task(first.send_due(telegram))
    await wait_until(
        lambda: sum(len(nudges(leader)) for leader in leaders) == 1,
        "the first nudge to reach Telegram",
    )
    # Meanwhile the renewals fail (here: none is made) for longer than a claim may go
    # unrenewed before its nudge is sent.
    clock.advance(seconds=SEND_WITHIN.total_seconds())
    answers.set()
    assert await asyncio.wait_for(sending, timeout=10) == 1
    assert sorted(len(nudges(leader)) for leader in leaders) == [0, 1]

    clock.advance(seconds=CLAIM_LEASE.total_seconds())
    assert await NudgeDispatcher(second_db, clock).send_due(telegram) == 1
    assert [len(nudges(leader)) for leader in leaders] == [1, 1]
