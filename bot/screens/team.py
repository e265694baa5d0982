"""Teams: the list, one team, its invitation link, its members, and sharing a case.

A leader's name is what Telegram gave as their first name: typed by a person, so
escaped like everything typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.callback_data import Menu, MenuPress, case_button
from bot.screens.format import day, name, short_moment, title
from bot.screens.nudges import follow_up_nudge
from bot.storage.erasure import ErasurePlan
from bot.storage.handovers import YearAnswerRow
from bot.storage.history import EventKind
from bot.storage.models import Case, CaseEvent, CaseShare, Child, Team, TeamMember
from bot.storage.notices import Asker, Notice
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
    ShareToggle,
    TakeOver,
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
    YearAnswer,
)
from bot.turn import Keyboard, Rows, Turn
from flows import events
from flows.case import Consent, ReminderRecord, Role, Stage, child_stage, planned_follow_up
from flows.language import N_, _, babel_locale, ngettext
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
                    _("🍂 New working year: %(date)s") % {"date": _year_start(team)},
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


def escalation_nudge(
    case: Case, child: Child, asker: Asker | None = None, zone: ZoneInfo | None = None
) -> tuple[str, Keyboard]:
    """A co-leader's follow-up nudge went unanswered: whose, since when; will you take it?"""
    values = {"child": name(child.nickname), "victim": name(case.victim_nickname)}
    if asker is not None and asker.name and asker.since is not None and zone is not None:
        text = _(
            "🔔 The reminder %(leader)s got on %(moment)s to talk with %(child)s again "
            "(case %(victim)s) has not been answered. Will you take this follow-up?"
        ) % {**values, "leader": escape(asker.name), "moment": short_moment(asker.since, zone)}
    else:
        text = (
            _(
                "🔔 The reminder to talk with %(child)s again (case %(victim)s) has not been "
                "answered. Will you take this follow-up?"
            )
            % values
        )
    return (
        text,
        [
            [(_("🙋 I'll take it"), TakeOver(case.id, child.id))],
            [(_("📁 Open the case"), case_button(case.id, events.Open(0)))],
        ],
    )


def handover_nudge(
    case: Case, child: Child | None, asker: Asker | None = None
) -> tuple[str, Keyboard]:
    """A co-leader offers you a case or a child's follow-up: who."""
    values = {"victim": name(case.victim_nickname)}
    who = escape(asker.name) if asker is not None and asker.name else None
    if child is None and who:
        text = _("🤝 %(leader)s asks you to take over the case of %(victim)s.") % {
            **values,
            "leader": who,
        }
    elif child is None:
        text = _("🤝 A co-leader asks you to take over the case of %(victim)s.") % values
    elif who:
        text = _(
            "🤝 %(leader)s asks you to take over the follow-up with %(child)s (case %(victim)s)."
        ) % {**values, "child": name(child.nickname), "leader": who}
    else:
        text = _(
            "🤝 A co-leader asks you to take over the follow-up with %(child)s (case %(victim)s)."
        ) % {**values, "child": name(child.nickname)}
    child_id = WHOLE_CASE if child is None else child.id
    return (
        text,
        [
            [(_("✅ Accept"), HandoverAnswer(case.id, child_id, True))],
            [(_("✖️ Decline"), HandoverAnswer(case.id, child_id, False))],
            [(_("📁 Open the case"), case_button(case.id, events.Open(0)))],
        ],
    )


def notice_nudge(case: Case, child: Child | None, notice: Notice) -> tuple[str, Keyboard]:
    """A change in a case that touches this leader: who did what.

    The case and its children are named only for a leader who may see the case now.
    """
    line = notice.line

    def who(leader_id: int | None) -> str:
        found = notice.names.get(leader_id) if leader_id is not None else None
        return escape(found) if found else _("a co-leader")

    values = {
        "leader": who(line.actor_id),
        "other": who(line.other_id),
        "case": _("the case of %(victim)s") % {"victim": name(case.victim_nickname)}
        if notice.sees
        else _("a case of %(date)s") % {"date": day(case.created_at)},
        "child": name(child.nickname) if notice.sees and child is not None else _("a child"),
        "team": name(notice.team or "?"),
    }
    whole = line.child_id is None
    match line.kind:
        case EventKind.HANDOVER_DECLINED:
            text = (
                _("✖️ %(leader)s declined to take over %(case)s. You stay responsible.")
                if whole
                else _(
                    "✖️ %(leader)s declined to take over the follow-up with %(child)s "
                    "(%(case)s). You keep following it up."
                )
            )
        case EventKind.HANDOVER_ACCEPTED:
            text = (
                _("✅ %(leader)s accepted %(case)s: they are responsible for it now.")
                if whole
                else _(
                    "✅ %(leader)s accepted the follow-up with %(child)s (%(case)s): "
                    "the reminders go to them now."
                )
            )
        case EventKind.ESCALATED:
            text = _(
                "🔔 Your reminder to talk with %(child)s again (%(case)s) was not "
                "answered: it went to the co-leaders who share the case. Whoever takes it "
                "first follows %(child)s up."
            )
        case EventKind.TOOK_OVER:
            text = _(
                "🙋 %(leader)s took over the follow-up with %(child)s (%(case)s): "
                "the reminders go to them now."
            )
        case EventKind.PASSED_ON if notice.recipient == line.other_id:
            text = _(
                "📥 %(leader)s erased their data: %(case)s passed to you, with everything in "
                "it. You are responsible for it now."
            )
        case EventKind.PASSED_ON:
            text = _("📥 %(leader)s erased their data: %(case)s passed to %(other)s.")
        case EventKind.CONSENT:
            text = (
                _(
                    "✏️ %(leader)s wrote down that the child who is bullied agreed to a talk "
                    "with %(child)s (%(case)s)."
                )
                if line.detail == Consent.AGREED
                else _(
                    "✏️ %(leader)s wrote down that the child who is bullied did not agree "
                    "(yet) to a talk with %(child)s (%(case)s)."
                )
            )
        case EventKind.ROLE:
            text = (
                _("✏️ %(leader)s changed the role of %(child)s (%(case)s): joins in.")
                if line.detail == Role.MEEPESTER
                else _("✏️ %(leader)s changed the role of %(child)s (%(case)s): bullies.")
            )
        case EventKind.LEFT_TEAM if notice.recipient == line.other_id:
            count = int(line.detail) if line.detail and line.detail.isdigit() else 1
            values["count"] = str(count)
            text = (
                ngettext(
                    "🚪 You left team %(team)s: the case shared with you there is no longer "
                    "visible to you.",
                    "🚪 You left team %(team)s: the %(count)s cases shared with you there are "
                    "no longer visible to you.",
                    count,
                )
                if line.actor_id == line.other_id
                else ngettext(
                    "🚪 %(leader)s removed you from team %(team)s: the case shared with you "
                    "there is no longer visible to you.",
                    "🚪 %(leader)s removed you from team %(team)s: the %(count)s cases shared "
                    "with you there are no longer visible to you.",
                    count,
                )
            )
        case EventKind.LEFT_TEAM:
            text = _("🚪 %(other)s is no longer in team %(team)s and no longer sees %(case)s.")
        case EventKind.HANDED_BACK if notice.recipient == line.actor_id:
            text = _(
                "↩️ You are no longer in team %(team)s: %(case)s, which you held there, "
                "went back to %(other)s. You no longer see it."
            )
        case EventKind.HANDED_BACK:
            text = _(
                "↩️ %(leader)s is no longer in team %(team)s: %(case)s, which they held "
                "there, went back to you. You are responsible for it now."
            )
        case _:
            text = _("Something changed in %(case)s: see its history.")
    rows: Rows = []
    if notice.sees:
        rows.append([(_("📁 Open the case"), case_button(case.id, events.Open(0)))])
    return _begins_a_sentence(text % values, _("a co-leader")), rows


def _begins_a_sentence(text: str, nobody: str) -> str:
    """``text``, with "a co-leader" (a leader whose name is erased) written as a sentence
    begins when the text, after its sign, starts with it."""
    sign, space, rest = text.partition(" ")
    if space and nobody and rest.startswith(nobody):
        return f"{sign} {nobody[0].upper()}{rest[1:]}"
    return text


def team_notice_nudge(notice: Notice) -> tuple[str, Keyboard]:
    """A change of the team itself: a member is out of it (``EventKind.OUT_OF_TEAM``).

    The one removed reads who removed them, from which team, and how many of its cases
    they held and saw there (never which: they no longer see them); a coordinator reads
    who is out, and who removed them. A leader who erased their data is not named.
    """
    line = notice.line

    def who(leader_id: int | None) -> str:
        found = notice.names.get(leader_id) if leader_id is not None else None
        return escape(found) if found else _("a co-leader")

    held, _sep, seen = (line.detail or "").partition(":")
    counts = {
        "held": int(held) if held.isdigit() else 0,
        "seen": int(seen) if seen.isdigit() else 0,
    }
    values = {
        "leader": who(line.actor_id),
        "other": who(line.other_id),
        "team": name(notice.team or "?"),
        **{key: str(count) for key, count in counts.items()},
    }
    rows: Rows = []
    if notice.recipient == line.other_id:
        parts = [
            _(
                "🚪 %(leader)s removed you from team %(team)s. You no longer see any case "
                "of that team."
            )
        ]
        if counts["held"]:
            parts.append(
                ngettext(
                    "The case you were responsible for there went back to the team.",
                    "The %(held)s cases you were responsible for there went back to the team.",
                    counts["held"],
                )
            )
        if counts["seen"]:
            parts.append(
                ngettext(
                    "The case shared with you there is no longer visible to you.",
                    "The %(seen)s cases shared with you there are no longer visible to you.",
                    counts["seen"],
                )
            )
        text = " ".join(parts)
    else:
        text = (
            _("🚪 %(other)s left team %(team)s.")
            if line.actor_id == line.other_id
            else _("🚪 %(leader)s removed %(other)s from team %(team)s.")
        )
        if line.team_id is not None and notice.team is not None:
            rows.append([(_("👥 Open the team"), TeamOpen(line.team_id))])
    return _begins_a_sentence(text % values, _("a co-leader")), rows


def already_taken(turn: Turn, child: Child, first: CaseEvent | None, known: dict[int, str]) -> None:
    """Someone answered the reminder first (or this leader took it already): who."""
    if first is not None and first.actor_id == turn.leader.id and first.kind == EventKind.TOOK_OVER:
        turn.toast(_("You took it already."))
        turn.say(
            _("You took over the follow-up with %(child)s already: the reminders come to you.")
            % {"child": name(child.nickname)},
            [[(_("📂 My cases"), MenuPress(Menu.CASES))]],
        )
        return
    turn.toast(_("Already taken care of."))
    if first is None or first.actor_id not in known:
        text = _("This follow-up is already taken care of: someone answered the reminder first.")
    elif first.kind == EventKind.TOOK_OVER:
        text = _(
            "%(leader)s answered the reminder first: they took over the follow-up with %(child)s."
        )
    else:
        text = _(
            "%(leader)s answered the reminder first: the follow-up talk with %(child)s is "
            "already written down."
        )
    who = escape(known.get(first.actor_id or 0, "")) if first is not None else ""
    turn.say(
        text % {"leader": who, "child": name(child.nickname)},
        [[(_("📂 My cases"), MenuPress(Menu.CASES))]],
    )


def answered_first(
    turn: Turn, case: Case, child: Child, first: CaseEvent, known: dict[int, str]
) -> None:
    """A button of a follow-up talk another leader answered first: by whom."""
    values = {
        "leader": escape(known.get(first.actor_id or 0, "")) or _("a co-leader"),
        "child": name(child.nickname),
    }
    if first.kind == EventKind.TOOK_OVER:
        turn.toast(_("Someone else took this follow-up."))
        text = _(
            "%(leader)s took over the follow-up with %(child)s: it is theirs to write down. "
            "Nothing changed."
        )
    else:
        turn.toast(_("That follow-up is already written down."))
        text = _(
            "This follow-up talk with %(child)s was already written down by %(leader)s. "
            "Nothing changed."
        )
    turn.say(text % values, [[(_("📁 Open the case"), case_button(case.id, events.Open(0)))]])


def taken(turn: Turn, case: Case, child: Child, reminder: ReminderRecord) -> None:
    """The co-leader follows the child up now: here is the nudge they take over."""
    turn.say(
        _("You follow up %(child)s from now on; the reminders come to you.")
        % {"child": name(child.nickname)}
    )
    text, rows = follow_up_nudge(case, child, reminder, late=False)
    turn.say(text, rows)


def handover_what(turn: Turn, case: Case, children: Sequence[Child], whole: bool) -> None:
    """What to hand over: the whole case, or one child's follow-up."""
    rows: Rows = []
    if whole:
        rows.append([(_("📁 The whole case"), HandoverWhat(case.id, WHOLE_CASE))])
    rows += [
        [
            (
                _("🔁 The follow-up with %(child)s") % {"child": child.nickname},
                HandoverWhat(case.id, child.id),
            )
        ]
        for child in children
    ]
    rows.append([(_("◀️ Back to the case"), case_button(case.id, events.Open(0)))])
    turn.show(
        "\n\n".join(
            [
                title(_("Hand over: %(victim)s") % {"victim": name(case.victim_nickname)}),
                _("What do you hand over? The other leader has to accept it first.")
                if rows[:-1]
                else _("Only the case's own leader, or who follows a child up, hands it over."),
            ]
        ),
        rows,
    )


def handover_whom(
    turn: Turn, case: Case, child: Child | None, memberships: Sequence[TeamMember]
) -> None:
    """To which co-leader, from the leader's teams."""
    child_id = WHOLE_CASE if child is None else child.id
    rows: Rows = [
        [
            (
                f"👤 {member.display_name} ({membership.team.name})",
                HandoverTo(case.id, child_id, membership.team_id, member.id),
            )
        ]
        for membership in memberships
        for member in membership.team.members
        if member.leader_id != turn.leader.id
    ]
    parts = [
        _("To whom? They can see the case from the moment you offer it.")
        if rows
        else _("There is nobody in your teams to hand it to. Invite co-leaders under /team.")
    ]
    rows.append([(_("◀️ Back to the case"), case_button(case.id, events.Open(0)))])
    turn.show("\n\n".join(parts), rows)


def handover_confirm(turn: Turn, case: Case, team: Team, to: TeamMember) -> None:
    """Before the whole case is offered: what changes, and whether the leader keeps seeing it."""
    values = {"victim": name(case.victim_nickname), "leader": leader_name(to)}
    turn.show(
        "\n\n".join(
            [
                title(_("Hand over: %(victim)s") % values),
                _(
                    "Offer the case of %(victim)s to %(leader)s? Once %(leader)s accepts, "
                    "%(leader)s is responsible for it and the reminders go to them."
                )
                % values,
                _(
                    "You keep seeing the case, shared with you in team %(team)s, unless you "
                    "choose otherwise here."
                )
                % {"team": name(team.name)},
            ]
        ),
        [
            [(_("🤝 Offer it, I keep seeing it"), HandoverConfirm(case.id, team.id, to.id, True))],
            [(_("🤝 Offer it, I stop seeing it"), HandoverConfirm(case.id, team.id, to.id, False))],
            [(_("◀️ Back to the case"), case_button(case.id, events.Open(0)))],
        ],
    )


def handover_offered(turn: Turn, case: Case, to: TeamMember, keeps: bool | None) -> None:
    """The offer is on its way (``keeps``: for the whole case, whether the leader keeps
    seeing it once accepted)."""
    parts = [
        _("Offered to %(leader)s. Until they accept, nothing changes.")
        % {"leader": leader_name(to)}
    ]
    if keeps is True:
        parts.append(_("Once they accept, you keep seeing the case."))
    elif keeps is False:
        parts.append(_("Once they accept, you no longer see the case."))
    turn.show(
        " ".join(parts),
        [[(_("◀️ Back to the case"), case_button(case.id, events.Open(0)))]],
    )


def handover_gone(turn: Turn) -> None:
    """The offer was answered, withdrawn or replaced."""
    turn.toast(_("This offer is no longer open."))
    turn.say(_("This offer is no longer open."), [[(_("📂 My cases"), MenuPress(Menu.CASES))]])


def handover_declined(turn: Turn) -> None:
    """Declined: the one who offered it stays responsible."""
    turn.show(_("Declined. Nothing changes: the co-leader who asked stays responsible."))


#: Where a child stands, without any name: the coordinator may not see the case.
STAGE_TEXT = {
    Stage.WAITING_FOR_STEP1: N_("step 1: permission of the child who is bullied"),
    Stage.FACTS: N_("step 2: preparing the talk"),
    Stage.FEELING: N_("step 2: preparing the talk"),
    Stage.READY_TO_TALK: N_("step 2: talk to hold"),
    Stage.TO_PLAN: N_("step 3: follow-up to plan"),
    Stage.PLANNED: N_("step 3: follow-up planned"),
    Stage.DUE: N_("step 3: follow-up due"),
    Stage.NEW_PROPOSAL: N_("step 3: new proposal to write down"),
    Stage.MONITORING: N_("step 3: stopped; follow up later or close"),
    Stage.CLOSED: N_("closed"),
}


def team_overview(
    turn: Turn,
    team: Team,
    found: Sequence[Case],
    visible: set[int],
    total: int,
    year_rows: Sequence[YearAnswerRow] = (),
) -> None:
    """Per open case of the team: where each child stands, who follows up, what is overdue;
    then, once the working year's question was asked, each leader's answer.

    Nicknames only for cases the coordinator may see; the others by date and leader.
    """
    names = {m.leader_id: m.display_name for m in team.members}
    zone = turn.leader.rhythm.zone

    def who(leader_id: int) -> str:
        return escape(names.get(leader_id, _("a leader outside the team")))

    parts = [title(_("Open cases of team %(team)s") % {"team": name(team.name)})]
    if not found:
        parts.append(_("No member of the team has an open case."))
    overdue = 0
    rows: Rows = []
    unseen = _unseen_headings(found)
    for case in found:
        seen = case.id in visible
        heading = name(case.victim_nickname) if seen else unseen[case.id]
        lines = [f"📁 {heading} — {who(case.leader_id)}"]
        if not case.children:
            lines.append("   " + _("set-up not finished"))
        for number, child in enumerate(case.children, start=1):
            label = name(child.nickname) if seen else _("child %(number)d") % {"number": number}
            stage = child_stage(case, child, turn.now)
            line = f"   {label}: {_(STAGE_TEXT[stage])}"
            planned = planned_follow_up(child)
            if planned is not None:
                line += f" ({short_moment(planned.due_at, zone)})"
                if stage is Stage.DUE:
                    line += " ⚠️ " + _("overdue")
                    overdue += 1
            line += " — " + _("follows up: %(leader)s") % {"leader": who(child.responsible_id)}
            lines.append(line)
        parts.append("\n".join(lines))
        if seen:
            rows.append([(f"📁 {case.victim_nickname}", case_button(case.id, events.Open(0)))])
    if total > len(found):
        parts.append(_("…and %(count)d more.") % {"count": total - len(found)})
    if year_rows:
        parts.append(_year_answers(team, year_rows, visible, who))
    parts.append(
        _("Overdue follow-ups: %(count)d. Names only for cases shared with you.")
        % {"count": overdue}
    )
    rows.append([(_("◀️ Back to the team"), TeamOpen(team.id))])
    turn.show("\n\n".join(parts), rows)


def _unseen_headings(found: Sequence[Case]) -> dict[int, str]:
    """How a coordinator reads cases not shared with them: numbered per leader, oldest
    first, with the day each started, so that two of one leader never look the same."""
    numbers: dict[int, int] = {}
    headings = {}
    for case in sorted(found, key=lambda c: c.id):
        numbers[case.leader_id] = numbers.get(case.leader_id, 0) + 1
        headings[case.id] = _("Case %(number)d, started %(date)s") % {
            "number": numbers[case.leader_id],
            "date": day(case.created_at),
        }
    return headings


def _year_answers(
    team: Team,
    year_rows: Sequence[YearAnswerRow],
    visible: set[int],
    who: Callable[[int], str],
) -> str:
    """The working year's question: per case asked about, what its leader answered."""
    start = format_date(
        date(team.year_asked, team.year_start_month, 1), format="d MMMM y", locale=babel_locale()
    )
    lines = [_("🍂 The new working year (%(date)s): what each leader answered") % {"date": start}]
    unseen = _unseen_headings([row.case for row in year_rows])
    for row in year_rows:
        case = row.case
        heading = name(case.victim_nickname) if case.id in visible else unseen[case.id]
        if case.closed_at is not None:
            answer = _("closed")
        elif case.leader_id != row.asked_id:
            answer = _("handed over to %(leader)s") % {"leader": who(case.leader_id)}
        elif row.answer is None:
            answer = "⏳ " + _("not answered yet")
        else:
            answer = _(YEAR_ANSWER_TEXT.get(row.answer, YEAR_ANSWER_TEXT["keep"]))
        lines.append(f"• {heading} — {who(row.asked_id)}: {answer}")
    return "\n".join(lines)


#: What a leader answered to the working year's question, as the coordinator reads it.
YEAR_ANSWER_TEXT = {
    "keep": N_("keeps following it up"),
    "hand_over": N_("hands it over"),
    "close": N_("closes it"),
}


def _year_start(team: Team, month: int | None = None) -> str:
    """The 1st of the team's start month, in the leader's language ("1 September")."""
    return format_date(
        date(2000, month or team.year_start_month, 1), format="d MMMM", locale=babel_locale()
    )


def year_months(turn: Turn, team: Team) -> None:
    """A coordinator picks the month the working year starts in."""
    months = [
        (
            ("✅ " if team.year_start_month == month else "") + _year_start(team, month),
            TeamYearStart(team.id, month),
        )
        for month in range(1, 13)
    ]
    rows: Rows = [months[i : i + 3] for i in range(0, 12, 3)]
    rows.append([(_("◀️ Back to the team"), TeamOpen(team.id))])
    turn.show(
        _(
            "When does the working year start? On that day the leader of each open case is "
            "asked, once, to keep following it up, hand it over or close it. You read the "
            "answers in the overview of open cases."
        ),
        rows,
    )


def new_year_nudge(case: Case) -> tuple[str, Keyboard]:
    """The working year starts: what happens to this case?"""
    return (
        _(
            "🍂 A new working year starts. What happens to the case of %(victim)s? Hand it "
            "over to who follows it up this year, or close it if the bullying has stopped."
        )
        % {"victim": name(case.victim_nickname)},
        [
            [(_("🤝 Hand over"), YearAnswer(case.id, YEAR_HAND_OVER))],
            [(_("🗂 Close the case"), YearAnswer(case.id, YEAR_CLOSE))],
            [(_("▶️ I keep following it up"), YearAnswer(case.id, YEAR_KEEP))],
        ],
    )


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
