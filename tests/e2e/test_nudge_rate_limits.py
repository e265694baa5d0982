"""Telegram's flood limits kept on the bot's side: a burst of nudges without a single 429.

The stand-in refuses, as Telegram does, a 31st message within a second and a second
message to one chat within a second. The bot's own limiter (``bot.rate_limits``) holds
each message back until Telegram would take it, and waits out a 429 that comes all the
same before trying again; the nudges to one leader go a second apart.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram.ext import ExtBot

from bot.rate_limits import TelegramLimits, counted
from tests.e2e import walk
from tests.e2e.test_follow_up import nudges
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.running_bot import running_bot
from tests.support.standin_records import TOKEN
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until


def leaders(api: BotApiStandin, count: int) -> list[SimUser]:
    """Users who wrote to the bot before, so it may message them."""
    users = []
    for number in range(count):
        user = api.user(9100 + number, f"Leider{number}", language_code="en")
        user.seen = user.started = True
        users.append(user)
    return users


@pytest.fixture
async def limited_bot(api: BotApiStandin) -> AsyncIterator[ExtBot[TelegramLimits]]:
    api.limit_rate()
    telegram = ExtBot(TOKEN, base_url=api.base_url, rate_limiter=TelegramLimits())
    await telegram.initialize()
    try:
        yield telegram
    finally:
        await telegram.shutdown()


async def test_a_burst_beyond_thirty_a_second_gets_no_429(
    api: BotApiStandin, limited_bot: ExtBot[TelegramLimits]
) -> None:
    users = leaders(api, 70)
    texts = [f"nudge {n}" for n in range(len(users))]
    sending = [limited_bot.send_message(u.id, t) for u, t in zip(users, texts, strict=True)]
    await asyncio.gather(*sending)

    assert api.flood_refusals == []
    assert [[m.text for m in user.messages] for user in users] == [[t] for t in texts]


async def test_two_nudges_due_for_one_leader_both_arrive_without_a_429(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> None:
    leader = api.user(9300, "Jo", language_code="en")
    async with running_bot(api, database_url, clock):
        for victim, child in [("Sam", "Tom"), ("Lia", "Bram")]:
            step1 = await walk.new_case(leader, victim, [(child, "Bullies")])
            done = await walk.settle_step1(leader, step1, "that it hurts")
            script = await walk.prepare_talk(leader, done, "Prepare", "pushed", "angry")
            await walk.record_talk(leader, script, ["say sorry"], "In 1 week")
            await walk.report_back(leader, victim, child)
            await leader.expect_new_message()
    assert len(nudges(leader)) == 0
    clock.advance(days=7, hours=1, minutes=5)
    api.limit_rate()

    async with running_bot(api, database_url, clock):
        await wait_until(lambda: len(nudges(leader)) == 2, "both nudges", timeout=10)

    assert api.flood_refusals == []


async def test_a_429_all_the_same_is_waited_out_and_the_message_still_arrives(
    api: BotApiStandin, limited_bot: ExtBot[TelegramLimits]
) -> None:
    first, second = leaders(api, 2)
    api.fail_next("sendMessage", status=429, retry_after=1)

    # Whichever reaches Telegram first is refused; the other waits out the pause with it.
    await asyncio.gather(
        limited_bot.send_message(first.id, "for the first"),
        limited_bot.send_message(second.id, "for the second"),
    )

    assert ("sendMessage", "429") in api.injected
    assert limited_bot.rate_limiter is not None
    assert limited_bot.rate_limiter.refusals == 1, "the retry and the other message got through"
    assert [m.text for m in first.messages] == ["for the first"]
    assert [m.text for m in second.messages] == ["for the second"]
    assert api.flood_refusals == []


@pytest.mark.parametrize(
    ("endpoint", "is_counted"),
    [
        ("sendMessage", True),
        ("sendDocument", True),
        ("copyMessage", True),
        ("forwardMessage", True),
        ("sendChatAction", False),
        ("editMessageText", False),
        ("answerCallbackQuery", False),
        ("getUpdates", False),
    ],
)
def test_only_what_sends_a_message_is_counted(endpoint: str, is_counted: bool) -> None:
    assert counted(endpoint) is is_counted
