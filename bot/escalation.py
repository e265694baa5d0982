"""Follow-up nudges nobody answered go to the co-leaders who share the case.

Runs as a job as often as the nudges are looked for, in one bot process at a time.
A follow-up nudge of a shared case that was sent and not acted on within the team's
setting (``teams.escalate_after_hours``, 24 hours unless the coordinator chose
otherwise) becomes a reminder for each other leader who shares the case, with
"I'll take it" (see ``bot.storage.teams.escalate_due``); the nudge dispatcher sends
those like any other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from telegram.ext import Application, ContextTypes

from bot.storage import teams
from bot.storage.database import STARTUP_LOCK, Database

log = logging.getLogger(__name__)

JOB_NAME = "escalation"
#: The advisory lock key of an escalation round (see ``Database.take_turn``).
ESCALATION_LOCK = STARTUP_LOCK + 2


class EscalationJob:
    """Looks for unanswered nudges of shared cases and asks the co-leaders."""

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.clock = clock

    def start(self, application: Application, interval: float) -> None:  # type: ignore[type-arg]
        """Run every ``interval`` seconds."""
        assert application.job_queue is not None
        application.job_queue.run_repeating(
            self.tick, interval=interval, first=interval, name=JOB_NAME
        )

    async def tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One round."""
        await self.run_once()

    async def run_once(self) -> int:
        """Escalate what is due; returns how many nudges were escalated."""
        now = self.clock()
        async with self.database.session() as session, session.begin():
            if not await self.database.take_turn(session, ESCALATION_LOCK):
                return 0
            escalated = await teams.escalate_due(session, now)
        if escalated:
            log.info("escalation: %d unanswered nudge(s) went to co-leaders", escalated)
        return escalated
