"""Step 1: agreeing with the child who is bullied."""

from __future__ import annotations

from datetime import timedelta

from bot.callback_data import Menu, MenuPress, case_button
from bot.screens.corrections import now_written
from bot.screens.format import name, numbered, quoted, title, typed
from bot.storage.models import Case, Child
from bot.turn import Turn
from flows import events, phrasing
from flows.case import Consent, Next, next_step
from flows.language import _
from flows.replies import Shown

#: How long after another child's step 1 the leader is taken to be in the same talk.
SAME_TALK = timedelta(hours=1)


def ask_consent(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The three sentences of step 1 about ``child``, and: did the child who is bullied agree?

    The protocol's question is per child: with several children who bully, the leader
    asks it for each in turn, in the same talk.
    """
    victim = name(case.victim_nickname)
    sentences = phrasing.step1_sentences([child.nickname], child.may_tell)
    others = len(case.children) > 1
    # Straight after another child's turn the leader is still in the same talk with her;
    # a child added weeks later needs a quiet moment of its own.
    same_talk = (
        turn.now - case.updated_at < SAME_TALK
        and all(c.held_at is None for c in case.children)
        and any(
            c.consent == Consent.AGREED and c.may_tell for c in case.children if c.id != child.id
        )
    )
    turn.say(
        "\n\n".join(
            [
                title(_("Step 1 — with %(victim)s, the child who is bullied") % {"victim": victim}),
                _("In the same talk with %(victim)s, ask:") % {"victim": victim}
                if same_talk
                else _("Find a quiet moment with %(victim)s and ask:") % {"victim": victim},
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
            "as you can. Your script for the talk with %(bullies)s shows it as what you "
            "may tell."
        )
        % {"bullies": name(child.nickname), "victim": name(case.victim_nickname)}
        + "\n\n"
        + _("For example: %(example)s")
        % {"example": typed(_("that it hurts her when they laugh at her"))}
        + "".join("\n\n" + line for line in now_written(child.may_tell))
    )


def may_tell_line(case: Case, child: Child) -> str:
    """What the bullied child allows the leader to tell ``child``, as she said it.

    Shown to the leader, never pasted into a sentence said aloud: said to her, her words
    would speak of her in the third person; said to ``child``, they are hers to give.
    """
    return _("🤝 %(victim)s is fine with you telling %(child)s: %(may_tell)s") % {
        "victim": name(case.victim_nickname),
        "child": name(child.nickname),
        "may_tell": typed(child.may_tell or ""),
    }


def step1_done(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """Step 1 is settled for ``child``: the closing sentence, and what comes next."""
    closing = phrasing.step1_sentences([child.nickname], child.may_tell)[2]
    step = next_step(case, turn.now)
    after = next((c for c in case.children if c.id == step.child_id), None)
    victim = name(case.victim_nickname)
    if step.what in (Next.ASK_CONSENT, Next.RECORD_MAY_TELL) and after is not None:
        say = _("Say to %(victim)s:") % {"victim": victim}
        then = _("Then, in the same talk, ask about %(child)s.") % {"child": name(after.nickname)}
        go_on = _("▶️ Go on with %(child)s") % {"child": after.nickname}
    else:
        say = _("End your talk with %(victim)s with:") % {"victim": victim}
        first = after or child
        then = _("Step 1 is done. Next is step 2: the talk with %(child)s.") % {
            "child": name(first.nickname)
        }
        go_on = _("▶️ Prepare that talk")
    turn.say(
        "\n\n".join(
            [
                may_tell_line(case, child),
                say + "\n" + quoted(closing),
                then,
            ]
        ),
        [
            [(go_on, case_button(case.id, events.Continue(0)))],
            [(_("✏️ What may be told"), case_button(case.id, events.EditMayTell(child.id)))],
            [(_("📂 My cases"), MenuPress(Menu.CASES))],
        ],
    )
