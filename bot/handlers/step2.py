"""Step 2: preparing and recording the talk with each child who bullies or joins in."""

from __future__ import annotations

from bot import states
from bot.handlers.current import active_child
from bot.screens import follow_up, step2
from bot.screens.next_step import show_next
from bot.storage import cases, reminders
from bot.storage.models import Case, Child
from bot.turn import Turn, leader_turn
from flows.case import (
    AGREEMENT_MAX,
    AGREEMENTS_PER_CONVERSATION_MAX,
    FEELING_MAX,
    LONG_TEXT_MAX,
    Feeling,
    clean_text,
    may_start_step2,
)
from flows.follow_up import ReminderKind, report_back_moment


def _step2_allowed(case: Case, child: Child | None) -> bool:
    # Step 2 is never offered before step 1 is settled, whatever button is pressed.
    return child is not None and may_start_step2(case)


async def witnessed(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Seen or heard: picks "I see" or "I hear" for the first sentence."""
    if child is None or not _step2_allowed(case, child) or value not in ("0", "1"):
        return show_next(turn, case)
    child.witnessed = value == "1"
    return step2.ask_facts(turn, case, child)


async def edit_facts(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """Type the facts again."""
    if child is None or not _step2_allowed(case, child) or child.held_at is not None:
        return show_next(turn, case)
    step2.ask_witnessed(turn, case, child)
    return states.IDLE


async def feeling_chosen(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """A feeling button, or (without a value) the question again."""
    if child is None or not _step2_allowed(case, child) or child.held_at is not None:
        return show_next(turn, case)
    if child.facts is None:
        return step2.ask_facts(turn, case, child)
    if value not in set(Feeling):
        return step2.ask_feeling(turn, case, child)
    child.feeling = value
    step2.script(turn, case, child)
    return states.IDLE


async def talk_held(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """The talk took place: write down the agreements."""
    if child is None or not _step2_allowed(case, child) or child.feeling is None:
        return show_next(turn, case)
    if child.held_at is not None:
        return show_next(turn, case)
    return step2.ask_agreements(turn, case, child)


async def agreements_done(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """All agreements are in: the talk is recorded as held."""
    if child is None or not _step2_allowed(case, child) or child.held_at is not None:
        return show_next(turn, case)
    if not child.agreements:
        return step2.no_agreements_yet(turn, case, child)
    child.held_at = turn.now
    case.updated_at = turn.now
    # If the promise of step 1 is not kept by tomorrow, a reminder comes.
    reminders.plan(
        turn.session,
        case,
        child,
        ReminderKind.REPORT_BACK,
        report_back_moment(turn.now, turn.leader.rhythm),
        turn.now,
    )
    step2.held(turn, child)
    follow_up.plan(turn, case, child)
    return states.IDLE


async def reported_back(turn: Turn, case: Case, child: Child | None, value: str) -> object:
    """The promise of step 1 is kept for this talk."""
    if child is not None and child.held_at is not None and child.reported_back_at is None:
        child.reported_back_at = turn.now
        case.updated_at = turn.now
        reminders.cancel(child.open_reminder(ReminderKind.REPORT_BACK))
    return show_next(turn, case)


@leader_turn
async def facts_typed(turn: Turn) -> object:
    """The concrete facts for "I see/hear that … has happened"."""
    found = await active_child(turn)
    if found is None:
        return states.IDLE
    case, child = found
    if not _step2_allowed(case, child) or child.held_at is not None:
        return show_next(turn, case)
    facts = clean_text(turn.text, LONG_TEXT_MAX)
    if facts is None:
        step2.text_refused(turn, LONG_TEXT_MAX)
        return None
    child.facts = facts
    case.updated_at = turn.now
    if child.feeling is not None:
        step2.script(turn, case, child)
        return states.IDLE
    return step2.ask_feeling(turn, case, child)


@leader_turn
async def feeling_typed(turn: Turn) -> object:
    """A feeling in the leader's own word."""
    found = await active_child(turn)
    if found is None:
        return states.IDLE
    case, child = found
    if not _step2_allowed(case, child) or child.held_at is not None:
        return show_next(turn, case)
    feeling = clean_text(turn.text, FEELING_MAX, single_line=True)
    if feeling is None:
        step2.text_refused(turn, FEELING_MAX)
        return None
    child.feeling = feeling
    case.updated_at = turn.now
    step2.script(turn, case, child)
    return states.IDLE


@leader_turn
async def agreement_typed(turn: Turn) -> object:
    """One agreement; more may follow."""
    found = await active_child(turn)
    if found is None:
        return states.IDLE
    case, child = found
    if not _step2_allowed(case, child) or child.held_at is not None:
        return show_next(turn, case)
    text = clean_text(turn.text, AGREEMENT_MAX)
    if text is None:
        step2.agreement_refused(turn, case, child)
        return None
    if len(child.agreements) >= AGREEMENTS_PER_CONVERSATION_MAX:
        step2.too_many_agreements(turn, case, child)
        return None
    cases.add_agreement(child, text, turn.now)
    case.updated_at = turn.now
    step2.agreements_so_far(turn, case, child)
    return None
