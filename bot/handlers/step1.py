"""Step 1: the answers of the child who is bullied."""

from __future__ import annotations

from bot import states
from bot.handlers.current import active_case
from bot.screens import step1, step2
from bot.screens.next_step import show_next
from bot.storage.models import Case, Child
from bot.turn import Turn, leader_turn
from flows.case import LONG_TEXT_MAX, Consent, clean_text


async def consent_given(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Did the child who is bullied agree?"""
    if value not in (Consent.AGREED, Consent.DECLINED) or not case.children:
        return show_next(turn, case)
    if any(c.held_at is not None for c in case.children):
        # A talk was held on this permission already; it is not taken back by a stale button.
        return show_next(turn, case)
    case.consent = value
    case.updated_at = turn.now
    if value == Consent.DECLINED:
        step1.declined(turn, case)
        return states.IDLE
    return step1.ask_may_tell(turn, case)


async def ask_again(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """After a "no": the three sentences once more."""
    if case.consent == Consent.AGREED:
        return show_next(turn, case)
    step1.ask_consent(turn, case)
    return states.IDLE


async def later(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Not asked yet: come back later."""
    step1.not_asked_yet(turn, case)
    return states.IDLE


async def edit_may_tell(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Change what may be told."""
    if case.consent != Consent.AGREED:
        return show_next(turn, case)
    return step1.ask_may_tell(turn, case)


@leader_turn
async def may_tell_typed(turn: Turn) -> object:
    """What the leader may tell the children who bully."""
    case = await active_case(turn)
    if case is None or case.consent != Consent.AGREED:
        return show_next(turn, case) if case else states.IDLE
    text = clean_text(turn.text, LONG_TEXT_MAX)
    if text is None:
        step2.text_refused(turn, LONG_TEXT_MAX)
        return None
    case.may_tell = text
    case.updated_at = turn.now
    step1.step1_done(turn, case)
    return states.IDLE
