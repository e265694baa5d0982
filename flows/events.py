"""The events of the protocol: one per thing a leader does in a case.

Every event names its child by id (0 when it concerns the case). Their fields are ints,
bools and enums only, so a button can carry one as it is (``bot/callback_data.py``); a
typed answer becomes one through :data:`flows.protocol.TYPED_EVENTS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.approaches import Approach
from flows.case import Feeling, Role
from flows.escalation import VictimView
from flows.follow_up import Outcome, Snooze
from flows.follow_up_timing import FollowUpChoice
from flows.history import NextStepChoice, Step1Choice


@dataclass(frozen=True)
class Event:
    """Something the leader did in a case."""

    child_id: int


@dataclass(frozen=True)
class FollowUpAnswer(Event):
    """An answer about a follow-up talk, made on a reminder or in the case.

    ``follow_up`` is which follow-up talk with the child it answers (1 for the first,
    :func:`flows.case.follow_up_number`): a button of a reminder already answered,
    pressed once the next talk is planned, finds its talk recorded and changes nothing.
    """

    follow_up: int


@dataclass(frozen=True)
class Open(Event):
    """Open the case: it at a glance."""


@dataclass(frozen=True)
class Continue(Event):
    """Straight to the next thing to do."""


@dataclass(frozen=True)
class AddChild(Event):
    """Another child who bullies or joins in (before step 1 is asked)."""


@dataclass(frozen=True)
class ChildNamed(Event):
    """The nickname of a child who bullies or joins in, typed."""

    text: str


@dataclass(frozen=True)
class NicknameCorrected(Event):
    """A nickname typed again while the role question was open: the name corrected."""

    text: str


@dataclass(frozen=True)
class RoleChosen(Event):
    """Bullies, or joins in."""

    role: Role


@dataclass(frozen=True)
class SetupDone(Event):
    """Everyone is in: on to step 1."""


@dataclass(frozen=True)
class ConsentAnswered(Event):
    """Step 1: did the child who is bullied agree?"""

    agreed: bool


@dataclass(frozen=True)
class NotAskedYet(Event):
    """Step 1: the leader has not asked yet."""


@dataclass(frozen=True)
class AskAgain(Event):
    """Step 1 after a "no": the question once more."""


@dataclass(frozen=True)
class EditMayTell(Event):
    """Type what may be told (again)."""


@dataclass(frozen=True)
class MayTellTyped(Event):
    """What the child who is bullied allows the leader to tell, typed."""

    text: str


@dataclass(frozen=True)
class Witnessed(Event):
    """Step 2: seen ("I see") or heard ("I hear")."""

    seen: bool


@dataclass(frozen=True)
class EditFacts(Event):
    """Step 2: the facts once more, from "seen or heard"."""


@dataclass(frozen=True)
class FactsTyped(Event):
    """Step 2: the facts for "… has happened", typed."""

    text: str


@dataclass(frozen=True)
class AskFeeling(Event):
    """Step 2: the feeling question (again)."""


@dataclass(frozen=True)
class FeelingChosen(Event):
    """Step 2: a feeling the protocol names."""

    feeling: Feeling


@dataclass(frozen=True)
class FeelingTyped(Event):
    """Step 2: a feeling in the leader's own word."""

    text: str


@dataclass(frozen=True)
class TalkHeld(Event):
    """Step 2: the talk took place; the agreements come next."""


@dataclass(frozen=True)
class AgreementTyped(Event):
    """One agreement of step 2's proposal or of a new proposal in step 3."""

    text: str


@dataclass(frozen=True)
class AgreementsDone(Event):
    """Every agreement of the proposal is in."""


@dataclass(frozen=True)
class ReportedBack(Event):
    """The promise of step 1 is kept: the leader reported back on this talk."""


@dataclass(frozen=True)
class ReportBackLater(Event):
    """Remind me tomorrow of reporting back."""


@dataclass(frozen=True)
class AskPlan(Event):
    """Step 3: when to follow up (again, or moved)."""


@dataclass(frozen=True)
class PlanChosen(Event):
    """Step 3: an interval, the next meeting, or "a date" for the next follow-up."""

    choice: FollowUpChoice


@dataclass(frozen=True)
class DateTyped(Event):
    """Step 3: the date of the next follow-up, typed."""

    text: str


@dataclass(frozen=True)
class CancelFollowUp(Event):
    """Step 3: no reminder for this child's follow-up."""


@dataclass(frozen=True)
class OutcomeGiven(FollowUpAnswer):
    """Step 3: how far the bullying has stopped."""

    outcome: Outcome


@dataclass(frozen=True)
class AskSnooze(FollowUpAnswer):
    """Step 3: not talked yet; when to remind again?"""


@dataclass(frozen=True)
class Snoozed(FollowUpAnswer):
    """Step 3: not talked yet; remind again at this moment."""

    snooze: Snooze


@dataclass(frozen=True)
class KeepOpen(Event):
    """An inactive case stays open."""


@dataclass(frozen=True)
class Close(Event):
    """Close the case: asks first."""


@dataclass(frozen=True)
class CloseConfirmed(Event):
    """Close the case, confirmed."""


@dataclass(frozen=True)
class Correct(Event):
    """What can be corrected in the case: names, roles, facts, feelings, agreements."""


@dataclass(frozen=True)
class RenameVictim(Event):
    """Type the nickname of the child who is bullied again."""


@dataclass(frozen=True)
class VictimRenamed(Event):
    """The nickname of the child who is bullied, typed again."""

    text: str


@dataclass(frozen=True)
class AskRole(Event):
    """Bullies or joins in, asked again (a name typed then corrects the nickname)."""


@dataclass(frozen=True)
class EditAgreement(Event):
    """Type an agreement again."""

    agreement_id: int


@dataclass(frozen=True)
class AgreementEdited(Event):
    """An agreement, typed again."""

    agreement_id: int
    text: str


@dataclass(frozen=True)
class DeleteAgreement(Event):
    """An agreement written down by mistake, deleted."""

    agreement_id: int


@dataclass(frozen=True)
class RemoveChild(Event):
    """A child added by mistake: asks first."""


@dataclass(frozen=True)
class ChildRemoved(Event):
    """A child added by mistake, removed, confirmed."""


@dataclass(frozen=True)
class SameFactsAs(Event):
    """The facts for this child are those already written for another child of the case."""

    other_id: int


@dataclass(frozen=True)
class SameFeelingAs(Event):
    """The feeling for this child is the one already named for another child."""

    other_id: int


# When the protocol does not fit, or does not work.


@dataclass(frozen=True)
class Step1Chosen(Event):
    """Step 1 after a "no": ask again later, talk it over with the team, or keep watching."""

    choice: Step1Choice


@dataclass(frozen=True)
class FactsKept(Event):
    """Step 2: keep the facts as typed, whatever the hint said."""


@dataclass(frozen=True)
class ShowApproaches(Event):
    """The other approaches, and which fits better."""


@dataclass(frozen=True)
class ShowApproach(Event):
    """One approach: what it is, what the leader does first, where it is described."""

    approach: Approach


@dataclass(frozen=True)
class ApproachChosen(Event):
    """The case goes on with this approach."""

    approach: Approach


@dataclass(frozen=True)
class VictimViewGiven(FollowUpAnswer):
    """Step 3: what the child who is bullied says (asked before the outcome question)."""

    view: VictimView


@dataclass(frozen=True)
class OutcomeWithView(FollowUpAnswer):
    """Step 3: how far the bullying has stopped, with the bullied child's view beside it."""

    outcome: Outcome
    view: VictimView


@dataclass(frozen=True)
class ShowNextSteps(Event):
    """Step 3: it does not stop; what can be done next."""


@dataclass(frozen=True)
class NextStepChosen(Event):
    """Step 3: the next step the leader takes, recorded in the case's history."""

    choice: NextStepChoice
