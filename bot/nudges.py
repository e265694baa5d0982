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

Each batch is claimed in a short write transaction of its own; its cases are then
loaded in one read (one query per table) and kept at hand while the batch is
rendered, with no transaction holding the write lock. The answers are recorded by
one writer in batches (``bot.nudge_results``), which waits out a locked database.
See ``bot.storage.reminders`` for the claim and the at-least-once choice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import OperationalError
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.nudge_results import ResultRecorder, lock_reason
from bot.screens.fitting import split_for_telegram
from bot.screens.nudges import follow_up_nudge, inactive_nudge, report_back_nudge
from bot.screens.step1_waiting import step1_nudge
from bot.screens.team import escalation_nudge, handover_nudge, new_year_nudge
from bot.storage import cases, reminders
from bot.storage.database import Database
from bot.storage.models import Case, Leader, Reminder
from bot.turn import Keyboard, keyboard, send_long
from flows.case import Consent
from flows.escalation import ESCALATE_AFTER_ROUNDS
from flows.follow_up import ReminderKind
from flows.language import using_language

log = logging.getLogger(__name__)

JOB_NAME = "nudges"
#: Nudges waiting for Telegram's answer at one time without a rate limiter (a Bot API
#: server of one's own, close by). More would only open more connections, and the HTTP
#: client's pool does work for each of its connections on every request.
IN_FLIGHT = 6
#: With python-telegram-bot's rate limiter, which holds a nudge back until its turn:
#: 30 a second even at 300 ms a round trip. Not more: while a 429 is waited out, the
#: limiter lets every nudge in flight through at once afterwards.
IN_FLIGHT_RATE_LIMITED = 10


@dataclass
class _Outgoing:
    reminder_id: int
    leader_id: int
    attempts: int
    text: str
    markup: InlineKeyboardMarkup | None


class NudgeDispatcher:
    """Claims due reminders and sends them; one per application."""

    def __init__(
        self,
        database: Database,
        clock: Callable[[], datetime],
        *,
        interval: float = 15.0,
        batch: int = 50,
        in_flight: int | None = None,
        escalate_after: int = ESCALATE_AFTER_ROUNDS,
    ) -> None:
        self.database = database
        self.escalate_after = escalate_after
        self.clock = clock
        self.interval = interval
        self.batch = batch
        self.results = ResultRecorder(database, clock)
        self._running = asyncio.Lock()
        self.in_flight = in_flight
        self._in_flight = asyncio.Semaphore(in_flight or IN_FLIGHT)

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

        The next batch is claimed and rendered while the current one is being sent, and
        queued behind it, so the database work never holds up the rate limiter; each
        answer is handed to the recorder as soon as Telegram gives it, which keeps a
        crash's at-least-once window to the messages in flight and the answers not yet
        written. The round ends when every answer is written.
        """
        try:
            async with self.database.writing() as session:
                released = await reminders.release_stale_claims(session, self.clock())
        except OperationalError as error:
            log.warning("due reminders wait for the next round: %s", lock_reason(error))
            return 0
        if released:
            log.warning("%d reminder(s) claimed by a stopped process are pending again", released)
        if self.in_flight is None:
            limited = getattr(bot, "rate_limiter", None) is not None
            self._in_flight = asyncio.Semaphore(IN_FLIGHT_RATE_LIMITED if limited else IN_FLIGHT)
        sent = 0
        batches: list[asyncio.Future[list[bool]]] = []
        upcoming = asyncio.create_task(self._claim_and_render())
        try:
            while outgoing := await upcoming:
                # Queued behind the batch still being sent (the in-flight limit keeps the
                # order), so the sending never runs dry while a batch is claimed.
                batches.append(asyncio.gather(*(self._send(bot, item) for item in outgoing)))
                if len(batches) > 1:
                    sent += sum(await batches.pop(0))
                upcoming = asyncio.create_task(self._claim_and_render())
            while batches:
                sent += sum(await batches.pop(0))
        finally:
            unfinished: list[asyncio.Future[Any]] = [upcoming, *batches]
            for pending in unfinished:
                if not pending.done():
                    pending.cancel()
            await self.results.flush()
        return sent

    async def _claim_and_render(self) -> list[_Outgoing]:
        # Each batch reads the clock afresh: its claims and "late" marks are of now.
        now = self.clock()
        try:
            async with self.database.writing() as session:
                claimed = await reminders.claim_due(session, now, self.batch)
        except OperationalError as error:
            # Nothing was claimed: the next round tries again.
            log.warning("due reminders wait for the next round: %s", lock_reason(error))
            return []
        if not claimed:
            return []
        outgoing = []
        # A read of its own: rendering holds no write lock. The cases stay referenced in
        # ``loaded`` while the batch is rendered; each with only the children it nudges about.
        async with self.database.session() as session:
            loaded = await cases.load_many(
                session,
                {reminder.case_id for reminder, _ in claimed},
                {reminder.child_id for reminder, _ in claimed if reminder.child_id is not None},
            )
            for reminder, leader in claimed:
                try:
                    rendered = self._render(loaded.get(reminder.case_id), reminder, leader)
                except Exception as error:
                    log.exception("reminder %s could not be rendered", reminder.id)
                    self.results.failed(reminder.id, type(error).__name__)
                    continue
                if rendered is None:
                    self.results.cancelled(reminder.id)
                    continue
                text, rows = rendered
                outgoing.append(
                    _Outgoing(reminder.id, leader.id, reminder.attempts, text, keyboard(rows))
                )
        return outgoing

    def _render(
        self, case: Case | None, reminder: Reminder, leader: Leader
    ) -> tuple[str, Keyboard] | None:
        if case is None or case.closed_at is not None:
            return None
        late = reminder.late
        if reminder.kind == ReminderKind.INACTIVE:
            with using_language(leader.language):
                return inactive_nudge(case)
        if reminder.kind == ReminderKind.STEP1:
            # Step 1 is settled, or never started: nothing to ask any more.
            about = cases.child_of(case, reminder.child_id)
            if about is None or about.consent == Consent.AGREED:
                return None
            with using_language(leader.language):
                return step1_nudge(case, about)
        child = cases.child_of(case, reminder.child_id)
        if reminder.kind == ReminderKind.HANDOVER:
            with using_language(leader.language):
                return handover_nudge(case, child)
        if reminder.kind == ReminderKind.NEW_YEAR:
            with using_language(leader.language):
                return new_year_nudge(case)
        if child is None:
            return None
        if reminder.kind == ReminderKind.ESCALATION:
            with using_language(leader.language):
                return escalation_nudge(case, child)
        with using_language(leader.language):
            if reminder.kind == ReminderKind.REPORT_BACK:
                if child.reported_back_at is not None:
                    return None
                return report_back_nudge(case, child, reminder, late)
            return follow_up_nudge(case, child, reminder, late, self.escalate_after)

    async def _send(self, bot: Bot, item: _Outgoing) -> bool:
        """Send one nudge and hand Telegram's answer to the recorder; whether it was accepted."""
        error: TelegramError | None = None
        try:
            async with self._in_flight:
                await send_long(bot, item.leader_id, split_for_telegram(item.text), item.markup)
        except TelegramError as refused:
            error = refused
        self.results.answered(item.reminder_id, item.leader_id, item.attempts, error)
        return error is None
