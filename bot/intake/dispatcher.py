"""Handling the inbox: different leaders at once, each leader's updates in order.

See ``bot.intake`` for the design. :meth:`InboxDispatcher.wake` is called after
updates are stored; a periodic sweep finds what nobody woke (updates stored by a
process that died, or left over from before a restart).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from telegram import Update
from telegram.ext import Application

from bot.storage import inbox
from bot.storage.database import Database

log = logging.getLogger(__name__)

#: How many leaders' updates are handled at once.
CONCURRENCY = 32
#: How often the inbox is looked through for updates nobody woke.
SWEEP_INTERVAL = 1.0
#: Telegram keeps an update at most this long: no later delivery needs a tombstone.
TOMBSTONE_TIME = timedelta(hours=24)


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
        self._stopping = False
        self._sweeper: asyncio.Task[None] | None = None
        self._handled_since_purge = 0
        #: The polling offset Telegram has confirmed: tombstones below it can go.
        self.acknowledged_below: int | None = None
        #: Updates handled by this process (for the logs and the benchmark).
        self.handled = 0

    async def start(self) -> None:
        """Handle what was left in the inbox first, then keep sweeping."""
        self.wake(await inbox.pending_senders(self._database))
        self._sweeper = asyncio.create_task(self._sweep(), name="inbox-sweep")

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
                        # Another process handles this leader now; it looks again when done.
                        return
                    try:
                        await self._drain(sender)
                    finally:
                        await self._claims.give_back(sender)
                    # Another process may have stored an update while we held the claim,
                    # and been refused it: look once more now that it is free.
                    if (
                        self._database.kind == "postgresql"
                        and sender not in self._woken
                        and await inbox.has_pending(self._database, sender)
                    ):
                        continue
                    if sender not in self._woken:
                        return
        except Exception:
            # The database is away: the sweep tries again.
            log.exception("could not handle the inbox of %s", sender)
        finally:
            # Leave at once, not in a callback later: a wake from now on starts a new worker.
            del self._workers[sender]

    async def _drain(self, sender: int) -> None:
        while not self._stopping:
            self._woken.discard(sender)
            found = await inbox.next_pending(self._database, sender)
            if found is None:
                return
            update_id, payload = found
            await self._handle(update_id, payload)

    async def _handle(self, update_id: int, payload: str) -> None:
        try:
            update = Update.de_json(json.loads(payload), self._application.bot)
        except (ValueError, TypeError, KeyError):
            log.error("update %s in the inbox cannot be read; dropped", update_id)
        else:
            # Errors in handlers go to the Application's error handler; this returns.
            await self._application.process_update(update)
        # The turn marks its update in its own transaction. An update no turn took (a
        # group, a stale button, a photo, an error) has no effects to go with: mark it.
        database = self._database
        async with database.write_turn(), database.session() as session, session.begin():
            await inbox.mark_done(session, update_id)
        self.handled += 1
        self._handled_since_purge += 1

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_interval)
            try:
                self.wake(await inbox.pending_senders(self._database))
                if self._handled_since_purge:
                    self._handled_since_purge = 0
                    await inbox.purge(
                        self._database,
                        acknowledged_below=self.acknowledged_below,
                        before=datetime.now(UTC) - TOMBSTONE_TIME,
                    )
            except Exception:
                log.warning("could not look through the inbox; trying again", exc_info=True)
