"""A reply the leader types in a practice, read by rules per language.

No language model and nothing sent anywhere: a few patterns per language find the
traps a typed reply can fall into — the bullied child's name where it may not be told,
"you are …", the facts hint's judgement words (:mod:`flows.fact_words`), a why-question,
a promise or a "sorry" taken without anything concrete. A reply that breaks none of
these gets neutral feedback: the rules cannot tell that it is good, only that it
avoids the usual traps. The text itself is read and forgotten.
"""

from __future__ import annotations

import re
from functools import cache

from flows.fact_words import judgements
from flows.language import current_language
from flows.practice import Feedback, Setup
from flows.practice_lines import TRAP_PRINCIPLE, Trap

#: "you are …": a label on the person (a feeling after it is fine: "you are angry").
YOU_ARE: dict[str, str] = {
    "nl": r"(?:jij|je|gij|ge)\s+(?:bent|zijt)|(?:ben|zijt)\s+(?:jij|je|gij|ge)",
    "en": r"you\s+are|you['’]re|are\s+you",
    "fr": r"tu\s+es|t['’]es|es-tu",
    "de": r"du\s+bist|bist\s+du",
}
#: Feelings, which "you are …" may name without judging.
FEELINGS: dict[str, str] = {
    "nl": r"boos|kwaad|bang|verdrietig|blij|triest|niet\s+alleen",
    "en": r"angry|upset|afraid|scared|sad|happy|not\s+alone",
    "fr": r"fâché|fâchée|en\s+colère|triste|content|contente|pas\s+seul|pas\s+seule",
    "de": r"wütend|sauer|traurig|froh|nicht\s+allein",
}
WHY: dict[str, str] = {
    "nl": r"waarom",
    "en": r"why",
    "fr": r"pourquoi",
    "de": r"warum|wieso|weshalb",
}
#: A promise or an apology taken as it is.
PROMISE: dict[str, str] = {
    "nl": r"belo\w*|sorry|excuses|laat\s+maar|als\s+het\s+maar\s+niet\s+meer",
    "en": r"promise\w*|sorry|apolog\w*|never\s+mind|as\s+long\s+as\s+it",
    "fr": r"prom\w*|pardon|désolé\w*|excuse\w*|laisse\s+tomber|tant\s+que\s+ça",
    "de": r"versprich\w*|versprochen|sorry|entschuldig\w*|schon\s+gut|solange\s+es",
}
#: What makes a promise concrete: asking what, how or when, or naming a moment.
CONCRETE: dict[str, str] = {
    "nl": r"wat|hoe|wanneer|welke|concreet|morgen|volgende\s+keer|\d+",
    "en": r"what|how|when|which|exactly|concrete\w*|tomorrow|next\s+time|\d+",
    "fr": r"quoi|qu['’]est-ce|que\s+vas|comment|quand|quel\w*|concrètement|demain|\d+",
    "de": r"was|wie|wann|welche\w*|konkret|morgen|nächste\w*\s+mal|\d+",
}


_RULES: dict[str, dict[str, str]] = {
    "you": YOU_ARE,
    "feel": FEELINGS,
    "why": WHY,
    "promise": PROMISE,
    "concrete": CONCRETE,
}


@cache
def _rule(rule: str, language: str) -> re.Pattern[str]:
    """One rule's pattern in ``language``, matched on whole words (never, for no language)."""
    return re.compile(rf"(?<!\w)(?:{_RULES[rule].get(language, '(?!)')})(?!\w)")


def _labels_the_person(text: str, language: str) -> bool:
    for match in _rule("you", language).finditer(text):
        after = text[match.end() :].lstrip()
        if not _rule("feel", language).match(after):
            return True
    return False


def _names(text: str, name: str) -> bool:
    name = name.casefold().strip()
    return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def read_reply(text: str, setup: Setup, language: str | None = None) -> tuple[Feedback, ...]:
    """What a typed reply does, at most two points; neutral when it breaks no rule."""
    language = language or current_language()
    said = text.casefold()
    found: list[Feedback] = []

    def trap(kind: Trap, words: tuple[str, ...] = ()) -> None:
        found.append(Feedback(TRAP_PRINCIPLE[kind], kind, words))

    if not setup.name_may_be_told and _names(said, setup.victim):
        trap(Trap.TELLING_TOO_MUCH)
    if _labels_the_person(said, language):
        trap(Trap.JUDGING)
    words = tuple(judgements(text, language))
    if words:
        trap(Trap.INTERPRETING, words)
    if _rule("why", language).search(said):
        trap(Trap.WHY)
    if _rule("promise", language).search(said) and not _rule("concrete", language).search(said):
        trap(Trap.VAGUE_PROMISE)
    return tuple(found[:2]) or (Feedback(None),)
