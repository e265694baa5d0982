"""The events of the protocol: one per thing a leader does in a case.

Every event names its child by id (0 when it concerns the case). Their fields are ints,
bools and enums only, so a button can carry one as it is (``bot/callback_data.py``); a
typed answer becomes one through its class's ``answer`` (:class:`Typed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from flows.approaches import Approach
from flows.case import Feeling, Role
from flows.escalation import VictimView
from flows.follow_up import Outcome, Snooze
from flows.follow_up_timing import FollowUpChoice
from flows.history import NextStepChoice, Step1Choice


@dataclass(frozen=True)
class Event:
    """Something the leader did in a case.

    An event a button carries declares its short code on the class
    (``class Witnessed(Event, code="w")``): the button's data is that code, the case's
    id and the event's fields (``bot/callback_data.py``). A typed answer has no code.

    An event with fields of its own is a frozen dataclass too; one without is a plain
    subclass, which has its base's ``__init__``, equality and ``repr`` already
    (decorating it again made each of their methods anew, a fiftieth of the start-up).
    """

    child_id: int

    code: ClassVar[str] = ""
    #: Every event a button can carry, by its code.
    by_code: ClassVar[dict[str, type[Event]]] = {}

    def __init_subclass__(cls, code: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.code = code
        if not code:
            return
        if code in Event.by_code:
            raise TypeError(f"event code {code!r} used twice")
        Event.by_code[code] = cls


@dataclass(frozen=True)
class Typed(Event):
    """An answer the leader typed, about the child their place in the flow names."""

    text: str

    @classmethod
    def answer(cls, child_id: int, item: int, text: str) -> Event:
        """The event for ``text`` typed at the leader's place (``item``: unused here)."""
        return cls(child_id, text)


@dataclass(frozen=True)
class FollowUpAnswer(Event):
    """An answer about a follow-up talk, made on a reminder or in the case.

    ``follow_up`` is which follow-up talk with the child it answers (1 for the first,
    :func:`flows.case.follow_up_number`): a button of a reminder already answered,
    pressed once the next talk is planned, finds its talk recorded and changes nothing.
    """

    follow_up: int


class Open(Event, code="o"):
    """Open the case: it at a glance."""


class Continue(Event, code="n"):
    """Straight to the next thing to do."""


class ContinueWith(Event, code="nw"):
    """Straight to what is next for one child: what is due for them opens with one tap."""


class AddChild(Event, code="a"):
    """Another child who bullies or joins in (before step 1 is asked)."""


class ChildNamed(Typed):
    """The nickname of a child who bullies or joins in, typed."""


class NicknameCorrected(Typed):
    """A nickname typed again while the role question was open: the name corrected."""


@dataclass(frozen=True)
class RoleChosen(Event, code="r"):
    """Bullies, or joins in."""

    role: Role


class SetupDone(Event, code="sd"):
    """Everyone is in: on to step 1."""


@dataclass(frozen=True)
class ConsentAnswered(Event, code="cs"):
    """Step 1: did the child who is bullied agree?"""

    agreed: bool


class NotAskedYet(Event, code="na"):
    """Step 1: the leader has not asked yet."""


class AskAgain(Event, code="ag"):
    """Step 1 after a "no": the question once more."""


class EditMayTell(Event, code="mt"):
    """Type what may be told (again)."""


class MayTellTyped(Typed):
    """What the child who is bullied allows the leader to tell, typed."""


@dataclass(frozen=True)
class Witnessed(Event, code="w"):
    """Step 2: seen ("I see") or heard ("I hear")."""

    seen: bool


class EditFacts(Event, code="fx"):
    """Step 2: the facts once more, from "seen or heard"."""


class FactsTyped(Typed):
    """Step 2: the facts for "… has happened", typed."""


class AskFeeling(Event, code="fa"):
    """Step 2: the feeling question (again)."""


@dataclass(frozen=True)
class FeelingChosen(Event, code="f"):
    """Step 2: a feeling the protocol names."""

    feeling: Feeling


class FeelingTyped(Typed):
    """Step 2: a feeling in the leader's own word."""


class TalkHeld(Event, code="h"):
    """Step 2: the talk took place; the agreements come next."""


class ShowScript(Event, code="sc"):
    """Step 2: back to the script from the agreements, before the talk is recorded."""


class AgreementTyped(Typed):
    """One agreement of step 2's proposal or of a new proposal in step 3."""


class AgreementsDone(Event, code="ad"):
    """Every agreement of the proposal is in."""


@dataclass(frozen=True)
class AgreementStands(Event, code="as"):
    """Step 3, with a new proposal: an earlier agreement still stands, or no longer does."""

    agreement_id: int
    stands: bool


class StandingMarked(Event, code="asd"):
    """Step 3: every earlier agreement is marked; on to planning the next follow-up."""


class ReportedBack(Event, code="rb"):
    """The promise of step 1 is kept: the leader reported back on this talk."""


class ReportBackLater(Event, code="rl"):
    """Remind me tomorrow of reporting back."""


class AskPlan(Event, code="pa"):
    """Step 3: when to follow up (again, or moved)."""


@dataclass(frozen=True)
class PlanChosen(Event, code="p"):
    """Step 3: an interval, the next meeting, or "a date" for the next follow-up."""

    choice: FollowUpChoice


class DateTyped(Typed):
    """Step 3: the date of the next follow-up, typed."""


class CancelFollowUp(Event, code="pc"):
    """Step 3: no reminder for this child's follow-up."""


@dataclass(frozen=True)
class OutcomeGiven(FollowUpAnswer, code="oc"):
    """Step 3: how far the bullying has stopped."""

    outcome: Outcome


class AskSnooze(FollowUpAnswer, code="sa"):
    """Step 3: not talked yet; when to remind again?"""


@dataclass(frozen=True)
class Snoozed(FollowUpAnswer, code="sz"):
    """Step 3: not talked yet; remind again at this moment."""

    snooze: Snooze


class KeepOpen(Event, code="ko"):
    """An inactive case stays open."""


class Close(Event, code="x"):
    """Close the case: asks first."""


class CloseConfirmed(Event, code="xx"):
    """Close the case, confirmed."""


class Correct(Event, code="cr"):
    """What can be corrected in the case: names, roles, what may be told, facts, feelings,
    agreements."""


class RenameVictim(Event, code="rv"):
    """Type the nickname of the child who is bullied again."""


class VictimRenamed(Typed):
    """The nickname of the child who is bullied, typed again."""


class AskRole(Event, code="ar"):
    """Bullies or joins in, asked again (a name typed then corrects the nickname)."""


@dataclass(frozen=True)
class EditAgreement(Event, code="ea"):
    """Type an agreement again."""

    agreement_id: int


@dataclass(frozen=True)
class AgreementEdited(Event):
    """An agreement, typed again."""

    agreement_id: int
    text: str

    @classmethod
    def answer(cls, child_id: int, item: int, text: str) -> Event:
        """The agreement ``item`` of the child, typed again."""
        return cls(child_id, item, text)


@dataclass(frozen=True)
class DeleteAgreement(Event, code="da"):
    """An agreement written down by mistake: asks first."""

    agreement_id: int


@dataclass(frozen=True)
class AgreementDeleted(Event, code="dax"):
    """An agreement written down by mistake, deleted, confirmed."""

    agreement_id: int


class RemoveChild(Event, code="rm"):
    """A child added by mistake: asks first."""


class ChildRemoved(Event, code="rmx"):
    """A child added by mistake, removed, confirmed."""


@dataclass(frozen=True)
class SameFactsAs(Event, code="sfa"):
    """The facts for this child are those already written for another child of the case."""

    other_id: int


@dataclass(frozen=True)
class SameFeelingAs(Event, code="sfe"):
    """The feeling for this child is the one already named for another child."""

    other_id: int


# When the protocol does not fit, or does not work.


@dataclass(frozen=True)
class Step1Chosen(Event, code="s1"):
    """Step 1 after a "no": ask again later, talk it over with the team, or keep watching."""

    choice: Step1Choice


class FactsKept(Event, code="fk"):
    """Step 2: keep the facts as typed, whatever the hint said."""


class ShowApproaches(Event, code="ap"):
    """The other approaches, and which fits better."""


@dataclass(frozen=True)
class ShowApproach(Event, code="aq"):
    """One approach: what it is, what the leader does first, where it is described."""

    approach: Approach


@dataclass(frozen=True)
class ApproachChosen(Event, code="ac"):
    """The case goes on with this approach."""

    approach: Approach


@dataclass(frozen=True)
class VictimViewGiven(FollowUpAnswer, code="vv"):
    """Step 3: what the child who is bullied says (asked before the outcome question)."""

    view: VictimView


@dataclass(frozen=True)
class OutcomeWithView(FollowUpAnswer, code="ov"):
    """Step 3: how far the bullying has stopped, with the bullied child's view beside it."""

    outcome: Outcome
    view: VictimView


class ShowNextSteps(Event, code="es"):
    """Step 3: it does not stop; what can be done next."""


@dataclass(frozen=True)
class NextStepChosen(Event, code="ec"):
    """Step 3: the next step the leader takes, recorded in the case's history."""

    choice: NextStepChoice
