"""What an effect of the protocol is given besides the case and its event.

``now``, the leader's :class:`Rhythm`, and :class:`Records`, through which the
effects make new records (the bot's are database rows, the tests' plain objects):
nothing in :mod:`flows.protocol` reads a clock, a database or Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flows.case import AgreementRecord, CaseRecord, ChildRecord, RoundRecord
from flows.follow_up import Outcome, ReminderKind
from flows.follow_up_timing import Rhythm


class Records(Protocol):
    """Makes the new records of a case; the bot's are database rows."""

    def add_child(self, case: CaseRecord, nickname: str) -> ChildRecord:
        """A new child (who bullies, until the leader picks a role) at the end of the case."""
        ...

    def add_agreement(
        self, child: ChildRecord, text: str, round_: RoundRecord | None, now: datetime
    ) -> None:
        """An agreement of step 2 (``round_`` is ``None``) or of a follow-up's new proposal."""
        ...

    def add_round(
        self, child: ChildRecord, outcome: Outcome, previous_choice: str | None, now: datetime
    ) -> RoundRecord:
        """A follow-up talk that took place, with its outcome."""
        ...

    def plan_reminder(
        self,
        case: CaseRecord,
        child: ChildRecord,
        kind: ReminderKind,
        due_at: datetime,
        now: datetime,
        choice: str | None = None,
    ) -> None:
        """A new pending reminder of ``kind``; an open one of that kind is cancelled first."""
        ...

    def erase_reminders(self, case: CaseRecord) -> None:
        """Every reminder of a closed case, gone."""
        ...

    def remove_agreement(self, child: ChildRecord, agreement: AgreementRecord) -> None:
        """An agreement the leader deleted."""
        ...

    def remove_child(self, case: CaseRecord, child: ChildRecord) -> None:
        """A child added by mistake, with everything recorded for them."""
        ...


@dataclass(frozen=True)
class Moment:
    """What time it is for the leader: ``now``, their rhythm, and where new records go."""

    now: datetime
    rhythm: Rhythm
    records: Records

    def touch(self, case: CaseRecord) -> None:
        """Mark ``case`` as changed now."""
        case.updated_at = self.now
