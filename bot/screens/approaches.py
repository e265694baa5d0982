"""Other approaches: from the quick check's answer, No Blame's short check, and in a case."""

from __future__ import annotations

from html import escape

from bot.callback_data import (
    CheckAnswer,
    CheckApproach,
    Menu,
    MenuPress,
    NoBlameAnswer,
    NoBlameShow,
    NoBlameToggle,
    case_button,
)
from bot.screens.format import bulleted, day, name, title
from bot.storage.models import Case
from bot.turn import Rows, Turn
from flows import protocol
from flows.approaches import (
    FACTS,
    NO_BLAME_CHECK_TEXT,
    ONLY_ONE_ON_ONE,
    SOURCE_SITE,
    SOURCE_URL,
    Approach,
    NoBlameCheck,
    no_blame_missing,
    recommended,
)
from flows.criteria import from_mask
from flows.history import HistoryKind, NextStepChoice, Step1Choice
from flows.language import N_, _

#: The approaches in the order a case lists them when it has no quick check to go by.
IN_CASE_ORDER = (
    Approach.NO_BLAME,
    Approach.RESTORATIVE,
    Approach.TEAM_FIRST,
    Approach.ONE_ON_ONE,
)

STEP1_CHOICE_TEXT: dict[Step1Choice, str] = {
    Step1Choice.TRY_LATER: N_("ask again later"),
    Step1Choice.TEAM: N_("talk it over with the team"),
    Step1Choice.WATCH: N_("keep watching"),
}

NEXT_STEP_TEXT: dict[NextStepChoice, str] = {
    NextStepChoice.TEAM: N_("involve the team or the group leadership"),
    NextStepChoice.PARENTS: N_("talk with the parents"),
    NextStepChoice.APPROACH: N_("another approach"),
    NextStepChoice.SUPPORT: N_("support for the child who is bullied"),
    NextStepChoice.GO_ON: N_("one more round of follow-up"),
}


def source() -> str:
    """Where the approaches are described."""
    return _("Source: %(site)s (Kies Kleur tegen Pesten, with Tumult vzw) — %(url)s") % {
        "site": SOURCE_SITE,
        "url": SOURCE_URL,
    }


def describe(approach: Approach) -> str:
    """An approach in a few lines: what it is, when it fits, what the leader does first."""
    facts = FACTS[approach]
    parts = [
        title(_(facts.name)),
        bulleted(_(line) for line in facts.what),
        _("<b>When it fits:</b> %(text)s") % {"text": _(facts.fits_when)},
        _("<b>What you do first:</b> %(text)s") % {"text": _(facts.first)},
        source(),
    ]
    if approach is not Approach.ONE_ON_ONE:
        parts.append(_(ONLY_ONE_ON_ONE))
    return "\n\n".join(parts)


# --- From the quick check. ---------------------------------------------------------------


def router(mask: int) -> tuple[str | None, Rows]:
    """The part of the quick check's answer that names what fits better, and its buttons."""
    found = recommended(from_mask(mask))
    if not found:
        return None, []
    text = (
        _("What may fit better (advice: the protocol gives reasons, not a threshold):")
        + "\n"
        + bulleted(f"<b>{_(FACTS[a].name)}</b>: {_(FACTS[a].fits_when)}" for a in found)
    )
    rows: Rows = [[("🧭 " + _(FACTS[a].name), CheckApproach(mask, a))] for a in found]
    return text, rows


def approach_from_check(turn: Turn, mask: int, approach: Approach) -> None:
    """One approach, opened from the quick check's answer."""
    rows: Rows = []
    if approach is Approach.NO_BLAME:
        rows.append([(_("🔎 No Blame: short check"), NoBlameShow(mask, 0))])
    rows += [
        [(_("⬅️ Back to the answer"), CheckAnswer(mask))],
        [(_("🏠 Main menu"), MenuPress(Menu.HOME))],
    ]
    turn.show(
        describe(approach)
        + "\n\n"
        + _("To keep track of it, start a case with /new and choose the approach in the case."),
        rows,
    )


def no_blame_check(turn: Turn, mask: int, checked: int) -> None:
    """No Blame's short check: five things that must hold."""
    rows: Rows = [
        [
            (
                f"{'✅' if checked & (1 << item) else '▫️'} {_(NO_BLAME_CHECK_TEXT[item])}",
                NoBlameToggle(mask, checked, int(item)),
            )
        ]
        for item in NoBlameCheck
    ]
    rows += [
        [(_("See the answer ➡️"), NoBlameAnswer(mask, checked))],
        [(_("⬅️ Back"), CheckApproach(mask, Approach.NO_BLAME))],
    ]
    turn.show(
        "\n\n".join(
            [
                title(_("No Blame: short check")),
                _("No Blame fits when all of these hold. Tap what applies."),
            ]
        ),
        rows,
    )


def no_blame_answer(turn: Turn, mask: int, checked: int) -> None:
    """Whether No Blame fits, and what does not hold when it does not."""
    missing = no_blame_missing(checked)
    if not missing:
        verdict = _(
            "✅ No Blame fits this situation. Agree on it with your team, then start with "
            "the child who is bullied."
        )
    else:
        verdict = (
            _("❌ Not everything holds for No Blame:")
            + "\n"
            + bulleted(_(NO_BLAME_CHECK_TEXT[item]) for item in missing)
            + "\n\n"
            + _(
                "Then a one-on-one conversation or a restorative conversation may fit "
                "better — or agree first with your team."
            )
        )
    turn.show(
        "\n\n".join([title(_("No Blame: the answer")), verdict, source()]),
        [
            [(_("✏️ Change the ticks"), NoBlameShow(mask, checked))],
            [(_("⬅️ Back to the answer"), CheckAnswer(mask))],
            [(_("🏠 Main menu"), MenuPress(Menu.HOME))],
        ],
    )


# --- In a case. --------------------------------------------------------------------------


def _case_order(case: Case) -> tuple[Approach, ...]:
    if case.criteria_mask is None:
        return IN_CASE_ORDER
    found = recommended(from_mask(case.criteria_mask))
    return (*found, *(a for a in IN_CASE_ORDER if a not in found))


def approaches(turn: Turn, case: Case) -> None:
    """The approaches a case can go on with; the one chosen is marked."""
    rows: Rows = [
        [
            (
                ("✔️ " if case.approach == a else "🧭 ") + _(FACTS[a].name),
                case_button(case.id, protocol.ShowApproach(0, a)),
            )
        ]
        for a in _case_order(case)
    ]
    rows.append([(_("▶️ Back to the case"), case_button(case.id, protocol.Open(0)))])
    turn.say(
        "\n\n".join(
            [
                title(_("Other approaches")),
                _(
                    "When a one-on-one conversation does not fit or does not work, another "
                    "approach may. Tap one to read what it is."
                ),
                bulleted(
                    f"<b>{_(FACTS[a].name)}</b>: {_(FACTS[a].fits_when)}" for a in IN_CASE_ORDER
                ),
            ]
        ),
        rows,
    )


def approach(turn: Turn, case: Case, chosen: Approach) -> None:
    """One approach, in a case: go on with it, or back."""
    turn.say(
        describe(chosen),
        [
            [
                (
                    _("✅ We go on with this"),
                    case_button(case.id, protocol.ApproachChosen(0, chosen)),
                )
            ],
            [(_("🧭 Other approaches"), case_button(case.id, protocol.ShowApproaches(0)))],
            [(_("▶️ Back to the case"), case_button(case.id, protocol.Open(0)))],
        ],
    )


def approach_chosen(turn: Turn, case: Case, chosen: Approach) -> None:
    """The case records the approach it goes on with."""
    parts = [
        _("Written down: the case of %(victim)s goes on with %(approach)s.")
        % {"victim": name(case.victim_nickname), "approach": _(FACTS[chosen].name)},
        _("<b>What you do first:</b> %(text)s") % {"text": _(FACTS[chosen].first)},
    ]
    if chosen is not Approach.ONE_ON_ONE:
        parts.append(_(ONLY_ONE_ON_ONE))
    turn.say(
        "\n\n".join(parts),
        [
            [(_("▶️ Back to the case"), case_button(case.id, protocol.Open(0)))],
            [(_("📂 My cases"), MenuPress(Menu.CASES))],
        ],
    )


def approach_line(case: Case) -> str | None:
    """The approach a case goes on with, for the case at a glance."""
    if case.approach is None:
        return None
    try:
        chosen = Approach(case.approach)
    except ValueError:
        return None
    return _("Approach: %(approach)s") % {"approach": _(FACTS[chosen].name)}


def history_lines(case: Case) -> str | None:
    """What the leader chose in the case, with the date, for the case at a glance."""
    children = {c.id: c.nickname for c in case.children}
    lines = []
    for entry in case.history:
        # The history's other lines (a talk held, a share, …) are the /history screen's.
        what = None if entry.detail is None else _history_text(entry.kind, entry.detail)
        if what is None:
            continue
        child = children.get(entry.child_id) if entry.child_id is not None else None
        who = f"{name(child)}: " if child is not None else ""
        lines.append(f"{escape(day(entry.at))} — {who}{what}")
    if not lines:
        return None
    return _("Choices made:") + "\n" + bulleted(lines)


def _history_text(kind: str, detail: str) -> str | None:
    try:
        match HistoryKind(kind):
            case HistoryKind.APPROACH:
                return _("approach: %(approach)s") % {"approach": _(FACTS[Approach(detail)].name)}
            case HistoryKind.STEP1:
                return _("step 1: %(choice)s") % {
                    "choice": _(STEP1_CHOICE_TEXT[Step1Choice(detail)])
                }
            case HistoryKind.NEXT_STEP:
                return _("next step: %(choice)s") % {
                    "choice": _(NEXT_STEP_TEXT[NextStepChoice(detail)])
                }
    except ValueError:
        return None
