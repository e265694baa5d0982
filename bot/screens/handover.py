"""Handing a case over to a co-leader: what, to whom, the confirmation, the answer."""

from __future__ import annotations

from collections.abc import Sequence

from bot.callback_data import Menu, MenuPress, case_button
from bot.screens.format import name, title
from bot.screens.team import leader_name
from bot.storage.models import Case, Child, Team, TeamMember
from bot.team_callbacks import (
    WHOLE_CASE,
    HandoverConfirm,
    HandoverTo,
    HandoverWhat,
)
from bot.turn import Rows, Turn
from flows import events
from flows.language import _


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
