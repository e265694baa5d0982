"""The protocol's own sentences, with names, facts and feeling filled in.

Every sentence a leader is offered to say is here, in the order the protocol
gives it. The English message ids are translations of the Dutch protocol text;
the Dutch catalog holds the protocol's own words.

What a leader typed is HTML-escaped before it goes into a sentence (translate,
then format), so the result can be sent with Telegram's HTML parse mode as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from babel.lists import format_list

from flows.case import FEELING_TEXT, Feeling
from flows.language import N_, _, babel_locale

# Step 1: with the child who is bullied.
STEP1_ASK_PERMISSION = N_(
    "May I talk with %(bully)s to make clear that I want the behaviour to stop?"
)
STEP1_ASK_WHAT_TO_TELL = N_("What may I tell?")
STEP1_AGREE_REPORT_BACK = N_(
    "We agree that I tell %(bully)s %(may_tell)s and that I report back to you on the talk."
)
#: The same sentence when what may be told is a clause ("that it hurts her"): in Dutch the
#: clause then follows "vertel", or the sentence does not read as a person says it.
STEP1_AGREE_REPORT_BACK_CLAUSE = N_(
    "We agree that I tell %(bully)s %(may_tell)s, and that I report back to you on the talk."
)
#: Translators: the words that start a clause told to someone ("that it hurts", "how…"),
#: separated by "|", in your language.
CLAUSE_STARTS = N_("that|how|what|why|whether|who|where|when")

# Step 2: with the child who bullies or joins in.
STEP2_FACTS_SEEN = N_("I see that %(facts)s has happened.")
STEP2_FACTS_HEARD = N_("I hear that %(facts)s has happened.")
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
STEP3_ASK_KEPT = N_("Ask how far he/she keeps to the agreements that were made.")
STEP3_MOTIVATE = N_("If needed, motivate him/her to come up with a new proposal.")
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


def is_clause(text: str) -> bool:
    """Whether what may be told is a clause of its own ("dat het haar pijn doet")."""
    words = text.strip().casefold().replace("’", "'").split()
    starts = {w.strip() for w in _(CLAUSE_STARTS).casefold().split("|")}
    return bool(words) and (words[0] in starts or words[0].split("'")[0] + "'" in starts)


def step1_sentences(bullies: Sequence[str], may_tell: str | None = None) -> list[str]:
    """Step 1's three sentences; "…" stands where what may be told is not known yet."""
    who = names(bullies)
    told = escape(may_tell) if may_tell else ELLIPSIS
    agree = (
        STEP1_AGREE_REPORT_BACK_CLAUSE
        if may_tell and is_clause(may_tell)
        else (STEP1_AGREE_REPORT_BACK)
    )
    return [
        _(STEP1_ASK_PERMISSION) % {"bully": who},
        _(STEP1_ASK_WHAT_TO_TELL),
        _(agree) % {"bully": who, "may_tell": told},
    ]


def step2_sentences(facts: str | None, feeling: str | None, *, witnessed: bool) -> list[str]:
    """Step 2's five sentences in order; "…" stands for what is not filled in yet."""
    facts_template = STEP2_FACTS_SEEN if witnessed else STEP2_FACTS_HEARD
    return [
        _(facts_template) % {"facts": escape(facts) if facts else ELLIPSIS},
        _ended(_(STEP2_FEELING) % {"feeling": feeling_words(feeling) if feeling else ELLIPSIS}),
        _(STEP2_UNDERSTANDING),
        _(STEP2_ASK_PROPOSAL),
        _(STEP2_PROMISE_FOLLOW_UP),
    ]


def step3_points() -> list[str]:
    """Step 3's three points, for the follow-up conversation."""
    return [_(STEP3_ASK_KEPT), _(STEP3_MOTIVATE), _(STEP3_STOPPED_COUNTS)]
