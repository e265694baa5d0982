"""Facts, not interpretations: words in typed facts that label or judge rather than describe.

Step 2's first sentence ("I see/hear that … has happened") works when it holds what
happened, where and when. Words such as "always", "never", "mean" or "bully" make it a
judgement the child can argue with. The lists below, one per language, are a gentle
hint and nothing more: the leader may keep what they typed.
"""

from __future__ import annotations

import re
from functools import cache

from flows.fact_sentence import read_facts
from flows.language import current_language

#: Labels and judgements, per language, lower case; phrases are matched as a whole.
JUDGEMENT_WORDS: dict[str, tuple[str, ...]] = {
    "nl": (
        "altijd",
        "nooit",
        "steeds",
        "telkens",
        "gemeen",
        "pestkop",
        "pester",
        "zoals gewoonlijk",
        "zoals altijd",
        "weer eens",
        "expres",
        "met opzet",
        "stom",
        "dom",
        "lelijk",
        "slecht",
        "asociaal",
        "brutaal",
        "agressief",
        "typisch",
    ),
    "en": (
        "always",
        "never",
        "mean",
        "nasty",
        "bully",
        "as usual",
        "again and again",
        "on purpose",
        "deliberately",
        "stupid",
        "rude",
        "aggressive",
        "typical",
    ),
    "fr": (
        "toujours",
        "jamais",
        "méchant",
        "méchante",
        "harceleur",
        "harceleuse",
        "comme d'habitude",
        "comme toujours",
        "exprès",
        "bête",
        "stupide",
        "agressif",
        "agressive",
        "typique",
    ),
    "de": (
        "immer",
        "nie",
        "niemals",
        "gemein",
        "Mobber",
        "wie immer",
        "wie gewöhnlich",
        "absichtlich",
        "mit Absicht",
        "blöd",
        "dumm",
        "frech",
        "aggressiv",
        "typisch",
    ),
}


@cache
def _pattern(language: str) -> re.Pattern[str] | None:
    words = JUDGEMENT_WORDS.get(language, ())
    if not words:
        return None
    # Longest first, so "zoals altijd" is found as the phrase and not as "altijd".
    alternatives = "|".join(re.escape(w.casefold()) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def judgements(text: str, language: str | None = None) -> list[str]:
    """The label or judgement words in ``text``, each once, in the order they appear.

    ``language`` defaults to the language of the leader being answered.
    """
    pattern = _pattern(language or current_language())
    if pattern is None:
        return []
    found: list[str] = []
    for match in pattern.finditer(text.casefold()):
        if match.group() not in found:
            found.append(match.group())
    return found


def worth_a_look(text: str, victim: str | None = None) -> bool:
    """Whether the leader should see step 2's first sentence before it is used.

    Either the facts hold a label or a judgement, or the rules could not tell with
    confidence how the facts were typed (``flows.fact_sentence``).
    """
    return bool(judgements(text)) or not read_facts(text, victim).sure
