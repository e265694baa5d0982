"""A case as plain objects: the protocol's records without a database."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flows.case import (
    NO_ROLE,
    AgreementRecord,
    CaseRecord,
    ChildRecord,
    Consent,
    Role,
    RoundRecord,
)
from flows.follow_up import Outcome, ReminderKind, ReminderStatus

_ids = itertools.count(1)


@dataclass
class Reminder:
    kind: str
    due_at: datetime
    status: str = ReminderStatus.PENDING
    choice: str | None = None
    late: bool = False
    sent_at: datetime | None = None


@dataclass
class Agreement:
    text: str
    follow_up_id: int | None = None
    id: int = field(default_factory=lambda: next(_ids))
    ended_in: int | None = None


@dataclass
class Round:
    outcome: str
    recorded_at: datetime
    previous_choice: str | None = None
    id: int = field(default_factory=lambda: next(_ids))
    victim_view: str | None = None


@dataclass
class Child:
    nickname: str = "T."
    role: str = Role.PESTER
    consent: str = Consent.NOT_ASKED
    may_tell: str | None = None
    witnessed: bool = True
    facts: str | None = None
    feeling: str | None = None
    held_at: datetime | None = None
    reported_back_at: datetime | None = None
    agreements: list[Agreement] = field(default_factory=list)
    follow_ups: list[Round] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    id: int = field(default_factory=lambda: next(_ids))


@dataclass
class Case:
    victim_nickname: str = "S."
    updated_at: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    closed_at: datetime | None = None
    children: list[Child] = field(default_factory=list)
    id: int = field(default_factory=lambda: next(_ids))
    erased_reminders: int = 0
    approach: str | None = None
    history: list[History] = field(default_factory=list)


@dataclass
class History:
    child_id: int | None
    at: datetime
    kind: str
    detail: str


class Records:
    """The protocol's new records, as plain objects in memory."""

    def add_child(self, case: CaseRecord, nickname: str) -> ChildRecord:
        assert isinstance(case, Case)
        child = Child(nickname=nickname, role=NO_ROLE)
        case.children.append(child)
        return child

    def add_agreement(
        self, child: ChildRecord, text: str, round_: RoundRecord | None, now: datetime
    ) -> None:
        assert isinstance(child, Child)
        child.agreements.append(Agreement(text, None if round_ is None else round_.id))

    def add_round(
        self, child: ChildRecord, outcome: Outcome, previous_choice: str | None, now: datetime
    ) -> RoundRecord:
        assert isinstance(child, Child)
        round_ = Round(outcome, now, previous_choice)
        child.follow_ups.append(round_)
        return round_

    def plan_reminder(
        self,
        case: CaseRecord,
        child: ChildRecord,
        kind: ReminderKind,
        due_at: datetime,
        now: datetime,
        choice: str | None = None,
    ) -> None:
        assert isinstance(child, Child)
        for old in child.reminders:
            if old.kind == kind and old.status in (
                ReminderStatus.PENDING,
                ReminderStatus.SENDING,
                ReminderStatus.SENT,
            ):
                old.status = ReminderStatus.CANCELLED
        child.reminders.append(Reminder(kind, due_at, choice=choice))

    def remove_agreement(self, child: ChildRecord, agreement: AgreementRecord) -> None:
        assert isinstance(child, Child) and isinstance(agreement, Agreement)
        child.agreements.remove(agreement)

    def remove_child(self, case: CaseRecord, child: ChildRecord) -> None:
        assert isinstance(case, Case) and isinstance(child, Child)
        case.children.remove(child)
        # As the database's ON DELETE CASCADE does: a child added by mistake leaves nothing.
        case.history = [h for h in case.history if h.child_id != child.id]

    def erase_reminders(self, case: CaseRecord) -> None:
        assert isinstance(case, Case)
        for child in case.children:
            case.erased_reminders += len(child.reminders)
            child.reminders.clear()
