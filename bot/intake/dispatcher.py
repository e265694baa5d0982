"""Handling the inbox: different leaders at once, each leader's updates in order.

See ``bot.intake`` for the design. :meth:`InboxDispatcher.taken_in` is called after
updates are stored; a periodic sweep finds what nobody woke (updates stored by a
process that died, or left over from before a restart).

What it costs per update: the inbox is asked once which of a leader's updates wait
(ids only; an update this process stored is handed over from memory, not read and
decrypted again), and the turn marks its update done in its own transaction; only
an update no turn took is marked in a transaction of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import DBAPIError
from telegram import Update
from telegram.ext import Application

from bot import outbox, shown
from bot.intake.unsaved import why
from bot.storage import inbox
from bot.storage.database import Database
from bot.turn import SERVICES_KEY, Services

log = logging.getLogger(__name__)

#: How many leaders' updates are handled at once.
CONCURRENCY = 32
#: How often the inbox is looked through for updates nobody woke.
SWEEP_INTERVAL = 1.0
#: How long the newest update a leader had handled is remembered after their worker ends:
#: far longer than storing a batch and handing it over takes.
TAKEN_KEPT = 60.0
#: Telegram keeps an update at most this long: no later delivery needs a tombstone.
TOMBSTONE_TIME = timedelta(hours=24)


def services_of(application: Application) -> Services:  # type: ignore[type-arg]
    """The services ``application`` was built with (``bot.turn``)."""
    found = application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


class InboxDispatcher:
    """Takes stored updates from the inbox and hands them to the Application."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        database: Database,
        *,
        concurrency: int = CONCURRENCY,
        sweep_interval: float = SWEEP_INTERVAL,
    ) -> None:
        self._application = application
        self._database = database
        self._slots = asyncio.Semaphore(concurrency)
        self._claims = inbox.LeaderClaims(database)
        self._sweep_interval = sweep_interval
        self._workers: dict[int, asyncio.Task[None]] = {}
        # Leaders woken since their worker last looked at the inbox.
        self._woken: set[int] = set()
        # Updates this process stored and has not handled yet, by leader: no need to read
        # them back from the inbox.
        self._held: dict[int, dict[int, Update]] = {}
        # The newest update of each leader this process took in hand, and when: an update
        # is handled once even when a sweep finds it stored before it is held.
        self._taken: dict[int, tuple[int, float]] = {}
        # Leaders whose waiting updates may not all be held: found by the sweep or at start.
        self._look_in_inbox: set[int] = set()
        # Leaders found with screens committed and not sent (see ``bot.outbox``).
        self._left_over: set[int] = set()
        # On SQLite one process serves a database file: what it holds is all there is.
        self._only_process = database.kind != "postgresql"
        self._stopping = False
        self._sweeper: asyncio.Task[None] | None = None
        self._handled_since_purge = 0
        # Since when handling the inbox fails for want of a database (``None``: it works).
        self._failing_since: float | None = None
        #: The polling offset Telegram has confirmed: tombstones below it can go.
        self.acknowledged_below: int | None = None
        #: Updates handled by this process (for the logs and the benchmark).
        self.handled = 0

    async def start(self) -> None:
        """Handle what was left in the inbox first, then keep sweeping."""
        self._wake_left_over(await outbox.leaders_with_left_over(self._database))
        self._wake_from_inbox(await inbox.pending_senders(self._database))
        self._sweeper = asyncio.create_task(self._sweep(), name="inbox-sweep")

    async def take_in(
        self, updates: Sequence[Update], as_sent: Mapping[int, str] | None = None
    ) -> None:
        """Store ``updates`` in the inbox, then handle them; raises if they are not stored.

        Only once this returns may Telegram be told they arrived. An update is held in
        memory once it is stored, never before: nothing is handled that is not stored.
        One stored before (a second delivery), or one this process already took from
        the inbox (a sweep may find it stored before this returns), is not held: the
        inbox decides.
        """
        new = await inbox.store(self._database, updates, as_sent)
        for update in updates:
            sender = inbox.sender_of(update)
            if update.update_id in new and update.update_id > self._taken_up_to(sender):
                self._held.setdefault(sender, {})[update.update_id] = update
            else:
                self._look_in_inbox.add(sender)
        self.wake(inbox.sender_of(update) for update in updates)

    def _taken_up_to(self, sender: int) -> int:
        """The newest update of ``sender`` this process has taken in hand (-1: none)."""
        taken = self._taken.get(sender)
        return taken[0] if taken is not None else -1

    def _wake_from_inbox(self, senders: Iterable[int]) -> None:
        senders = list(senders)
        self._look_in_inbox.update(senders)
        self.wake(senders)

    def _wake_left_over(self, leaders: Iterable[int]) -> None:
        """These leaders have screens committed and not sent: the one who claims them sends."""
        leaders = list(leaders)
        self._left_over.update(leaders)
        self.wake(leaders)

    async def _send_left_over(self, sender: int) -> None:
        """Holding ``sender``'s claim: their screens not sent yet are left over; send them."""
        if sender not in self._left_over:
            return
        self._left_over.discard(sender)
        shared = services_of(self._application)
        await outbox.resend(
            self._application.bot, self._database, sender, shared.reply_retry, shared.clock()
        )

    def wake(self, senders: Iterable[int]) -> None:
        """New updates of ``senders`` are stored: handle them."""
        for sender in senders:
            self._woken.add(sender)
            if sender in self._workers or self._stopping:
                continue
            self._workers[sender] = asyncio.create_task(self._work(sender), name=f"inbox-{sender}")

    async def stop(self) -> None:
        """Finish the updates in hand; what is still waiting stays in the inbox."""
        self._stopping = True
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        if self._workers:
            await asyncio.gather(*self._workers.values(), return_exceptions=True)
        await outbox.forget_all(self._database)
        await self._claims.close()

    async def idle(self) -> None:
        """Wait until no update is being handled (the benchmark's and the tests' measure)."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)

    async def _work(self, sender: int) -> None:
        try:
            async with self._slots:
                while not self._stopping:
                    self._woken.discard(sender)
                    if not await self._claims.take(sender):
                        # Another process handles this leader now; it reads the inbox itself.
                        self._held.pop(sender, None)
                        return
                    try:
                        await self._send_left_over(sender)
                        await self._drain(sender)
                    finally:
                        await self._claims.give_back(sender)
                        if not self._only_process:
                            # Another process may edit the leader's messages now.
                            shown.of_bot(self._application.bot).forget(sender)
                    # Another process may have stored an update while we held the claim,
                    # and been refused it: look once more now that it is free.
                    if (
                        self._database.kind == "postgresql"
                        and sender not in self._woken
                        and await inbox.pending_of(self._database, sender)
                    ):
                        continue
                    if sender not in self._woken:
                        return
        except DBAPIError as error:
            # The database is away or refuses writes: the sweep tries again.
            self._database_failed(error)
        except Exception:
            log.exception("could not handle the inbox of %s", sender)
        finally:
            # Leave at once, not in a callback later: a wake from now on starts a new worker.
            del self._workers[sender]
            if not self._held.get(sender, True):
                del self._held[sender]

    async def _drain(self, sender: int) -> None:
        """Handle what ``sender`` has waiting, in order, until nothing new was stored."""
        while not self._stopping:
            self._woken.discard(sender)
            held = self._held.get(sender, {})
            if self._only_process and sender not in self._look_in_inbox:
                waiting = sorted(held)
            else:
                self._look_in_inbox.discard(sender)
                waiting = await inbox.pending_of(self._database, sender)
            for update_id in [u for u in held if u not in waiting]:
                # Handled already (by another process, or before a restart).
                del held[update_id]
            for update_id in waiting:
                if self._stopping:
                    return
                update = held.pop(update_id, None)
                if update_id <= self._taken_up_to(sender):
                    # Taken in hand here before, and left unmarked by a failure: it is
                    # not handled twice.
                    await inbox.mark_done_alone(self._database, update_id)
                    continue
                self._taken[sender] = (update_id, time.monotonic())
                await self._handle(update_id, update)
            if sender not in self._woken:
                # Nothing stored for this leader since the inbox was asked.
                return

    async def _handle(self, update_id: int, update: Update | None) -> None:
        if update is None:
            update = await self._read(update_id)
        marks = inbox.expect_turn(update_id)
        if update is not None:
            # Errors in handlers go to the Application's error handler; this returns.
            await self._application.process_update(update)
        if not marks.committed:
            # No turn took it (a group, a stale button, a photo, an error), or the turn
            # failed: there are no effects to go with, so it is marked on its own.
            await inbox.mark_done_alone(self._database, update_id)
        self.handled += 1
        self._handled_since_purge += 1
        self._database_works()

    async def _read(self, update_id: int) -> Update | None:
        """An update stored by another process or before a restart, from the inbox."""
        payload = await inbox.payload_of(self._database, update_id)
        if payload is None:
            return None
        try:
            return Update.de_json(json.loads(payload), self._application.bot)
        except Exception as error:
            # Stored by a process that could read it (another version): set aside.
            await inbox.quarantine(self._database, update_id, payload, error)
            log.error(inbox.quarantine_line(update_id, error))
            return None

    def _database_failed(self, error: DBAPIError) -> None:
        """The operator reads once that the inbox cannot be handled, not every second."""
        if self._failing_since is None:
            self._failing_since = time.monotonic()
            log.error("could not handle the inbox (%s); trying again every second", why(error))
        else:
            log.debug("still could not handle the inbox (%s)", why(error))

    def _database_works(self) -> None:
        if self._failing_since is not None:
            log.warning(
                "the inbox is handled again, after %.1f s", time.monotonic() - self._failing_since
            )
            self._failing_since = None

    def _forget_taken(self) -> None:
        """Forget what leaders no worker handles took in hand a while ago (memory stays small)."""
        before = time.monotonic() - TAKEN_KEPT
        for sender, (_, at) in list(self._taken.items()):
            if at < before and sender not in self._workers:
                del self._taken[sender]

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_interval)
            try:
                self._forget_taken()
                self._wake_left_over(await outbox.leaders_with_left_over(self._database))
                self._wake_from_inbox(await inbox.pending_senders(self._database))
                if self._handled_since_purge:
                    self._handled_since_purge = 0
                    await inbox.purge(
                        self._database,
                        acknowledged_below=self.acknowledged_below,
                        before=datetime.now(UTC) - TOMBSTONE_TIME,
                    )
            except DBAPIError as error:
                self._database_failed(error)
            except Exception:
                log.warning("could not look through the inbox; trying again", exc_info=True)
