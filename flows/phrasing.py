"""The protocol's own sentences, with names, facts and feeling filled in.

Every sentence a leader is offered to say is here, in the order the protocol
gives it. The English message ids are translations of the Dutch protocol text;
the Dutch catalog holds the protocol's own words.

What a leader typed is HTML-escaped before it goes into a sentence (translate,
then format), so the result can be sent with Telegram's HTML parse mode as is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from babel.lists import format_list

from flows.case import FEELING_TEXT, Feeling
from flows.fact_sentence import Form, read_facts
from flows.language import N_, _, babel_locale

# Step 1: with the child who is bullied.
STEP1_ASK_PERMISSION = N_(
    "May I talk with %(bully)s to make clear that I want the behaviour to stop?"
)
STEP1_ASK_WHAT_TO_TELL = N_("What may I tell?")
STEP1_AGREE_REPORT_BACK = N_(
    "We agree that I tell %(bully)s %(may_tell)s and that I report back to you on the talk."
)
#: Translators: the same sentence once the child has said what may be told. It is said TO
#: that child, so it does not repeat her words (they speak of her); "that" points back to
#: them. Dutch: "We spreken af dat ik Senne dat vertel en koppel het gesprek naar jou terug."
STEP1_AGREE_REPORT_BACK_TOLD = N_(
    "We agree that I tell %(bully)s that and that I report back to you on the talk."
)

# Step 2: with the child who bullies or joins in.
STEP2_FACTS_SEEN = N_("I see that %(facts)s has happened.")
STEP2_FACTS_HEARD = N_("I hear that %(facts)s has happened.")
#: Translators: the same sentence when the facts are a clause ("you laughed at Noor"): in
#: Dutch "Ik zie dat je Noor uitlachte." — no "is gebeurd". The clause comes as typed.
STEP2_FACTS_SEEN_CLAUSE = N_("I see that %(clause)s.")
STEP2_FACTS_HEARD_CLAUSE = N_("I hear that %(clause)s.")
#: Translators: the same sentence when the facts are a main clause ("yesterday you laughed
#: at Noor"), which cannot follow "that": the protocol's frame with "this", then the facts.
STEP2_FACTS_SEEN_MAIN = N_("I see that this has happened: %(facts)s.")
STEP2_FACTS_HEARD_MAIN = N_("I hear that this has happened: %(facts)s.")
STEP2_FEELING = N_("I feel %(feeling)s.")
STEP2_UNDERSTANDING = N_(
    "I understand that you may not have meant this to hurt, or may not fully realise "
    "that this behaviour is really not okay."
)
STEP2_ASK_PROPOSAL = N_("I would like it to stop. What can you do about it?")
STEP2_PROMISE_FOLLOW_UP = N_("I will take this up together with you and talk about it regularly.")

# The line the protocol puts above it all.
DISAPPROVE_BEHAVIOUR = N_("You don't say or do this. Full stop.")

# Step 3: talking with the child again.
#: The protocol says "the one who bullies"; the bot names the child, who may only join in.
STEP3_WHEN = N_(
    "After 1 to 2 days or 1 to 2 weeks (depending on how your group works), you talk "
    "with %(child)s again."
)
#: Translators: the protocol's "Vraag hen in hoeverre hij/zij zich aan de gemaakte
#: afspraken houdt", with the child named and asked directly.
STEP3_ASK_KEPT = N_("Ask %(child)s: how far do you keep to the agreements that were made?")
STEP3_MOTIVATE = N_("If needed, motivate %(child)s to come up with a new proposal.")
STEP3_STOPPED_COUNTS = N_(
    "It does not matter whether every agreement was kept consistently, as long as the "
    "bullying has stopped. Keep repeating this and allow enough time for the follow-up."
)

#: Shown where the leader types "…" of step 2's first sentence.
ELLIPSIS = "…"


def names(nicknames: Sequence[str]) -> str:
    """Nicknames as one escaped list in the leader's language: "Tom, Lies en Bo"."""
    return format_list([escape(n) for n in nicknames], locale=babel_locale())


def feeling_words(feeling: str) -> str:
    """The word for a feeling: a translated one from the buttons, or what the leader typed."""
    try:
        return _(FEELING_TEXT[Feeling(feeling)])
    except ValueError:
        return escape(feeling)


def _ended(sentence: str) -> str:
    """A sentence whose blank ends it is not closed twice: "Ik voel me …", not "…."."""
    return sentence.replace(ELLIPSIS + ".", ELLIPSIS)


def step1_sentences(bullies: Sequence[str], may_tell: str | None = None) -> list[str]:
    """Step 1's three sentences, said to the child who is bullied.

    Before she has said what may be told, "…" stands for it; after, the closing sentence
    points back to her words rather than repeating them: they speak of her, and she is
    the one listening. Her words go to the script of step 2 as what the leader may tell.
    """
    who = names(bullies)
    agree = (
        _(STEP1_AGREE_REPORT_BACK_TOLD) % {"bully": who}
        if may_tell
        else _(STEP1_AGREE_REPORT_BACK) % {"bully": who, "may_tell": ELLIPSIS}
    )
    return [_(STEP1_ASK_PERMISSION) % {"bully": who}, _(STEP1_ASK_WHAT_TO_TELL), agree]


_FACTS_TEMPLATES = {
    (Form.NOUN_PHRASE, True): STEP2_FACTS_SEEN,
    (Form.NOUN_PHRASE, False): STEP2_FACTS_HEARD,
    (Form.CLAUSE, True): STEP2_FACTS_SEEN_CLAUSE,
    (Form.CLAUSE, False): STEP2_FACTS_HEARD_CLAUSE,
    (Form.MAIN_CLAUSE, True): STEP2_FACTS_SEEN_MAIN,
    (Form.MAIN_CLAUSE, False): STEP2_FACTS_HEARD_MAIN,
}


def _one_full_stop(sentence: str) -> str:
    """The sentence ends in one full stop (what the leader typed at its end is trimmed)."""
    return sentence if sentence.endswith(".") else sentence + "."


def facts_sentence(facts: str | None, *, witnessed: bool, victim: str | None = None) -> str:
    """Step 2's first sentence, built around the facts in the form they were typed.

    A noun phrase goes into the protocol's frame, a clause after "I see that", a main
    clause after "I see that this has happened:", and a whole sentence of the leader's
    own is kept (``flows.fact_sentence``). "…" stands where no facts are typed yet.
    """
    if not facts:
        template = STEP2_FACTS_SEEN if witnessed else STEP2_FACTS_HEARD
        return _(template) % {"facts": ELLIPSIS}
    read = read_facts(facts, victim)
    if read.form is Form.WHOLE:
        return _one_full_stop(escape(read.text))
    template = _(_FACTS_TEMPLATES[read.form, witnessed])
    # French elides the frame's "que" before a vowel: "qu'il", "qu'hier".
    if read.form is Form.CLAUSE and re.match(r"[aeiouyhàâéèêëîïôû]", read.text, re.I):
        template = re.sub(r"\b([Qq]u)e %\(clause\)s", r"\1'%(clause)s", template)
    sentence = template % {"facts": escape(read.text), "clause": escape(read.text)}
    return _one_full_stop(sentence)


def facts_sure(facts: str, victim: str | None = None) -> bool:
    """Whether the rules recognised how the facts were typed (if not: show it back first)."""
    return read_facts(facts, victim).sure


def step2_sentences(
    facts: str | None, feeling: str | None, *, witnessed: bool, victim: str | None = None
) -> list[str]:
    """Step 2's five sentences in order; "…" stands for what is not filled in yet."""
    return [
        facts_sentence(facts, witnessed=witnessed, victim=victim),
        _ended(_(STEP2_FEELING) % {"feeling": feeling_words(feeling) if feeling else ELLIPSIS}),
        _(STEP2_UNDERSTANDING),
        _(STEP2_ASK_PROPOSAL),
        _(STEP2_PROMISE_FOLLOW_UP),
    ]


def step3_points(child: str) -> list[str]:
    """Step 3's three points for the follow-up talk with ``child``, named as everywhere."""
    who = {"child": escape(child)}
    return [_(STEP3_ASK_KEPT) % who, _(STEP3_MOTIVATE) % who, _(STEP3_STOPPED_COUNTS)]
