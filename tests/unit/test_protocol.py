"""The protocol as a state machine: its table, its transitions, and its invariants.

The records are plain objects (``tests/support/plain_case.py``); the same rules run
on the bot's database rows.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import hypothesis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import events, protocol, replies
from flows.approaches import Approach
from flows.case import (
    ELLIPSIS,
    CaseStage,
    Consent,
    Feeling,
    Next,
    NextStep,
    Role,
    Stage,
    agreements_to_mark,
    case_stage,
    child_stage,
    clean_text,
    follow_up_number,
    follow_up_repeat,
    next_step,
    planned_follow_up,
    round_agreements,
    round_number,
    split_long,
    standing_agreements,
    step1_reminder_due,
)
from flows.escalation import VictimView
from flows.follow_up import (
    ASKED_AGAIN,
    OPEN_STATUSES,
    Outcome,
    ReminderKind,
    ReminderStatus,
    Snooze,
    asked_again_moment,
)
from flows.follow_up_timing import FollowUpChoice, Rhythm
from flows.history import CHOICE_KINDS, HistoryKind, NextStepChoice, Step1Choice
from flows.moment import Moment
from flows.replies import Awaiting, Screen
from flows.typed_day import parse_day
from tests.support.plain_case import Agreement, Case, Child, History, Records, Reminder, Round

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
RHYTHM = Rhythm(meeting_weekday=2, meeting_time=datetime(2026, 1, 1, 19).time())


def at(now: datetime = NOW) -> Moment:
    return Moment(now, RHYTHM, Records())


def handle(case: Case, event: events.Event, moment: Moment) -> replies.Reply:
    """The protocol's answer; the choices made go into the plain case's history."""
    reply = protocol.handle(case, event, moment)
    for line in reply.history:
        if line.kind in CHOICE_KINDS:
            assert line.detail is not None
            case.history.append(History(line.child_id, moment.now, line.kind, line.detail))
    return reply


def settled(*children: Child) -> Case:
    for child in children:
        child.consent, child.may_tell = Consent.AGREED, "that it hurts"
    return Case(children=list(children))


def talked(**fields: object) -> Child:
    done: dict[str, object] = {"facts": "x", "feeling": "sad", "held_at": NOW}
    done.update(fields)
    child = Child(**done)  # type: ignore[arg-type]
    child.agreements.append(Agreement("say sorry"))
    return child


# --- Where a case stands ----------------------------------------------------------------


def test_a_new_case_asks_who_bullies_first() -> None:
    assert next_step(Case(), NOW) == NextStep(Next.ADD_CHILD)


def test_then_step_1_asks_the_child_who_is_bullied() -> None:
    tom = Child()
    assert next_step(Case(children=[tom]), NOW) == NextStep(Next.ASK_CONSENT, tom.id)


def test_a_refusal_keeps_the_case_in_step_1_and_offers_no_step_2() -> None:
    child = Child(facts="x", feeling="sad", consent=Consent.DECLINED)
    case = Case(children=[child])
    assert next_step(case, NOW) == NextStep(Next.CONSENT_DECLINED, child.id)
    assert child_stage(case, child, NOW) is Stage.WAITING_FOR_STEP1
    assert not protocol.allowed(case, events.TalkHeld(child.id), NOW)


def test_agreement_without_what_may_be_told_is_not_settled() -> None:
    child = Child(consent=Consent.AGREED)
    case = Case(children=[child])
    assert next_step(case, NOW) == NextStep(Next.RECORD_MAY_TELL, child.id)
    assert not protocol.allowed(case, events.Witnessed(child.id, seen=True), NOW)


def test_each_child_goes_on_by_itself_and_reporting_back_is_never_a_gate() -> None:
    tom, lies = Child(), Child()
    case = settled(tom, lies)
    assert next_step(case, NOW) == NextStep(Next.PREPARE_CONVERSATION, tom.id)
    tom.facts = "laughed"
    assert next_step(case, NOW) == NextStep(Next.CHOOSE_FEELING, tom.id)
    tom.feeling = "angry"
    assert next_step(case, NOW) == NextStep(Next.HOLD_CONVERSATION, tom.id)
    tom.held_at = NOW
    assert next_step(case, NOW) == NextStep(Next.PLAN_FOLLOW_UP, tom.id)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW + timedelta(days=7)))
    # Not reported back to Sam yet: Lies's talk is next all the same.
    assert next_step(case, NOW) == NextStep(Next.PREPARE_CONVERSATION, lies.id)
    lies.facts, lies.feeling, lies.held_at, lies.reported_back_at = "x", "sad", NOW, NOW
    assert next_step(case, NOW) == NextStep(Next.PLAN_FOLLOW_UP, lies.id)
    lies.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW + timedelta(days=2)))
    # Everything else waits: now reporting back on Tom's talk is the next thing.
    assert next_step(case, NOW) == NextStep(Next.REPORT_BACK, tom.id)
    tom.reported_back_at = NOW
    # Step 3: the earliest follow-up is the next thing.
    assert next_step(case, NOW) == NextStep(Next.FOLLOW_UP, lies.id)


@pytest.mark.parametrize(
    "status", [ReminderStatus.PENDING, ReminderStatus.SENT, ReminderStatus.SENDING]
)
def test_a_follow_up_is_due_from_its_moment_not_from_its_delivery(status: str) -> None:
    tom = talked(reported_back_at=NOW)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW + timedelta(days=9)))
    lies = talked(reported_back_at=NOW)
    lies.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW, status=status))
    case = settled(tom, lies)
    assert next_step(case, NOW) == NextStep(Next.RECORD_FOLLOW_UP, lies.id)
    assert next_step(case, NOW - timedelta(minutes=1)) == NextStep(Next.FOLLOW_UP, lies.id)


def test_a_follow_up_telegram_refused_is_no_longer_planned_and_is_planned_again() -> None:
    tom = talked(reported_back_at=NOW)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW, status=ReminderStatus.FAILED))
    case = settled(tom)
    assert child_stage(case, tom, NOW) is Stage.TO_PLAN
    assert next_step(case, NOW) == NextStep(Next.PLAN_FOLLOW_UP, tom.id)


def test_a_closed_case_has_nothing_left() -> None:
    case = settled(Child())
    case.closed_at = NOW
    assert next_step(case, NOW) == NextStep(Next.CLOSED)
    assert case_stage(case) is CaseStage.CLOSED


# --- The agreements that stand ------------------------------------------------------------


def test_an_agreement_stands_until_the_leader_marks_that_it_no_longer_does() -> None:
    tom = talked()
    first = Round(Outcome.NOT_STOPPED, NOW)
    tom.follow_ups.append(first)
    tom.agreements.append(Agreement("stay away from Sam", first.id))
    # A new proposal adds to the agreements: step 2's still stands.
    assert [a.text for a in standing_agreements(tom)] == ["say sorry", "stay away from Sam"]
    assert [round_number(tom, a.follow_up_id) for a in standing_agreements(tom)] == [0, 1]
    assert [a.text for a in agreements_to_mark(tom)] == ["say sorry"]
    tom.agreements[0].ended_in = first.id
    assert [a.text for a in standing_agreements(tom)] == ["stay away from Sam"]
    # Marked in this round, it can still be marked back.
    assert [a.text for a in agreements_to_mark(tom)] == ["say sorry"]
    # Not stopped again, no new proposal: what stood still stands; what ended stays ended.
    tom.follow_ups.append(Round(Outcome.NOT_STOPPED, NOW))
    assert [a.text for a in standing_agreements(tom)] == ["stay away from Sam"]
    assert [a.text for a in agreements_to_mark(tom)] == ["stay away from Sam"]


def test_with_a_new_proposal_the_leader_marks_what_still_stands_then_plans() -> None:
    tom = talked()
    case = settled(tom)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW))
    handle(case, events.OutcomeGiven(tom.id, 1, Outcome.NOT_STOPPED), at())
    handle(case, events.AgreementTyped(tom.id, "stay away"), at())
    marking = handle(case, events.AgreementsDone(tom.id), at())
    assert [s.screen for s in marking.shown] == [Screen.STILL_STANDS]
    say_sorry = tom.agreements[0]
    ended = handle(case, events.AgreementStands(tom.id, say_sorry.id, False), at())
    assert [(h.kind, h.detail) for h in ended.history] == [
        (HistoryKind.AGREEMENT_ENDED, str(say_sorry.id))
    ]
    assert [a.text for a in standing_agreements(tom)] == ["stay away"]
    # This round's own agreement is not marked here.
    stale = handle(case, events.AgreementStands(tom.id, tom.agreements[1].id, False), at())
    assert stale.history == () and len(standing_agreements(tom)) == 1
    again = handle(case, events.AgreementStands(tom.id, say_sorry.id, True), at())
    assert [h.kind for h in again.history] == [HistoryKind.AGREEMENT_STANDS]
    assert [a.text for a in standing_agreements(tom)] == ["say sorry", "stay away"]
    plan = handle(case, events.StandingMarked(tom.id), at())
    assert [s.screen for s in plan.shown] == [Screen.PLAN]


def test_before_any_follow_up_step_2s_agreements_stand() -> None:
    assert [a.text for a in standing_agreements(talked())] == ["say sorry"]


# --- Transitions ----------------------------------------------------------------------------


def test_the_table_names_every_event_once_and_prints() -> None:
    rows = protocol.transition_table()
    assert len(rows) == len(protocol.TRANSITIONS) == len({r[0] for r in rows})
    assert ("OutcomeGiven", "children", "due, planned", "outcome") in rows


def test_every_screen_says_what_it_waits_for() -> None:
    assert all(isinstance(s.awaits, Awaiting | None) for s in Screen)
    assert Screen.ASK_FACTS.awaits is Awaiting.FACTS and Screen.TEXT_REFUSED.awaits is None
    assert set(replies.NEXT_SCREEN) == set(Next)


def test_consent_then_what_may_be_told_settle_step_1() -> None:
    tom, lies = Child(), Child()
    case = Case(children=[tom, lies])
    reply = handle(case, events.ConsentAnswered(tom.id, agreed=True), at())
    assert reply.shown[-1].screen is Screen.ASK_MAY_TELL
    assert reply.awaiting is Awaiting.MAY_TELL and reply.child is tom
    reply = handle(case, events.MayTellTyped(tom.id, "  that it hurts "), at())
    assert tom.may_tell == "that it hurts"
    assert reply.shown[-1].screen is Screen.STEP1_DONE
    assert child_stage(case, tom, NOW) is Stage.FACTS
    # The question is per child: Lies's comes next, in the same talk, before step 2.
    assert next_step(case, NOW) == NextStep(Next.ASK_CONSENT, lies.id)
    handle(case, events.ConsentAnswered(lies.id, agreed=False), at())
    # A "no" for Lies holds up nothing for Tom.
    assert next_step(case, NOW) == NextStep(Next.PREPARE_CONVERSATION, tom.id)
    assert child_stage(case, lies, NOW) is Stage.WAITING_FOR_STEP1


def test_a_child_added_after_step_1_started_gets_a_step_1_of_their_own() -> None:
    tom = Child()
    case = settled(tom)
    reply = handle(case, events.ChildNamed(0, "Mo"), at())
    mo = reply.child
    assert mo is not None and mo.consent == Consent.NOT_ASKED and not mo.role
    reply = handle(case, events.RoleChosen(mo.id, Role.MEEPESTER), at())
    assert reply.shown[-1] == replies.Shown(Screen.ASK_CONSENT, mo)


def test_a_refused_text_keeps_the_leader_where_they_were() -> None:
    tom = Child()
    case = settled(tom)
    reply = handle(case, events.FactsTyped(tom.id, "x" * 1001), at())
    assert reply.shown[-1].screen is Screen.TEXT_REFUSED
    assert reply.awaiting is None
    assert tom.facts is None


def test_the_talk_is_recorded_with_its_agreements_and_a_report_back_reminder() -> None:
    tom = Child(facts="x", feeling="sad")
    case = settled(tom)
    assert handle(case, events.TalkHeld(tom.id), at()).awaiting is Awaiting.AGREEMENTS
    reply = handle(case, events.AgreementsDone(tom.id), at())
    assert [s.screen for s in reply.shown] == [Screen.NO_AGREEMENTS_YET, Screen.ASK_AGREEMENTS]
    handle(case, events.AgreementTyped(tom.id, "say sorry"), at())
    reply = handle(case, events.AgreementsDone(tom.id), at())
    assert [s.screen for s in reply.shown] == [Screen.HELD, Screen.PLAN]
    assert tom.held_at == NOW
    assert [r.kind for r in tom.reminders] == [ReminderKind.REPORT_BACK]


def test_each_event_answers_the_history_lines_it_causes() -> None:
    tom = Child()
    case = Case(children=[tom])

    def lines(event: events.Event) -> list[tuple[str, int | None, str | None]]:
        return [(h.kind, h.child_id, h.detail) for h in handle(case, event, at()).history]

    assert lines(events.ConsentAnswered(tom.id, agreed=True)) == [
        (HistoryKind.CONSENT, tom.id, Consent.AGREED)
    ]
    assert lines(events.ConsentAnswered(tom.id, agreed=True)) == [], "nothing changed"
    assert lines(events.MayTellTyped(tom.id, "that it hurts")) == []
    tom.facts, tom.feeling = "x", "sad"
    assert lines(events.TalkHeld(tom.id)) == []
    assert lines(events.AgreementTyped(tom.id, "say sorry")) == [
        (HistoryKind.AGREEMENT, tom.id, None)
    ]
    assert lines(events.AgreementsDone(tom.id)) == [(HistoryKind.TALK_HELD, tom.id, None)]
    assert lines(events.ReportedBack(tom.id)) == [(HistoryKind.REPORTED_BACK, tom.id, None)]
    assert lines(events.ReportedBack(tom.id)) == [], "reported back once"
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW))
    assert lines(events.OutcomeGiven(tom.id, 1, Outcome.STOPPED)) == [
        (HistoryKind.OUTCOME, tom.id, Outcome.STOPPED)
    ]
    assert lines(events.CloseConfirmed(0)) == [(HistoryKind.CLOSED, None, None)]
    assert lines(events.CloseConfirmed(0)) == [], "a closed case changes no more"


def test_one_collector_for_both_proposals_with_one_limit() -> None:
    tom = talked()
    case = settled(tom)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW))
    handle(case, events.OutcomeGiven(tom.id, 1, Outcome.NOT_STOPPED), at())
    for n in range(10):
        reply = handle(case, events.AgreementTyped(tom.id, f"idea {n}"), at())
        assert reply.shown[-1].screen is Screen.AGREEMENTS_SO_FAR
    reply = handle(case, events.AgreementTyped(tom.id, "one more"), at())
    assert reply.shown[-1].screen is Screen.AGREEMENTS_FULL
    assert reply.awaiting is None
    assert len(round_agreements(tom, tom.follow_ups[-1])) == 10
    assert [a.text for a in standing_agreements(tom)][-1] == "idea 9"


def test_the_same_follow_up_chosen_twice_is_planned_once() -> None:
    tom = talked()
    case = settled(tom)
    first = handle(case, events.PlanChosen(tom.id, FollowUpChoice.IN_1_WEEK), at())
    assert first.shown[0].screen is Screen.PLANNED
    again = handle(case, events.PlanChosen(tom.id, FollowUpChoice.IN_1_WEEK), at())
    assert [s.screen for s in again.shown] == [Screen.ALREADY_PLANNED]
    assert len(tom.reminders) == 1


def test_an_outcome_for_a_follow_up_already_recorded_is_refused_with_a_notice() -> None:
    tom = talked()
    case = settled(tom)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW))
    handle(case, events.OutcomeGiven(tom.id, 1, Outcome.STOPPED), at())
    reply = handle(case, events.OutcomeGiven(tom.id, 1, Outcome.STOPPED), at())
    assert not reply.accepted
    assert reply.shown[0].screen is Screen.ALREADY_RECORDED
    assert len(tom.follow_ups) == 1


def test_an_answered_reminders_button_does_not_answer_the_next_talk() -> None:
    tom = talked()
    case = settled(tom)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW))
    handle(case, events.OutcomeWithView(tom.id, 1, Outcome.PARTLY, VictimView.LESS), at())
    handle(case, events.PlanChosen(tom.id, FollowUpChoice.IN_1_WEEK), at())
    planned = planned_follow_up(tom)
    # The first reminder's buttons, pressed again before the second talk.
    for stale in (
        events.VictimViewGiven(tom.id, 1, VictimView.STOPPED),
        events.OutcomeWithView(tom.id, 1, Outcome.STOPPED, VictimView.STOPPED),
        events.AskSnooze(tom.id, 1),
        events.Snoozed(tom.id, 1, Snooze.IN_3_DAYS),
    ):
        reply = handle(case, stale, at())
        assert not reply.accepted
        assert reply.shown[0].screen is Screen.ALREADY_RECORDED
    assert [r.outcome for r in tom.follow_ups] == [Outcome.PARTLY]
    assert planned_follow_up(tom) is planned and planned is not None
    # The group's Wednesday meeting (19:00) a week on, an hour before it.
    assert planned.due_at == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    # The second talk's own buttons (in the reminder, or in the case) are taken, early too.
    reply = handle(case, events.VictimViewGiven(tom.id, 2, VictimView.STOPPED), at())
    assert reply.accepted


def test_a_stale_press_while_writing_a_new_proposal_leaves_the_leader_writing_it() -> None:
    tom = talked()
    case = settled(tom)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW))
    event = events.OutcomeWithView(tom.id, 1, Outcome.NOT_STOPPED, VictimView.NOT_STOPPED)
    reply = handle(case, event, at())
    assert [s.screen for s in reply.shown] == [Screen.NEW_PROPOSAL]
    stale = handle(case, event, at())
    assert [s.screen for s in stale.shown] == [Screen.ALREADY_RECORDED, Screen.NEW_PROPOSAL]
    assert stale.awaiting is Awaiting.AGREEMENTS
    handle(case, events.AgreementTyped(tom.id, "stay away"), at())
    stale = handle(case, event, at())
    assert [s.screen for s in stale.shown] == [Screen.ALREADY_RECORDED, Screen.AGREEMENTS_SO_FAR]
    assert stale.awaiting is Awaiting.AGREEMENTS
    assert [a.text for a in standing_agreements(tom)] == ["say sorry", "stay away"]


def test_snoozing_moves_the_follow_up_out_of_the_quiet_hours() -> None:
    tom = talked()
    case = settled(tom)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW, status=ReminderStatus.SENT))
    # Without a group rhythm: three days on, at the same hour (outside the quiet hours).
    handle(case, events.Snoozed(tom.id, 1, Snooze.IN_3_DAYS), Moment(NOW, Rhythm(), Records()))
    planned = planned_follow_up(tom)
    assert planned is not None and planned.status == ReminderStatus.PENDING
    assert planned.due_at == NOW + timedelta(days=3)


def test_snoozing_in_a_group_with_a_rhythm_lands_before_its_next_activity() -> None:
    tom = talked()
    case = settled(tom)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW, status=ReminderStatus.SENT))
    handle(case, events.Snoozed(tom.id, 1, Snooze.NEXT_ACTIVITY), at())
    planned = planned_follow_up(tom)
    assert planned is not None
    # Tuesday 19:00 in Brussels; the group meets on Wednesday at 19:00: 18:00 that day.
    assert planned.due_at == datetime(2026, 11, 25, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "today", "expected"),
    [
        ("28-11", datetime(2026, 11, 24).date(), datetime(2026, 11, 28).date()),
        ("3/1", datetime(2026, 11, 24).date(), datetime(2027, 1, 3).date()),
        ("3.1.27", datetime(2026, 11, 24).date(), datetime(2027, 1, 3).date()),
        ("31-2", datetime(2026, 11, 24).date(), None),
        ("soon", datetime(2026, 11, 24).date(), None),
    ],
)
def test_a_typed_date(typed: str, today: object, expected: object) -> None:
    assert parse_day(typed, today) == expected  # type: ignore[arg-type]


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


# --- Random walks through the machine --------------------------------------------------------

#: An event for the child at an index of the case (0 when there is none), from drawn values.
MakeEvent = Callable[[int, object], events.Event]
#: Ids the corrections name: the current case's first agreements and children (set per step).
_AGREEMENT_IDS: list[int] = [0, 0]
_CHILD_IDS: list[int] = [0, 0]
#: Which follow-up talk comes next, per child of the current case (set per step).
_TALKS: dict[int, int] = {}


def _talk(child_id: int) -> int:
    """The follow-up talk a reminder's button shown now would answer."""
    return _TALKS.get(child_id, 1)


_TEXTS = st.one_of(
    st.sampled_from(["Tom", "it hurts", "laughed at Sam", "say sorry", "28-11", "sad"]),
    st.sampled_from(["", "   ", "x" * 1001]),
    st.text(max_size=1200),
)
_EVENTS: list[tuple[MakeEvent, st.SearchStrategy[object]]] = [
    (lambda c, v: events.Open(c), st.none()),
    (lambda c, v: events.Continue(c), st.none()),
    (lambda c, v: events.AddChild(0), st.none()),
    (lambda c, v: events.ChildNamed(0, str(v)), _TEXTS),
    (lambda c, v: events.RoleChosen(c, Role(str(v))), st.sampled_from(list(Role))),
    (lambda c, v: events.NicknameCorrected(c, str(v)), _TEXTS),
    (lambda c, v: events.SetupDone(0), st.none()),
    (lambda c, v: events.ConsentAnswered(c, bool(v)), st.booleans()),
    (lambda c, v: events.NotAskedYet(c), st.none()),
    (lambda c, v: events.AskAgain(c), st.none()),
    (lambda c, v: events.EditMayTell(c), st.none()),
    (lambda c, v: events.MayTellTyped(c, str(v)), _TEXTS),
    (lambda c, v: events.Witnessed(c, bool(v)), st.booleans()),
    (lambda c, v: events.EditFacts(c), st.none()),
    (lambda c, v: events.FactsTyped(c, str(v)), _TEXTS),
    (lambda c, v: events.AskFeeling(c), st.none()),
    (lambda c, v: events.FeelingChosen(c, Feeling(str(v))), st.sampled_from(list(Feeling))),
    (lambda c, v: events.FeelingTyped(c, str(v)), _TEXTS),
    (lambda c, v: events.TalkHeld(c), st.none()),
    (lambda c, v: events.ShowScript(c), st.none()),
    (lambda c, v: events.AgreementTyped(c, str(v)), _TEXTS),
    (lambda c, v: events.AgreementsDone(c), st.none()),
    (
        lambda c, v: events.AgreementStands(
            c, _AGREEMENT_IDS[int(str(v)) % 2], int(str(v)) % 3 == 0
        ),
        st.integers(0, 9),
    ),
    (lambda c, v: events.StandingMarked(c), st.none()),
    (lambda c, v: events.ReportedBack(c), st.none()),
    (lambda c, v: events.ReportBackLater(c), st.none()),
    (lambda c, v: events.AskPlan(c), st.none()),
    (
        lambda c, v: events.PlanChosen(c, FollowUpChoice(str(v))),
        st.sampled_from(list(FollowUpChoice)),
    ),
    (lambda c, v: events.DateTyped(c, str(v)), _TEXTS),
    (lambda c, v: events.CancelFollowUp(c), st.none()),
    (
        lambda c, v: events.OutcomeGiven(c, _talk(c), Outcome(str(v))),
        st.sampled_from(list(Outcome)),
    ),
    (lambda c, v: events.AskSnooze(c, _talk(c)), st.none()),
    (lambda c, v: events.Snoozed(c, _talk(c), Snooze(str(v))), st.sampled_from(list(Snooze))),
    (lambda c, v: events.KeepOpen(0), st.none()),
    (lambda c, v: events.Close(0), st.none()),
    (lambda c, v: events.CloseConfirmed(0), st.none()),
    (lambda c, v: events.Correct(0), st.none()),
    (lambda c, v: events.RenameVictim(0), st.none()),
    (lambda c, v: events.VictimRenamed(0, str(v)), _TEXTS),
    (lambda c, v: events.AskRole(c), st.none()),
    (lambda c, v: events.EditAgreement(c, _AGREEMENT_IDS[int(str(v)) % 2]), st.integers(0, 9)),
    (
        lambda c, v: events.AgreementEdited(c, _AGREEMENT_IDS[0], str(v)),
        _TEXTS,
    ),
    (lambda c, v: events.DeleteAgreement(c, _AGREEMENT_IDS[int(str(v)) % 2]), st.integers(0, 9)),
    (lambda c, v: events.AgreementDeleted(c, _AGREEMENT_IDS[int(str(v)) % 2]), st.integers(0, 9)),
    (lambda c, v: events.RemoveChild(c), st.none()),
    (lambda c, v: events.ChildRemoved(c), st.none()),
    (lambda c, v: events.SameFactsAs(c, _CHILD_IDS[int(str(v)) % 2]), st.integers(0, 9)),
    (lambda c, v: events.SameFeelingAs(c, _CHILD_IDS[int(str(v)) % 2]), st.integers(0, 9)),
    # When the protocol does not fit, or does not work.
    (lambda c, v: events.Step1Chosen(c, Step1Choice(str(v))), st.sampled_from(list(Step1Choice))),
    (lambda c, v: events.FactsKept(c), st.none()),
    (lambda c, v: events.ShowApproaches(0), st.none()),
    (lambda c, v: events.ShowApproach(0, Approach(str(v))), st.sampled_from(list(Approach))),
    (lambda c, v: events.ApproachChosen(0, Approach(str(v))), st.sampled_from(list(Approach))),
    (
        lambda c, v: events.VictimViewGiven(c, _talk(c), VictimView(str(v))),
        st.sampled_from(list(VictimView)),
    ),
    (
        lambda c, v: events.OutcomeWithView(c, _talk(c), *_outcome_and_view(v)),
        st.tuples(st.sampled_from(list(Outcome)), st.sampled_from(list(VictimView))),
    ),
    (lambda c, v: events.ShowNextSteps(c), st.none()),
    (
        lambda c, v: events.NextStepChosen(c, NextStepChoice(str(v))),
        st.sampled_from(list(NextStepChoice)),
    ),
]


def _outcome_and_view(value: object) -> tuple[Outcome, VictimView]:
    """A drawn (outcome, view) pair; a single value stands for both where it can."""
    if isinstance(value, tuple):
        return Outcome(value[0]), VictimView(value[1])
    return Outcome(str(value)), VictimView.NOT_STOPPED


_STEP = st.one_of(
    # Any event, fitting or not (a stale or forged button, a text at the wrong moment).
    st.tuples(st.just("event"), st.integers(0, len(_EVENTS) - 1), st.integers(0, 9), st.data()),
    # An event that fits where the case stands.
    st.tuples(st.just("fit"), st.integers(0, 10**6), st.just(0), st.data()),
    # What a leader walking the protocol does next: the walk gets deep into step 3.
    st.tuples(st.just("forward"), st.just(0), st.just(0), st.data()),
    st.tuples(st.just("forward"), st.just(0), st.just(0), st.data()),
    st.tuples(st.just("forward"), st.just(0), st.just(0), st.data()),
    # Time passes.
    st.tuples(st.just("wait"), st.integers(1, 24 * 20), st.just(0), st.just(None)),
)


def _confirmed(case: Case) -> dict[int, tuple[object, ...]]:
    """What a leader saw confirmed per child: facts, talk, agreements, rounds."""
    return {
        c.id: (c.facts is not None, c.held_at, [a.text for a in c.agreements], len(c.follow_ups))
        for c in case.children
    }


def _sample(index: int) -> object:
    """A value the event at ``index`` takes, to ask whether it fits before drawing one."""
    candidates = (
        *(None, "x", 0, True, *Role, *Feeling, *FollowUpChoice, *Outcome, *Snooze),
        *(*Step1Choice, *Approach, *VictimView, *NextStepChoice),
    )
    for candidate in candidates:
        try:
            _EVENTS[index][0](0, candidate)
        except ValueError:
            continue
        return candidate
    raise AssertionError(f"no sample value for event {index}")


def _fitting_event(case: Case, pick: int, data: st.DataObject, now: datetime) -> events.Event:
    """An event that fits where the case stands; closing the case only now and then."""
    fitting = [
        (index, child.id)
        for index, (make, _values) in enumerate(_EVENTS)
        for child in (case.children or [Child(id=0)])
        if protocol.allowed(case, make(child.id, _sample(index)), now)
    ]
    closing = events.CloseConfirmed(0)
    if pick % 40 == 0 and protocol.allowed(case, closing, now):
        return closing
    fitting = [
        (i, c)
        for i, c in fitting
        if not isinstance(_EVENTS[i][0](c, _sample(i)), events.CloseConfirmed)
    ] or fitting
    index, child_id = fitting[pick % len(fitting)]
    make, values = _EVENTS[index]
    return make(child_id, data.draw(values))


def _forward_event(case: Case, data: st.DataObject, now: datetime) -> events.Event | None:
    """What a leader walking the protocol does next (``None``: wait for the follow-up)."""
    step = next_step(case, now)
    child = next((c for c in case.children if c.id == step.child_id), None)
    c = child.id if child is not None else 0
    match step.what:
        case Next.ADD_CHILD:
            return events.ChildNamed(0, data.draw(st.sampled_from(["Tom", "Lies", "Bo"])))
        case Next.ASK_CONSENT:
            unsure = next((c for c in case.children if not c.role), None)
            if unsure is not None:
                return events.RoleChosen(unsure.id, data.draw(st.sampled_from(list(Role))))
            if len(case.children) < 3 and data.draw(st.booleans()):
                return events.ChildNamed(0, "Mo")
            return events.ConsentAnswered(c, agreed=data.draw(st.integers(0, 4)) > 0)
        case Next.CONSENT_DECLINED:
            if data.draw(st.booleans()):
                return events.Step1Chosen(c, data.draw(st.sampled_from(list(Step1Choice))))
            return events.AskAgain(c)
        case Next.RECORD_MAY_TELL:
            return events.MayTellTyped(c, "that it hurts")
        case Next.PREPARE_CONVERSATION:
            return events.FactsTyped(c, "laughed at Sam")
        case Next.CHOOSE_FEELING:
            return events.FeelingChosen(c, data.draw(st.sampled_from(list(Feeling))))
        case Next.HOLD_CONVERSATION:
            assert child is not None
            if round_agreements(child, None) and data.draw(st.booleans()):
                return events.AgreementsDone(c)
            return events.AgreementTyped(c, "say sorry")
        case Next.PLAN_FOLLOW_UP:
            assert child is not None
            if child_stage(case, child, now) is Stage.NEW_PROPOSAL:
                match data.draw(st.integers(0, 3)):
                    case 0:
                        return events.AgreementTyped(c, "stay away")
                    case 1 if agreements_to_mark(child):
                        marked = data.draw(st.sampled_from(agreements_to_mark(child)))
                        return events.AgreementStands(c, marked.id, data.draw(st.booleans()))
                    case 2:
                        return events.StandingMarked(c)
            choices = [FollowUpChoice.IN_1_DAY, FollowUpChoice.IN_1_WEEK, FollowUpChoice.IN_2_WEEKS]
            return events.PlanChosen(c, data.draw(st.sampled_from(choices)))
        case Next.REPORT_BACK:
            return events.ReportedBack(c)
        case Next.RECORD_FOLLOW_UP:
            match data.draw(st.integers(0, 5)):
                case 5 if _talk(c) > 1:
                    # A button on the reminder of the talk before, answered already.
                    return events.VictimViewGiven(
                        c, _talk(c) - 1, data.draw(st.sampled_from(list(VictimView)))
                    )
                case 0:
                    return events.OutcomeGiven(
                        c, _talk(c), data.draw(st.sampled_from(list(Outcome)))
                    )
                case 1:
                    return events.NextStepChosen(
                        c, data.draw(st.sampled_from(list(NextStepChoice)))
                    )
                case _:
                    return events.OutcomeWithView(
                        c,
                        _talk(c),
                        data.draw(st.sampled_from(list(Outcome))),
                        data.draw(st.sampled_from(list(VictimView))),
                    )
        case Next.FOLLOW_UP:
            # Wait for it, or move it (a leader who knows the next meeting is sooner), or
            # press a button on the reminder of the talk before.
            match data.draw(st.integers(0, 2)):
                case 0:
                    return None
                case 1 if _talk(c) > 1:
                    return events.OutcomeWithView(
                        c,
                        _talk(c) - 1,
                        data.draw(st.sampled_from(list(Outcome))),
                        data.draw(st.sampled_from(list(VictimView))),
                    )
            return events.PlanChosen(c, data.draw(st.sampled_from(list(FollowUpChoice))))
        case Next.CLOSED:
            return events.Open(0)


def _dispatch(case: Case, now: datetime) -> None:
    """What the bot's dispatcher does when the clock jumps to ``now``: due reminders go
    out, and those that ask something unanswered get their next moment."""
    for child in case.children:
        for reminder in list(child.reminders):
            if reminder.status == ReminderStatus.PENDING and reminder.due_at <= now:
                reminder.status = ReminderStatus.SENT
                if reminder.kind in ASKED_AGAIN:
                    reminder.due_at = asked_again_moment(now, now, RHYTHM)
                    reminder.status = ReminderStatus.PENDING
        # A follow-up reminder sent and not answered stays sent (the team's escalation
        # waits on it) and gets a repeat at the next moment (bot.storage.reminders).
        sent = next(
            (
                r
                for r in child.reminders
                if r.kind == ReminderKind.FOLLOW_UP and r.status == ReminderStatus.SENT
            ),
            None,
        )
        if sent is not None and follow_up_repeat(child) is None:
            again = asked_again_moment(now, now, RHYTHM)
            child.reminders.append(Reminder(ReminderKind.FOLLOW_UP_AGAIN, again))


def _no_waiting_child_without_a_moment_ahead(case: Case, now: datetime) -> None:
    """A child waiting for step 1 after a "no" always has a reminder ahead, and so have a
    promise to report back that is still open and a planned follow-up."""
    if case.closed_at is not None:
        return
    for child in case.children:
        ahead = {
            r.kind for r in child.reminders if r.status == ReminderStatus.PENDING and r.due_at > now
        }
        if child.consent == Consent.DECLINED:
            assert ReminderKind.STEP1 in ahead, (child.nickname, child.reminders, now)
        for reminder in child.reminders:
            if reminder.kind in ASKED_AGAIN and reminder.status in OPEN_STATUSES:
                assert reminder.due_at > now, (reminder, now)
        # A planned follow-up is ahead, or its reminder went out and its repeat is ahead.
        planned = planned_follow_up(child)
        if planned is not None:
            follow_ups = {ReminderKind.FOLLOW_UP, ReminderKind.FOLLOW_UP_AGAIN}
            assert follow_ups & ahead, (child.nickname, child.reminders, now)
        else:
            # Answered, put off or cancelled: its repeat asks nothing any more.
            assert follow_up_repeat(child) is None, (child.nickname, child.reminders)


def _event_for(case: Case, index: int, child_index: int, data: st.DataObject) -> events.Event:
    make, values = _EVENTS[index]
    child_id = case.children[child_index % len(case.children)].id if case.children else 0
    if child_index == 9:
        child_id = 10**6  # a child of no case: a forged button
    event = make(child_id, data.draw(values))
    if isinstance(event, events.FollowUpAnswer) and child_index == 8:
        # A reminder's button from the talk before: answered already.
        event = dataclasses.replace(event, follow_up=event.follow_up - 1)
    return event


@settings(max_examples=300, deadline=None)
@given(st.lists(_STEP, min_size=40, max_size=80))
def test_random_walks_keep_the_protocols_promises(steps: list[tuple[object, ...]]) -> None:
    case = Case()
    now = NOW
    stages_seen: set[Stage] = set()
    # Per agreement, whether the history's last mark of it says it ended.
    marks: dict[str, bool] = {}
    for kind, first, second, data in steps:
        if kind == "wait":
            now += timedelta(hours=int(str(first)))
            _dispatch(case, now)
            _no_waiting_child_without_a_moment_ahead(case, now)
            continue
        assert isinstance(data, st.DataObject)
        agreements = [a.id for c in case.children for a in c.agreements] + [0, 0]
        _AGREEMENT_IDS[:] = agreements[:2]
        _CHILD_IDS[:] = ([c.id for c in case.children] + [0, 0])[:2]
        _TALKS.clear()
        _TALKS.update({c.id: follow_up_number(c) for c in case.children})
        if kind == "forward":
            found = _forward_event(case, data, now)
            if found is None:
                now += timedelta(days=8)
                continue
            event = found
        elif kind == "fit":
            event = _fitting_event(case, int(str(first)), data, now)
        else:
            event = _event_for(case, int(str(first)), int(str(second)), data)
        before = copy.deepcopy(case)
        confirmed = _confirmed(case)
        history_before = list(case.history)
        reply = handle(case, event, at(now))
        if isinstance(event, events.AgreementStands | events.StandingMarked) and reply.accepted:
            hypothesis.event(f"{type(event).__name__} accepted")

        # Every answer shows something, and a child's screen names a child of this case.
        assert reply.shown
        for shown in reply.shown:
            assert shown.child is None or shown.child in case.children
        if reply.awaiting in (Awaiting.FACTS, Awaiting.FEELING, Awaiting.AGREEMENTS):
            assert reply.child is not None
        # An event that does not fit changes nothing.
        if not reply.accepted:
            assert case == before
        # A reminder's button from a talk already recorded answers nothing.
        if isinstance(event, events.FollowUpAnswer):
            child_before = next((c for c in before.children if c.id == event.child_id), None)
            if child_before is not None and event.follow_up < follow_up_number(child_before):
                assert not reply.accepted
        # A closed case accepts no event.
        if before.closed_at is not None:
            assert not reply.accepted or isinstance(event, events.Open)
            assert case == before
        # A child never has two planned follow-ups, nor two report-back reminders.
        for child in case.children:
            for reminder_kind in ReminderKind:
                open_ = [
                    r
                    for r in child.reminders
                    if r.kind == reminder_kind
                    and r.status
                    in (ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.SENT)
                ]
                assert len(open_) <= 1
        # Nothing a leader saw confirmed disappears (closing erases reminders only), unless
        # they corrected it themselves.
        for child_id, (had_facts, held, agreements, rounds) in confirmed.items():
            child = next((c for c in case.children if c.id == child_id), None)
            if child is None:
                assert isinstance(event, events.ChildRemoved) and held is None
                continue
            assert (child.facts is not None) >= had_facts
            assert held is None or child.held_at == held
            # Deleting asks first: only the confirmation deletes.
            if not isinstance(event, events.AgreementDeleted | events.AgreementEdited):
                assert [a.text for a in child.agreements][: len(agreements)] == agreements
            assert len(child.follow_ups) >= rounds
        # The agreements shown as standing are exactly those not ended; an agreement ends
        # only with a later round's proposal, and the history's last mark of it says so.
        for line in reply.history:
            if line.kind in (HistoryKind.AGREEMENT_ENDED, HistoryKind.AGREEMENT_STANDS):
                marks[str(line.detail)] = line.kind is HistoryKind.AGREEMENT_ENDED
        for child in case.children:
            assert standing_agreements(child) == [a for a in child.agreements if a.ended_in is None]
            rounds = [None, *(r.id for r in child.follow_ups)]
            for agreement in child.agreements:
                assert marks.get(str(agreement.id), False) == (agreement.ended_in is not None)
                if agreement.ended_in is not None:
                    assert rounds.index(agreement.ended_in) > rounds.index(agreement.follow_up_id)
        _keeps_the_promises_when_it_does_not_fit_or_work(case, before, history_before)
        # Step 1 waiting for its reminder (a "no", or not asked yet): while the other
        # children go on, an event about another child (or the case) shows nothing about
        # the waiting child.
        if case_stage(case) is CaseStage.CHILDREN:
            for waiting in case.children:
                if (
                    waiting.id != event.child_id
                    and waiting.consent != Consent.AGREED
                    and not step1_reminder_due(waiting, now)
                ):
                    assert all(shown.child is not waiting for shown in reply.shown)
        stages_seen |= {child_stage(case, c, now) for c in case.children}
        # Every open case has a way forward: the next thing to do is an event that fits.
        if case.closed_at is None:
            assert any(
                protocol.allowed(case, make(c.id if case.children else 0, None), now)
                for make in _WAYS_FORWARD
                for c in (case.children or [Child(id=0)])
            )


def _keeps_the_promises_when_it_does_not_fit_or_work(
    case: Case, before: Case, history_before: list[object]
) -> None:
    """The invariants of step 1 waiting, the bullied child's view and the case's history."""
    # The history only grows (a child removed takes their own entries), enum values only.
    kept = [h for h in history_before if any(c.id == h.child_id for c in case.children)]
    kept_or_case = [h for h in history_before if h.child_id is None or h in kept]
    assert case.history[: len(kept_or_case)] == kept_or_case
    for entry in case.history:
        enum = {
            HistoryKind.APPROACH: Approach,
            HistoryKind.STEP1: Step1Choice,
            HistoryKind.NEXT_STEP: NextStepChoice,
        }[HistoryKind(entry.kind)]
        enum(entry.detail)  # raises for anything else
        assert entry.child_id is None or any(c.id == entry.child_id for c in case.children)
    # The approach is the last one chosen.
    chosen = [e.detail for e in case.history if e.kind == HistoryKind.APPROACH]
    assert case.approach == (chosen[-1] if chosen else None)
    # Step 1 never waits silently, and a settled step 1 leaves no reminder to ask.
    for c in case.children:
        step1_open = [
            r for r in c.reminders if r.kind == ReminderKind.STEP1 and r.status in OPEN_STATUSES
        ]
        if case.closed_at is None and c.consent == Consent.DECLINED:
            assert len(step1_open) == 1
        if c.consent == Consent.AGREED:
            assert step1_open == []
    # What the bullied child says weighs more: "not stopped" from them is never "stopped".
    for child in case.children:
        for round_ in child.follow_ups:
            if round_.victim_view == VictimView.NOT_STOPPED:
                assert round_.outcome != Outcome.STOPPED
            if round_.victim_view == VictimView.LESS:
                assert round_.outcome != Outcome.STOPPED


#: Events without values that move a case on; one of them always fits an open case.
_WAYS_FORWARD: list[Callable[[int, object], events.Event]] = [
    lambda c, v: events.AddChild(0),
    lambda c, v: events.SetupDone(0),
    lambda c, v: events.AskAgain(0),
    lambda c, v: events.EditMayTell(0),
    lambda c, v: events.EditFacts(c),
    lambda c, v: events.TalkHeld(c),
    lambda c, v: events.AskPlan(c),
]


def test_walks_that_follow_the_protocol_reach_every_stage() -> None:
    """The random walks above are worth something only if they get deep into step 3."""
    seen: set[Stage] = set()

    @settings(max_examples=100, deadline=None, database=None)
    @given(st.lists(st.tuples(st.integers(0, 5), st.data()), min_size=60, max_size=80))
    def walk(steps: list[tuple[int, st.DataObject]]) -> None:
        case, now = Case(), NOW
        for pick, data in steps:
            if pick:
                event = _forward_event(case, data, now)
            else:
                event = _fitting_event(case, data.draw(st.integers(0, 10**6)), data, now)
            if event is None:
                now += timedelta(days=8)
            else:
                handle(case, event, at(now))
            seen.update(child_stage(case, c, now) for c in case.children)

    walk()
    assert seen == set(Stage)


# --- When the protocol does not fit, or does not work -------------------------------------


def open_reminders(case: Case, kind: ReminderKind) -> list[Reminder]:
    return [
        r
        for c in case.children
        for r in c.reminders
        if r.kind == kind and r.status in OPEN_STATUSES
    ]


def test_not_asked_yet_plans_a_reminder_for_the_next_meeting_or_in_two_days() -> None:
    tom = Child()
    case = Case(children=[tom])
    reply = handle(case, events.NotAskedYet(tom.id), at())
    assert reply.shown[-1].screen is Screen.NOT_ASKED_YET
    (reminder,) = open_reminders(case, ReminderKind.STEP1)
    assert reminder.choice == FollowUpChoice.NEXT_MEETING
    assert reminder.due_at > NOW
    alone = Child()
    without_meeting = Case(children=[alone])
    handle(without_meeting, events.NotAskedYet(alone.id), Moment(NOW, Rhythm(), Records()))
    (reminder,) = open_reminders(without_meeting, ReminderKind.STEP1)
    assert reminder.choice == FollowUpChoice.IN_2_DAYS


def test_a_no_in_step_1_plans_a_reminder_and_what_the_leader_does_is_kept() -> None:
    tom = Child()
    case = Case(children=[tom])
    reply = handle(case, events.ConsentAnswered(tom.id, agreed=False), at())
    assert reply.shown[-1].screen is Screen.DECLINED
    assert len(open_reminders(case, ReminderKind.STEP1)) == 1
    reply = handle(case, events.Step1Chosen(tom.id, Step1Choice.WATCH), at())
    assert reply.shown[-1] == replies.Shown(Screen.STEP1_WAITING, tom, detail=Step1Choice.WATCH)
    (reminder,) = open_reminders(case, ReminderKind.STEP1)
    assert reminder.choice == FollowUpChoice.IN_2_WEEKS
    assert [(e.kind, e.detail) for e in case.history] == [(HistoryKind.STEP1, Step1Choice.WATCH)]
    assert next_step(case, NOW) == NextStep(Next.CONSENT_DECLINED, tom.id)
    # A "yes" after all: the reminder to ask goes.
    handle(case, events.ConsentAnswered(tom.id, agreed=True), at())
    assert open_reminders(case, ReminderKind.STEP1) == []


def test_a_no_waits_for_its_reminder_while_the_other_children_go_on() -> None:
    senne, lars = talked(reported_back_at=NOW), Child(consent=Consent.DECLINED)
    case = settled(senne)
    case.children.append(lars)
    senne.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW + timedelta(days=14)))
    lars.reminders.append(Reminder(ReminderKind.STEP1, NOW + timedelta(days=7)))
    # Senne's follow-up is what waits; Lars's step 1 is not shown after each action.
    assert next_step(case, NOW) == NextStep(Next.FOLLOW_UP, senne.id)
    reply = handle(case, events.Continue(0), at())
    assert [s.screen for s in reply.shown] == [Screen.OVERVIEW]
    # Its reminder due: Lars's step 1 is the next thing.
    later = NOW + timedelta(days=7)
    assert next_step(case, later) == NextStep(Next.CONSENT_DECLINED, lars.id)
    # Senne has something to do now: that comes first.
    senne.reminders.clear()
    senne.follow_ups.append(Round(Outcome.STOPPED, NOW))
    assert next_step(case, NOW) == NextStep(Next.PLAN_FOLLOW_UP, senne.id)
    # Nothing else goes on: Lars's step 1 is the next thing, its reminder due or not.
    case.children.remove(senne)
    assert next_step(case, NOW) == NextStep(Next.CONSENT_DECLINED, lars.id)


def test_what_to_do_after_a_no_is_refused_once_step_1_is_agreed() -> None:
    tom = Child()
    case = settled(tom)
    reply = handle(case, events.Step1Chosen(tom.id, Step1Choice.TRY_LATER), at())
    assert not reply.accepted
    assert case.history == []


def test_facts_with_a_label_get_a_hint_and_are_kept() -> None:
    tom = Child()
    case = settled(tom)
    reply = handle(case, events.FactsTyped(tom.id, "Tom is altijd gemeen"), at())
    assert reply.shown[-1].screen is Screen.FACTS_HINT
    assert reply.awaiting is Awaiting.FACTS, "typing again replaces the facts"
    assert tom.facts == "Tom is altijd gemeen", "a hint never blocks"
    reply = handle(case, events.FactsKept(tom.id), at())
    assert reply.shown[-1].screen is Screen.ASK_FEELING
    reply = handle(case, events.FactsTyped(tom.id, "Tom duwde Sam in het zand"), at())
    assert reply.shown[-1].screen is Screen.ASK_FEELING


def test_the_bullied_childs_view_comes_before_the_outcome_and_weighs_more() -> None:
    tom = talked()
    case = settled(tom)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW))
    reply = handle(case, events.VictimViewGiven(tom.id, 1, VictimView.NOT_STOPPED), at())
    assert reply.shown == (replies.Shown(Screen.OUTCOME_WITH_VIEW, tom, detail="not"),)
    assert tom.follow_ups == [], "nothing is recorded before the outcome"
    event = events.OutcomeWithView(tom.id, 1, Outcome.STOPPED, VictimView.NOT_STOPPED)
    reply = handle(case, event, at())
    assert [s.screen for s in reply.shown] == [Screen.VIEWS_WEIGHED, Screen.NEW_PROPOSAL]
    assert (tom.follow_ups[-1].outcome, tom.follow_ups[-1].victim_view) == (
        Outcome.NOT_STOPPED,
        VictimView.NOT_STOPPED,
    )


def test_the_same_view_and_outcome_record_without_a_word_about_weighing() -> None:
    tom = talked()
    case = settled(tom)
    tom.reminders.append(Reminder(ReminderKind.FOLLOW_UP, NOW))
    event = events.OutcomeWithView(tom.id, 1, Outcome.STOPPED, VictimView.STOPPED)
    reply = handle(case, event, at())
    assert [s.screen for s in reply.shown] == [Screen.STOPPED]
    again = handle(case, event, at())
    assert not again.accepted and again.shown[0].screen is Screen.ALREADY_RECORDED


def test_a_next_step_is_kept_in_the_history_and_another_approach_lists_them() -> None:
    tom = talked()
    case = settled(tom)
    reply = handle(case, events.NextStepChosen(tom.id, NextStepChoice.APPROACH), at())
    assert [s.screen for s in reply.shown] == [Screen.NEXT_STEP_CHOSEN, Screen.APPROACHES]
    handle(case, events.ApproachChosen(0, Approach.NO_BLAME), at())
    handle(case, events.ApproachChosen(0, Approach.NO_BLAME), at())
    assert case.approach == Approach.NO_BLAME
    assert [(e.kind, e.detail, e.child_id) for e in case.history] == [
        (HistoryKind.NEXT_STEP, NextStepChoice.APPROACH, tom.id),
        (HistoryKind.APPROACH, Approach.NO_BLAME, None),
    ]


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghij", min_size=1, max_size=12),
        min_size=1,
        max_size=200,
    ),
    ends=st.lists(st.sampled_from([" ", ". ", "? ", "\n"]), min_size=200, max_size=200),
    limit=st.sampled_from([40, 60, 500, 1000]),
)
def test_a_text_over_its_limit_is_cut_where_a_word_or_sentence_ends_and_nothing_is_lost(
    words: list[str], ends: list[str], limit: int
) -> None:
    text = "".join(w + e for w, e in zip(words, ends, strict=False)).strip()
    part, rest = split_long(text, limit)
    assert 0 < len(part) <= limit
    if len(text) <= limit:
        assert (part, rest) == (text, "")
        return
    # Joined again, the two parts are the text: nothing typed is lost.
    joined = part.removesuffix(ELLIPSIS) + " " + rest.removeprefix(ELLIPSIS)
    assert joined.split() == text.split()
    # A cut inside a sentence is marked on both sides; a word is never cut unless one
    # word alone is longer than half the limit.
    assert part.endswith(ELLIPSIS) == rest.startswith(ELLIPSIS)
    if part.endswith(ELLIPSIS):
        assert text[len(part) - 1] in " \n" or " " not in text[limit // 2 + 1 : limit - 1]
