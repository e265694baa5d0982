"""A case's history: the lines the protocol's events add to it.

Each effect of :mod:`flows.protocol` answers the history lines it causes (consent, a
talk held, each agreement, each outcome, what a leader chose when the protocol did
not fit, …); the bot writes them with the leader who made them and the moment. A
line holds a kind and a value of one of the enums below — never free text, so the
history can become a team's timeline of a case without holding more about a child
than the case itself does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class HistoryKind(StrEnum):
    """What a line of a case's history records (the values are stored)."""

    CONSENT = "consent"
    """Step 1: the child who is bullied agreed, or not (a :class:`flows.case.Consent`)."""
    TALK_HELD = "talk_held"
    AGREEMENT = "agreement"
    OUTCOME = "outcome"
    """A follow-up talk and its outcome (a :class:`flows.follow_up.Outcome`)."""
    REPORTED_BACK = "reported_back"
    AGREEMENT_ENDED = "agreement_ended"
    """With a new proposal, an earlier agreement no longer stands (its id as the detail)."""
    AGREEMENT_STANDS = "agreement_stands"
    """An agreement marked as ended stands again after all (its id as the detail)."""
    CLOSED = "closed"
    ROLE = "role"
    """A child's role corrected once the case is set up (a :class:`flows.case.Role`)."""

    APPROACH = "approach"
    """The approach the case goes on with (a :class:`flows.approaches.Approach`)."""
    STEP1 = "step1"
    """After a "no" in step 1, what the leader does (a :class:`Step1Choice`)."""
    NEXT_STEP = "next_step"
    """After rounds without "stopped", the next step chosen (an :class:`NextStepChoice`)."""


#: The kinds of line that record what a leader chose when the protocol did not fit.
CHOICE_KINDS = (HistoryKind.APPROACH, HistoryKind.STEP1, HistoryKind.NEXT_STEP)


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


@dataclass(frozen=True)
class HistoryLine:
    """A line an event adds to the case's history; who and when, the bot knows."""

    kind: HistoryKind
    child_id: int | None = None
    """The child it is about; ``None`` for the case as a whole."""
    detail: str | None = None
    """A value such as the outcome or the choice (an enum's value or a record's id, never
    typed text)."""
