"""Everything a leader types: the answer their place in the flow waits for.

The leader's row says what the bot waits for (:class:`flows.replies.Awaiting`);
:data:`ANSWERS` declares, once for each, how long the answer may be and what takes
it: an event of the protocol in the leader's case (made by the event class's
``answer``), or a handler of its own (a new case's first name, a time zone, a team's
name). A text longer than its limit is never thrown away: it is kept until the
leader takes its first part (:func:`keep_first_part`), cut where a sentence or a word
ends; the rest is offered as the next agreement (:func:`take_rest`) or shown back, so
nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.callback_data import KeepAsNote
from bot.handlers import case, settings, team
from bot.handlers.case_event import act
from bot.screens import menu, setup
from bot.storage import cases, leaders
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

    The rest is kept: as the next agreement while agreements are being written down,
    else shown back so the leader can use it where it belongs.
    """
    found = ANSWERS.get(leaders.awaiting(turn.leader))
    draft = turn.leader.draft
    if draft is None or found is None or found.limit is None:
        menu.outdated(turn)
        return
    turn.leader.draft = None
    part, rest = split_long(draft, found.limit)
    # The child the text is about, whose note the rest can become.
    about = (turn.leader.active_case_id or 0, turn.leader.active_child_id or 0)
    if leaders.awaiting(turn.leader) is not Awaiting.AGREEMENTS:
        if rest:
            setup.rest_shown(turn, rest, *about)
        await _answer(turn, found, part)
        if rest:
            turn.leader.draft = rest  # until the leader goes on with something else
        return
    await _answer(turn, found, part)
    if rest and leaders.awaiting(turn.leader) is Awaiting.AGREEMENTS:
        turn.leader.draft = rest
        setup.rest_offered(turn, rest, *about)


@leader_turn
async def take_rest(turn: Turn) -> None:
    """The rest of a text typed too long, taken as the next agreement."""
    found = ANSWERS.get(leaders.awaiting(turn.leader))
    rest = turn.leader.draft
    if rest is None or found is None or found.limit is None:
        menu.outdated(turn)
        return
    turn.leader.draft = None
    if len(rest) > found.limit:
        _keep(turn, rest, found.limit)
        return
    await _answer(turn, found, rest)


@leader_turn
async def keep_as_note(turn: Turn) -> None:
    """The rest of a text typed too long, kept as a note about the child it was about."""
    pressed = turn.callback
    assert isinstance(pressed, KeepAsNote)
    rest = turn.leader.draft
    found = await cases.visible_case(turn.session, turn.leader, pressed.case_id)
    child = (
        None
        if found is None
        else next((c for c in found.children if c.id == pressed.child_id), None)
    )
    if rest is None or found is None or found.closed_at is not None or child is None:
        menu.outdated(turn)
        return
    turn.leader.draft = None
    child.note = rest if not child.note else child.note + "\n\n" + rest
    setup.note_kept(turn, child)


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
