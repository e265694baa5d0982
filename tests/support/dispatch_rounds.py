"""Waiting for a background job's next whole round, so "no reminder yet" is a fact.

A test that moved the clock and wants to show that *no* reminder came cannot wait
for a message; looking after a round trip or a sleep only shows that none came
*yet*. The bot's dispatcher runs from the job queue every ``REMINDER_INTERVAL_SECONDS``;
:func:`dispatch_round` waits until a round that began after the call has ended. Such a
round read the clock after the test moved it, and a round ends only when everything
it sent has been answered by the Bot API (so the stand-in holds it) and recorded.
:func:`retention_round` does the same for the job that erases what is kept too long.
Each job's rounds never overlap (the job queue runs one at a time; the dispatcher's
own lock makes an overlapping tick a no-op, which is not counted as a round).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import pytest
from telegram.ext import Application

from bot.nudges import JOB_NAME as NUDGES
from bot.nudges import NudgeDispatcher
from bot.retention import JOB_NAME as RETENTION
from bot.retention import RetentionJob

#: Where an application's counter is kept in its ``bot_data`` (a key no bot code uses).
_KEY = "tests: job rounds"

P = ParamSpec("P")
R = TypeVar("R")


class RoundCounter:
    """Counts the rounds of one background job that started and that ended."""

    def __init__(self, job: str) -> None:
        self.job = job
        self.started = 0
        self.ended = 0
        self._changed = asyncio.Condition()

    def wrap(
        self, round_: Callable[P, Coroutine[Any, Any, R]]
    ) -> Callable[P, Coroutine[Any, Any, R]]:
        """``round_``, counted."""

        async def counted(*args: P.args, **kwargs: P.kwargs) -> R:
            self.started += 1
            number = self.started
            try:
                return await round_(*args, **kwargs)
            finally:
                async with self._changed:
                    self.ended = max(self.ended, number)
                    self._changed.notify_all()

        return counted

    async def next_round(self, timeout: float) -> None:  # noqa: ASYNC109
        """Wait until a round that starts after this call has ended."""
        wanted = self.started + 1
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.ended >= wanted), timeout
                )
            except TimeoutError:
                raise AssertionError(
                    f"waited {timeout:g} s for a whole round of the {self.job} job"
                ) from None


def _job_owner(application: Application, name: str) -> object:  # type: ignore[type-arg]
    """The object whose method the job ``name`` runs (python-telegram-bot's public ``Job``)."""
    assert application.job_queue is not None
    (job,) = application.job_queue.get_jobs_by_name(name)
    return getattr(job.callback, "__self__", None)


def count_rounds(application: Application, patch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
    """Count the rounds of ``application``'s dispatcher and retention job while ``patch`` holds."""
    dispatcher = _job_owner(application, NUDGES)
    assert isinstance(dispatcher, NudgeDispatcher), f"the {NUDGES} job runs {dispatcher!r}"
    nudges = RoundCounter(NUDGES)
    patch.setattr(dispatcher, "send_due", nudges.wrap(dispatcher.send_due))
    retention = _job_owner(application, RETENTION)
    assert isinstance(retention, RetentionJob), f"the {RETENTION} job runs {retention!r}"
    erasing = RoundCounter(RETENTION)
    patch.setattr(retention, "run_once", erasing.wrap(retention.run_once))
    application.bot_data[_KEY] = {NUDGES: nudges, RETENTION: erasing}


async def _next_round(application: Application, job: str, timeout: float) -> None:  # type: ignore[type-arg]  # noqa: ASYNC109
    counters = application.bot_data.get(_KEY)
    assert isinstance(counters, dict), "start the bot with tests.support.running_bot"
    counter = counters[job]
    assert isinstance(counter, RoundCounter)
    await counter.next_round(timeout)


async def dispatch_round(application: Application, timeout: float = 15.0) -> None:  # type: ignore[type-arg]  # noqa: ASYNC109
    """Wait until the nudge dispatcher has done a whole round that began after this call.

    The round is started now (python-telegram-bot's ``Job.run``, as a tick would),
    rather than waited for at the next tick: a test that moves the clock a few hundred
    times waits for no timer. A round already under way makes this one a no-op, as it
    does a tick; then the next tick's round is the one waited for.
    """
    assert application.job_queue is not None
    (job,) = application.job_queue.get_jobs_by_name(NUDGES)
    waiting = asyncio.create_task(_next_round(application, NUDGES, timeout))
    await asyncio.sleep(0)  # counting from here: the round below starts after this call
    await job.run(application)
    await waiting


async def retention_round(application: Application, timeout: float = 15.0) -> None:  # type: ignore[type-arg]  # noqa: ASYNC109
    """Wait until the retention job has done a whole round that began after this call."""
    await _next_round(application, RETENTION, timeout)
