"""A case and where it stands in the protocol.

A case is one bullying situation: one child who is bullied and one or more
children who bully (pester) or join in (meepester). Each of those gets a step-2
conversation of their own.

The rules here read a case through the small :class:`CaseView` and
:class:`ChildView` protocols, so the bot's database rows can be passed in as they
are and the tests can pass plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from flows.follow_up import ReminderStatus
from flows.language import N_

#: How long a nickname may be: a nickname or initials, never a full name.
NICKNAME_MAX = 40
#: Free texts about what happened or what may be told.
LONG_TEXT_MAX = 1000
#: One agreement, one thing the child proposes to do.
AGREEMENT_MAX = 500
#: More agreements than this for one conversation is no longer a clear plan.
AGREEMENTS_PER_CONVERSATION_MAX = 10
#: Children who bully or join in, per case.
CHILDREN_PER_CASE_MAX = 8
#: A feeling typed by the leader instead of picked.
FEELING_MAX = 60


class Role(StrEnum):
    """How a child takes part in the bullying."""

    PESTER = "pester"
    MEEPESTER = "meepester"


ROLE_TEXT: dict[Role, str] = {
    Role.PESTER: N_("bullies"),
    Role.MEEPESTER: N_("joins in"),
}


class Consent(StrEnum):
    """The answer of the child who is bullied to step 1's first question."""

    NOT_ASKED = "not_asked"
    AGREED = "agreed"
    DECLINED = "declined"


class Feeling(StrEnum):
    """The feelings the protocol names for "Ik voel me …"."""

    ANGRY = "angry"
    HAPPY = "happy"
    AFRAID = "afraid"
    SAD = "sad"


#: The word that completes "I feel …" (translated where shown).
FEELING_TEXT: dict[Feeling, str] = {
    Feeling.ANGRY: N_("angry"),
    Feeling.HAPPY: N_("happy"),
    Feeling.AFRAID: N_("afraid"),
    Feeling.SAD: N_("sad"),
}


class FollowUpView(Protocol):
    """What the rules read of a planned follow-up (a reminder)."""

    @property
    def due_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...


class ChildView(Protocol):
    """What the rules read of a child who bullies or joins in."""

    @property
    def id(self) -> int: ...
    @property
    def nickname(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def facts(self) -> str | None: ...
    @property
    def feeling(self) -> str | None: ...
    @property
    def held_at(self) -> datetime | None: ...
    @property
    def reported_back_at(self) -> datetime | None: ...
    @property
    def open_follow_up(self) -> FollowUpView | None: ...


class CaseView(Protocol):
    """What the rules read of a case."""

    @property
    def id(self) -> int: ...
    @property
    def victim_nickname(self) -> str: ...
    @property
    def consent(self) -> str: ...
    @property
    def may_tell(self) -> str | None: ...
    @property
    def closed_at(self) -> datetime | None: ...
    @property
    def children(self) -> Sequence[ChildView]: ...


class Next(StrEnum):
    """The next thing to do in a case."""

    ADD_CHILD = "add_child"
    ASK_CONSENT = "ask_consent"
    CONSENT_DECLINED = "consent_declined"
    RECORD_MAY_TELL = "may_tell"
    PREPARE_CONVERSATION = "prepare"
    CHOOSE_FEELING = "feeling"
    HOLD_CONVERSATION = "hold"
    PLAN_FOLLOW_UP = "plan"
    REPORT_BACK = "report_back"
    RECORD_FOLLOW_UP = "record"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


@dataclass(frozen=True)
class NextStep:
    """The next thing to do, and for which child (``None`` when it concerns the case)."""

    what: Next
    child_id: int | None = None

    @property
    def step(self) -> int:
        """The protocol's step number this belongs to (1, 2 or 3; 0 for setting up)."""
        return _STEP_OF[self.what]


_STEP_OF = {
    Next.ADD_CHILD: 0,
    Next.ASK_CONSENT: 1,
    Next.CONSENT_DECLINED: 1,
    Next.RECORD_MAY_TELL: 1,
    Next.PREPARE_CONVERSATION: 2,
    Next.CHOOSE_FEELING: 2,
    Next.HOLD_CONVERSATION: 2,
    Next.PLAN_FOLLOW_UP: 3,
    Next.REPORT_BACK: 2,
    Next.RECORD_FOLLOW_UP: 3,
    Next.FOLLOW_UP: 3,
    Next.CLOSED: 3,
}


def step1_settled(case: CaseView) -> bool:
    """Step 1 is settled when the child agreed and what may be told is recorded."""
    return case.consent == Consent.AGREED and bool(case.may_tell)


def may_start_step2(case: CaseView) -> bool:
    """Step 2 is never offered before the child who is bullied agreed in step 1."""
    return case.closed_at is None and step1_settled(case)


def child_next(case: CaseView, child: ChildView) -> NextStep | None:
    """What is left to do for one child before step 3's waiting, or ``None``."""
    if child.facts is None:
        return NextStep(Next.PREPARE_CONVERSATION, child.id)
    if child.feeling is None:
        return NextStep(Next.CHOOSE_FEELING, child.id)
    if child.held_at is None:
        return NextStep(Next.HOLD_CONVERSATION, child.id)
    if child.open_follow_up is None:
        return NextStep(Next.PLAN_FOLLOW_UP, child.id)
    if child.reported_back_at is None:
        return NextStep(Next.REPORT_BACK, child.id)
    return None


def next_step(case: CaseView) -> NextStep:
    """The one next thing to do in ``case``, in the protocol's order."""
    if case.closed_at is not None:
        return NextStep(Next.CLOSED)
    if not case.children:
        return NextStep(Next.ADD_CHILD)
    if case.consent == Consent.NOT_ASKED:
        return NextStep(Next.ASK_CONSENT)
    if case.consent == Consent.DECLINED:
        return NextStep(Next.CONSENT_DECLINED)
    if not case.may_tell:
        return NextStep(Next.RECORD_MAY_TELL)
    for child in case.children:
        step = child_next(case, child)
        if step is not None:
            return step
    # Step 3: every child has a follow-up planned; one that came due waits for its outcome.
    planned = [(c.open_follow_up, c) for c in case.children if c.open_follow_up is not None]
    for follow_up, child in planned:
        if follow_up.status == ReminderStatus.SENT:
            return NextStep(Next.RECORD_FOLLOW_UP, child.id)
    _, first = min(planned, key=lambda pair: pair[0].due_at)
    return NextStep(Next.FOLLOW_UP, first.id)


def find_child(case: CaseView, child_id: int) -> ChildView | None:
    """The child of ``case`` with ``child_id``, or ``None`` (e.g. a forged button)."""
    return next((c for c in case.children if c.id == child_id), None)


def clean_text(text: str | None, limit: int, *, single_line: bool = False) -> str | None:
    """Trim what a leader typed; ``None`` when empty or longer than ``limit``."""
    if text is None:
        return None
    cleaned = text.strip()
    if single_line:
        cleaned = " ".join(cleaned.split())
    if not cleaned or len(cleaned) > limit:
        return None
    return cleaned
