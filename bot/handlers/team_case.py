"""A case in a team: sharing it, "I'll take it", and handing it (or a follow-up) over.

Each press finds the case through ``visible_case`` (or ``owned_case`` where only the
case's own leader may act) and checks team membership in the same transaction, at
the moment of the press.
"""

from __future__ import annotations

import logging

from bot.screens import cases as case_screens
from bot.screens import handover, menu, team_notices
from bot.screens import team as screens
from bot.storage import cases, escalations, handovers, history, notices, teams, visibility
from bot.storage.history import EventKind
from bot.storage.models import Case, Child
from bot.team_callbacks import (
    WHOLE_CASE,
    WHOLE_TEAM,
    YEAR_CLOSE,
    YEAR_HAND_OVER,
    YEAR_KEEP,
    HandoverAnswer,
    HandoverConfirm,
    HandoverOpen,
    HandoverTo,
    HandoverWhat,
    ShareOpen,
    ShareToggle,
    TakeOver,
    YearAnswer,
)
from bot.turn import Turn, leader_turn
from flows.case import open_reminder
from flows.follow_up import ReminderKind

from .team import my_team, other_member

log = logging.getLogger(__name__)


@leader_turn
async def pressed(turn: Turn) -> None:
    """A button about a case in a team."""
    press = turn.callback
    match press:
        case ShareOpen() | ShareToggle():
            await _share(turn, press)
        case TakeOver(case_id=case_id, child_id=child_id):
            await _take_over(turn, case_id, child_id)
        case HandoverOpen(case_id=case_id):
            await _handover_what(turn, case_id)
        case HandoverWhat(case_id=case_id, child_id=child_id):
            await _handover_whom(turn, case_id, child_id)
        case HandoverTo():
            await _handover_to(turn, press)
        case HandoverConfirm():
            await _handover_to(turn, press)
        case HandoverAnswer():
            await _handover_answer(turn, press)
        case YearAnswer(case_id=case_id, choice=choice):
            await _year_answer(turn, case_id, choice)
        case _:
            menu.outdated(turn)


async def _open_case(turn: Turn, case_id: int) -> Case | None:
    case = await cases.visible_case(turn.session, turn.leader, case_id)
    if case is None or case.closed_at is not None:
        log.info("team button for a case not found: leader=%s", turn.leader.id)
        menu.not_found(turn)
        return None
    return case


async def _share(turn: Turn, press: ShareOpen | ShareToggle) -> None:
    """Only the case's own leader shares it, only while open, only in their own teams."""
    case = await cases.owned_case(turn.session, turn.leader, press.case_id)
    if case is None or case.closed_at is not None:
        log.info("share button for a case not found: leader=%s", turn.leader.id)
        menu.not_found(turn)
        return
    if isinstance(press, ShareToggle):
        found = await my_team(turn, press.team_id)
        if found is None:
            return
        team, _me = found
        with_leader: int | None = None
        if press.member_id != WHOLE_TEAM:
            other = await other_member(turn, team, press.member_id)
            if other is None:
                return
            with_leader = other.leader_id
        shared = await visibility.toggle_share(
            turn.session, case, team.id, with_leader, turn.leader.id, turn.now
        )
        log.info(
            "case %s: leader=%s case=%s team=%s",
            "shared" if shared else "unshared",
            turn.leader.id,
            case.id,
            team.id,
        )
    memberships = await teams.teams_of(turn.session, turn.leader.id)
    screens.share_screen(turn, case, memberships, await visibility.shares_of(turn.session, case.id))


async def _take_over(turn: Turn, case_id: int, child_id: int) -> None:
    """ "I'll take it": the first co-leader to press follows the child up."""
    case = await _open_case(turn, case_id)
    child = cases.child_of(case, child_id) if case else None
    if case is None or child is None:
        if case is not None:
            menu.not_found(turn)
        return
    before = child.responsible_id
    if not escalations.take_over(child, turn.leader.id):
        first = await escalations.who_answered_first(turn.session, child, turn.leader.id)
        known = await history.names(turn.session, {first.actor_id or 0} if first else set())
        team_notices.already_taken(turn, child, first, known)
        return
    took = history.record(
        turn.session, case.id, EventKind.TOOK_OVER, turn.leader.id, turn.now, child_id=child.id
    )
    # The leader whose reminder it was hears who took it (and the case's own leader).
    await notices.tell(turn.session, [before, case.leader_id], took, turn.now)
    log.info("follow-up taken over: leader=%s case=%s", turn.leader.id, case.id)
    reminder = open_reminder(child, ReminderKind.FOLLOW_UP)
    assert reminder is not None
    team_notices.taken(turn, case, child, reminder)


def _handable(turn: Turn, case: Case) -> list[Child]:
    """The children whose follow-up this leader may hand over: those they follow up."""
    return [
        child
        for child in case.children
        if child.held_at is not None and child.responsible_id == turn.leader.id
    ]


async def _handover_what(turn: Turn, case_id: int) -> None:
    case = await _open_case(turn, case_id)
    if case is None:
        return
    whole = case.leader_id == turn.leader.id
    handover.handover_what(turn, case, _handable(turn, case), whole)


def _what(turn: Turn, case: Case, child_id: int) -> tuple[bool, Child | None]:
    """Whether the leader may hand over this (the whole case, or a child's follow-up)."""
    if child_id == WHOLE_CASE:
        return case.leader_id == turn.leader.id, None
    child = next((c for c in _handable(turn, case) if c.id == child_id), None)
    return child is not None, child


async def _handover_whom(turn: Turn, case_id: int, child_id: int) -> None:
    case = await _open_case(turn, case_id)
    if case is None:
        return
    allowed, child = _what(turn, case, child_id)
    if not allowed:
        menu.not_found(turn)
        return
    memberships = await teams.teams_of(turn.session, turn.leader.id)
    handover.handover_whom(turn, case, child, memberships)


async def _handover_to(turn: Turn, press: HandoverTo | HandoverConfirm) -> None:
    """To whom: a child's follow-up is offered at once; the whole case asks first
    whether the one who hands it over keeps seeing it."""
    case = await _open_case(turn, press.case_id)
    if case is None:
        return
    child_id = press.child_id if isinstance(press, HandoverTo) else WHOLE_CASE
    allowed, child = _what(turn, case, child_id)
    found = await my_team(turn, press.team_id) if allowed else None
    if found is None:
        if not allowed:
            menu.not_found(turn)
        return
    team, _me = found
    to = await other_member(turn, team, press.member_id)
    if to is None:
        return
    if child is None and isinstance(press, HandoverTo):
        handover.handover_confirm(turn, case, team, to)
        return
    keeps = press.keep if isinstance(press, HandoverConfirm) else True
    if not await visibility.sees(turn.session, to.leader_id, case.id):
        # Whoever is asked to take it over sees the case from now on.
        visibility.share_for_offer(
            turn.session, case, team.id, to.leader_id, turn.leader.id, turn.now
        )
    await handovers.offer_handover(
        turn.session, case, child, team.id, turn.leader.id, to.leader_id, turn.now, keeps
    )
    log.info("hand-over offered: leader=%s case=%s", turn.leader.id, case.id)
    handover.handover_offered(turn, case, to, None if child is not None else keeps)


async def _handover_answer(turn: Turn, press: HandoverAnswer) -> None:
    case = await _open_case(turn, press.case_id)
    if case is None:
        return
    child = None if press.child_id == WHOLE_CASE else cases.child_of(case, press.child_id)
    child_id = None if child is None else child.id
    offer = await handovers.open_handover(turn.session, case.id, child_id, turn.leader.id)
    if offer is None or (press.child_id != WHOLE_CASE and child is None):
        handover.handover_gone(turn)
        return
    # Still theirs to give (they may have left the team since), and the taker in it, now.
    holder = case.leader_id if child is None else child.responsible_id
    in_team = await teams.membership(turn.session, offer.team_id, turn.leader.id) is not None
    await turn.session.delete(offer)
    await handovers.close_handover_reminders(turn.session, case.id, child_id, turn.leader.id)
    if holder != offer.from_id or not in_team:
        handover.handover_gone(turn)
        return
    kind = EventKind.HANDOVER_ACCEPTED if press.accept else EventKind.HANDOVER_DECLINED
    answered = history.record(
        turn.session,
        case.id,
        kind,
        turn.leader.id,
        turn.now,
        other=offer.from_id,
        team_id=offer.team_id,
        child_id=child_id,
    )
    log.info(
        "hand-over %s: leader=%s case=%s",
        "accepted" if press.accept else "declined",
        turn.leader.id,
        case.id,
    )
    await notices.tell(turn.session, [offer.from_id], answered, turn.now)
    if not press.accept:
        # Declining undoes what the offer opened.
        await visibility.end_offer_share(
            turn.session, case, offer.team_id, turn.leader.id, turn.leader.id, turn.now
        )
        handover.handover_declined(turn)
        return
    if child is None:
        await handovers.hand_case_over(turn.session, case, turn.leader.id, turn.now)
        await turn.session.flush()
        if offer.keeps_sight:
            # Whoever handed it over keeps seeing it, by name, in the team it went through.
            await visibility.keep_sight(
                turn.session, case, offer.team_id, offer.from_id, turn.leader.id, turn.now
            )
    else:
        handovers.set_responsible(child, turn.leader.id)
    await turn.session.flush()
    case_screens.overview(turn, case)


async def _year_answer(turn: Turn, case_id: int, choice: int) -> None:
    """The working year's question, answered by the case's own leader: the question is
    closed, then what was chosen follows (the case, whom to hand it to, or closing it)."""
    case = await _open_case(turn, case_id)
    if case is None:
        return
    if case.leader_id != turn.leader.id or choice not in (YEAR_KEEP, YEAR_HAND_OVER, YEAR_CLOSE):
        menu.not_found(turn)
        return
    await handovers.answer_new_year(
        turn.session, case, turn.leader.id, handovers.YEAR_CHOICES[choice], turn.now
    )
    log.info("working year answered: leader=%s case=%s choice=%s", turn.leader.id, case.id, choice)
    if choice == YEAR_HAND_OVER:
        handover.handover_what(turn, case, _handable(turn, case), True)
    elif choice == YEAR_CLOSE:
        case_screens.confirm_close(turn, case)
    else:
        case_screens.overview(turn, case)
