"""A case, its children, and what stands in it: the facts the protocol's rules read.

A case is one bullying situation: one child who is bullied and one or more
children who bully (pester) or join in (meepester). Each of those gets a step-2
conversation of their own, agreements, and follow-ups.

The rules read and change a case through the small protocols below, so the
bot's database rows are used as they are and the tests can pass plain
dataclasses. Everything here is derived from those records and ``now``: where a
child stands, whether a follow-up is due, which agreements stand, the one next
thing to do. Nothing reads a clock, a database or Telegram.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from flows.follow_up import OPEN_STATUSES, Outcome, ReminderKind, ReminderStatus
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
#: Said of a child whose role the leader has not picked yet.
ROLE_NOT_CHOSEN = N_("bullies or joins in: not chosen yet")
#: A child's role before the leader picks one: the bot never picks it for them.
NO_ROLE = ""


def role_of(child: ChildRecord) -> Role | None:
    """The role the leader picked for ``child``, or ``None`` while it is not picked."""
    try:
        return Role(child.role)
    except ValueError:
        return None


def same_nickname(case: CaseRecord, nickname: str, *, besides: int | None = None) -> bool:
    """Whether ``nickname`` already names a child of ``case`` (other than child ``besides``)."""
    taken = [case.victim_nickname, *(c.nickname for c in case.children if c.id != besides)]
    return nickname.casefold() in {t.casefold() for t in taken}


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


class ReminderRecord(Protocol):
    """A planned reminder: a follow-up talk, or the promise to report back."""

    kind: str
    due_at: datetime
    status: str
    choice: str | None
    late: bool
    sent_at: datetime | None
    """When it last went out; still set while it waits to be asked again, unanswered."""


class AgreementRecord(Protocol):
    """Something a child proposed to do; ``follow_up_id`` is empty for step 2's proposal."""

    text: str
    follow_up_id: int | None
    # The follow-up round (its id) from which on the agreement no longer stands, as the
    # leader marked it with that round's new proposal; empty while it stands.
    ended_in: int | None

    @property
    def id(self) -> int: ...


class RoundRecord(Protocol):
    """A follow-up talk that took place, and how far the bullying had stopped."""

    outcome: str
    recorded_at: datetime
    previous_choice: str | None
    # What the child who is bullied said at this follow-up (flows.escalation.VictimView).
    victim_view: str | None

    @property
    def id(self) -> int: ...


class ChildRecord(Protocol):
    """A child who bullies or joins in, with step 1 for them and their step-2 talk."""

    nickname: str
    role: str
    consent: str
    may_tell: str | None
    witnessed: bool | None
    """Whether the leader saw it themselves (``None``: not answered yet)."""
    facts: str | None
    feeling: str | None
    held_at: datetime | None
    reported_back_at: datetime | None

    @property
    def id(self) -> int: ...
    @property
    def agreements(self) -> Sequence[AgreementRecord]: ...
    @property
    def follow_ups(self) -> Sequence[RoundRecord]: ...
    @property
    def reminders(self) -> Sequence[ReminderRecord]: ...


def saw_it(child: ChildRecord) -> bool:
    """Whether the facts are framed as seen ("Ik zie dat …"): also before the leader said,
    as the protocol's first frame."""
    return child.witnessed is not False


class CaseRecord(Protocol):
    """One bullying situation: the child who is bullied and the children who bully."""

    victim_nickname: str
    updated_at: datetime
    closed_at: datetime | None
    # The approach the case goes on with, once one is chosen (flows.approaches.Approach).
    approach: str | None

    @property
    def id(self) -> int: ...
    @property
    def children(self) -> Sequence[ChildRecord]: ...


def open_reminder(child: ChildRecord, kind: ReminderKind) -> ReminderRecord | None:
    """The reminder of ``kind`` for ``child`` still waiting to be sent or answered."""
    return next((r for r in child.reminders if r.kind == kind and r.status in OPEN_STATUSES), None)


def planned_follow_up(child: ChildRecord) -> ReminderRecord | None:
    """The planned follow-up talk with ``child``, if there is one."""
    return open_reminder(child, ReminderKind.FOLLOW_UP)


def follow_up_repeat(child: ChildRecord) -> ReminderRecord | None:
    """The repeat of a follow-up reminder sent and not answered, if one is planned."""
    return open_reminder(child, ReminderKind.FOLLOW_UP_AGAIN)


def end_follow_up_repeat(child: ChildRecord, status: ReminderStatus) -> None:
    """The follow-up was answered, put off or planned anew: its repeat is no longer asked."""
    for reminder in child.reminders:
        if reminder.kind == ReminderKind.FOLLOW_UP_AGAIN and reminder.status in OPEN_STATUSES:
            reminder.status = status


def follow_up_number(child: ChildRecord) -> int:
    """Which follow-up talk with ``child`` comes next: 1 for the first."""
    return len(child.follow_ups) + 1


def report_back_open(child: ChildRecord) -> bool:
    """The talk with ``child`` was held and the leader has not yet reported back on it."""
    return child.held_at is not None and child.reported_back_at is None


def follow_up_due(child: ChildRecord, now: datetime) -> bool:
    """A follow-up talk is due once its moment has come, whether or not a nudge got through."""
    planned = planned_follow_up(child)
    return planned is not None and planned.due_at <= now


def last_outcome(child: ChildRecord) -> Outcome | None:
    """How the last follow-up talk went, if there was one."""
    return Outcome(child.follow_ups[-1].outcome) if child.follow_ups else None


def current_round(child: ChildRecord) -> RoundRecord | None:
    """The round new agreements belong to: ``None`` for step 2, else the latest follow-up."""
    return child.follow_ups[-1] if child.held_at is not None and child.follow_ups else None


def round_agreements(child: ChildRecord, round_: RoundRecord | None) -> list[AgreementRecord]:
    """The agreements made in one round (step 2 when ``round_`` is ``None``)."""
    wanted = None if round_ is None else round_.id
    return [a for a in child.agreements if a.follow_up_id == wanted]


def standing_agreements(child: ChildRecord) -> list[AgreementRecord]:
    """The agreements that stand, from every round: those not marked as ended.

    An agreement stands until the leader marks, with a later round's new proposal, that
    it no longer does (:func:`agreements_to_mark`); a new proposal adds to the
    agreements, it does not replace them.
    """
    return [a for a in child.agreements if a.ended_in is None]


def round_number(child: ChildRecord, follow_up_id: int | None) -> int:
    """Which round an agreement comes from: 0 for step 2's talk, else the follow-up's number."""
    if follow_up_id is None:
        return 0
    ids = [r.id for r in child.follow_ups]
    return ids.index(follow_up_id) + 1 if follow_up_id in ids else 0


def agreements_to_mark(child: ChildRecord) -> list[AgreementRecord]:
    """The earlier agreements the leader marks as standing or not, with a new proposal.

    Those of earlier rounds that stand, or that were marked as ended in this round (so
    a mark can be undone); those ended in an earlier round stay in the history only.
    """
    round_ = current_round(child)
    if round_ is None:
        return []
    return [
        a
        for a in child.agreements
        if a.follow_up_id != round_.id and a.ended_in in (None, round_.id)
    ]


def step1_settled(child: ChildRecord) -> bool:
    """Step 1 is settled for ``child`` when the bullied child agreed to a talk with them
    and what may be told is recorded."""
    return child.consent == Consent.AGREED and bool(child.may_tell)


class CaseStage(StrEnum):
    """Where the case as a whole stands: setting up, step 1, or the children's own paths."""

    SETUP = "setup"
    """Adding the children who bully or join in; step 1 not asked yet."""
    STEP1 = "step1"
    """Step 1 asked, not settled: permission or what may be told is missing."""
    CHILDREN = "children"
    """Step 1 settled: each child goes on along their own path."""
    CLOSED = "closed"


def case_stage(case: CaseRecord) -> CaseStage:
    """Where ``case`` stands as a whole."""
    if case.closed_at is not None:
        return CaseStage.CLOSED
    if all(c.consent == Consent.NOT_ASKED for c in case.children):
        return CaseStage.SETUP
    if not any(step1_settled(c) for c in case.children):
        return CaseStage.STEP1
    return CaseStage.CHILDREN


class Stage(StrEnum):
    """Where one child who bullies or joins in stands in the protocol."""

    WAITING_FOR_STEP1 = "waiting_for_step1"
    """Step 2 is never prepared before step 1 is settled."""
    FACTS = "facts"
    """Step 2: the facts for "I see/hear that … has happened" are not in yet."""
    FEELING = "feeling"
    """Step 2: the facts are in; "I feel …" is not."""
    READY_TO_TALK = "ready_to_talk"
    """Step 2: the script is ready; the talk and its agreements are not recorded yet."""
    TO_PLAN = "to_plan"
    """Step 3: the talk is recorded; no follow-up is planned yet."""
    PLANNED = "planned"
    """Step 3: a follow-up talk is planned for later."""
    DUE = "due"
    """Step 3: the planned follow-up's moment has come; its outcome is awaited."""
    NEW_PROPOSAL = "new_proposal"
    """Step 3: not (fully) stopped at the last follow-up; a new proposal, then a new plan."""
    MONITORING = "monitoring"
    """Step 3: stopped at the last follow-up, nothing planned: follow up later, or close."""
    CLOSED = "closed"
    """The case is closed: nothing changes any more."""


def child_stage(case: CaseRecord, child: ChildRecord, now: datetime) -> Stage:
    """Where ``child`` stands, derived from what is recorded and ``now``."""
    if case.closed_at is not None:
        return Stage.CLOSED
    if not step1_settled(child):
        return Stage.WAITING_FOR_STEP1
    if child.facts is None:
        return Stage.FACTS
    if child.feeling is None:
        return Stage.FEELING
    if child.held_at is None:
        return Stage.READY_TO_TALK
    if planned_follow_up(child) is not None:
        return Stage.DUE if follow_up_due(child, now) else Stage.PLANNED
    match last_outcome(child):
        case None:
            return Stage.TO_PLAN
        case Outcome.STOPPED:
            return Stage.MONITORING
        case _:
            return Stage.NEW_PROPOSAL


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


#: What is left to do for a child at each stage before step 3's waiting.
_CHILD_NEXT: dict[Stage, Next] = {
    Stage.FACTS: Next.PREPARE_CONVERSATION,
    Stage.FEELING: Next.CHOOSE_FEELING,
    Stage.READY_TO_TALK: Next.HOLD_CONVERSATION,
    Stage.TO_PLAN: Next.PLAN_FOLLOW_UP,
    Stage.NEW_PROPOSAL: Next.PLAN_FOLLOW_UP,
    Stage.MONITORING: Next.PLAN_FOLLOW_UP,
}


def next_step(case: CaseRecord, now: datetime) -> NextStep:
    """The one next thing to do in ``case``, in the protocol's order."""
    if case.closed_at is not None:
        return NextStep(Next.CLOSED)
    if not case.children:
        return NextStep(Next.ADD_CHILD)
    # Step 1 is one talk with the bullied child: every child's question comes first,
    # unless the leader has not talked with her yet and a reminder to ask is planned.
    for child in case.children:
        if child.consent == Consent.NOT_ASKED and step1_reminder_due(child, now):
            return NextStep(Next.ASK_CONSENT, child.id)
        if child.consent == Consent.AGREED and not child.may_tell:
            return NextStep(Next.RECORD_MAY_TELL, child.id)
    stages = [(child, child_stage(case, child, now)) for child in case.children]
    # Each child's path goes on by itself: the first child with something to do now.
    for child, stage in stages:
        if stage in _CHILD_NEXT:
            return NextStep(_CHILD_NEXT[stage], child.id)
    for child, stage in stages:
        if stage is Stage.DUE:
            return NextStep(Next.RECORD_FOLLOW_UP, child.id)
    # A "no" for a child waits for its reminder, without holding up the others: it is
    # next once that reminder is due, or when nothing else in the case goes on.
    for child, _stage in stages:
        if child.consent == Consent.DECLINED and step1_reminder_due(child, now):
            return NextStep(Next.CONSENT_DECLINED, child.id)
    # The promise to report back is a reminder, never a gate: it is next only when
    # everything else waits for a planned follow-up.
    for child, _stage in stages:
        if report_back_open(child):
            return NextStep(Next.REPORT_BACK, child.id)
    planned = [c for c in case.children if planned_follow_up(c)]
    if planned:
        # Every other child has a follow-up planned for later: the soonest is next.
        return NextStep(Next.FOLLOW_UP, min(planned, key=_due).id)
    # Nothing goes on but step 1 waiting for its reminder (not asked yet, or a "no"):
    # that is the case's next thing.
    waiting = next(c for c in case.children if c.consent != Consent.AGREED)
    if waiting.consent == Consent.NOT_ASKED:
        return NextStep(Next.ASK_CONSENT, waiting.id)
    return NextStep(Next.CONSENT_DECLINED, waiting.id)


@dataclass(frozen=True)
class NextItem:
    """One child's next thing to do, and the moment of the reminder it waits for.

    ``at`` is ``None`` when nothing is planned for it: it can be done now. A moment that
    has passed makes the item due (overdue since then), never coming.
    """

    what: Next
    child_id: int
    at: datetime | None = None

    def due(self, now: datetime) -> bool:
        """Whether the item can be taken up now: nothing planned, or its moment has come."""
        return self.at is None or self.at <= now


def child_items(case: CaseRecord, child: ChildRecord, now: datetime) -> list[NextItem]:
    """What is next for ``child``: their step, the promise to report back, the follow-up."""
    if case.closed_at is not None:
        return []
    if child.consent != Consent.AGREED:
        reminder = open_reminder(child, ReminderKind.STEP1)
        what = Next.ASK_CONSENT if child.consent == Consent.NOT_ASKED else Next.CONSENT_DECLINED
        return [NextItem(what, child.id, _moment(reminder, now))]
    if not child.may_tell:
        return [NextItem(Next.RECORD_MAY_TELL, child.id)]
    stage = child_stage(case, child, now)
    items = [NextItem(_CHILD_NEXT[stage], child.id)] if stage in _CHILD_NEXT else []
    if report_back_open(child):
        reminder = open_reminder(child, ReminderKind.REPORT_BACK)
        items.append(NextItem(Next.REPORT_BACK, child.id, _moment(reminder, now)))
    planned = planned_follow_up(child)
    if planned is not None:
        what = Next.RECORD_FOLLOW_UP if planned.due_at <= now else Next.FOLLOW_UP
        items.append(NextItem(what, child.id, planned.due_at))
    return items


def next_items(case: CaseRecord, now: datetime) -> list[NextItem]:
    """What is next for every open child of ``case``, in time order.

    What can be done now comes first (the longest overdue first), then what waits for a
    moment still to come, the soonest first.
    """
    items = [item for child in case.children for item in child_items(case, child, now)]
    return sorted(items, key=lambda item: now if item.at is None else item.at)


def first_due(case: CaseRecord, now: datetime, besides: int | None = None) -> NextItem | None:
    """The first item of ``case`` that can be taken up now (for a child other than
    ``besides``)."""
    return next((i for i in next_items(case, now) if i.due(now) and i.child_id != besides), None)


def step1_reminder_due(child: ChildRecord, now: datetime) -> bool:
    """Whether step 1 for ``child`` is to be asked (again) now: its reminder's moment has
    come (also when it went out and waits unanswered to be asked again), or none waits."""
    reminder = open_reminder(child, ReminderKind.STEP1)
    return reminder is None or asked_unanswered(reminder, now) or reminder.due_at <= now


def asked_unanswered(reminder: ReminderRecord | None, now: datetime) -> bool:
    """Whether ``reminder`` went out, was not answered, and waits to be asked again."""
    return reminder is not None and reminder.sent_at is not None and reminder.due_at > now


def _moment(reminder: ReminderRecord | None, now: datetime) -> datetime | None:
    """The moment an item waits for: its reminder's, or, once that reminder went out
    unanswered, the moment it went out (the item is due since then)."""
    if reminder is None:
        return None
    if asked_unanswered(reminder, now):
        return reminder.sent_at
    return reminder.due_at


def _due(child: ChildRecord) -> datetime:
    planned = planned_follow_up(child)
    assert planned is not None
    return planned.due_at


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


#: Where a sentence ends: the part before it can be taken whole.
_SENTENCE_ENDS = (". ", "! ", "? ", ".\n", "!\n", "?\n", "\n")
#: Said where a text is cut: what is taken goes on, what is left goes on from it.
ELLIPSIS = "…"


def split_long(text: str, limit: int) -> tuple[str, str]:
    """``text`` cut in two: a part of at most ``limit`` characters, and the rest.

    The part ends at the last sentence that fits whole, or else at the last word that
    fits, and ends in "…" when the cut falls inside a sentence; the rest is everything
    after it (nothing is lost), starting with "…" when it goes on from a cut sentence.
    A text within ``limit`` is its own part, with no rest.
    """
    text = text.strip()
    if len(text) <= limit:
        return text, ""
    room = text[: limit - 1]
    sentence = max(room.rfind(end) for end in _SENTENCE_ENDS)
    if sentence > limit // 3:
        # A whole sentence (or line) ends here: the part is complete as it is.
        return text[: sentence + 1].rstrip(), text[sentence + 1 :].strip()
    space = room.rfind(" ")
    cut = space if space > limit // 2 else limit - 1
    part = text[:cut].rstrip()
    rest = text[cut:].strip()
    return part + ELLIPSIS, ELLIPSIS + rest


def first_part(text: str, limit: int) -> str:
    """The first part of ``text`` that fits in ``limit`` characters (see :func:`split_long`)."""
    return split_long(text, limit)[0]
