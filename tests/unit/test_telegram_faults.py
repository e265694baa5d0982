"""Which failures of Telegram are tried again, and how long the bot waits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.storage.reminders import retry_delay
from bot.telegram_faults import RetryPolicy, backoff, with_retries

POLICY = RetryPolicy(
    attempts=4,
    first_delay=timedelta(milliseconds=1),
    max_delay=timedelta(milliseconds=3),
    longest_wait=timedelta(seconds=2),
)


def test_back_off_doubles_up_to_its_cap_for_reminders_and_replies() -> None:
    first, cap = timedelta(seconds=30), timedelta(hours=1)
    assert [backoff(n, first, cap) for n in (1, 2, 3)] == [first, first * 2, first * 4]
    assert backoff(50, first, cap) == cap
    assert [retry_delay(n) for n in (1, 2, 8)] == [first, first * 2, cap]


@pytest.mark.parametrize(
    ("error", "waits"),
    [
        (NetworkError("Bad Gateway"), True),
        (TimedOut(), True),
        (RetryAfter(1), True),
        (RetryAfter(60), False),  # longer than a reply may hold up the next update
        (BadRequest("Message to edit not found"), False),
        (Forbidden("bot was blocked by the user"), False),
    ],
)
def test_which_failures_a_reply_waits_out(error: TelegramError, waits: bool) -> None:
    assert (POLICY.wait_after(error, 1) is not None) is waits
    assert POLICY.wait_after(error, POLICY.attempts) is None, "never beyond the attempts"


async def test_with_retries_tries_again_until_it_works_or_gives_up() -> None:
    calls: list[int] = []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise NetworkError("Internal Server Error")
        return "sent"

    assert await with_retries(flaky, POLICY, "test") == "sent"
    assert len(calls) == 3

    async def down() -> str:
        calls.append(1)
        raise NetworkError("Bad Gateway")

    calls.clear()
    with pytest.raises(NetworkError):
        await with_retries(down, POLICY, "test")
    assert len(calls) == POLICY.attempts

    async def refused() -> str:
        calls.append(1)
        raise BadRequest("Chat not found")

    calls.clear()
    with pytest.raises(BadRequest):
        await with_retries(refused, POLICY, "test")
    assert len(calls) == 1
