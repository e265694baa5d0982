"""A case's history: in the chat, and as a print-ready HTML document.

The document is one self-contained HTML file (no script, no outside resource) in
the leader's language, with the team's name and the date it was made, for a
hand-over meeting or the group leadership; every name in it is escaped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from html import escape
from typing import TypeVar
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.callback_data import case_button
from bot.screens.approaches import NEXT_STEP_TEXT, STEP1_CHOICE_TEXT
from bot.screens.format import local_moment, name, title, typed
from bot.screens.setup import role_text
from bot.storage.history import EventKind
from bot.storage.models import Agreement, Case, CaseEvent, Child
from bot.team_callbacks import CaseHistoryDocument
from bot.turn import Rows, Turn
from flows.approaches import FACTS, Approach
from flows.case import Consent, Role, saw_it
from flows.escalation import VICTIM_VIEW_TEXT, VictimView
from flows.events import Open
from flows.follow_up import OUTCOME_TEXT, Outcome
from flows.history import NextStepChoice, Step1Choice
from flows.language import _, babel_locale, current_language

_Choice = TypeVar("_Choice", bound=StrEnum)

log = logging.getLogger(__name__)

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


#: In the chat, an agreement in a history line is cut to about this many characters.
AGREEMENT_IN_CHAT = 80


def _shortened(text: str, limit: int | None) -> str:
    """``text``, or its start cut at a word with "…" when it is longer than ``limit``."""
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def entries(
    case: Case, events: Sequence[CaseEvent], names: Names, *, cut: int | None = None
) -> list[Entry]:
    """The case's history as lines, oldest first (agreements cut to ``cut`` characters)."""
    nicknames = {child.id: child.nickname for child in case.children}
    # An agreement is written in the same turn as its line: the line shows its text, read
    # from the case's own (encrypted) row — the history itself holds no typed text.
    # Several written at one moment are matched in the order they were written.
    agreements: dict[tuple[int, datetime], list[str]] = {}
    for child in case.children:
        for made in child.agreements:
            agreements.setdefault((child.id, made.created_at), []).append(made.text)
    # An agreement that ended (or stands again) is named by its id.
    by_id = {str(a.id): a.text for child in case.children for a in child.agreements}
    found = []
    for event in events:
        agreement = None
        if event.kind == EventKind.AGREEMENT:
            same_moment = agreements.get((event.child_id or 0, event.at))
            agreement = same_moment.pop(0) if same_moment else None
        elif event.kind in (EventKind.AGREEMENT_ENDED, EventKind.AGREEMENT_STANDS):
            agreement = by_id.get(event.detail or "", "?")
        values = {
            "agreement": "" if agreement is None else typed(_shortened(agreement, cut)),
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
                _("%(actor)s wrote down that %(victim)s agreed to a talk with %(child)s")
                if event.detail == Consent.AGREED
                else _(
                    "%(actor)s wrote down that %(victim)s did not agree (yet) to a talk "
                    "with %(child)s"
                )
            )
        case EventKind.ROLE:
            text = (
                _("%(actor)s changed the role of %(child)s: joins in")
                if event.detail == Role.MEEPESTER
                else _("%(actor)s changed the role of %(child)s: bullies")
            )
        case EventKind.TALK_HELD:
            text = _("%(actor)s held the talk with %(child)s")
        case EventKind.AGREEMENT:
            text = (
                _("%(actor)s wrote down an agreement of %(child)s: %(agreement)s")
                if values["agreement"]
                else _("%(actor)s wrote down an agreement of %(child)s")
            )
        case EventKind.OUTCOME:
            outcome = _(OUTCOME_TEXT[Outcome(event.detail)]) if event.detail else "?"
            text = _("%(actor)s followed up %(child)s: %(outcome)s") % {
                **values,
                "outcome": outcome,
            }
            return text
        case EventKind.AGREEMENT_ENDED:
            text = _(
                "%(actor)s marked that an agreement of %(child)s no longer stands: %(agreement)s"
            )
        case EventKind.AGREEMENT_STANDS:
            text = _(
                "%(actor)s marked that an agreement of %(child)s stands after all: %(agreement)s"
            )
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
        case EventKind.LEFT_TEAM:
            text = _("%(other)s is no longer in team %(team)s and no longer sees the case")
        case EventKind.HANDED_BACK:
            text = _("%(actor)s left team %(team)s; the case went back to %(other)s")
        case EventKind.YEAR_ANSWERED:
            text = {
                "hand_over": _("%(actor)s chose at the new working year to hand the case over"),
                "close": _("%(actor)s chose at the new working year to close the case"),
            }.get(
                event.detail or "",
                _("%(actor)s chose at the new working year to keep following the case up"),
            )
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
@page { size: A4; margin: 18mm 16mm 20mm; }
@page { @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", system-ui, sans-serif; font-size: 10.5pt; line-height: 1.4;
  max-width: 46em; margin: 2em auto; color: #111; }
h1 { font-size: 1.6em; margin: 0 0 0.2em; }
h2 { font-size: 1.35em; margin: 1.2em 0 0.3em; border-bottom: 2px solid #444; }
h3 { font-size: 1.12em; margin: 1.2em 0 0.3em; border-bottom: 1px solid #bbb; }
h4 { font-size: 1em; margin: 0.9em 0 0.2em; }
.meta, .case-meta { color: #333; }
dl.facts { display: grid; grid-template-columns: 12em 1fr; gap: 0.2em 1em; margin: 0.4em 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; white-space: pre-wrap; }
ul.agreements { margin: 0.2em 0 0.5em; padding-left: 1.4em; }
table.follow-ups { border-collapse: collapse; width: 100%; margin: 0.3em 0; }
table.follow-ups th, table.follow-ups td { border: 1px solid #999; padding: 0.2em 0.4em;
  text-align: left; vertical-align: top; }
ol.timeline { padding-left: 1.4em; }
ol.timeline li { margin: 0.2em 0; }
ol.timeline time { font-variant-numeric: tabular-nums; color: #333; margin-right: 0.5em; }
.none { color: #555; font-style: italic; }
dd, li, td { overflow-wrap: anywhere; }
.note { margin-top: 2em; font-size: 0.9em; color: #444; }
@media print {
  body { margin: 0; max-width: none; }
  section.case + section.case { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  li, tr, dl.facts { break-inside: avoid; }
}
"""


def dated(moment: datetime, zone: ZoneInfo) -> str:
    """A date on paper, with the year, in the leader's language: "24 november 2026"."""
    return format_date(moment.astimezone(zone).date(), format="long", locale=babel_locale())


def dated_moment(moment: datetime, zone: ZoneInfo) -> str:
    """A moment on paper, with the year: "24 november 2026, 19:00"."""
    local = moment.astimezone(zone)
    return _("%(date)s, %(time)s") % {
        "date": dated(local, zone),
        "time": format_time(local, "HH:mm", locale=babel_locale()),
    }


@dataclass(frozen=True)
class CaseSection:
    """One case in the document: its title (HTML), the case, its timeline and choices."""

    title: str
    case: Case
    found: list[Entry]
    events: Sequence[CaseEvent]


def _none(text: str, tag: str = "span") -> str:
    """A field with nothing in it yet, set apart on paper."""
    return f'<{tag} class="none">{text}</{tag}>'


def _typed_or_none(text: str | None) -> str:
    return _none(_("not written down yet")) if text is None else escape(text)


def _consent(child: Child, victim: str, events: Sequence[CaseEvent], zone: ZoneInfo) -> str:
    answer = Consent(child.consent) if child.consent in set(Consent) else Consent.NOT_ASKED
    text = {
        Consent.AGREED: _("%(victim)s agreed"),
        Consent.DECLINED: _("%(victim)s did not agree (yet)"),
        Consent.NOT_ASKED: _("not asked yet"),
    }[answer] % {"victim": victim}
    when = [e.at for e in events if e.kind == EventKind.CONSENT and e.child_id == child.id]
    return f"{text} ({dated(when[-1], zone)})" if when and answer != Consent.NOT_ASKED else text


def _agreement_rounds(child: Child, zone: ZoneInfo) -> str:
    rounds: list[tuple[str, list[Agreement]]] = []
    first = [a for a in child.agreements if a.follow_up_id is None]
    if first:
        when = child.held_at or first[0].created_at
        rounds.append((_("In the talk of step 2 (%(date)s):") % {"date": dated(when, zone)}, first))
    for number, follow_up in enumerate(child.follow_ups, start=1):
        made = [a for a in child.agreements if a.follow_up_id == follow_up.id]
        if made:
            rounds.append(
                (
                    _("New proposal at follow-up %(number)d (%(date)s):")
                    % {"number": number, "date": dated(follow_up.recorded_at, zone)},
                    made,
                )
            )
    if not rounds:
        return _none(_("No agreements written down yet."), "p")
    rounds_of = {f.id: number for number, f in enumerate(child.follow_ups, start=1)}

    def item(agreement: Agreement) -> str:
        if agreement.ended_in is None:
            return f"<li>{escape(agreement.text)}</li>"
        # Kept on paper, marked: the protocol asks about the agreements that stand.
        ended = _("no longer stands since follow-up %(number)d") % {
            "number": rounds_of.get(agreement.ended_in, 0)
        }
        return f'<li class="ended"><s>{escape(agreement.text)}</s> ({ended})</li>'

    return "\n".join(
        f'<p>{heading}</p>\n<ul class="agreements">' + "".join(item(a) for a in made) + "</ul>"
        for heading, made in rounds
    )


def _follow_ups(child: Child, victim: str, zone: ZoneInfo) -> str:
    if not child.follow_ups:
        return _none(_("No follow-up yet."), "p")
    rows = []
    for number, follow_up in enumerate(child.follow_ups, start=1):
        view = _chosen(VictimView, follow_up.victim_view)
        outcome = _chosen(Outcome, follow_up.outcome)
        rows.append(
            f"<tr><td>{number}</td><td>{dated(follow_up.recorded_at, zone)}</td>"
            f"<td>{'—' if view is None else _(VICTIM_VIEW_TEXT[view])}</td>"
            f"<td>{'—' if outcome is None else _(OUTCOME_TEXT[outcome])}</td></tr>"
        )
    labels = [
        "#",
        _("Date"),
        _("What %(victim)s says") % {"victim": victim},
        _("Outcome"),
    ]
    head = "<tr>" + "".join(f"<th>{label}</th>" for label in labels) + "</tr>"
    body = "".join(rows)
    return f'<table class="follow-ups">\n<thead>{head}</thead>\n<tbody>{body}</tbody>\n</table>'


def _choices(child: Child, events: Sequence[CaseEvent], zone: ZoneInfo) -> str:
    made = []
    for event in events:
        if event.child_id != child.id:
            continue
        if event.kind == EventKind.STEP1:
            step1 = _chosen(Step1Choice, event.detail)
            if step1 is not None:
                made.append(
                    (event.at, _("step 1: %(choice)s") % {"choice": _(STEP1_CHOICE_TEXT[step1])})
                )
        elif event.kind == EventKind.NEXT_STEP:
            chosen = _chosen(NextStepChoice, event.detail)
            if chosen is not None:
                made.append((event.at, _(NEXT_STEP_TEXT[chosen])))
    if not made:
        return _none(_("None chosen."), "p")
    items = "".join(f"<li>{dated(at, zone)}: {text}</li>" for at, text in made)
    return f'<ul class="agreements">{items}</ul>'


def _child_section(case: Case, child: Child, events: Sequence[CaseEvent], zone: ZoneInfo) -> str:
    victim = escape(case.victim_nickname)
    nickname = escape(child.nickname)
    facts_label = (
        _("Facts (I saw it myself)") if saw_it(child) else _("Facts (I heard it from someone)")
    )
    rows = [
        (
            _("Step 1: may I talk with %(child)s?") % {"child": nickname},
            _consent(child, victim, events, zone),
        ),
        (_("What I may tell"), _typed_or_none(child.may_tell)),
        (facts_label if child.facts is not None else _("Facts"), _typed_or_none(child.facts)),
        (
            _("Step 2: the talk"),
            _("held on %(date)s") % {"date": dated(child.held_at, zone)}
            if child.held_at
            else _none(_("not held yet")),
        ),
        (
            _("Reported back to %(victim)s") % {"victim": victim},
            dated(child.reported_back_at, zone) if child.reported_back_at else _none(_("not yet")),
        ),
    ]
    facts = "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    heading = f"{nickname} ({escape(role_text(child))})"
    parts = [
        (_("Agreements"), _agreement_rounds(child, zone)),
        (_("Follow-ups"), _follow_ups(child, victim, zone)),
        (_("Next steps chosen"), _choices(child, events, zone)),
    ]
    return (
        f'<section class="child">\n<h3>{heading}</h3>\n<dl class="facts">\n{facts}\n</dl>\n'
        + "\n".join(f"<h4>{label}</h4>\n{part}" for label, part in parts)
        + "\n</section>"
    )


def _case_section(section: CaseSection, zone: ZoneInfo) -> str:
    case = section.case
    meta = [_("Started on %(date)s.") % {"date": dated(case.created_at, zone)}]
    approach = _chosen(Approach, case.approach)
    if approach is not None:
        meta.append(_("Approach: %(approach)s.") % {"approach": _(FACTS[approach].name)})
    meta.append(
        _("Closed on %(date)s.") % {"date": dated(case.closed_at, zone)}
        if case.closed_at is not None
        else _("Still open.")
    )
    children = "\n".join(_child_section(case, c, section.events, zone) for c in case.children)
    items = "\n".join(
        f'<li><time datetime="{e.at.isoformat()}">{escape(dated_moment(e.at, zone))}</time>'
        f"{e.text}</li>"
        for e in section.found
    )
    timeline = (
        f'<ol class="timeline">\n{items}\n</ol>'
        if section.found
        else "<p>" + _("Nothing written down yet.") + "</p>"
    )
    return (
        f'<section class="case">\n<h2>{section.title}</h2>\n'
        f'<p class="case-meta">{" ".join(meta)}</p>\n{children}\n'
        + "<h3>"
        + _("What happened, in order")
        + f"</h3>\n{timeline}\n</section>"
    )


def document(turn: Turn, heading: str, team_line: str, sections: Sequence[CaseSection]) -> bytes:
    """A print-ready HTML file: a heading, the team and date, then each case's file.

    Per case, per child: step 1's answer and what may be told, the facts, the agreements
    of each round, each follow-up with what the bullied child says and its outcome, the
    next steps chosen; then the whole timeline. Every date carries the year. The texts
    about children come from the case's own (encrypted) rows, never from its history.
    ``heading``, ``team_line`` and the section titles are HTML already (names escaped).
    """
    zone = turn.leader.rhythm.zone
    body = "\n".join(_case_section(section, zone) for section in sections)
    made = _("Made on %(date)s.") % {"date": dated(turn.now, zone)}
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
{body}
<p class="note">{note}</p>
</body>
</html>
"""
    return html.encode("utf-8")


def pdf_of(html: bytes) -> bytes | None:
    """The same document as a PDF (A4), rendered without a browser; ``None`` on a machine
    without Pango (the HTML still goes out)."""
    try:
        import weasyprint  # a heavy import: only when a PDF is asked for
    except (ImportError, OSError):  # WeasyPrint loads Pango when imported
        log.warning("no PDF of the history: the system's Pango library is missing")
        return None
    pdf: bytes = weasyprint.HTML(string=html.decode("utf-8")).write_pdf()
    return pdf


def export_caption() -> str:
    """The caption of the history document in /export."""
    return _(
        "The history of each of your cases, ready to print. Keep it safe: it is about children."
    )
