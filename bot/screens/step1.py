"""Step 1: agreeing with the child who is bullied."""

from __future__ import annotations

from bot.callback_data import Menu, MenuPress, case_button
from bot.screens.format import name, numbered, quoted, title, typed
from bot.storage.models import Case
from bot.turn import Turn
from flows import phrasing, protocol
from flows.language import _


def bullies(case: Case) -> list[str]:
    """The nicknames of the children who bully or join in, in order."""
    return [c.nickname for c in case.children]


def ask_consent(turn: Turn, case: Case) -> None:
    """The three sentences of step 1, and: did the child agree?"""
    victim = name(case.victim_nickname)
    sentences = phrasing.step1_sentences(bullies(case), case.may_tell)
    turn.say(
        "\n\n".join(
            [
                title(_("Step 1 — with %(victim)s, the child who is bullied") % {"victim": victim}),
                _("Find a quiet moment with %(victim)s and ask:") % {"victim": victim},
                numbered(quoted(s) for s in sentences),
                _("Did %(victim)s agree that you talk with %(bullies)s?")
                % {"victim": victim, "bullies": phrasing.names(bullies(case))},
            ]
        ),
        [
            [(_("✅ Yes, agreed"), case_button(case.id, protocol.ConsentAnswered(0, True)))],
            [(_("✋ No, not (yet)"), case_button(case.id, protocol.ConsentAnswered(0, False)))],
            [(_("⏳ Not asked yet"), case_button(case.id, protocol.NotAskedYet(0)))],
        ],
    )


def ask_may_tell(turn: Turn, case: Case) -> None:
    """What may the leader tell? (typed)"""
    turn.say(
        _(
            "What may you tell %(bullies)s? Type it as %(victim)s said it, as concretely "
            "as you can. It completes the sentence:"
        )
        % {"bullies": phrasing.names(bullies(case)), "victim": name(case.victim_nickname)}
        + "\n"
        + quoted(phrasing.step1_sentences(bullies(case))[2])
        + "\n\n"
        + _("For example: %(example)s")
        % {"example": typed(_("that it hurts her when they laugh at her"))}
        + "\n"
        + _("I show you the whole sentence before you use it.")
    )


def step1_done(turn: Turn, case: Case) -> None:
    """Step 1 is settled: the closing sentence with what may be told, and on to step 2."""
    closing = phrasing.step1_sentences(bullies(case), case.may_tell)[2]
    first = case.children[0]
    turn.say(
        "\n\n".join(
            [
                _("End your talk with %(victim)s with:") % {"victim": name(case.victim_nickname)}
                + "\n"
                + quoted(closing),
                _("Step 1 is done. Next is step 2: the talk with %(child)s.")
                % {"child": name(first.nickname)},
            ]
        ),
        [
            [(_("▶️ Prepare that talk"), case_button(case.id, protocol.Continue(0)))],
            [(_("✏️ What may be told"), case_button(case.id, protocol.EditMayTell(0)))],
            [(_("📂 My cases"), MenuPress(Menu.CASES))],
        ],
    )
