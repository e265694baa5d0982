"""The teams' rounds: unanswered nudges go to co-leaders; the new working year's question.

Runs as a job as often as the nudges are looked for, in one bot process at a time.

A follow-up nudge of a shared case that was sent and not acted on within the team's
setting (``teams.escalate_after_hours``, 24 hours unless the coordinator chose
otherwise) becomes a reminder for each other leader who shares the case, with
"I'll take it" (see ``bot.storage.escalations.escalate_due``), due before that leader's
next activity when they have a rhythm; the nudge dispatcher sends those like any other.

On the 1st of the month a team chose as the start of its working year (September
unless its coordinator picked another), each member is asked about each of their
open cases: hand it over, close it, or keep it (see ``bot.storage.handovers.ask_new_year``),
again before their next activity when they have a rhythm.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from telegram.ext import Application, ContextTypes

from bot.storage import escalations, handovers
from bot.storage.database import STARTUP_LOCK, Database

log = logging.getLogger(__name__)

JOB_NAME = "team_rounds"
#: The advisory lock key of a round (see ``Database.take_turn``).
TEAM_ROUNDS_LOCK = STARTUP_LOCK + 2


class TeamRounds:
    """Asks co-leaders about unanswered nudges, and members about the new working year."""

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

    async def run_once(self) -> tuple[int, int]:
        """One round; returns (nudges escalated, new-year questions planned)."""
        now = self.clock()
        async with (
            self.database.write_turn(),
            self.database.session() as session,
            session.begin(),
        ):
            if not await self.database.take_turn(session, TEAM_ROUNDS_LOCK):
                return 0, 0
            escalated = await escalations.escalate_due(session, now)
            asked = await handovers.ask_new_year(session, now)
        if escalated or asked:
            log.info(
                "teams: %d unanswered nudge(s) went to co-leaders, %d new-year question(s)",
                escalated,
                asked,
            )
        return escalated, asked
