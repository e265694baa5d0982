"""Sending due reminders: the job queue is the clock, the database says what is due.

Every ``interval`` seconds (and once right at start-up, which sends what fell due
while the bot was down, marked as late) :meth:`NudgeDispatcher.tick` claims due
reminders in batches, renders each in its leader's language, sends them all at
once through the bot — its rate limiter (``bot.rate_limits``) keeps that within
Telegram's 30 messages a second and waits out a 429; the nudges to one leader go a
second apart — and records the result.

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
While a round runs, the claims not yet recorded are renewed every few seconds: a
claim is a lease, which comes free soon after its process stops (see
``bot.storage.reminders`` for the claim, the lease and the at-least-once choice).
A process killed while sending sends nothing twice except the nudges Telegram had
accepted and whose answers were not written yet: those in flight (``IN_FLIGHT``,
or ``IN_FLIGHT_RATE_LIMITED`` behind the rate limiter) and those gathering for the
result writer (``bot.nudge_results.GATHER_SECONDS``, one or two at 30 a second).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.delivery import keyboard, send_long
from bot.nudge_results import ResultRecorder, lock_reason
from bot.screens.fitting import split_for_telegram
from bot.screens.nudges import follow_up_nudge, inactive_nudge, report_back_nudge
from bot.screens.step1_waiting import step1_nudge
from bot.screens.team_notices import (
    escalation_nudge,
    handover_nudge,
    notice_nudge,
    team_notice_nudge,
)
from bot.screens.team_overview import new_year_nudge
from bot.storage import cases, notices, reminders
from bot.storage.database import Database
from bot.storage.models import Case, Leader, Reminder
from bot.turn import Keyboard
from flows.case import Consent, planned_follow_up
from flows.escalation import ESCALATE_AFTER_ROUNDS
from flows.follow_up import ReminderKind, ReminderStatus
from flows.language import using_language

log = logging.getLogger(__name__)

JOB_NAME = "nudges"
#: Nudges waiting for Telegram's answer at one time without a rate limiter (a Bot API
#: server of one's own, close by). More would only open more connections, and the HTTP
#: client's pool does work for each of its connections on every request.
IN_FLIGHT = 6
#: Telegram's advice for messages to one chat: no more than one a second. Nudges are
#: bulk messages: a leader's next one waits this long after Telegram answered the last.
PER_LEADER_SECONDS = 1.0
#: Behind the rate limiter (``bot.rate_limits``), which holds a nudge back until its
#: turn: 30 a second even at 300 ms a round trip.
IN_FLIGHT_RATE_LIMITED = 10
#: Reminders claimed at a time without a rate limiter: fewer transactions and queries.
BATCH = 50
#: Behind the rate limiter half a second of sending: loading and rendering a batch holds
#: the event loop (which times the sends and notes Telegram's answers, see
#: ``bot.rate_limits``) for a few milliseconds at a time rather than for 50 nudges.
BATCH_RATE_LIMITED = 15


class _OneAtATime:
    """Nudges to one leader one at a time, each ``seconds`` after the answer to the last."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._turns: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._answered: dict[int, float] = {}

    @asynccontextmanager
    async def turn(self, leader_id: int) -> AsyncIterator[None]:
        lock = self._turns.setdefault(leader_id, asyncio.Lock())
        self._waiting[leader_id] = self._waiting.get(leader_id, 0) + 1
        loop = asyncio.get_running_loop()
        try:
            async with lock:
                wait = self._answered.get(leader_id, float("-inf")) + self.seconds - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    yield
                finally:
                    self._answered[leader_id] = loop.time()
        finally:
            self._waiting[leader_id] -= 1
            if not self._waiting[leader_id]:
                del self._waiting[leader_id], self._turns[leader_id]

    def forget_past(self) -> None:
        """Drop the leaders whose last nudge was answered long enough ago."""
        start = asyncio.get_running_loop().time() - self.seconds
        for leader_id in [k for k, at in self._answered.items() if at <= start]:
            del self._answered[leader_id]


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
        batch: int | None = None,
        in_flight: int | None = None,
        escalate_after: int = ESCALATE_AFTER_ROUNDS,
    ) -> None:
        self.database = database
        self.escalate_after = escalate_after
        self.clock = clock
        self.interval = interval
        self.batch = batch
        self._batch = batch or BATCH
        self.results = ResultRecorder(database, clock, done=self._let_go)
        self._claims: dict[int, datetime] = {}
        """Reminders claimed and not yet recorded → the ``claimed_at`` last written for them."""
        self._running = asyncio.Lock()
        self.in_flight = in_flight
        self._in_flight = asyncio.Semaphore(in_flight or IN_FLIGHT)
        self._per_leader = _OneAtATime(PER_LEADER_SECONDS)

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
        limited = getattr(bot, "rate_limiter", None) is not None
        if self.in_flight is None:
            self._in_flight = asyncio.Semaphore(IN_FLIGHT_RATE_LIMITED if limited else IN_FLIGHT)
        if self.batch is None:
            self._batch = BATCH_RATE_LIMITED if limited else BATCH
        sent = 0
        batches: list[asyncio.Future[list[bool]]] = []
        renewing = asyncio.create_task(self._keep_renewing(), name="nudge claims")
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
            try:
                await self.results.flush()
            finally:
                renewing.cancel()
                # Every answer is written; claims left (a batch that was not sent) lapse.
                self._claims.clear()
                self._per_leader.forget_past()
        return sent

    async def _keep_renewing(self) -> None:
        while True:
            await asyncio.sleep(reminders.LEASE_RENEWAL.total_seconds())
            try:
                await self.renew_claims()
            except Exception:
                # Claims not renewed age: their nudges stop going out, nothing is sent twice.
                log.exception("claims of nudges not renewed")

    async def renew_claims(self) -> None:
        """Renew the claims this process holds (every ``LEASE_RENEWAL`` while a round runs)."""
        held: defaultdict[datetime, list[int]] = defaultdict(list)
        for reminder_id, claimed_at in self._claims.items():
            held[claimed_at].append(reminder_id)
        if not held:
            return
        now = self.clock()
        try:
            async with self.database.writing() as session:
                renewed = await reminders.renew_claims(session, held, now)
        except DBAPIError as error:
            log.warning("claims of nudges not renewed: %s", lock_reason(error))
            return
        for claimed_at, ids in held.items():
            for reminder_id in ids:
                if self._claims.get(reminder_id) != claimed_at:
                    continue  # recorded, or claimed again, meanwhile
                if reminder_id in renewed:
                    self._claims[reminder_id] = now
                else:
                    # No longer ours: it lapsed and another process claimed it.
                    del self._claims[reminder_id]

    def _let_go(self, reminder_ids: list[int]) -> None:
        for reminder_id in reminder_ids:
            self._claims.pop(reminder_id, None)

    async def _claim_and_render(self) -> list[_Outgoing]:
        # Each batch reads the clock afresh: its claims and "late" marks are of now.
        now = self.clock()
        try:
            async with self.database.writing() as session:
                claimed = await reminders.claim_due(session, now, self._batch)
        except OperationalError as error:
            # Nothing was claimed: the next round tries again.
            log.warning("due reminders wait for the next round: %s", lock_reason(error))
            return []
        if not claimed:
            return []
        again = {reminder.id for reminder, _ in claimed if reminder.id in self._claims}
        for reminder, _ in claimed:
            self._claims[reminder.id] = now
        if again:
            # Our own claims that lapsed (their renewals failed) while their nudges were
            # on their way or their answers waited to be written: they are ours again,
            # and go out once at most.
            claimed = [(reminder, who) for reminder, who in claimed if reminder.id not in again]
        outgoing = []
        # A read of its own: rendering holds no write lock. The cases stay referenced in
        # ``loaded`` while the batch is rendered; each with only the children it nudges about.
        async with self.database.session() as session:
            loaded = await cases.load_many(
                session,
                {reminder.case_id for reminder, _ in claimed if reminder.case_id is not None},
                {reminder.child_id for reminder, _ in claimed if reminder.child_id is not None},
            )
            told = await notices.load(session, [reminder for reminder, _ in claimed])
            asking = await notices.askers(session, [reminder for reminder, _ in claimed], loaded)
            for reminder, leader in claimed:
                try:
                    rendered = self._render(
                        loaded.get(reminder.case_id) if reminder.case_id is not None else None,
                        reminder,
                        leader,
                        told.get(reminder.id),
                        asking.get(reminder.id),
                    )
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
                # Let the sends and answers of the batch before go on meanwhile.
                await asyncio.sleep(0)
        return outgoing

    def _render(
        self,
        case: Case | None,
        reminder: Reminder,
        leader: Leader,
        notice: notices.Notice | None = None,
        asker: notices.Asker | None = None,
    ) -> tuple[str, Keyboard] | None:
        if reminder.kind == ReminderKind.NOTICE and reminder.case_id is None:
            # A change of the team itself: no case to load or to name.
            if notice is None:
                return None
            with using_language(leader.language):
                return team_notice_nudge(notice)
        if case is None or case.closed_at is not None:
            return None
        late = reminder.late
        if reminder.kind == ReminderKind.NOTICE:
            if notice is None:
                return None
            with using_language(leader.language):
                return notice_nudge(case, cases.child_of(case, reminder.child_id), notice)
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
                return handover_nudge(case, child, asker)
        if reminder.kind == ReminderKind.NEW_YEAR:
            with using_language(leader.language):
                return new_year_nudge(case)
        if child is None:
            return None
        if reminder.kind == ReminderKind.ESCALATION:
            with using_language(leader.language):
                return escalation_nudge(case, child, asker, leader.rhythm.zone)
        with using_language(leader.language):
            if reminder.kind == ReminderKind.REPORT_BACK:
                if child.reported_back_at is not None:
                    return None
                return report_back_nudge(case, child, reminder, late, leader.rhythm)
            if reminder.kind == ReminderKind.FOLLOW_UP_AGAIN:
                # The same question as the sent reminder, while that one is unanswered.
                asked = planned_follow_up(child)
                if asked is None or asked.status != ReminderStatus.SENT:
                    return None
            return follow_up_nudge(case, child, reminder, late, self.escalate_after)

    async def _send(self, bot: Bot, item: _Outgoing) -> bool:
        """Send one nudge and hand Telegram's answer to the recorder; whether it was accepted."""
        error: TelegramError | None = None
        async with self._per_leader.turn(item.leader_id), self._in_flight:
            claimed_at = self._claims.get(item.reminder_id)
            if claimed_at is None or self.clock() - claimed_at >= reminders.SEND_WITHIN:
                # Its renewals failed: another process may claim it before this one is
                # through. Left to be claimed again once the claim has lapsed.
                log.warning("reminder %s not sent now: its claim was not renewed", item.reminder_id)
                self._claims.pop(item.reminder_id, None)
                return False
            try:
                await send_long(bot, item.leader_id, split_for_telegram(item.text), item.markup)
            except TelegramError as refused:
                error = refused
        self.results.answered(item.reminder_id, item.leader_id, item.attempts, error)
        return error is None
