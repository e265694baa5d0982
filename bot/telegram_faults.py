"""Telegram's failures: which ones pass, and how long to wait before trying again.

Shared by the two kinds of message the bot sends. A reminder waits in the database
(pending again, due a little later: see ``bot.nudges``); a reply to a leader waits
in the update's own task, briefly, with :func:`with_retries` (see ``bot.delivery``).
Both wait longer after every failure, up to a cap: :func:`backoff`.

What passes: a time-out, a network error, a 5xx from Telegram (python-telegram-bot
raises a :class:`~telegram.error.NetworkError` for each), and a 429 the rate limiter
did not wait out itself (:class:`~telegram.error.RetryAfter`). A 400
(:class:`~telegram.error.BadRequest`, although a ``NetworkError`` subclass) or a 403
says the same thing every time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

log = logging.getLogger(__name__)

T = TypeVar("T")


def backoff(attempt: int, first: timedelta, cap: timedelta) -> timedelta:
    """The wait after failure number ``attempt``: ``first``, doubled each time, up to ``cap``."""
    factor: int = 2 ** max(0, min(attempt - 1, 16))
    return min(cap, first * factor)


def is_temporary(error: BaseException) -> bool:
    """Whether trying the same call again later may succeed."""
    if isinstance(error, RetryAfter):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def retry_after(error: RetryAfter) -> timedelta:
    """How long Telegram asked us to wait."""
    value = error.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


@dataclass(frozen=True)
class RetryPolicy:
    """How a reply is tried again: it holds up the leader's next update, so briefly.

    ``attempts`` tries in all, waiting :func:`backoff` between them; a 429 asking for
    more than ``longest_wait`` is not waited for (the reply counts as not delivered).
    """

    attempts: int = 4
    first_delay: timedelta = timedelta(seconds=0.5)
    max_delay: timedelta = timedelta(seconds=4)
    longest_wait: timedelta = timedelta(seconds=10)

    def wait_after(self, error: TelegramError, attempt: int) -> timedelta | None:
        """How long to wait before the next try, or ``None`` to give up."""
        if attempt >= self.attempts or not is_temporary(error):
            return None
        if isinstance(error, RetryAfter):
            wait = retry_after(error)
            return wait if wait <= self.longest_wait else None
        return backoff(attempt, self.first_delay, self.max_delay)


async def with_retries(call: Callable[[], Awaitable[T]], policy: RetryPolicy, what: str) -> T:
    """``await call()``, trying again after a temporary failure as ``policy`` says.

    The last error is raised when the policy gives up. ``what`` names the call in the
    log (ids only, never a text).
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call()
        except TelegramError as error:
            wait = policy.wait_after(error, attempt)
            if wait is None:
                raise
            log.warning(
                "%s failed (%s, try %d of %d), trying again in %.2f s",
                what,
                type(error).__name__,
                attempt,
                policy.attempts,
                wait.total_seconds(),
            )
            await asyncio.sleep(wait.total_seconds())
