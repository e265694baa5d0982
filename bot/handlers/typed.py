"""Everything a leader types: the answer their place in the flow waits for.

The leader's row says what the bot waits for (:class:`flows.replies.Awaiting`);
:data:`ANSWERS` declares, once for each, how long the answer may be and what takes
it: an event of the protocol in the leader's case (made by the event class's
``answer``), or a handler of its own (a new case's first name, a time zone, a team's
name). A text longer than its limit is never thrown away: it is kept until the
leader takes its first part (:func:`keep_first_part`), cut where a sentence or a word
ends; the rest is kept as a note about the child at once, and offered as the next
agreement (:func:`take_rest`), so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.handlers import case, practice, settings, team
from bot.handlers.case_event import act
from bot.screens import menu, setup
from bot.storage import cases, leaders
from bot.storage.models import Child
from bot.turn import Turn, leader_turn
from flows.case import AGREEMENT_MAX, FEELING_MAX, LONG_TEXT_MAX, NICKNAME_MAX, split_long
from flows.events import (
    AgreementEdited,
    AgreementTyped,
    ChildNamed,
    DateTyped,
    Event,
    FactsTyped,
    FeelingTyped,
    MayTellTyped,
    NicknameCorrected,
    VictimRenamed,
)
from flows.replies import Awaiting

#: Between two texts kept in one child's note.
NOTE_SEPARATOR = "\n\n"

#: A handler of a typed answer that is not an event in a case.
TextHandler = Callable[[Turn, str], Awaitable[None]]
#: Makes the protocol's event from the leader's place (child, item) and the text.
MakeEvent = Callable[[int, int, str], Event]


@dataclass(frozen=True)
class InCase:
    """A typed answer that is an event in the leader's case; how long it may be."""

    make: MakeEvent
    limit: int | None = None


@dataclass(frozen=True)
class Own:
    """A typed answer with a handler of its own; how long it may be."""

    handle: TextHandler
    limit: int | None = None


Answer = InCase | Own


#: Every typed answer the bot can wait for, and what takes it.
ANSWERS: dict[Awaiting, Answer] = {
    Awaiting.VICTIM_NAME: Own(case.victim_named, NICKNAME_MAX),
    Awaiting.CHILD_NAME: InCase(ChildNamed.answer, NICKNAME_MAX),
    Awaiting.CHILD_ROLE: InCase(NicknameCorrected.answer, NICKNAME_MAX),
    Awaiting.MAY_TELL: InCase(MayTellTyped.answer, LONG_TEXT_MAX),
    Awaiting.FACTS: InCase(FactsTyped.answer, LONG_TEXT_MAX),
    Awaiting.FEELING: InCase(FeelingTyped.answer, FEELING_MAX),
    Awaiting.AGREEMENTS: InCase(AgreementTyped.answer, AGREEMENT_MAX),
    Awaiting.FOLLOW_UP_DATE: InCase(DateTyped.answer),
    Awaiting.VICTIM_RENAME: InCase(VictimRenamed.answer, NICKNAME_MAX),
    Awaiting.AGREEMENT_EDIT: InCase(AgreementEdited.answer, AGREEMENT_MAX),
    Awaiting.TIME_ZONE: Own(settings.zone_typed),
    Awaiting.CAMP_DATES: Own(settings.camp_typed),
    Awaiting.TEAM_NAME: Own(team.name_typed),
    # No limit: a practice's reply is read and forgotten, never kept as a draft.
    Awaiting.PRACTICE: Own(practice.reply_typed),
}


@leader_turn
async def typed(turn: Turn) -> None:
    """A typed message: the answer the leader's place in the flow waits for."""
    awaiting = leaders.awaiting(turn.leader)
    found = ANSWERS.get(awaiting)
    text = turn.text.strip()
    if found is not None and found.limit is not None and len(text) > found.limit:
        _keep(turn, text, found.limit)
        return
    await _answer(turn, found, turn.text)


def _keep(turn: Turn, text: str, limit: int) -> None:
    """A text over ``limit``: kept (encrypted), and the part that fits shown before it is taken."""
    turn.leader.draft = text
    part, rest = split_long(text, limit)
    setup.too_long(turn, len(text), limit, part, len(rest))


@leader_turn
async def keep_first_part(turn: Turn) -> None:
    """The first part of the text typed too long, taken as the answer it was meant to be.

    The rest is kept at once as a note about the child the text is about, so that
    nothing typed is lost whatever the leader presses next; while agreements are being
    written down, it is also offered as the next agreement (:func:`take_rest`).
    """
    found = ANSWERS.get(leaders.awaiting(turn.leader))
    draft = turn.leader.draft
    if draft is None or found is None or found.limit is None:
        menu.outdated(turn)
        return
    turn.leader.draft = None
    part, rest = split_long(draft, found.limit)
    about = await _child_about(turn)
    if about is not None:
        # A rest taken as an agreement and cut again was noted whole: its own rest replaces it.
        _unnote(about, draft)
        if rest:
            _note(about, rest)
    if leaders.awaiting(turn.leader) is not Awaiting.AGREEMENTS:
        if rest:
            setup.rest_shown(turn, rest, about)
        await _answer(turn, found, part)
        return
    await _answer(turn, found, part)
    if rest and leaders.awaiting(turn.leader) is Awaiting.AGREEMENTS:
        turn.leader.draft = rest
        setup.rest_offered(turn, rest, about)


@leader_turn
async def take_rest(turn: Turn) -> None:
    """The rest of a text typed too long, taken as the next agreement (and no longer a note)."""
    found = ANSWERS.get(leaders.awaiting(turn.leader))
    rest = turn.leader.draft
    if rest is None or found is None or found.limit is None:
        menu.outdated(turn)
        return
    turn.leader.draft = None
    if len(rest) > found.limit:
        # Still too long: it stays noted until its first part is taken.
        _keep(turn, rest, found.limit)
        return
    about = await _child_about(turn)
    if about is not None:
        _unnote(about, rest)
    await _answer(turn, found, rest)


async def _child_about(turn: Turn) -> Child | None:
    """The child of the leader's open case whose answer the leader is typing, if any."""
    leader = turn.leader
    found = await cases.visible_case(turn.session, leader, leader.active_case_id)
    if found is None or found.closed_at is not None:
        return None
    return next((c for c in found.children if c.id == leader.active_child_id), None)


def _note(child: Child, text: str) -> None:
    child.note = text if not child.note else child.note + NOTE_SEPARATOR + text


def _unnote(child: Child, text: str) -> None:
    """``text`` taken back out of ``child``'s note, where it was added last."""
    if child.note and child.note.endswith(text):
        child.note = child.note.removesuffix(text).removesuffix(NOTE_SEPARATOR) or None


async def _answer(turn: Turn, found: Answer | None, text: str) -> None:
    """``text`` as the answer to what the leader's place waits for."""
    if isinstance(found, Own):
        await found.handle(turn, text)
        return
    leader = turn.leader
    open_case = await cases.visible_case(turn.session, leader, leader.active_case_id)
    if found is None or open_case is None or open_case.closed_at is not None:
        leaders.place(leader, Awaiting.NOTHING)
        menu.nothing_expected(turn)
        return
    event = found.make(leader.active_child_id or 0, leader.active_item_id or 0, text)
    await act(turn, open_case, event)
