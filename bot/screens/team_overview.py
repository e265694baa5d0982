"""The coordinator's overview of a team, and the working year's question.

The overview shows where each child stands without any name: the coordinator may not
see the case itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from babel.dates import format_date

from bot.callback_data import case_button
from bot.screens.format import day, name, short_moment, title
from bot.screens.team import year_start
from bot.storage.handovers import YearAnswerRow
from bot.storage.models import Case, Team
from bot.team_callbacks import (
    YEAR_CLOSE,
    YEAR_HAND_OVER,
    YEAR_KEEP,
    TeamOpen,
    TeamYearStart,
    YearAnswer,
)
from bot.turn import Keyboard, Rows, Turn
from flows import events
from flows.case import Stage, child_stage, planned_follow_up
from flows.language import N_, _, babel_locale

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


def year_months(turn: Turn, team: Team) -> None:
    """A coordinator picks the month the working year starts in."""
    months = [
        (
            ("✅ " if team.year_start_month == month else "") + year_start(team, month),
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
