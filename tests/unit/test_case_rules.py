"""Where a case stands, and the rules between the protocol's steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from flows.case import (
    Consent,
    Next,
    NextStep,
    Role,
    clean_text,
    find_child,
    may_start_step2,
    next_step,
    step1_settled,
)
from flows.follow_up import ReminderStatus

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


@dataclass
class FollowUp:
    due_at: datetime
    status: str = ReminderStatus.PENDING


@dataclass
class Child:
    id: int
    nickname: str = "T."
    role: str = Role.PESTER
    facts: str | None = None
    feeling: str | None = None
    held_at: datetime | None = None
    reported_back_at: datetime | None = None
    open_follow_up: FollowUp | None = None


@dataclass
class Case:
    id: int = 1
    victim_nickname: str = "S."
    consent: str = Consent.NOT_ASKED
    may_tell: str | None = None
    closed_at: datetime | None = None
    children: list[Child] = field(default_factory=list)


def test_a_new_case_asks_who_bullies_first() -> None:
    assert next_step(Case()) == NextStep(Next.ADD_CHILD)


def test_then_step_1_asks_the_child_who_is_bullied() -> None:
    case = Case(children=[Child(1)])
    assert next_step(case) == NextStep(Next.ASK_CONSENT)
    assert next_step(case).step == 1


def test_a_refusal_keeps_the_case_in_step_1_and_offers_no_step_2() -> None:
    case = Case(consent=Consent.DECLINED, children=[Child(1, facts="x", feeling="sad")])
    assert next_step(case) == NextStep(Next.CONSENT_DECLINED)
    assert not may_start_step2(case)


def test_agreement_without_what_may_be_told_is_not_settled() -> None:
    case = Case(consent=Consent.AGREED, children=[Child(1)])
    assert not step1_settled(case)
    assert not may_start_step2(case)
    assert next_step(case) == NextStep(Next.RECORD_MAY_TELL)


def test_step_2_goes_child_by_child_through_facts_feeling_talk_plan_and_report_back() -> None:
    tom, lies = Child(1), Child(2)
    case = Case(consent=Consent.AGREED, may_tell="it hurts", children=[tom, lies])
    assert may_start_step2(case)
    assert next_step(case) == NextStep(Next.PREPARE_CONVERSATION, 1)
    tom.facts = "laughed"
    assert next_step(case) == NextStep(Next.CHOOSE_FEELING, 1)
    tom.feeling = "angry"
    assert next_step(case) == NextStep(Next.HOLD_CONVERSATION, 1)
    tom.held_at = NOW
    assert next_step(case) == NextStep(Next.PLAN_FOLLOW_UP, 1)
    tom.open_follow_up = FollowUp(NOW + timedelta(days=7))
    assert next_step(case) == NextStep(Next.REPORT_BACK, 1)
    tom.reported_back_at = NOW
    assert next_step(case) == NextStep(Next.PREPARE_CONVERSATION, 2)
    lies.facts, lies.feeling, lies.held_at, lies.reported_back_at = "x", "sad", NOW, NOW
    assert next_step(case) == NextStep(Next.PLAN_FOLLOW_UP, 2)
    lies.open_follow_up = FollowUp(NOW + timedelta(days=2))
    # Step 3: the earliest follow-up is the next thing.
    assert next_step(case) == NextStep(Next.FOLLOW_UP, 2)
    assert next_step(case).step == 3


def test_a_follow_up_that_came_due_waits_for_its_outcome_first() -> None:
    done = {"facts": "x", "feeling": "sad", "held_at": NOW, "reported_back_at": NOW}
    tom = Child(1, **done, open_follow_up=FollowUp(NOW + timedelta(days=9)))  # type: ignore[arg-type]
    lies = Child(2, **done, open_follow_up=FollowUp(NOW, ReminderStatus.SENT))  # type: ignore[arg-type]
    case = Case(consent=Consent.AGREED, may_tell="x", children=[tom, lies])
    assert next_step(case) == NextStep(Next.RECORD_FOLLOW_UP, 2)


def test_without_a_planned_follow_up_the_leader_is_asked_to_plan_one() -> None:
    done = {"facts": "x", "feeling": "sad", "held_at": NOW, "reported_back_at": NOW}
    case = Case(consent=Consent.AGREED, may_tell="x", children=[Child(1, **done)])  # type: ignore[arg-type]
    assert next_step(case) == NextStep(Next.PLAN_FOLLOW_UP, 1)


def test_a_closed_case_has_nothing_left_and_no_step_2() -> None:
    case = Case(consent=Consent.AGREED, may_tell="x", closed_at=NOW, children=[Child(1)])
    assert next_step(case) == NextStep(Next.CLOSED)
    assert not may_start_step2(case)


def test_find_child_refuses_a_child_of_another_case() -> None:
    case = Case(children=[Child(7)])
    assert find_child(case, 7) is case.children[0]
    assert find_child(case, 8) is None


@pytest.mark.parametrize(
    ("typed", "limit", "single_line", "expected"),
    [
        ("  Tom  ", 40, True, "Tom"),
        ("T.\nV.", 40, True, "T. V."),
        ("", 40, True, None),
        ("   ", 40, True, None),
        (None, 40, True, None),
        ("x" * 41, 40, True, None),
        ("x" * 40, 40, True, "x" * 40),
        ("line one\nline two", 100, False, "line one\nline two"),
    ],
)
def test_clean_text(typed: str | None, limit: int, single_line: bool, expected: str | None) -> None:
    assert clean_text(typed, limit, single_line=single_line) == expected
