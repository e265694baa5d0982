"""Step 1: agreeing with the child who is bullied."""

from __future__ import annotations

from bot.callback_data import Menu, MenuPress, case_button
from bot.screens.corrections import now_written
from bot.screens.format import name, numbered, quoted, title, typed
from bot.storage.models import Case, Child
from bot.turn import Turn
from flows import events, phrasing
from flows.case import Next, next_step
from flows.language import _
from flows.replies import Shown


def ask_consent(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The three sentences of step 1 about ``child``, and: did the child who is bullied agree?

    The protocol's question is per child: with several children who bully, the leader
    asks it for each in turn, in the same talk.
    """
    victim = name(case.victim_nickname)
    sentences = phrasing.step1_sentences([child.nickname], child.may_tell)
    others = len(case.children) > 1
    turn.say(
        "\n\n".join(
            [
                title(_("Step 1 — with %(victim)s, the child who is bullied") % {"victim": victim}),
                _("Find a quiet moment with %(victim)s and ask:") % {"victim": victim},
                numbered(quoted(s) for s in sentences),
                *([_("You ask this for each child in turn.")] if others else []),
                _("Did %(victim)s agree that you talk with %(bullies)s?")
                % {"victim": victim, "bullies": name(child.nickname)},
            ]
        ),
        [
            [(_("✅ Yes, agreed"), case_button(case.id, events.ConsentAnswered(child.id, True)))],
            [
                (
                    _("✋ No, not (yet)"),
                    case_button(case.id, events.ConsentAnswered(child.id, False)),
                )
            ],
            [(_("⏳ Not asked yet"), case_button(case.id, events.NotAskedYet(child.id)))],
        ],
    )


def ask_may_tell(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """What may the leader tell ``child``? (typed)"""
    turn.say(
        _(
            "What may you tell %(bullies)s? Type it as %(victim)s said it, as concretely "
            "as you can. It completes the sentence:"
        )
        % {"bullies": name(child.nickname), "victim": name(case.victim_nickname)}
        + "\n"
        + quoted(phrasing.step1_sentences([child.nickname])[2])
        + "\n\n"
        + _("For example: %(example)s")
        % {"example": typed(_("that it hurts her when they laugh at her"))}
        + "\n"
        + _("I show you the whole sentence before you use it.")
        + "".join("\n\n" + line for line in now_written(child.may_tell))
    )


def step1_done(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """Step 1 is settled for ``child``: the closing sentence, and what comes next."""
    closing = phrasing.step1_sentences([child.nickname], child.may_tell)[2]
    step = next_step(case, turn.now)
    after = next((c for c in case.children if c.id == step.child_id), None)
    if step.what in (Next.ASK_CONSENT, Next.RECORD_MAY_TELL) and after is not None:
        then = _("Next, in the same talk: %(child)s.") % {"child": name(after.nickname)}
        go_on = _("▶️ Go on with %(child)s") % {"child": after.nickname}
    else:
        first = after or child
        then = _("Step 1 is done. Next is step 2: the talk with %(child)s.") % {
            "child": name(first.nickname)
        }
        go_on = _("▶️ Prepare that talk")
    turn.say(
        "\n\n".join(
            [
                _("End your talk with %(victim)s with:") % {"victim": name(case.victim_nickname)}
                + "\n"
                + quoted(closing),
                then,
            ]
        ),
        [
            [(go_on, case_button(case.id, events.Continue(0)))],
            [(_("✏️ What may be told"), case_button(case.id, events.EditMayTell(child.id)))],
            [(_("📂 My cases"), MenuPress(Menu.CASES))],
        ],
    )
