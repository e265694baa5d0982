"""Telegram's flood limits, kept on the bot's side so that Telegram need not refuse anything.

Telegram answers 429 ("Too Many Requests", with a ``retry_after``) to a bot that sends
more than 30 messages a second over all chats, or more than 20 a minute to one group.
python-telegram-bot's ``AIORateLimiter`` spaces the requests as they *leave*; Telegram
counts them as they *arrive*, and on a busy machine a few that left on time arrive
together. After a 429 the ``AIORateLimiter`` holds every request for the
``retry_after`` and then lets all the ones that were given their turn meanwhile go at
once, which brings the next 429.

:class:`TelegramLimits` (python-telegram-bot's public ``BaseRateLimiter`` hook) counts
each message from the moment it is handed to the HTTP client until one window (a second;
a minute for a group) after its answer came back, and lets a message go only while fewer
than the limit are counted. Telegram counted the message somewhere between those two
moments, so it never sees more than the limit in one window: of any limit + 1 messages
in one window as Telegram counts them, the last to leave would have found the others
still counted (each was either still waiting for its answer, or answered after that
window's start, which lies before the last one left). Nothing is assumed about how
long a message takes to get there or how the two clocks compare, only that they run
at the same speed.

The price is the round trip: a place is held for the window plus the round trip, so
the rate is 30 / (1 s + round trip) — 29.8 a second against a Bot API server close by,
27 with 100 ms to Telegram. Within that, messages leave on a grid 1/30 s apart rather
than 30 at once.

One message a second to one private chat is Telegram's advice, with short bursts
allowed: a reply to what a leader just did is not held back here (a leader going
through the protocol would wait a second for every answer). Bulk messages keep to it
themselves: the nudges (``bot.nudges``) go to a leader one at a time, a second apart.

Methods that do not send a message (editing one, answering a button press, reading
updates) are not counted and not held back, except after a 429. A 429 all the same
(another process sending with the same token, say) pauses every request for its
``retry_after``; then they go on within the limits, and the refused one is tried again
(up to ``max_retries`` times, then the ``RetryAfter`` is raised to the caller).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
Result = bool | JSONDict | list[JSONDict]


@dataclass(frozen=True)
class Limit:
    """At most ``messages`` in any ``seconds``."""

    messages: int
    seconds: float


#: Telegram's limits for a bot (core.telegram.org/bots/faq, "broadcasting to users").
OVERALL = Limit(30, 1.0)
PER_GROUP = Limit(20, 60.0)

#: Methods that send a message without a ``send`` prefix; what Telegram's limits count.
_SENDING = frozenset({"copymessage", "copymessages", "forwardmessage", "forwardmessages"})
#: How often windows of groups that have gone quiet are dropped.
_SWEEP_SECONDS = 30.0


def counted(endpoint: str) -> bool:
    """Whether Telegram counts a call of ``endpoint`` as a message sent."""
    name = endpoint.lower()
    return (name.startswith("send") and name != "sendchataction") or name in _SENDING


class _Window:
    """The messages of one limit: those waiting for an answer, and when the others got one."""

    __slots__ = ("answered", "in_flight", "limit")

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.in_flight = 0
        self.answered: deque[float] = deque()

    def wait(self, now: float) -> float | None:
        """0 when one more may go now; else the seconds until a place frees, or ``None``
        when every place waits for an answer."""
        start = now - self.limit.seconds
        answered = self.answered
        while answered and answered[0] <= start:
            answered.popleft()
        if self.in_flight + len(answered) < self.limit.messages:
            return 0.0
        if answered:
            return answered[0] - start
        return None

    def take(self) -> None:
        self.in_flight += 1

    def done(self, now: float) -> None:
        self.in_flight -= 1
        self.answered.append(now)

    def idle(self, now: float) -> bool:
        return self.in_flight == 0 and self.wait(now) == 0.0 and not self.answered


class TelegramLimits(BaseRateLimiter[int]):
    """Keeps the bot within Telegram's limits as Telegram counts them (see the module).

    ``rate_limit_args`` of a call, if given, is its number of retries after a 429.
    """

    def __init__(
        self,
        *,
        max_retries: int = 3,
        overall: Limit = OVERALL,
        per_group: Limit = PER_GROUP,
    ) -> None:
        self.max_retries = max_retries
        self._overall = _Window(overall)
        self._per_group = per_group
        self._groups: dict[int | str, _Window] = {}
        # Overall places are handed out in the order asked for (asyncio.Lock is fair).
        self._overall_turn = asyncio.Lock()
        self._spacing = overall.seconds / overall.messages
        self._next_start = float("-inf")
        self._paused_until = float("-inf")
        self._answer: asyncio.Future[None] | None = None
        self._swept = 0.0
        self.refusals = 0
        """The 429s Telegram gave all the same."""

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Send when Telegram's limits allow; after a 429, wait it out and try again."""
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        chat_id = data.get("chat_id")
        limited = chat_id is not None and counted(endpoint)
        attempt = 0
        while True:
            if not limited:
                await self._pause()
                try:
                    return await callback(*args, **kwargs)
                except RetryAfter as error:
                    if not self._refused(error, endpoint, attempt, retries):
                        raise
                attempt += 1
                continue
            group = self._group(chat_id)
            if group is not None:
                await self._take(group)
            try:
                async with self._overall_turn:
                    await self._take(self._overall, spaced=True)
            except BaseException:
                if group is not None:
                    group.in_flight -= 1
                    self._answered()
                raise
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if not self._refused(error, endpoint, attempt, retries):
                    raise
            finally:
                now = asyncio.get_running_loop().time()
                if group is not None:
                    group.done(now)
                self._overall.done(now)
                self._answered()
            attempt += 1

    # -- waiting for a place ------------------------------------------------------------------

    async def _take(self, window: _Window, *, spaced: bool = False) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            wait = window.wait(now)
            if wait is not None:
                wait = max(wait, self._paused_until - now)
                if spaced:
                    wait = max(wait, self._next_start - now)
            if wait is not None and wait <= 0:
                window.take()
                if spaced:
                    # On a grid: a start a little late (the event loop was busy) does not
                    # put off the ones after it.
                    self._next_start = max(self._next_start, now - self._spacing) + self._spacing
                return
            if self._answer is None or self._answer.done():
                self._answer = loop.create_future()
            await asyncio.wait((self._answer,), timeout=wait)

    async def _pause(self) -> None:
        wait = self._paused_until - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)

    def _answered(self) -> None:
        """Wake whoever waits for an answer to come back."""
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(None)

    def _group(self, chat_id: Any) -> _Window | None:
        """The window of a group or channel (a negative id, or a ``@name``); ``None`` for a
        private chat."""
        key: int | str
        try:
            key = int(chat_id)
        except (TypeError, ValueError):
            key = str(chat_id)
        if isinstance(key, int) and key > 0:
            return None
        window = self._groups.get(key)
        if window is None:
            window = self._groups[key] = _Window(self._per_group)
        self._sweep()
        return window

    def _sweep(self) -> None:
        """Forget the groups that have not been written to for a while."""
        now = asyncio.get_running_loop().time()
        if now - self._swept < _SWEEP_SECONDS:
            return
        self._swept = now
        for key in [key for key, window in self._groups.items() if window.idle(now)]:
            del self._groups[key]

    def _refused(self, error: RetryAfter, endpoint: str, attempt: int, retries: int) -> bool:
        """Pause everything for the ``retry_after``; whether to try the call again."""
        self.refusals += 1
        after = error.retry_after
        seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
        loop = asyncio.get_running_loop()
        self._paused_until = max(self._paused_until, loop.time() + seconds)
        if attempt >= retries:
            log.warning("%s refused by flood control after %d retries", endpoint, retries)
            return False
        log.info("%s refused by flood control: every request waits %.1f s", endpoint, seconds)
        return True
