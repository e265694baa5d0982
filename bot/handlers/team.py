"""/team, joining through an invitation link, roles, leaving and removal.

Every press asks the database, at that moment, whether the leader is in the team
(and a coordinator, for what only coordinators do) and whether the case is their
own: a button kept from before a removal finds nothing.
"""

from __future__ import annotations

import logging

from bot.screens import menu, team_overview
from bot.screens import team as screens
from bot.storage import handovers, history, leaders, teams, visibility
from bot.storage.models import Team, TeamMember
from bot.team_callbacks import (
    TeamEscalation,
    TeamInvite,
    TeamLeave,
    TeamLeaveConfirmed,
    TeamMemberPress,
    TeamNew,
    TeamOpen,
    TeamOverview,
    TeamPromote,
    TeamRemove,
    TeamRevoke,
    TeamsPress,
    TeamYearMonths,
    TeamYearStart,
)
from bot.turn import Turn, leader_turn
from flows.replies import Awaiting
from flows.team import (
    ESCALATION_HOURS,
    INVITE_LIFETIME,
    MEMBERS_PER_TEAM_MAX,
    TEAMS_PER_LEADER_MAX,
    Membership,
    TeamRole,
    clean_team_name,
    invite_link,
    last_year_start,
    looks_like_token,
    may_leave,
    may_remove,
)

log = logging.getLogger(__name__)

#: Cases listed in a coordinator's overview: what fits in one message.
OVERVIEW_CASES_MAX = 15


def _shown_as(turn: Turn) -> str:
    user = turn.update.effective_user
    return teams.display_name(user.first_name if user else None)


def _rules(team: Team) -> list[Membership]:
    return [Membership(m.leader_id, TeamRole(m.role)) for m in team.members]


async def show_teams(turn: Turn) -> None:
    """The leader's teams and the cases shared with them."""
    memberships = await teams.teams_of(turn.session, turn.leader.id)
    shared = await visibility.shared_with(turn.session, turn.leader.id)
    through = await visibility.shared_through(
        turn.session, turn.leader.id, [case.id for case in shared]
    )
    # Whose case each is, and through which team, by the names the team knows.
    owners = await history.names(turn.session, {case.leader_id for case in shared})
    team_names = await history.team_names(turn.session, {t for ts in through.values() for t in ts})
    sources = {
        case.id: (
            owners.get(case.leader_id, "?"),
            [team_names.get(t, "?") for t in through.get(case.id, [])],
        )
        for case in shared
    }
    leaders.place(turn.leader, Awaiting.NOTHING)
    screens.teams_list(turn, memberships, shared, sources)


@leader_turn
async def team_command(turn: Turn) -> None:
    """/team: the leader's teams."""
    await show_teams(turn)


async def name_typed(turn: Turn, text: str) -> None:
    """The name of a new team: the team is made, with the leader as its coordinator."""
    team_name = clean_team_name(text)
    if team_name is None:
        screens.team_name_refused(turn)
        return
    if len(await teams.teams_of(turn.session, turn.leader.id)) >= TEAMS_PER_LEADER_MAX:
        leaders.place(turn.leader, Awaiting.NOTHING)
        screens.too_many_teams(turn)
        return
    team = teams.create(turn.session, turn.leader.id, team_name, _shown_as(turn), turn.now)
    turn.leader.team_name = _shown_as(turn)
    await turn.session.flush()
    leaders.place(turn.leader, Awaiting.NOTHING)
    log.info("team made: leader=%s team=%s", turn.leader.id, team.id)
    screens.team_screen(turn, team, team.members[0])


@leader_turn
async def join_command(turn: Turn) -> None:
    """/start <token>: the leader opened an invitation link."""
    args = turn.context.args or []
    token = args[0] if args else ""
    leaders.place(turn.leader, Awaiting.NOTHING)
    if not looks_like_token(token):
        # "/start hallo" is no invitation at all: the same welcome as /start.
        menu.welcome(turn)
        return
    team = await teams.invited_team(turn.session, token, turn.now)
    if team is None:
        known = await teams.invite_known(turn.session, token)
        log.info("invitation not usable: leader=%s known=%s", turn.leader.id, known)
        if known:
            screens.invitation_invalid(turn)
        else:
            screens.invitation_unknown(turn)
        return
    if await teams.membership(turn.session, team.id, turn.leader.id) is not None:
        screens.already_member(turn, team)
        return
    if len(await teams.teams_of(turn.session, turn.leader.id)) >= TEAMS_PER_LEADER_MAX:
        screens.too_many_teams(turn)
        return
    if len(team.members) >= MEMBERS_PER_TEAM_MAX:
        screens.team_full(turn)
        return
    teams.add_member(team, turn.leader.id, _shown_as(turn), turn.now)
    turn.leader.team_name = _shown_as(turn)
    log.info("team joined: leader=%s team=%s", turn.leader.id, team.id)
    screens.joined(turn, team)


def _other_coordinator(team: Team, me: TeamMember) -> int | None:
    """Who the cases of a leader who leaves are offered to: another coordinator."""
    others = [m for m in team.members if m.id != me.id and m.role == TeamRole.COORDINATOR]
    return others[0].leader_id if others else None


async def my_team(turn: Turn, team_id: int) -> tuple[Team, TeamMember] | None:
    """The team and the leader's membership, if they are in it now; else says so."""
    me = await teams.membership(turn.session, team_id, turn.leader.id)
    if me is None:
        log.info("team button of a team the leader is not in: leader=%s", turn.leader.id)
        screens.team_not_found(turn)
        return None
    return me.team, me


async def _as_coordinator(turn: Turn, team_id: int) -> tuple[Team, TeamMember] | None:
    found = await my_team(turn, team_id)
    if found is not None and found[1].role != TeamRole.COORDINATOR:
        log.info("coordinator button of a member: leader=%s team=%s", turn.leader.id, team_id)
        screens.team_not_found(turn)
        return None
    return found


async def other_member(turn: Turn, team: Team, member_id: int) -> TeamMember | None:
    other = next((m for m in team.members if m.id == member_id), None)
    if other is None or other.leader_id == turn.leader.id:
        screens.team_not_found(turn)
        return None
    return other


@leader_turn
async def pressed(turn: Turn) -> None:
    """A button of the team screens."""
    press = turn.callback
    leaders.place(turn.leader, Awaiting.NOTHING)
    match press:
        case TeamsPress():
            await show_teams(turn)
        case TeamNew():
            leaders.place(turn.leader, Awaiting.TEAM_NAME)
            screens.ask_team_name(turn)
        case TeamOpen(team_id=team_id):
            if found := await my_team(turn, team_id):
                screens.team_screen(turn, *found)
        case TeamYearMonths(team_id=team_id):
            if found := await _as_coordinator(turn, team_id):
                team_overview.year_months(turn, found[0])
        case TeamYearStart(team_id=team_id, month=month):
            if (found := await _as_coordinator(turn, team_id)) and 1 <= month <= 12:
                team = found[0]
                team.year_start_month = month
                # From the newest start on or before today: the next one is asked about.
                team.year_asked = last_year_start(turn.now.date(), month)
                screens.team_screen(turn, *found)
        case TeamOverview(team_id=team_id):
            if found := await _as_coordinator(turn, team_id):
                team = found[0]
                listed, visible, total = await teams.team_open_cases(
                    turn.session, team, turn.leader.id, OVERVIEW_CASES_MAX
                )
                answers = await handovers.year_answers(turn.session, team, team.year_asked)
                for row in answers:
                    if await visibility.sees(turn.session, turn.leader.id, row.case.id):
                        visible.add(row.case.id)
                team_overview.team_overview(turn, team, listed, visible, total, answers)
        case TeamEscalation(team_id=team_id, hours=hours):
            if (found := await _as_coordinator(turn, team_id)) and hours in ESCALATION_HOURS:
                found[0].escalate_after_hours = hours
                screens.team_screen(turn, *found)
        case TeamInvite(team_id=team_id):
            if found := await _as_coordinator(turn, team_id):
                team = found[0]
                token = await teams.make_invite(turn.session, team, turn.now)
                link = invite_link(turn.context.bot.username, token)
                screens.invitation(turn, team, link, turn.now + INVITE_LIFETIME)
        case TeamRevoke(team_id=team_id):
            if found := await _as_coordinator(turn, team_id):
                await teams.revoke_invites(turn.session, team_id)
                screens.revoked(turn, found[0])
        case TeamMemberPress(team_id=team_id, member_id=member_id):
            if (found := await _as_coordinator(turn, team_id)) and (
                other := await other_member(turn, found[0], member_id)
            ):
                screens.member_screen(turn, found[0], other)
        case TeamRemove(team_id=team_id, member_id=member_id):
            if (found := await _as_coordinator(turn, team_id)) and (
                other := await other_member(turn, found[0], member_id)
            ):
                team, me = found
                if may_remove(_rules(team), turn.leader.id, other.leader_id):
                    shown_as = other.display_name
                    offered = await teams.remove_member(
                        turn.session,
                        team,
                        other,
                        turn.now,
                        hand_to=turn.leader.id,
                        by=turn.leader.id,
                    )
                    # A link they kept must not let them back in.
                    await teams.revoke_invites(turn.session, team.id)
                    log.info("team member removed: team=%s by=%s", team.id, turn.leader.id)
                    screens.member_removed(turn, team, shown_as, offered)
                screens.team_screen(turn, team, me)
        case TeamPromote(team_id=team_id, member_id=member_id):
            if (found := await _as_coordinator(turn, team_id)) and (
                other := await other_member(turn, found[0], member_id)
            ):
                other.role = TeamRole.COORDINATOR
                screens.team_screen(turn, *found)
        case TeamLeave(team_id=team_id):
            if found := await my_team(turn, team_id):
                team = found[0]
                if may_leave(_rules(team), turn.leader.id):
                    orphans = await teams.orphaned_cases(turn.session, team, turn.leader.id)
                    screens.confirm_leave(turn, team, orphans)
                else:
                    screens.cannot_leave(turn, team)
        case TeamLeaveConfirmed(team_id=team_id):
            if found := await my_team(turn, team_id):
                team, me = found
                if not may_leave(_rules(team), turn.leader.id):
                    screens.cannot_leave(turn, team)
                    return
                team_name = team.name
                await teams.remove_member(
                    turn.session, team, me, turn.now, hand_to=_other_coordinator(team, me)
                )
                log.info("team left: leader=%s team=%s", turn.leader.id, team_id)
                screens.left(turn, team_name)
                await show_teams(turn)
        case _:
            menu.outdated(turn)
