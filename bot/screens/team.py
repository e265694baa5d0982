"""Teams: the list, one team, its invitation link, its members, and sharing a case.

What the team is told is in ``bot.screens.team_notices``, handing a case over in
``bot.screens.handover``, the coordinator's overview and the working year in
``bot.screens.team_overview``.

A leader's name is what Telegram gave as their first name: typed by a person, so
escaped like everything typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape

from babel.dates import format_date

from bot.callback_data import Menu, MenuPress, case_button
from bot.screens.format import day, name, title
from bot.storage.erasure import ErasurePlan
from bot.storage.models import Case, CaseShare, Team, TeamMember
from bot.team_callbacks import (
    WHOLE_TEAM,
    HandoverOpen,
    ShareToggle,
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
)
from bot.turn import Rows, Turn
from flows import events
from flows.language import _, babel_locale, ngettext
from flows.team import ESCALATION_HOURS, ROLE_TEXT, TEAM_NAME_MAX, TeamRole


def leader_name(member: TeamMember) -> str:
    """A member's name, escaped."""
    return escape(member.display_name)


def _role(member: TeamMember) -> str:
    return _(ROLE_TEXT[TeamRole(member.role)])


def _back_to_teams() -> tuple[str, TeamsPress]:
    return (_("◀️ My teams"), TeamsPress())


def teams_list(
    turn: Turn,
    memberships: Sequence[TeamMember],
    shared: Sequence[Case],
    sources: dict[int, tuple[str, list[str]]] | None = None,
) -> None:
    """The leader's teams, and the cases others share with them: whose, through which team."""
    parts = [title(_("My teams"))]
    rows: Rows = []
    if not memberships:
        parts.append(
            _(
                "A team is the leaders of one group. In a team you can share a case with "
                "co-leaders, so the follow-up goes on when you are away."
            )
        )
    for membership in memberships:
        team = membership.team
        count = len(team.members)
        parts.append(
            (
                _("%(team)s: you are its coordinator")
                if membership.role == TeamRole.COORDINATOR
                else _("%(team)s: you are a leader in it")
            )
            % {"team": name(team.name)}
            + " — "
            + ngettext("%(count)d member", "%(count)d members", count) % {"count": count}
        )
        rows.append([(f"👥 {team.name}", TeamOpen(team.id))])
    if shared:
        lines = [_("Cases shared with you:")]
        for case in shared:
            owner, through = (sources or {}).get(case.id, ("?", []))
            lines.append(
                "• "
                + _("%(victim)s — case of %(leader)s, through team %(team)s")
                % {
                    "victim": name(case.victim_nickname),
                    "leader": escape(owner),
                    "team": ", ".join(name(t) for t in through) or "?",
                }
            )
        parts.append("\n".join(lines))
        rows += [
            [(f"📁 {case.victim_nickname}", case_button(case.id, events.Open(0)))]
            for case in shared
        ]
    rows.append([(_("➕ New team"), TeamNew())])
    turn.show("\n\n".join(parts), rows)


def ask_team_name(turn: Turn) -> None:
    """The name of a new team."""
    turn.say(
        _("What is the team called? For example the group's name (at most %(max)d characters).")
        % {"max": TEAM_NAME_MAX}
    )


def team_name_refused(turn: Turn) -> None:
    """An empty or too long name."""
    turn.say(_("Please type a name of at most %(max)d characters.") % {"max": TEAM_NAME_MAX})


def too_many_teams(turn: Turn) -> None:
    """The leader is in as many teams as one may be."""
    turn.say(
        _("You are already in as many teams as I allow. Leave one first."), [[_back_to_teams()]]
    )


def escalation_rows(team: Team) -> Rows:
    """A coordinator's choice: after how many hours co-leaders are asked."""
    return [
        [
            (
                ("✅ " if team.escalate_after_hours == hours else "")
                + _("%(hours)d h") % {"hours": hours},
                TeamEscalation(team.id, hours),
            )
            for hours in ESCALATION_HOURS
        ]
    ]


def year_start(team: Team, month: int | None = None) -> str:
    """The 1st of the team's start month, in the leader's language ("1 September")."""
    return format_date(
        date(2000, month or team.year_start_month, 1), format="d MMMM", locale=babel_locale()
    )


def team_screen(turn: Turn, team: Team, me: TeamMember) -> None:
    """One team: who is in it, and what the leader can do there."""
    coordinator = me.role == TeamRole.COORDINATOR
    lines = [
        f"• {leader_name(m)} — {_role(m)}" + (" " + _("(you)") if m.id == me.id else "")
        for m in team.members
    ]
    parts = [
        title(_("Team %(team)s") % {"team": name(team.name)}),
        "\n".join(lines),
        _("A case is shared only when its leader shares it, from the case itself."),
    ]
    rows: Rows = []
    if coordinator:
        parts.append(
            _(
                "An unanswered follow-up reminder goes to the co-leaders who share the case "
                "after %(hours)d hours:"
            )
            % {"hours": team.escalate_after_hours}
        )
        rows += escalation_rows(team)
        rows.append(
            [
                (
                    _("🍂 New working year: %(date)s") % {"date": year_start(team)},
                    TeamYearMonths(team.id),
                )
            ]
        )
        rows.append([(_("📊 Overview of open cases"), TeamOverview(team.id))])
        rows.append([(_("🔗 Invitation link"), TeamInvite(team.id))])
        rows += [
            [(f"👤 {m.display_name}", TeamMemberPress(team.id, m.id))]
            for m in team.members
            if m.id != me.id
        ]
    rows.append([(_("🚪 Leave this team"), TeamLeave(team.id))])
    rows.append([_back_to_teams()])
    turn.show("\n\n".join(parts), rows)


def invitation(turn: Turn, team: Team, link: str, expires_at: datetime) -> None:
    """The invitation link to pass on to co-leaders."""
    turn.show(
        "\n\n".join(
            [
                title(_("Invitation to team %(team)s") % {"team": name(team.name)}),
                _(
                    "Send this link to your co-leaders, in a private message. Whoever opens "
                    "it joins the team, until %(date)s or until you revoke it:"
                )
                % {"date": day(expires_at)},
                escape(link),
                _("Joining shows them no case: each case is shared by its own leader."),
            ]
        ),
        [
            [(_("🚫 Revoke the link"), TeamRevoke(team.id))],
            [(_("◀️ Back to the team"), TeamOpen(team.id))],
        ],
    )


def revoked(turn: Turn, team: Team) -> None:
    """The link no longer works."""
    turn.show(
        _("The invitation link of %(team)s no longer works.") % {"team": name(team.name)},
        [[(_("◀️ Back to the team"), TeamOpen(team.id))]],
    )


def joined(turn: Turn, team: Team) -> None:
    """The leader is in the team now."""
    turn.say(
        _("You joined team %(team)s. Cases your co-leaders share with you appear under /team.")
        % {"team": name(team.name)},
        [[(f"👥 {team.name}", TeamOpen(team.id))]],
    )


def already_member(turn: Turn, team: Team) -> None:
    """The leader opened a link of a team they are in."""
    turn.say(
        _("You are already in team %(team)s.") % {"team": name(team.name)},
        [[(f"👥 {team.name}", TeamOpen(team.id))]],
    )


def invitation_invalid(turn: Turn) -> None:
    """A link that expired."""
    turn.say(
        _("This invitation link no longer works. Ask the team's coordinator for a new one."),
        [[(_("📂 My cases"), MenuPress(Menu.CASES))]],
    )


def invitation_unknown(turn: Turn) -> None:
    """A link no team has (now): revoked, replaced by a newer one, cut short, or made up."""
    turn.say(
        _(
            "I do not know this invitation link: it was revoked or replaced by a newer one, "
            "or it is not complete. Ask the team's coordinator for the link again."
        ),
        [[(_("📂 My cases"), MenuPress(Menu.CASES))]],
    )


def team_full(turn: Turn) -> None:
    """The team has as many members as one may have."""
    turn.say(_("This team is full. Ask the team's coordinator."))


def team_not_found(turn: Turn) -> None:
    """A team button of a team the leader is not (or no longer) in."""
    turn.toast(_("That team was not found."))
    turn.say(_("That team was not found. Your teams are under /team."))


def member_screen(turn: Turn, team: Team, member: TeamMember) -> None:
    """A coordinator's view of one member."""
    rows: Rows = [[(_("❌ Remove from the team"), TeamRemove(team.id, member.id))]]
    if member.role != TeamRole.COORDINATOR:
        rows.append([(_("⭐ Make coordinator"), TeamPromote(team.id, member.id))])
    rows.append([(_("◀️ Back to the team"), TeamOpen(team.id))])
    turn.show(f"{leader_name(member)} — {_role(member)}", rows)


def member_removed(turn: Turn, team: Team, shown_as: str, handed_back: int) -> None:
    """Said above the team after a removal."""
    if handed_back:
        turn.say(
            ngettext(
                "%(count)d open case they held in the team went back to the leader who "
                "handed it to them, or else to you. Each leader is told.",
                "%(count)d open cases they held in the team went back to the leaders who "
                "handed them to them, or else to you. Each leader is told.",
                handed_back,
            )
            % {"count": handed_back}
        )
    turn.say(
        _(
            "%(leader)s is no longer in team %(team)s, and no longer sees any case through "
            "it. The invitation link was revoked too: make a new one for new co-leaders."
        )
        % {"leader": escape(shown_as), "team": name(team.name)}
    )


def confirm_leave(turn: Turn, team: Team, orphans: Sequence[Case]) -> None:
    """Ask before leaving; open cases shared in the team are best handed over first."""
    parts = [
        _(
            "Leave team %(team)s? Cases shared with you there are no longer visible to you, "
            "and your cases are no longer shared there."
        )
        % {"team": name(team.name)}
    ]
    rows: Rows = []
    if orphans:
        parts.append(
            _(
                "Hand over your open cases of this team first. If you leave anyway, each "
                "goes back to whoever handed it to you, or else to the team's coordinator, "
                "and you no longer see it."
            )
        )
        rows += [[(f"🤝 {case.victim_nickname}", HandoverOpen(case.id))] for case in orphans]
    rows += [
        [(_("🚪 Yes, leave"), TeamLeaveConfirmed(team.id))],
        [(_("↩️ No, stay"), TeamOpen(team.id))],
    ]
    turn.show("\n\n".join(parts), rows)


def cannot_leave(turn: Turn, team: Team) -> None:
    """The last coordinator of a team with other members."""
    turn.show(
        _(
            "You are the only coordinator of %(team)s. Make another member coordinator "
            "first, then you can leave."
        )
        % {"team": name(team.name)},
        [[(_("◀️ Back to the team"), TeamOpen(team.id))]],
    )


def left(turn: Turn, team_name: str) -> None:
    """The leader is out of the team."""
    turn.say(_("You left team %(team)s.") % {"team": name(team_name)})


def share_screen(
    turn: Turn, case: Case, memberships: Sequence[TeamMember], shares: Sequence[CaseShare]
) -> None:
    """Share a case with a whole team or with named co-leaders, and say what that means."""
    parts = [
        title(_("Share the case of %(victim)s") % {"victim": name(case.victim_nickname)}),
        _(
            "⚠️ %(victim)s agreed that <b>you</b> would talk about this. Share only with "
            "co-leaders who help with the follow-up, and tell %(victim)s if you can."
        )
        % {"victim": name(case.victim_nickname)},
    ]
    rows: Rows = []
    if not memberships:
        parts.append(_("You are not in a team yet. Start one, or join one, with /team."))
    for membership in memberships:
        team = membership.team
        whole = any(s.team_id == team.id and s.leader_id is None for s in shares)
        named = {s.leader_id for s in shares if s.team_id == team.id and s.leader_id is not None}
        mark = "✅" if whole else "▫️"
        rows.append(
            [
                (
                    mark + " " + _("Whole team %(team)s") % {"team": team.name},
                    ShareToggle(case.id, team.id, WHOLE_TEAM),
                )
            ]
        )
        if whole:
            continue  # every member sees it: naming some would change nothing
        for member in team.members:
            if member.leader_id == turn.leader.id:
                continue
            mark = "✅" if member.leader_id in named else "▫️"
            rows.append(
                [(f"{mark} {member.display_name}", ShareToggle(case.id, team.id, member.id))]
            )
    parts.append(_("Tap to share, tap again to stop sharing. ✅ = shared."))
    rows.append([(_("◀️ Back to the case"), case_button(case.id, events.Open(0)))])
    turn.show("\n\n".join(parts), rows)


def coordinator_first(turn: Turn, memberships: Sequence[TeamMember]) -> None:
    """Before /delete: the leader is the only coordinator of teams with other members;
    who becomes coordinator, as before leaving."""
    for membership in memberships:
        team = membership.team
        turn.say(
            _(
                "You are the only coordinator of team %(team)s. Who becomes coordinator? "
                "Then send /delete again: your cases of the team go back to the team."
            )
            % {"team": name(team.name)},
            [
                [(f"👑 {m.display_name}", TeamPromote(team.id, m.id))]
                for m in team.members
                if m.id != membership.id
            ],
        )


def before_erasure(turn: Turn, plan: ErasurePlan) -> None:
    """Before /delete's question: which shared cases pass to whom, which teams end."""
    parts = []
    if plan.passed_on:
        parts.append(
            _("These cases are shared: they pass to a co-leader, with everything in them:")
            + "\n"
            + "\n".join(
                f"• {name(case.victim_nickname)} → {escape(heir)}" for case, heir in plan.passed_on
            )
        )
    if plan.teams_ended:
        parts.append(
            _("You are the last member of these teams: they are deleted too:")
            + "\n"
            + "\n".join(f"• {name(team_name)}" for team_name in plan.teams_ended)
        )
    if parts:
        turn.say("\n\n".join(parts))
