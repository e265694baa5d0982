"""A case's history: in the chat, and as a print-ready HTML document.

The document is one self-contained HTML file (no script, no outside resource) in
the leader's language, with the team's name and the date it was made, for a
hand-over meeting or the group leadership; every name in it is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from html import escape
from typing import TypeVar

from bot.callback_data import case_button
from bot.screens.approaches import NEXT_STEP_TEXT, STEP1_CHOICE_TEXT
from bot.screens.format import day, local_moment, name, title
from bot.storage.history import EventKind
from bot.storage.models import Case, CaseEvent
from bot.team_callbacks import CaseHistoryDocument
from bot.turn import Rows, Turn
from flows.approaches import FACTS, Approach
from flows.case import Consent
from flows.events import Open
from flows.follow_up import OUTCOME_TEXT, Outcome
from flows.history import NextStepChoice, Step1Choice
from flows.language import _, current_language

_Choice = TypeVar("_Choice", bound=StrEnum)

#: History lines shown in the chat; the document has them all.
SHOWN_IN_CHAT = 25


@dataclass(frozen=True)
class Entry:
    """One line of a timeline: when, and what (HTML, names escaped)."""

    at: datetime
    text: str


@dataclass(frozen=True)
class Names:
    """How leaders and teams are called in a timeline."""

    leaders: dict[int, str]
    teams: dict[int, str]

    def leader(self, leader_id: int | None) -> str:
        if leader_id is None or leader_id not in self.leaders:
            return _("a former leader")
        return escape(self.leaders[leader_id])

    def team(self, team_id: int | None) -> str:
        return escape(self.teams.get(team_id or 0, "?"))


def entries(case: Case, events: Sequence[CaseEvent], names: Names) -> list[Entry]:
    """The case's history as lines, oldest first."""
    nicknames = {child.id: child.nickname for child in case.children}
    found = []
    for event in events:
        values = {
            "actor": names.leader(event.actor_id),
            "other": names.leader(event.other_id),
            "team": names.team(event.team_id),
            "victim": name(case.victim_nickname),
            "child": name(nicknames.get(event.child_id or 0, "?")),
        }
        text = _line(event, values)
        if text is not None:
            found.append(Entry(event.at, text))
    return found


def _line(event: CaseEvent, values: dict[str, str]) -> str | None:
    kind = EventKind(event.kind)
    whole = event.child_id is None
    match kind:
        case EventKind.CREATED:
            text = _("%(actor)s started the case")
        case EventKind.CONSENT:
            text = (
                _("%(actor)s wrote down that %(victim)s agreed to the talks")
                if event.detail == Consent.AGREED
                else _("%(actor)s wrote down that %(victim)s did not agree (yet)")
            )
        case EventKind.TALK_HELD:
            text = _("%(actor)s held the talk with %(child)s")
        case EventKind.AGREEMENT:
            text = _("%(actor)s wrote down an agreement of %(child)s")
        case EventKind.OUTCOME:
            outcome = _(OUTCOME_TEXT[Outcome(event.detail)]) if event.detail else "?"
            text = _("%(actor)s followed up %(child)s: %(outcome)s") % {
                **values,
                "outcome": outcome,
            }
            return text
        case EventKind.REPORTED_BACK:
            text = _("%(actor)s reported back to %(victim)s on the talk with %(child)s")
        case EventKind.CLOSED:
            text = _("%(actor)s closed the case")
        case EventKind.SHARED:
            text = (
                _("%(actor)s shared the case with team %(team)s")
                if event.other_id is None
                else _("%(actor)s shared the case with %(other)s (team %(team)s)")
            )
        case EventKind.UNSHARED:
            text = (
                _("%(actor)s stopped sharing the case with team %(team)s")
                if event.other_id is None
                else _("%(actor)s stopped sharing the case with %(other)s (team %(team)s)")
            )
        case EventKind.ESCALATED:
            text = _(
                "The reminder to talk with %(child)s went unanswered by %(actor)s and "
                "went to the co-leaders"
            )
        case EventKind.TOOK_OVER:
            text = _("%(actor)s took over the follow-up with %(child)s")
        case EventKind.HANDOVER_OFFERED:
            text = (
                _("%(actor)s offered the case to %(other)s")
                if whole
                else _("%(actor)s offered the follow-up with %(child)s to %(other)s")
            )
        case EventKind.HANDOVER_ACCEPTED:
            text = (
                _("%(actor)s took over the case from %(other)s")
                if whole
                else _("%(actor)s took over the follow-up with %(child)s from %(other)s")
            )
        case EventKind.HANDOVER_DECLINED:
            text = (
                _("%(actor)s declined to take over the case from %(other)s")
                if whole
                else _("%(actor)s declined the follow-up with %(child)s from %(other)s")
            )
        case EventKind.PASSED_ON:
            text = _("%(actor)s erased their data; the case passed to %(other)s")
        case EventKind.HANDED_BACK:
            text = _("%(actor)s left team %(team)s; the case went back to %(other)s")
        case EventKind.APPROACH:
            chosen = _chosen(Approach, event.detail)
            return _("%(actor)s chose the approach: %(approach)s") % {
                **values,
                "approach": "?" if chosen is None else _(FACTS[chosen].name),
            }
        case EventKind.STEP1:
            step1 = _chosen(Step1Choice, event.detail)
            return _("%(actor)s chose what to do about %(child)s for now: %(choice)s") % {
                **values,
                "choice": "?" if step1 is None else _(STEP1_CHOICE_TEXT[step1]),
            }
        case EventKind.NEXT_STEP:
            next_step = _chosen(NextStepChoice, event.detail)
            return _("%(actor)s chose the next step for %(child)s: %(choice)s") % {
                **values,
                "choice": "?" if next_step is None else _(NEXT_STEP_TEXT[next_step]),
            }
        case _:
            return None
    return text % values


def _chosen(choices: type[_Choice], detail: str | None) -> _Choice | None:
    """The choice a line records (``None`` for a value this version does not know)."""
    try:
        return choices(detail or "")
    except ValueError:
        return None


def history_screen(turn: Turn, case: Case, found: list[Entry]) -> None:
    """The newest lines of the case's history, and the document with all of them."""
    zone = turn.leader.rhythm.zone
    shown = found[-SHOWN_IN_CHAT:]
    lines = [f"{local_moment(e.at, zone)} — {e.text}" for e in shown]
    parts = [title(_("History of the case of %(victim)s") % {"victim": name(case.victim_nickname)})]
    if len(found) > len(shown):
        parts.append(
            _("The newest %(count)d lines; the document has them all.") % {"count": len(shown)}
        )
    parts.append("\n".join(lines) if lines else _("Nothing written down yet."))
    rows: Rows = [
        [(_("📄 Print-ready document"), CaseHistoryDocument(case.id))],
        [(_("◀️ Back to the case"), case_button(case.id, Open(0)))],
    ]
    turn.show("\n\n".join(parts), rows)


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto; color: #111; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #999; }
.meta { color: #444; }
ol.timeline { padding-left: 1.2em; }
ol.timeline li { margin: 0.3em 0; }
ol.timeline time { font-variant-numeric: tabular-nums; color: #333; margin-right: 0.5em; }
.note { margin-top: 2em; font-size: 0.9em; color: #444; }
@media print {
  body { margin: 0; max-width: none; }
  h2 { break-after: avoid; }
  li { break-inside: avoid; }
}
"""


def document(
    turn: Turn, heading: str, team_line: str, sections: Sequence[tuple[str, list[Entry]]]
) -> bytes:
    """A print-ready HTML file: a heading, the team and date, one timeline per case.

    ``heading``, ``team_line`` and the section titles are HTML already (names escaped).
    """
    zone = turn.leader.rhythm.zone
    body = []
    for section_title, found in sections:
        items = "\n".join(
            f'<li><time datetime="{e.at.isoformat()}">{escape(local_moment(e.at, zone))}</time>'
            f"{e.text}</li>"
            for e in found
        )
        body.append(
            f"<section>\n<h2>{section_title}</h2>\n"
            + (
                f'<ol class="timeline">\n{items}\n</ol>'
                if found
                else f"<p>{_('Nothing written down yet.')}</p>"
            )
            + "\n</section>"
        )
    made = _("Made on %(date)s.") % {"date": day(turn.now)}
    note = _(
        "Confidential: this is about children. Share it only with the leaders who need it, "
        "and destroy it when it is no longer needed."
    )
    html = f"""<!DOCTYPE html>
<html lang="{escape(current_language())}">
<head>
<meta charset="utf-8">
<title>{heading}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{heading}</h1>
<p class="meta">{team_line} {made}</p>
{chr(10).join(body)}
<p class="note">{note}</p>
</body>
</html>
"""
    return html.encode("utf-8")


def export_caption() -> str:
    """The caption of the history document in /export."""
    return _(
        "The history of each of your cases, ready to print. Keep it safe: it is about children."
    )
