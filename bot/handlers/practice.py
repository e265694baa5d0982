"""The practice talk: start it, answer with a button or by typing, try a trap again.

A practice stores nothing about the child and is no part of the case's history: the
child's nickname, the leader's prepared sentences and what may be told are read from
the case at each press, and only the practice's position is kept, in the leader's row
(the place a typed answer goes to), beside the case and child it is about. What the
leader types is read by the rules and forgotten.
"""

from __future__ import annotations

from bot.callback_data import PracticeGo, PracticeReply, PracticeStart
from bot.screens import menu
from bot.screens import practice as screens
from bot.screens.practice import Talk
from bot.storage import cases, leaders
from bot.turn import Turn, leader_turn
from flows import phrasing, practice
from flows.case import Consent, Feeling, saw_it
from flows.language import _
from flows.practice import SEEDS, Answered, Position, Setup
from flows.practice_rules import read_reply
from flows.replies import Awaiting

#: At most this many children whose talk is still to be held are offered from the menu.
OFFERED = 4
#: The made-up child and the child they bullied, when no case's child is practised.
MADE_UP_CHILD = "Senne"
MADE_UP_VICTIM = "Noor"


def made_up() -> Talk:
    """A practice with a made-up child, on sentences prepared as a leader would."""
    facts = _("the laughing at %(victim)s in the group chat") % {"victim": MADE_UP_VICTIM}
    sentences = phrasing.step2_sentences(
        facts, Feeling.ANGRY.value, witnessed=False, victim=MADE_UP_VICTIM
    )
    return Talk(0, 0, Setup(MADE_UP_CHILD, MADE_UP_VICTIM, tuple(sentences)))


async def _talk(turn: Turn, case_id: int, child_id: int) -> Talk | None:
    """The practice with a case's child, the leader's own sentences its starting lines."""
    if case_id == 0:
        return made_up()
    found = await cases.visible_case(turn.session, turn.leader, case_id)
    if found is None or found.closed_at is not None:
        return None
    child = next((c for c in found.children if c.id == child_id), None)
    if child is None:
        return None
    sentences = phrasing.step2_sentences(
        child.facts, child.feeling, witnessed=saw_it(child), victim=found.victim_nickname
    )
    may_tell = child.may_tell if child.consent == Consent.AGREED else None
    setup = Setup(child.nickname, found.victim_nickname, tuple(sentences), may_tell)
    return Talk(found.id, child.id, setup)


def _seed(turn: Turn) -> int:
    """A different talk each time: the update's id picks it (no clock, nothing random)."""
    return (turn.update.update_id * 37) % SEEDS


def _at(turn: Turn, talk: Talk, position: Position) -> None:
    """Keep the position in the leader's row, for a reply they type."""
    leaders.place(
        turn.leader,
        Awaiting.PRACTICE if not position.ended else Awaiting.NOTHING,
        talk.case_id or None,
        talk.child_id or None,
        position.pack() if not position.ended else None,
    )


def _show(turn: Turn, talk: Talk, answered: Answered, chosen: str | None) -> None:
    _at(turn, talk, answered.after)
    if answered.after.ended:
        screens.end(turn, talk, answered, chosen)
    else:
        screens.scene(turn, talk, answered.after, answered, chosen)


async def begin(turn: Turn, case_id: int = 0, child_id: int = 0) -> None:
    """A new practice with a case's child, or a made-up one."""
    talk = await _talk(turn, case_id, child_id)
    if talk is None:
        menu.not_found(turn)
        return
    position = practice.begin(_seed(turn))
    _at(turn, talk, position)
    screens.scene(turn, talk, position)


async def from_menu(turn: Turn) -> None:
    """The menu's practice: with a child whose talk is prepared and still to be held, if
    the leader has one; else with a made-up child."""
    found, _count = await cases.open_cases(turn.session, turn.leader, 0, OFFERED)
    ready = [
        (case.id, child.id, child.nickname)
        for case in found
        for child in case.children
        if child.facts and child.feeling and child.held_at is None
    ][:OFFERED]
    if not ready:
        await begin(turn)
        return
    screens.choose_child(turn, ready)


@leader_turn
async def pressed(turn: Turn) -> None:
    """A practice's button: start, a reply chosen, or a trap tried again."""
    press = turn.callback
    if isinstance(press, PracticeStart):
        await begin(turn, press.case_id, press.child_id)
        return
    assert isinstance(press, PracticeReply | PracticeGo)
    position = Position.unpack(press.position)
    talk = await _talk(turn, press.case_id, press.child_id)
    if talk is None:
        menu.not_found(turn)
        return
    if position is None or position.ended:
        menu.outdated(turn)
        return
    if isinstance(press, PracticeGo):
        _at(turn, talk, position)
        screens.scene(turn, talk, position)
        return
    option = practice.options(position)[press.option % len(screens.LETTERS)]
    answered = practice.choose(position, press.option % len(screens.LETTERS))
    _show(turn, talk, answered, practice.option_text(option, talk.setup))


async def reply_typed(turn: Turn, text: str) -> None:
    """A reply typed in a practice: read by the rules of the leader's language, not kept."""
    leader = turn.leader
    position = Position.unpack(leader.active_item_id or 0) if leader.active_item_id else None
    talk = await _talk(turn, leader.active_case_id or 0, leader.active_child_id or 0)
    if position is None or position.ended or talk is None:
        leaders.place(leader, Awaiting.NOTHING)
        menu.nothing_expected(turn)
        return
    _show(turn, talk, practice.answer(position, read_reply(text, talk.setup)), None)
