"""Keeping data no longer than needed: erase closed cases, ask about forgotten open ones.

Runs as a job every hour, in one bot process at a time. A closed case is erased
``RETENTION_CLOSED_DAYS`` after it was closed (the leader is told the date when
closing). An open case without activity for ``INACTIVE_CASE_DAYS`` gets one
reminder asking whether it can be closed; only new activity (or "keep it open")
makes room for another one later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram.ext import Application, ContextTypes

from bot import outbox
from bot.settings import Settings
from bot.storage import privacy, reminders
from bot.storage.database import RETENTION_LOCK, Database
from flows.follow_up import ReminderKind

log = logging.getLogger(__name__)

JOB_NAME = "retention"


class RetentionJob:
    """Erases what is kept too long, and plans the "close this case?" reminders."""

    def __init__(
        self, database: Database, settings: Settings, clock: Callable[[], datetime]
    ) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock

    def start(self, application: Application, interval: float = 3600) -> None:  # type: ignore[type-arg]
        """Run now and then every ``interval`` seconds."""
        assert application.job_queue is not None
        application.job_queue.run_repeating(self.tick, interval=interval, first=1, name=JOB_NAME)

    async def tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One round of erasing and asking."""
        await self.run_once()

    async def run_once(self) -> tuple[int, int]:
        """Erase and ask; returns (cases erased, reminders planned)."""
        now = self.clock()
        async with self.database.session() as session:
            sent: list[int] = []
            committed = False
            try:
                async with self.database.write_turn(), session.begin():
                    if not await self.database.take_turn(session, RETENTION_LOCK):
                        # Another bot process is doing this round; two would ask twice.
                        return 0, 0
                    # Screens sent go with the erasure, so none that named a child is
                    # left in the files once it is done.
                    sent = await outbox.forget_sent(session, self.database)
                    erased = await privacy.erase_closed_before(
                        session, now - timedelta(days=self.settings.retention_closed_days)
                    )
                    forgotten = await privacy.inactive_without_reminder(
                        session, now - timedelta(days=self.settings.inactive_case_days)
                    )
                    for case in forgotten:
                        reminders.plan(session, case, None, ReminderKind.INACTIVE, now, now)
                committed = True
            finally:
                outbox.forgotten(self.database, sent, committed)
            await self.database.erased(session)
        if erased or forgotten:
            log.info("retention: %d closed case(s) erased, %d asked about", erased, len(forgotten))
        return erased, len(forgotten)
