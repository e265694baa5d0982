"""Step 2's first sentence shown back before it is used, when it is worth a look.

Either the facts hold a label or a judgement, or the bot could not tell with confidence
how they were typed (a noun phrase, a clause, a whole sentence): the leader sees the
sentence as it will be said, and keeps it or writes it whole.
"""

from __future__ import annotations

from bot.callback_data import case_button
from bot.screens.format import quoted, typed
from bot.screens.step2 import heading
from bot.storage.models import Case, Child
from bot.turn import Turn
from flows import events, phrasing
from flows.case import saw_it
from flows.fact_words import judgements
from flows.language import _, ngettext
from flows.replies import Shown


def facts_hint(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The sentence as it will be said; which words judge rather than describe; keep or retype."""
    facts = child.facts or ""
    words = judgements(facts)
    sentence = phrasing.facts_sentence(facts, witnessed=saw_it(child), victim=case.victim_nickname)
    frame = phrasing.facts_sentence(None, witnessed=saw_it(child)).split(phrasing.ELLIPSIS)[0]
    parts = [heading(child), _("Your first sentence:") + " " + quoted(sentence)]
    if words:
        parts += [
            ngettext(
                "A small hint: %(words)s sounds like a judgement or a label rather than "
                "what happened.",
                "A small hint: %(words)s sound like a judgement or a label rather than "
                "what happened.",
                len(words),
            )
            % {"words": ", ".join(quoted(typed(w)) for w in words)},
            _(
                "“I see that …” works best with what happened, where and when: a child "
                "can argue with a judgement, not with a fact."
            ),
        ]
    if not phrasing.facts_sure(facts, case.victim_nickname):
        parts.append(_("Read it aloud once: is this how you will say it?"))
    parts.append(
        _("Keep it, or type the whole sentence as you will say it, starting with %(frame)s")
        % {"frame": quoted(frame.strip() + " …")}
    )
    turn.say(
        "\n\n".join(parts),
        [
            [(_("✅ Keep this sentence"), case_button(case.id, events.FactsKept(child.id)))],
            # Back to the facts as typed (kept): the same question, with what is written now.
            [(_("↩️ Back"), case_button(case.id, events.Witnessed(child.id, saw_it(child))))],
        ],
    )
