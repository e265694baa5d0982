"""Correcting a case at any step: names, roles, what may be told, facts, feelings,
agreements, a child too many."""

from __future__ import annotations

from bot.callback_data import case_button
from bot.screens.format import bulleted, name, quoted, title, typed
from bot.storage.models import Case, Child
from bot.turn import Rows, Turn
from flows import events
from flows.case import AGREEMENT_MAX, NICKNAME_MAX, Consent, Stage, child_stage
from flows.language import _
from flows.replies import Shown

#: How much of an agreement a button shows.
_LABEL = 28


def _short(text: str) -> str:
    return text if len(text) <= _LABEL else text[: _LABEL - 1] + "…"


def menu(turn: Turn, case: Case, child: Child | None = None, shown: Shown | None = None) -> None:
    """Everything in the case that can be corrected, one button each."""
    press = case.id
    rows: Rows = [
        [
            (
                _("✏️ Name of %(victim)s") % {"victim": case.victim_nickname},
                case_button(press, events.RenameVictim(0)),
            )
        ]
    ]
    number = 0
    for child in case.children:
        values = {"child": child.nickname}
        stage = child_stage(case, child, turn.now)
        rows.append(
            [
                (
                    _("✏️ %(child)s: name, role") % values,
                    case_button(press, events.AskRole(child.id)),
                )
            ]
        )
        if child.consent == Consent.AGREED and child.may_tell:
            rows.append(
                [
                    (
                        _("✏️ %(child)s: what may be told") % values,
                        case_button(press, events.EditMayTell(child.id)),
                    )
                ]
            )
        if child.facts is not None and stage is not Stage.WAITING_FOR_STEP1:
            rows.append(
                [
                    (
                        _("✏️ %(child)s: facts") % values,
                        case_button(press, events.EditFacts(child.id)),
                    ),
                    (
                        _("✏️ %(child)s: feeling") % values,
                        case_button(press, events.AskFeeling(child.id)),
                    ),
                ]
            )
        for agreement in child.agreements:
            number += 1  # numbered across the case, so each delete button says which one
            rows.append(
                [
                    (
                        f"✏️ {number}. {_short(agreement.text)}",
                        case_button(press, events.EditAgreement(child.id, agreement.id)),
                    ),
                    (
                        f"🗑 {number}",
                        case_button(press, events.DeleteAgreement(child.id, agreement.id)),
                    ),
                ]
            )
        if child.held_at is None:
            rows.append(
                [
                    (
                        _("➖ Remove %(child)s from this case") % values,
                        case_button(press, events.RemoveChild(child.id)),
                    )
                ]
            )
    rows.append([(_("↩️ Back to the case"), case_button(press, events.Open(0)))])
    turn.say(
        "\n\n".join(
            [
                title(
                    _("Correct something in the case of %(victim)s")
                    % {"victim": name(case.victim_nickname)}
                ),
                _("Tap what you want to change; I show what is written now."),
            ]
        ),
        rows,
    )


def ask_victim_rename(
    turn: Turn, case: Case, child: Child | None = None, shown: Shown | None = None
) -> None:
    """The nickname of the child who is bullied, typed again."""
    turn.say(
        _("Now: %(now)s") % {"now": typed(case.victim_nickname)}
        + "\n\n"
        + _("Type the new nickname or initials (at most %(max)d characters).")
        % {"max": NICKNAME_MAX}
    )


def ask_agreement_text(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    """An agreement, typed again."""
    agreement_id = shown.item
    agreement = next((a for a in child.agreements if a.id == agreement_id), None)
    now = typed(agreement.text) if agreement is not None else ""
    turn.say(
        _("Now: %(now)s") % {"now": now}
        + "\n\n"
        + _("Type the agreement as it should read (at most %(max)d characters).")
        % {"max": AGREEMENT_MAX}
    )


def confirm_remove_child(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """A child added by mistake: everything written for them goes too."""
    written = [typed(t) for t in (child.facts, child.feeling) if t]
    turn.say(
        "\n\n".join(
            [
                _("Remove %(child)s from the case of %(victim)s?")
                % {"child": name(child.nickname), "victim": name(case.victim_nickname)},
                *(
                    [
                        _("What is written for %(child)s goes too:")
                        % {"child": name(child.nickname)}
                        + "\n"
                        + bulleted(written)
                    ]
                    if written
                    else []
                ),
            ]
        ),
        [
            [(_("➖ Yes, remove"), case_button(case.id, events.ChildRemoved(child.id)))],
            [(_("↩️ No, keep"), case_button(case.id, events.Correct(0)))],
        ],
    )


def confirm_delete_agreement(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    """Before an agreement goes: which one, and for whom; delete it or keep it."""
    agreement_id = shown.item
    agreement = next((a for a in child.agreements if a.id == agreement_id), None)
    if agreement is None or agreement_id is None:
        return
    turn.say(
        _("Delete this agreement of %(child)s?") % {"child": name(child.nickname)}
        + "\n"
        + quoted(typed(agreement.text)),
        [
            [
                (
                    _("🗑 Yes, delete"),
                    case_button(case.id, events.AgreementDeleted(child.id, agreement_id)),
                )
            ],
            [(_("↩️ No, keep"), case_button(case.id, events.Correct(0)))],
        ],
    )


def now_written(text: str | None) -> list[str]:
    """ "Now: …" above a question whose answer is already written, for a correction."""
    return [_("Now: %(now)s") % {"now": quoted(typed(text))}] if text else []
