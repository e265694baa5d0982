"""The protocol as a state machine: a leader's answer in, the next screen out.

The way h11's ``_state.py`` keeps HTTP in one table, this module keeps the
one-on-one conversation protocol in one: :data:`TRANSITIONS`. A case's state is
what is recorded in it (see :mod:`flows.case`, where the case's :class:`CaseStage`
and each child's :class:`Stage` are derived from the records and ``now``). An
*event* (:mod:`flows.events`) is one thing the leader did: tapped a button, or
typed an answer the bot was waiting for. :func:`handle` checks the event against
its transition (the stages it is allowed in), lets the transition's effect change
the records, and answers with the screens to show next (each says which typed
answer the bot then waits for, :attr:`flows.replies.Screen.awaits`) and the lines
the event adds to the case's history.

An event that does not fit where the case stands (a stale button, a forged one,
a press on a closed case) changes nothing and shows where the case stands.

Nothing here reads a clock, a database or Telegram (see :mod:`flows.moment`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from flows.case import (
    CaseRecord,
    CaseStage,
    ChildRecord,
    Stage,
    case_stage,
    child_stage,
    follow_up_number,
    last_outcome,
)
from flows.effects import case as whole
from flows.effects import step1, step2, step3
from flows.events import (
    AddChild,
    AgreementDeleted,
    AgreementEdited,
    AgreementsDone,
    AgreementStands,
    AgreementTyped,
    ApproachChosen,
    AskAgain,
    AskFeeling,
    AskPlan,
    AskRole,
    AskSnooze,
    CancelFollowUp,
    ChildNamed,
    ChildRemoved,
    Close,
    CloseConfirmed,
    ConsentAnswered,
    Continue,
    ContinueWith,
    Correct,
    DateTyped,
    DeleteAgreement,
    EditAgreement,
    EditFacts,
    EditMayTell,
    Event,
    FactsKept,
    FactsTyped,
    FeelingChosen,
    FeelingTyped,
    FollowUpAnswer,
    KeepOpen,
    MayTellTyped,
    NextStepChosen,
    NicknameCorrected,
    NotAskedYet,
    Open,
    OutcomeGiven,
    OutcomeWithView,
    PlanChosen,
    RemoveChild,
    RenameVictim,
    ReportBackLater,
    ReportedBack,
    RoleChosen,
    SameFactsAs,
    SameFeelingAs,
    SetupDone,
    ShowApproach,
    ShowApproaches,
    ShowNextSteps,
    ShowScript,
    Snoozed,
    StandingMarked,
    Step1Chosen,
    TalkHeld,
    VictimRenamed,
    VictimViewGiven,
    Witnessed,
)
from flows.follow_up import Outcome
from flows.moment import Moment
from flows.replies import Reply, Screen, Shown, show, where_it_stands

E = TypeVar("E", bound=Event)


@dataclass(frozen=True)
class Show:
    """An effect that only shows one screen (about the event's child, for a child's event)."""

    screen: Screen


@dataclass(frozen=True)
class Transition(Generic[E]):
    """Where an event of type ``E`` is allowed, and what it does there."""

    event: type[E]
    case_stages: frozenset[CaseStage]
    """The stages of the case in which the event is allowed."""
    refused: Screen | None = field(default=None, kw_only=True)
    """Shown, before where the case stands, when the event does not fit: why it changed nothing."""

    def child(self, case: CaseRecord, event: Event, now: datetime) -> ChildRecord | None:
        """The event's child, if the event is about one and fits where that child stands."""
        return None

    def about(self) -> tuple[frozenset[Stage] | None, str]:
        """For the table in the docs: the child's stages it is allowed in, and its effect."""
        raise NotImplementedError

    def fits(self, case: CaseRecord, event: E, now: datetime) -> bool:
        """Whether ``event`` fits where ``case`` stands."""
        return case_stage(case) in self.case_stages

    def apply(self, case: CaseRecord, event: E, at: Moment) -> Reply:
        """What ``event`` does to ``case`` (it fits)."""
        raise NotImplementedError


@dataclass(frozen=True)
class CaseTransition(Transition[E]):
    """An event about the case as a whole: its effect gets the case and the event."""

    effect: Callable[[CaseRecord, E, Moment], Reply] | Show

    def apply(self, case: CaseRecord, event: E, at: Moment) -> Reply:
        """The effect, or the one screen it shows."""
        if isinstance(self.effect, Show):
            return show(self.effect.screen)
        return self.effect(case, event, at)

    def about(self) -> tuple[frozenset[Stage] | None, str]:
        """No child's stage; the effect's name."""
        return None, _name(self.effect)


@dataclass(frozen=True)
class ChildTransition(Transition[E]):
    """An event about one child, allowed in some of its stages; the effect gets the child."""

    child_stages: frozenset[Stage]
    effect: Callable[[CaseRecord, ChildRecord, E, Moment], Reply] | Show

    def child(self, case: CaseRecord, event: Event, now: datetime) -> ChildRecord | None:
        """The event's child, if it is one of the case and stands where the event fits."""
        child = next((c for c in case.children if c.id == event.child_id), None)
        if child is None or child_stage(case, child, now) not in self.child_stages:
            return None
        # A reminder's button answers its own talk, not the next one planned since.
        if isinstance(event, FollowUpAnswer) and event.follow_up != follow_up_number(child):
            return None
        return child

    def fits(self, case: CaseRecord, event: E, now: datetime) -> bool:
        """Whether the case and the event's child stand where ``event`` fits."""
        return super().fits(case, event, now) and self.child(case, event, now) is not None

    def apply(self, case: CaseRecord, event: E, at: Moment) -> Reply:
        """The effect on the event's child, or the one screen it shows about them."""
        child = self.child(case, event, at.now)
        if child is None:
            raise ValueError("apply a transition only where it fits")
        if isinstance(self.effect, Show):
            return show(self.effect.screen, child)
        return self.effect(case, child, event, at)

    def about(self) -> tuple[frozenset[Stage] | None, str]:
        """The child's stages; the effect's name."""
        return self.child_stages, _name(self.effect)


def _name(effect: Callable[..., Reply] | Show) -> str:
    return f"show {effect.screen}" if isinstance(effect, Show) else effect.__name__


_OPEN = frozenset({CaseStage.SETUP, CaseStage.STEP1, CaseStage.CHILDREN})
_ANY = frozenset(CaseStage)
_CHILDREN = frozenset({CaseStage.CHILDREN})
_STEP1 = frozenset({Stage.WAITING_FOR_STEP1})
_STEP2 = frozenset({Stage.FACTS, Stage.FEELING, Stage.READY_TO_TALK})
_READY = frozenset({Stage.READY_TO_TALK})
_TALKING = frozenset({Stage.READY_TO_TALK, Stage.NEW_PROPOSAL})
_TALKED = frozenset({Stage.TO_PLAN, Stage.PLANNED, Stage.DUE, Stage.NEW_PROPOSAL, Stage.MONITORING})
_PLANNED = frozenset({Stage.PLANNED, Stage.DUE})
_NEW_PROPOSAL = frozenset({Stage.NEW_PROPOSAL})
_ALL_STAGES = frozenset(Stage) - {Stage.CLOSED}
_NOT_TALKED = _STEP1 | _STEP2
_PREPARED = _STEP2 | _TALKED
_RECORDED = Screen.ALREADY_RECORDED

#: Every event, where it is allowed, and what it does: the protocol in one table.
TRANSITIONS: tuple[Transition[Any], ...] = (
    # The case as a whole.
    CaseTransition(Open, _ANY, Show(Screen.OVERVIEW)),
    CaseTransition(Continue, _OPEN, whole.continue_),
    ChildTransition(ContinueWith, _OPEN, _ALL_STAGES, whole.continue_with_child),
    CaseTransition(KeepOpen, _OPEN, whole.keep_open),
    CaseTransition(Close, _OPEN, Show(Screen.CONFIRM_CLOSE)),
    CaseTransition(CloseConfirmed, _OPEN, whole.close_confirmed),
    # Setting up the case. A child can be added at any step: their own step 1 comes next.
    CaseTransition(AddChild, _OPEN, whole.add_child),
    CaseTransition(ChildNamed, _OPEN, whole.child_named),
    ChildTransition(NicknameCorrected, _OPEN, _ALL_STAGES, whole.nickname_corrected),
    ChildTransition(RoleChosen, _OPEN, _ALL_STAGES, whole.role_chosen),
    CaseTransition(SetupDone, _OPEN, whole.setup_done),
    # Step 1: with the child who is bullied.
    # A talk held on a "yes" is not taken back by a stale button: until the talk only.
    ChildTransition(ConsentAnswered, _OPEN, _NOT_TALKED, step1.consent),
    ChildTransition(NotAskedYet, _OPEN, _STEP1, step1.not_asked_yet),
    ChildTransition(AskAgain, _OPEN, _STEP1, step1.ask_again),
    # What may be told can be corrected at any step, once permission is given.
    ChildTransition(EditMayTell, _OPEN, _ALL_STAGES, step1.edit_may_tell),
    ChildTransition(MayTellTyped, _OPEN, _ALL_STAGES, step1.may_tell_typed),
    ChildTransition(Step1Chosen, _OPEN, _STEP1, step1.step1_chosen),
    # Step 2: with each child who bullies or joins in.
    ChildTransition(Witnessed, _CHILDREN, _PREPARED, step2.witnessed),
    ChildTransition(EditFacts, _CHILDREN, _PREPARED, Show(Screen.ASK_WITNESSED)),
    ChildTransition(FactsTyped, _CHILDREN, _PREPARED, step2.facts_typed),
    ChildTransition(FactsKept, _CHILDREN, _STEP2, step2.facts_kept),
    ChildTransition(SameFactsAs, _CHILDREN, _PREPARED, step2.same_facts),
    ChildTransition(AskFeeling, _CHILDREN, _PREPARED, step2.ask_feeling),
    ChildTransition(FeelingChosen, _CHILDREN, _PREPARED, step2.feeling_chosen),
    ChildTransition(FeelingTyped, _CHILDREN, _PREPARED, step2.feeling_typed),
    ChildTransition(SameFeelingAs, _CHILDREN, _PREPARED, step2.same_feeling),
    ChildTransition(TalkHeld, _CHILDREN, _READY, step2.talk_held),
    ChildTransition(ShowScript, _CHILDREN, _READY, Show(Screen.SCRIPT)),
    ChildTransition(AgreementTyped, _CHILDREN, _TALKING, step2.agreement_typed),
    ChildTransition(AgreementsDone, _CHILDREN, _TALKING, step2.agreements_done),
    # With a new proposal: whether each earlier agreement still stands (by default, it does).
    ChildTransition(AgreementStands, _CHILDREN, _NEW_PROPOSAL, step3.agreement_stands),
    ChildTransition(StandingMarked, _CHILDREN, _NEW_PROPOSAL, step3.standing_marked),
    ChildTransition(ReportedBack, _CHILDREN, _TALKED, step2.reported_back),
    ChildTransition(ReportBackLater, _CHILDREN, _TALKED, step2.report_back_later),
    # Step 3: following up until the bullying has stopped.
    ChildTransition(AskPlan, _CHILDREN, _TALKED, Show(Screen.PLAN)),
    ChildTransition(PlanChosen, _CHILDREN, _TALKED, step3.plan_chosen),
    ChildTransition(DateTyped, _CHILDREN, _TALKED, step3.date_typed),
    ChildTransition(CancelFollowUp, _CHILDREN, _PLANNED, step3.cancel_follow_up),
    ChildTransition(OutcomeGiven, _CHILDREN, _PLANNED, step3.outcome, refused=_RECORDED),
    ChildTransition(AskSnooze, _CHILDREN, _PLANNED, Show(Screen.SNOOZE_OPTIONS), refused=_RECORDED),
    ChildTransition(Snoozed, _CHILDREN, _PLANNED, step3.snoozed, refused=_RECORDED),
    ChildTransition(VictimViewGiven, _CHILDREN, _PLANNED, step3.victim_view, refused=_RECORDED),
    ChildTransition(
        OutcomeWithView, _CHILDREN, _PLANNED, step3.outcome_with_view, refused=_RECORDED
    ),
    ChildTransition(ShowNextSteps, _CHILDREN, _TALKED, Show(Screen.NEXT_STEPS)),
    ChildTransition(NextStepChosen, _CHILDREN, _TALKED, step3.next_step_chosen),
    # When the protocol does not fit: other approaches (flows.approaches).
    CaseTransition(ShowApproaches, _OPEN, Show(Screen.APPROACHES)),
    CaseTransition(ShowApproach, _OPEN, whole.show_approach),
    CaseTransition(ApproachChosen, _OPEN, whole.approach_chosen),
    # Corrections: anything typed or picked can be corrected later, at any step.
    CaseTransition(Correct, _OPEN, Show(Screen.CORRECTIONS)),
    CaseTransition(RenameVictim, _OPEN, Show(Screen.ASK_VICTIM_RENAME)),
    CaseTransition(VictimRenamed, _OPEN, whole.victim_renamed),
    ChildTransition(AskRole, _OPEN, _ALL_STAGES, Show(Screen.ASK_ROLE)),
    ChildTransition(EditAgreement, _OPEN, _ALL_STAGES, whole.edit_agreement),
    ChildTransition(AgreementEdited, _OPEN, _ALL_STAGES, whole.agreement_edited),
    ChildTransition(DeleteAgreement, _OPEN, _ALL_STAGES, whole.ask_delete_agreement),
    ChildTransition(AgreementDeleted, _OPEN, _ALL_STAGES, whole.delete_agreement),
    ChildTransition(RemoveChild, _OPEN, _NOT_TALKED, Show(Screen.CONFIRM_REMOVE_CHILD)),
    ChildTransition(ChildRemoved, _OPEN, _NOT_TALKED, whole.child_removed),
)

_OF_EVENT: dict[type[Event], Transition[Any]] = {t.event: t for t in TRANSITIONS}


def transition(event: type[Event]) -> Transition[Any]:
    """The transition of an event class."""
    return _OF_EVENT[event]


def allowed(case: CaseRecord, event: Event, now: datetime) -> bool:
    """Whether ``event`` fits where ``case`` (and the event's child) stands."""
    return transition(type(event)).fits(case, event, now)


def handle(case: CaseRecord, event: Event, at: Moment) -> Reply:
    """Apply ``event`` to ``case`` if it fits where the case stands; answer what to show.

    An event that does not fit changes nothing: the answer is where the case stands
    (on a closed case, its overview), marked as not accepted.
    """
    found = transition(type(event))
    if not found.fits(case, event, at.now):
        if case.closed_at is not None:
            return Reply((Shown(Screen.OVERVIEW),), accepted=False)
        before = () if found.refused is None else (Shown(found.refused),)
        return Reply(where_it_stands(case, at.now, *before).shown, accepted=False)
    return found.apply(case, event, at)


def transition_table() -> list[tuple[str, str, str, str]]:
    """The table of transitions as text rows: event, case stages, child stages, effect."""
    rows = []
    for entry in TRANSITIONS:
        stages, effect = entry.about()
        children = "—" if stages is None else ", ".join(sorted(s.value for s in stages))
        case_stages = ", ".join(sorted(s.value for s in entry.case_stages))
        rows.append((entry.event.__name__, case_stages, children, effect))
    return rows


def last_round_stopped(child: ChildRecord) -> bool:
    """Whether the bullying had stopped at this child's last follow-up."""
    return last_outcome(child) is Outcome.STOPPED


def everyone_stopped(case: CaseRecord) -> bool:
    """Whether the bullying had stopped at the last follow-up of every child of ``case``
    who was talked to (and one was).

    A child never asked about, or not talked to yet, is no reason to wait forever: what
    is still open for them is listed when the case is closed.
    """
    talked = [c for c in case.children if c.held_at is not None]
    return bool(talked) and all(last_round_stopped(c) for c in talked)
