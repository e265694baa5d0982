"""The quick check: what the approach is, its six reasons as a checklist, and the answer."""

from __future__ import annotations

from bot.callback_data import CheckAnswer, CheckEdit, CheckStartCase, CheckToggle, Menu, MenuPress
from bot.screens import approaches
from bot.screens.format import bulleted, quoted, title
from bot.turn import Keyboard, Turn
from flows import phrasing
from flows.criteria import (
    ALL_CRITERIA,
    CRITERION_TEXT,
    NATURE,
    Assessment,
    Criterion,
    Verdict,
    assess,
    from_mask,
)
from flows.language import N_, _

#: Short labels for the buttons; the message itself carries the protocol's full wording.
CRITERION_LABEL: dict[Criterion, str] = {
    Criterion.GOING_ON_LONG: N_("Going on for long"),
    Criterion.HIGH_IMPACT: N_("Big impact"),
    Criterion.BULLY_HIGH_STATUS: N_("Bully has high status"),
    Criterion.VICTIM_ALONE: N_("Victim stands alone"),
    Criterion.LEADERS_SUPPORT: N_("Leaders support it"),
    Criterion.QUICK_CORRECTION_NEEDED: N_("Quick correction needed"),
}

VERDICT_TEXT: dict[Verdict, str] = {
    Verdict.FITS: N_("✅ A one-on-one conversation fits this situation."),
    Verdict.MAY_FIT: N_(
        "🟡 A one-on-one conversation can fit, but only one reason points to it. "
        "Weigh whether a milder approach is enough first."
    ),
    Verdict.TEAM_FIRST: N_(
        "✋ First ask your fellow leaders whether they support this approach: you did not "
        "tick it, and you will need them for the follow-up."
    ),
    Verdict.DOES_NOT_FIT: N_(
        "❌ None of the reasons that point to a one-on-one conversation is ticked. Another "
        "approach is probably better for now."
    ),
}
#: The answer when nothing at all is ticked: there is nothing to weigh.
NOTHING_TICKED = N_(
    "You ticked none of the protocol's reasons. Tap “Change the ticks” if some do apply; "
    "if none does, another approach is probably better for now."
)


def checklist(turn: Turn, mask: int) -> None:
    """The checklist with the ticks in ``mask``; a tap on a criterion toggles it."""
    ticked = from_mask(mask)
    lines = [f"{'✅' if c in ticked else '▫️'} {_(CRITERION_TEXT[c])}" for c in ALL_CRITERIA]
    rows: Keyboard = [
        [(f"{'✅' if c in ticked else '▫️'} {_(CRITERION_LABEL[c])}", CheckToggle(mask, int(c)))]
        for c in ALL_CRITERIA
    ]
    rows = [*rows, [(_("See the answer ➡️"), CheckAnswer(mask))]]
    parts = [
        title(_("Quick check: is a one-on-one conversation the right approach?")),
        # The protocol's "= confronterende aanpak": what the approach is, not a reason.
        _(NATURE),
        _("The protocol's reasons to choose it. Tap what applies, then “See the answer”."),
        "\n".join(lines),
    ]
    # No verdict while ticking: the answer comes when the leader asks for it.
    turn.show("\n\n".join(parts), rows)


def answer(turn: Turn, mask: int) -> None:
    """The answer for the ticks in ``mask``, why, and the protocol's note."""
    assessment: Assessment = assess(from_mask(mask))
    holds = [c for c in ALL_CRITERIA if c in assessment.ticked]
    parts = [title(_("Quick check: the answer"))]
    if holds:
        # The protocol's own words for what holds; the weighing below is ours.
        parts.append(
            _("The protocol's reasons that hold here:")
            + "\n"
            + bulleted(_(CRITERION_TEXT[c]) for c in holds)
        )
    verdict = _(VERDICT_TEXT[assessment.verdict]) if holds else "❌ " + _(NOTHING_TICKED)
    parts.append(_("Our advice (the protocol gives reasons, not a threshold):") + "\n" + verdict)
    if assessment.may_start_case:
        parts.append(
            _("You disapprove of the behaviour, not the person, and you say clearly:")
            + " "
            + quoted(_(phrasing.DISAPPROVE_BEHAVIOUR))
        )
    better, better_rows = approaches.router(mask)
    if better is not None:
        parts.append(better)
    rows: Keyboard = []
    if assessment.may_start_case:
        rows = [[(_("➕ Start a case with this"), CheckStartCase(mask))]]
    rows = [
        *rows,
        *better_rows,
        [(_("✏️ Change the ticks"), CheckEdit(mask))],
        [(_("🏠 Main menu"), MenuPress(Menu.HOME))],
    ]
    turn.show("\n\n".join(parts), rows)
