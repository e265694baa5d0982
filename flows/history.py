"""A case's history: what a leader chose when the protocol did not fit or did not work.

Each entry is a moment, a kind and a value of one of the enums below — never free
text, so the history can become a team's timeline of a case without holding more
about a child than the case itself does.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol


class HistoryKind(StrEnum):
    """What an entry of a case's history records."""

    APPROACH = "approach"
    """The approach the case goes on with (a :class:`flows.approaches.Approach`)."""
    STEP1 = "step1"
    """After a "no" in step 1, what the leader does (a :class:`Step1Choice`)."""
    NEXT_STEP = "next_step"
    """After rounds without "stopped", the next step chosen (an :class:`NextStepChoice`)."""


class Step1Choice(StrEnum):
    """What a leader does after the child who is bullied said "no" (yet) in step 1."""

    TRY_LATER = "later"
    TEAM = "team"
    WATCH = "watch"


class NextStepChoice(StrEnum):
    """What a leader does when the bullying has not stopped after several follow-ups."""

    TEAM = "team"
    """Involve the team or the group leadership."""
    PARENTS = "parents"
    """Talk with the parents."""
    APPROACH = "approach"
    """Another approach (see :mod:`flows.approaches`)."""
    SUPPORT = "support"
    """Support for the child who is bullied (a help line)."""
    GO_ON = "go_on"
    """Another round of follow-up first."""


class HistoryRecord(Protocol):
    """One entry of a case's history."""

    child_id: int | None
    at: datetime
    kind: str
    detail: str
