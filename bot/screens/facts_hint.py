"""Facts, not interpretations: a gentle hint when typed facts hold labels or judgements."""

from __future__ import annotations

from bot.callback_data import case_button
from bot.screens.format import quoted, typed
from bot.screens.step2 import heading
from bot.storage.models import Case, Child
from bot.turn import Turn
from flows import events
from flows.fact_words import judgements
from flows.language import _
from flows.replies import Shown


def facts_hint(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """Which words judge rather than describe, why it matters, and: rephrase or keep."""
    words = judgements(child.facts or "")
    turn.say(
        "\n\n".join(
            [
                heading(child),
                _("You wrote: %(facts)s") % {"facts": typed(child.facts or "")},
                _(
                    "A small hint: %(words)s sound like a judgement or a label rather than "
                    "what happened."
                )
                % {"words": ", ".join(quoted(typed(w)) for w in words)},
                _(
                    "“I see that …” works best with what happened, where and when: a child "
                    "can argue with a judgement, not with a fact."
                ),
                _("Type the facts again to replace them, or keep them as they are."),
            ]
        ),
        [
            [(_("✅ Keep them as they are"), case_button(case.id, events.FactsKept(child.id)))],
        ],
    )
