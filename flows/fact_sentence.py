"""Step 2's first sentence from the facts as a leader types them.

The protocol's frame "Ik zie/verneem dat … is gebeurd" only fits a noun phrase ("het
uitlachen van Noor"). Leaders also type a clause ("je Noor uitlachte", "zaterdag bij het
vieruurtje Noor 'de kaars' noemde"), a main clause ("gisteren lachte je Noor uit") or the
whole sentence ("Ik zag dat je …"). These rules, one set per language, recognise the form
and say how the sentence is built around it:

- a noun phrase goes into the protocol's frame;
- a clause follows "Ik zie dat" (without "is gebeurd"); with no subject of its own, it is
  about the child spoken to, so "je" is put in front;
- a main clause follows "Ik zie dat dit is gebeurd:", which keeps the protocol's frame;
- a whole sentence of the leader's own ("Ik zag dat …") is kept as written.

Where the rules are not sure, ``sure`` is false and the bot shows the sentence back
before it is used, so that the leader can keep it or write it whole. Plain rules over
word lists, no language model: a leader can predict what they do.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from enum import StrEnum

from flows.language import current_language


class Form(StrEnum):
    """How the typed facts fit into step 2's first sentence."""

    NOUN_PHRASE = "noun_phrase"
    """ "het uitlachen van Noor": the protocol's frame "Ik zie dat … is gebeurd"."""
    CLAUSE = "clause"
    """ "je Noor uitlachte": "Ik zie dat …"."""
    MAIN_CLAUSE = "main_clause"
    """ "je lachte Noor uit": "Ik zie dat dit is gebeurd: …"."""
    WHOLE = "whole"
    """ "Ik zag dat je Noor uitlachte": the leader's own sentence, kept as written."""


@dataclass(frozen=True)
class Facts:
    """What the rules made of the typed facts."""

    form: Form
    #: The words that go into the frame (or the whole sentence), trimmed, not yet escaped.
    text: str
    #: Whether the rules recognised the form with confidence.
    sure: bool


#: A sentence ends here; what the leader typed after its last word is dropped.
_TRAILING = ".!?…;:, \t\n"


def _listed(words: str) -> frozenset[str]:
    """A word list written as one string, words separated by white space."""
    return frozenset(words.split())


def _words(text: str) -> list[str]:
    """Lower-case words, apostrophes kept inside ("zo'n", "l'", "qu'il")."""
    return re.findall(r"[\w]+(?:['’][\w]*)?", text.casefold().replace("’", "'"))


def _trim(text: str) -> str:
    return " ".join(text.split()).rstrip(_TRAILING).lstrip(" ,;:")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _drop_first_word(text: str) -> str:
    """``text`` without its first word ("dat je …" → "je …")."""
    return re.sub(r"^\S+\s*", "", text, count=1)


# --- Dutch ---------------------------------------------------------------------------------
# A Dutch subordinate clause has its finite verb at the end ("dat je Noor uitlachte"); a
# main clause has it second ("je lachte Noor uit", "gisteren lachte je Noor uit").

_NL_WHOLE = _listed(
    "zie zag hoor hoorde verneem vernam heb had merk merkte weet wist kreeg stel stelde"
)
_NL_WE_WHOLE = _listed("zien zagen horen hoorden vernemen vernamen hebben hadden merkten weten")
_NL_DETERMINERS = _listed(
    "de het 't een dit deze die zijn haar hun jouw uw mijn ons onze elke iedere "
    "zo'n alle enkele sommige veel"
)
_NL_PLURAL_DETERMINERS = _listed("alle enkele sommige veel")
_NL_SUBJECTS = _listed("je jij hij zij ze jullie we wij men iemand iedereen niemand ik u")
_NL_YOU = frozenset({"je", "jij"})
#: Words that start a clause lower-case ("Gisteren je Noor …" → "je gisteren Noor …").
_NL_LOWER = _listed(
    "dat toen tijdens bij op in na voor tijdens gisteren eergisteren vandaag vanochtend "
    "vanmiddag vanavond maandag dinsdag woensdag donderdag vrijdag zaterdag zondag vorige "
    "vorig afgelopen deze net daarnet daarstraks straks ook al"
)
#: Finite verbs a leader is likely to use, past and present; a word ending in one of the
#: longer ones is a finite verb too ("uitlachte", "buitensloot").
_NL_FINITE = _listed(
    """is was waren ben bent heb hebt heeft had hadden werd werden wordt word zei zeiden zegt
    deed deden doet liet lieten laat riep riepen roept ging gingen gaat nam namen neemt gaf
    gaven geeft sloeg sloegen slaat schreef schreven schrijft kwam kwamen komt zat zaten zit
    stond stonden staat lag lagen ligt kon konden kan kunt wou wilde wilden wil wilt moest
    moesten moet mocht mochten mag trok trokken trekt bleef bleven blijft vond vonden vindt
    zag zagen ziet sprak spraken spreekt loog beet bijt smeet smeten sloot sloten sluit brak
    braken breekt hield hielden houdt wees wezen wijst stak staken steekt greep grepen grijpt
    schold scholden scheldt lachte lachten lacht noemde noemden noemt duwde duwden duwt
    pakte pakten pakt"""
)
#: What the bullied child may do herself ("Noor huilde"): then she is the subject.
_NL_VICTIM_DOES = _listed(
    "huilde huilt weende weent viel valt liep loopt vertrok vertrekt bleef blijft zat zit "
    "stond staat lag ligt ging gaat schrok schrikt"
)
#: Words in -t that are no verb.
_NL_NOT_FINITE_T = _listed("niet nooit toch echt want wat dat met tot straks soms eerst")
_NL_PREPOSITIONS = _listed(
    "bij in op tijdens na voor tegen met aan naar over van uit om achter onder door"
)
#: Verbs whose subject is the one something happens to ("werd uitgelachen", "is gevallen").
_NL_PASSIVE = _listed("werd werden wordt worden is was waren zijn")
#: Words ending in -de/-te that are not verbs: adjectives and nouns a leader may type.
_NL_NOT_VERBS = _listed(
    """vorige andere hele eerste laatste tweede derde grote kleine oude rode goede ronde
    ruimte hoogte groente liefde vreugde gemeente bende schande beurte kaarte woede
    zijde"""
)


def _nl_finite(word: str, before: str | None, names: frozenset[str] = frozenset()) -> bool:
    """Whether ``word`` is (most likely) a Dutch finite verb; ``names`` never are ("Lotte")."""
    if word in names:
        return False
    if word in _NL_FINITE:
        return True
    if any(word.endswith(v) for v in _NL_FINITE if len(v) >= 5):
        return True
    return (
        len(word) >= 5
        and word.endswith(("de", "te"))
        and not word.endswith("ende")
        and word not in _NL_NOT_VERBS
        and before not in _NL_DETERMINERS
    )


def _nl_ends_in_verb(words: list[str], names: frozenset[str]) -> bool:
    """Whether a clause ends in a verb, as a Dutch subordinate clause does."""
    last = words[-1]
    return _nl_finite(last, words[-2] if len(words) > 1 else None, names) or (
        len(last) >= 4 and last.endswith(("t", "en", "d")) and last not in _NL_DETERMINERS
    )


def _names(text: str) -> frozenset[str]:
    """Words written with a capital after the first word, or a capital first word that is
    no time or pronoun: names ("Lotte", "Noor"), lower-cased."""
    found = re.findall(r"[\w]+(?:['’][\w]*)?", text)
    return frozenset(
        w.casefold()
        for i, w in enumerate(found)
        if w[:1].isupper() and (i > 0 or w.casefold() not in _NL_LOWER | _NL_SUBJECTS)
    )


def _dutch(text: str, victim: str | None) -> Facts:
    words = _words(text)
    names = _names(text)
    if not words:
        return Facts(Form.NOUN_PHRASE, text, sure=False)
    first = words[0]
    second = words[1] if len(words) > 1 else ""
    if first in ("ik", "we", "wij"):
        # The leader's own sentence: "Ik zag dat je …", "Ik verneem dat …", "We zagen …".
        perceived = second in _NL_WHOLE if first == "ik" else second in _NL_WE_WHOLE
        return Facts(Form.WHOLE, _upper_first(text), sure=perceived)
    rest = words[1:]
    if (
        first == "dat"
        and rest
        and (
            any(_nl_finite(w, b, names) for b, w in itertools.pairwise(rest))
            or _nl_ends_in_verb(rest, names)
        )
    ):
        return _nl_clause(_drop_first_word(text), rest, victim, names)
    if first in _NL_DETERMINERS or first == "dat":
        if second and _nl_finite(second, None, names) and second not in ("zijn",):
            # "het gebeurde zaterdag", "die lachte …": a main clause after all.
            return Facts(Form.MAIN_CLAUSE, _lower_first(text), sure=False)
        # "de memes …" would need "zijn gebeurd": a plural noun is shown back first.
        plural_noun = first == "de" and second.endswith(("s", "en"))
        unclear = _NL_PLURAL_DETERMINERS | {"die", "dat", "zijn", "haar"}
        sure = not plural_noun and first not in unclear
        return Facts(Form.NOUN_PHRASE, _lower_first(text), sure=sure)
    return _nl_clause(text, words, victim, names)


def _nl_weak_finite(words: list[str], names: frozenset[str]) -> int | None:
    """Where a verb not on the lists may stand: a word in -t before a preposition or at the end
    ("negeert bij", "pest")."""
    for i, word in enumerate(words[1:], start=1):
        after = words[i + 1] if i + 1 < len(words) else None
        if (
            len(word) >= 4
            and word.endswith("t")
            and word not in names | _NL_NOT_FINITE_T
            and (after is None or after in _NL_PREPOSITIONS)
        ):
            return i
    return None


def _nl_inverted(words: list[str], victim: str | None, names: frozenset[str]) -> bool:
    """A finite verb in second place, or followed by its subject: a main clause.

    The bullied child's name first is no subject: "Noor uitlachte" is a clause.
    """
    if len(words) > 1 and words[1] != "en" and _nl_finite(words[1], words[0], names):
        return words[0] not in _NL_DETERMINERS and words[0] != (victim or "").casefold()
    return any(
        _nl_finite(w, b, names) and after in _NL_SUBJECTS
        for b, w, after in zip(words, words[1:], words[2:], strict=False)
    )


def _nl_clause(text: str, words: list[str], victim: str | None, names: frozenset[str]) -> Facts:
    """A clause, a main clause, or (with no verb at all) a noun phrase without article."""
    if not words:
        return Facts(Form.NOUN_PHRASE, text, sure=False)
    finite_at = next(
        (i for i, w in enumerate(words) if _nl_finite(w, words[i - 1] if i else None, names)),
        None,
    )
    if len(words) == 1:
        # One word ("pesten"): no clause to build around; the protocol's frame, shown back.
        return Facts(Form.NOUN_PHRASE, text, sure=False)
    if finite_at is None and not _nl_ends_in_verb(words, names):
        weak = _nl_weak_finite(words, names)
        if words[0] in _NL_SUBJECTS and weak is not None:
            # "je Noor steeds negeert bij de spelletjes": a verb not on the lists.
            return Facts(Form.CLAUSE, _lower_first(text), sure=False)
        return Facts(Form.NOUN_PHRASE, _lower_first(text) if words[0] in _NL_LOWER else text, False)
    if _nl_inverted(words, victim, names):
        # The verb second ("je lachte Noor uit", "gisteren lachte je …"): said after a colon.
        lowered = _lower_first(text) if words[0] in _NL_LOWER | _NL_SUBJECTS else text
        return Facts(Form.MAIN_CLAUSE, lowered, sure=True)
    before_verb = words[: finite_at if finite_at is not None else len(words) - 1]
    lowered = _lower_first(text) if words[0] in _NL_LOWER | _NL_SUBJECTS else text
    subjects = [w for w in before_verb if w in _NL_SUBJECTS]
    if not subjects:
        # No subject of its own: the clause is about the child spoken to. "je" goes first.
        verb = words[finite_at] if finite_at is not None else words[-1]
        if verb in _NL_PASSIVE:
            # "Noor zaterdag werd uitgelachen": what came before the verb is its subject.
            return Facts(Form.CLAUSE, lowered, sure=bool(before_verb))
        # A plural verb or another name before it: the clause may have a subject after all.
        plural = verb.endswith("en") and verb not in _NL_FINITE
        if plural or (names & set(before_verb)) - {(victim or "").casefold()}:
            return Facts(Form.CLAUSE, lowered, sure=False)
        if verb in _NL_VICTIM_DOES and before_verb[-1:] == [(victim or "").casefold()]:
            # "Noor huilde na de activiteit": she is the subject; shown back first.
            return Facts(Form.CLAUSE, lowered, sure=False)
        return Facts(Form.CLAUSE, "je " + lowered, sure=True)
    if subjects[0] == "je" and words[0] != "je":
        # "gisteren je Noor uitlachte": "je" comes right after "dat" in Dutch.
        moved = re.sub(r"(?<![\w'])[Jj]e\s+", "", lowered, count=1)
        return Facts(Form.CLAUSE, "je " + _lower_first(moved), sure=True)
    return Facts(Form.CLAUSE, lowered, sure=subjects[0] in _NL_YOU)


# --- English, French, German: the same forms with fewer rules -------------------------------

_EN_WHOLE = _listed("see saw hear heard have had notice noticed know knew learned learnt")
_EN_DETERMINERS = _listed("the a an your his her their my this these those some all")
_EN_SUBJECTS = _listed("you he she they we someone everyone everybody nobody")


def _english(text: str) -> Facts:
    # An English clause has the same word order after "that" as on its own, so anything
    # that is not a noun phrase follows "I see that" as it is.
    words = _words(text)
    if not words:
        return Facts(Form.NOUN_PHRASE, text, sure=False)
    first, second = words[0], (words[1] if len(words) > 1 else "")
    if first in ("i", "we"):
        return Facts(Form.WHOLE, _upper_first(text), sure=first == "i" and second in _EN_WHOLE)
    if first == "that" and second in _EN_SUBJECTS:
        return Facts(Form.CLAUSE, _drop_first_word(text), sure=True)
    if first in _EN_DETERMINERS or first.endswith("ing"):
        return Facts(Form.NOUN_PHRASE, _lower_first(text), sure=True)
    if first.endswith("ed"):
        # "laughed at Noor on Saturday": about the child spoken to.
        return Facts(Form.CLAUSE, "you " + _lower_first(text), sure=True)
    lowered = _lower_first(text) if first in _EN_SUBJECTS else text
    return Facts(Form.CLAUSE, lowered, sure=True)


_FR_WHOLE = (
    "je vois",
    "j'ai vu",
    "j'ai entendu",
    "j'ai appris",
    "j'apprends",
    "j'entends",
    "je sais",
    "je remarque",
    "j'ai remarqué",
    "je constate",
    "j'ai constaté",
)
_FR_DETERMINERS = _listed("le la les l' un une des du ton ta tes son sa ses ce cet cette ces")
_FR_SUBJECTS = _listed("tu toi il elle ils elles on quelqu'un")


def _french(text: str) -> Facts:
    words = _words(text)
    lowered = text.casefold().replace("’", "'")
    if not words:
        return Facts(Form.NOUN_PHRASE, text, sure=False)
    first = words[0]
    if lowered.startswith(_FR_WHOLE):
        return Facts(Form.WHOLE, _upper_first(text), sure=True)
    if first == "je" or first.startswith("j'"):
        return Facts(Form.WHOLE, _upper_first(text), sure=False)
    if first in ("que", "qu") or first.startswith("qu'"):
        rest = re.sub(r"^qu(?:e\s+|['’]\s*)", "", text, count=1, flags=re.IGNORECASE)
        return Facts(Form.CLAUSE, rest, sure=True)
    if first in _FR_DETERMINERS or first.startswith("l'"):
        return Facts(Form.NOUN_PHRASE, _lower_first(text), sure=True)
    # A French clause has the same word order after "que" as on its own.
    lowered = _lower_first(text) if first in _FR_SUBJECTS else text
    return Facts(Form.CLAUSE, lowered, sure=len(words) > 1)


_DE_WHOLE = _listed("sehe sah habe hatte höre hörte erfahre erfuhr weiß wusste merke merkte")
_DE_DETERMINERS = _listed(
    "der die das den dem des ein eine einen einem einer dein deine deinen sein seine "
    "ihr ihre dieser diese dieses"
)
_DE_SUBJECTS = _listed("du er sie ihr wir man jemand alle")
_DE_FINITE = _listed("hast hat bist ist warst war hattest hatte wurdest wurde sagtest sagte")


def _german(text: str) -> Facts:
    words = _words(text)
    if not words:
        return Facts(Form.NOUN_PHRASE, text, sure=False)
    first, second = words[0], (words[1] if len(words) > 1 else "")
    if first in ("ich", "wir"):
        return Facts(Form.WHOLE, _upper_first(text), sure=first == "ich" and second in _DE_WHOLE)
    if first == "dass":
        return Facts(Form.CLAUSE, _drop_first_word(text), sure="du" in words)
    if first in _DE_DETERMINERS and second not in _DE_FINITE:
        return Facts(Form.NOUN_PHRASE, text, sure=first not in ("die", "das"))
    if second in _DE_FINITE or second.endswith("st") or (len(words) > 2 and words[2] == "du"):
        # "du hast Noor ausgelacht", "gestern hast du …": a main clause, said after a colon.
        return Facts(Form.MAIN_CLAUSE, text, sure=True)
    if "du" in words and words[-1].endswith(("st", "t", "te", "en")):
        return Facts(Form.CLAUSE, _lower_first(text) if first == "du" else text, sure=True)
    return Facts(Form.MAIN_CLAUSE, text, sure=False)


def read_facts(text: str, victim: str | None = None, language: str | None = None) -> Facts:
    """What form the typed ``text`` has, and the words that go into step 2's first sentence.

    ``victim`` is the bullied child's nickname: a name before the verb that is hers is not
    the subject of the clause. ``language`` defaults to the leader's.
    """
    trimmed = _trim(text) or text.strip() or text
    language = language or current_language()
    if language == "nl":
        return _dutch(trimmed, victim)
    if language == "fr":
        return _french(trimmed)
    if language == "de":
        return _german(trimmed)
    return _english(trimmed)
