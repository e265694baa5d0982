"""Sending due reminders: the job queue is the clock, the database says what is due.

Every ``interval`` seconds (and once right at start-up, which sends what fell due
while the bot was down, marked as late) :meth:`NudgeDispatcher.tick` claims due
reminders in batches, renders each in its leader's language, sends them all at
once through the bot — python-telegram-bot's ``AIORateLimiter`` keeps that under
Telegram's 30 messages a second and waits out a 429 — and records the result.

What each answer from Telegram does to a reminder:

* accepted → ``sent``;
* 403, the leader blocked the bot → the leader is marked blocked and no reminder
  goes to them until they write to the bot again; the reminder stays pending, so
  it is not lost;
* 429 beyond the rate limiter's retries → pending again after ``retry_after``;
* a network error, a time-out or a 5xx → pending again with a growing back-off;
* any other 400 → ``failed``, logged with the reminder's id (a bug to look at).

See ``bot.storage.reminders`` for the claim and the at-least-once choice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot.screens.fitting import split_for_telegram
from bot.screens.nudges import follow_up_nudge, inactive_nudge, report_back_nudge
from bot.storage import cases, reminders
from bot.storage.database import Database
from bot.storage.models import Case, Leader, Reminder
from bot.telegram_faults import retry_after
from bot.turn import Keyboard, keyboard, send_long
from flows.follow_up import ReminderKind, ReminderStatus
from flows.follow_up_timing import is_late
from flows.language import using_language

log = logging.getLogger(__name__)

JOB_NAME = "nudges"


@dataclass
class _Outgoing:
    reminder_id: int
    leader_id: int
    text: str
    markup: InlineKeyboardMarkup | None


@dataclass
class _Result:
    reminder_id: int
    leader_id: int
    error: TelegramError | None


class NudgeDispatcher:
    """Claims due reminders and sends them; one per application."""

    def __init__(
        self,
        database: Database,
        clock: Callable[[], datetime],
        *,
        interval: float = 15.0,
        batch: int = 50,
    ) -> None:
        self.database = database
        self.clock = clock
        self.interval = interval
        self.batch = batch
        self._running = asyncio.Lock()

    def start(self, application: Application) -> None:  # type: ignore[type-arg]
        """Arm the job: once now (catch up on what fell due while down), then every interval."""
        assert application.job_queue is not None, "python-telegram-bot[job-queue] is needed"
        application.job_queue.run_repeating(
            self.tick,
            interval=self.interval,
            first=0,
            name=JOB_NAME,
            job_kwargs={"max_instances": 2, "coalesce": True},
        )

    async def tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send everything that is due now; a tick still running makes this one a no-op."""
        if self._running.locked():
            return
        async with self._running:
            await self.send_due(context.bot)

    async def send_due(self, bot: Bot) -> int:
        """Claim and send due reminders until none is left; returns how many were sent.

        The next batch is claimed and rendered while the current one is being sent, so
        the database work never holds up the rate limiter; each result is recorded as
        soon as Telegram answers, which keeps a crash's at-least-once window to the
        messages in flight at that moment.
        """
        async with self.database.session() as session, session.begin():
            released = await reminders.release_stale_claims(session, self.clock())
        if released:
            log.warning("%d reminder(s) claimed by a stopped process are pending again", released)
        sent = 0
        upcoming = asyncio.create_task(self._claim_and_render())
        try:
            while outgoing := await upcoming:
                upcoming = asyncio.create_task(self._claim_and_render())
                results = await asyncio.gather(*(self._send(bot, item) for item in outgoing))
                sent += sum(1 for r in results if r.error is None)
        finally:
            if not upcoming.done():
                upcoming.cancel()
        return sent

    async def _claim_and_render(self) -> list[_Outgoing]:
        # Each batch reads the clock afresh: its claims and "late" marks are of now.
        now = self.clock()
        async with self.database.session() as session, session.begin():
            claimed = await reminders.claim_due(session, now, self.batch)
            await cases.load_many(session, {reminder.case_id for reminder, _ in claimed})
            outgoing = []
            for reminder, leader in claimed:
                rendered = await self._render(session, reminder, leader, now)
                if rendered is None:
                    reminder.status = ReminderStatus.CANCELLED
                    continue
                text, rows = rendered
                outgoing.append(_Outgoing(reminder.id, leader.id, text, keyboard(rows)))
            return outgoing

    async def _render(
        self, session: AsyncSession, reminder: Reminder, leader: Leader, now: datetime
    ) -> tuple[str, Keyboard] | None:
        case = await session.get(Case, reminder.case_id)  # loaded with its batch
        if case is None or case.closed_at is not None:
            return None
        late = is_late(reminder.due_at, now)
        reminder.late = late
        if reminder.kind == ReminderKind.INACTIVE:
            with using_language(leader.language):
                return inactive_nudge(case)
        child = cases.child_of(case, reminder.child_id)
        if child is None:
            return None
        with using_language(leader.language):
            if reminder.kind == ReminderKind.REPORT_BACK:
                if child.reported_back_at is not None:
                    return None
                return report_back_nudge(case, child, reminder, late)
            return follow_up_nudge(case, child, reminder, late)

    async def _send(self, bot: Bot, item: _Outgoing) -> _Result:
        try:
            await send_long(bot, item.leader_id, split_for_telegram(item.text), item.markup)
        except TelegramError as error:
            result = _Result(item.reminder_id, item.leader_id, error)
        else:
            result = _Result(item.reminder_id, item.leader_id, None)
        await self._record([result])
        return result

    async def _record(self, results: list[_Result]) -> None:
        """Write what Telegram answered; a reminder answered meanwhile is left as it is."""
        now = self.clock()
        async with self.database.session() as session, session.begin():
            for result in results:
                values = await self._outcome(session, result, now)
                # Only a reminder still being sent changes: the leader may have pressed one
                # of its buttons already, and that answer must not be overwritten.
                await session.execute(
                    update(Reminder)
                    .where(Reminder.id == result.reminder_id)
                    .where(Reminder.status == ReminderStatus.SENDING)
                    .values(**values)
                )

    async def _outcome(
        self, session: AsyncSession, result: _Result, now: datetime
    ) -> dict[str, object]:
        """The reminder's new values after Telegram's answer."""
        error = result.error
        if error is None:
            return {"status": ReminderStatus.SENT, "sent_at": now, "last_error": None}
        pending: dict[str, object] = {
            "status": ReminderStatus.PENDING,
            "last_error": type(error).__name__,
        }
        if isinstance(error, Forbidden):
            leader = await session.get(Leader, result.leader_id)
            if leader is not None and leader.blocked_at is None:
                leader.blocked_at = now
                log.info("leader %s blocked the bot: reminders paused", leader.id)
            return pending
        if isinstance(error, RetryAfter):
            return {**pending, "due_at": now + retry_after(error)}
        if isinstance(error, BadRequest):
            log.error("reminder %s refused by Telegram: %s", result.reminder_id, error.message)
            return {"status": ReminderStatus.FAILED, "last_error": error.message[:200]}
        attempts = await session.scalar(
            select(Reminder.attempts).where(Reminder.id == result.reminder_id)
        )
        retry_at = now + reminders.retry_delay(attempts or 1)
        log.warning(
            "reminder %s not sent (%s), trying again at %s",
            result.reminder_id,
            type(error).__name__,
            retry_at.isoformat(),
        )
        return {**pending, "due_at": retry_at}
