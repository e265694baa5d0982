"""Step 2's first sentence from facts typed the way leaders type them.

The protocol's frame "Ik zie/verneem dat … is gebeurd" fits a noun phrase only. A clause,
a main clause or a whole sentence of the leader's own each end in a sentence a person
says; where the rules are unsure, the bot shows the sentence back first.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import phrasing
from flows.fact_sentence import read_facts
from flows.language import SUPPORTED_LANGUAGES, using_language

#: Typed facts, as leaders type them, and the sentence the leader is offered to say.
DUTCH = [
    # The example of the report: a clause with a time first and no "je".
    (
        "zaterdag bij het vieruurtje Noor 'de kaars' noemde en iedereen liet lachen",
        "Ik zie dat je zaterdag bij het vieruurtje Noor 'de kaars' noemde en iedereen liet lachen.",
    ),
    # Noun phrases: the protocol's own frame.
    ("het uitlachen van Noor", "Ik zie dat het uitlachen van Noor is gebeurd."),
    (
        "Het uitlachen van Noor in de groepsapp.",
        "Ik zie dat het uitlachen van Noor in de groepsapp is gebeurd.",
    ),
    (
        "een meme over Noor in de groepsapp",
        "Ik zie dat een meme over Noor in de groepsapp is gebeurd.",
    ),
    (
        "het roepen van 'kaars' naar Noor",
        "Ik zie dat het roepen van 'kaars' naar Noor is gebeurd.",
    ),
    (
        "jouw opmerking over de kleren van Noor",
        "Ik zie dat jouw opmerking over de kleren van Noor is gebeurd.",
    ),
    # Clauses with "je".
    ("je Noor uitlachte", "Ik zie dat je Noor uitlachte."),
    ("Je Noor uitlachte.", "Ik zie dat je Noor uitlachte."),
    ("je Noor hebt uitgelachen", "Ik zie dat je Noor hebt uitgelachen."),
    (
        "je Noor haar gsm afpakte en hem niet terug gaf",
        "Ik zie dat je Noor haar gsm afpakte en hem niet terug gaf.",
    ),
    (
        "je samen met Wout Noor uitlachte bij het vieruurtje",
        "Ik zie dat je samen met Wout Noor uitlachte bij het vieruurtje.",
    ),
    # Clauses without "je": it is about the child spoken to.
    ("Noor uitlachte in de groepsapp", "Ik zie dat je Noor uitlachte in de groepsapp."),
    ("tijdens het kamp Noor buitensloot", "Ik zie dat je tijdens het kamp Noor buitensloot."),
    (
        "op de bus naar het kamp Noor geduwd hebt",
        "Ik zie dat je op de bus naar het kamp Noor geduwd hebt.",
    ),
    # A passive clause has its own subject: no "je".
    ("Noor zaterdag werd uitgelachen", "Ik zie dat Noor zaterdag werd uitgelachen."),
    (
        "gisteren tijdens het spel om Noor gelachen werd",
        "Ik zie dat gisteren tijdens het spel om Noor gelachen werd.",
    ),
    # With "dat".
    ("dat je Noor uitlachte", "Ik zie dat je Noor uitlachte."),
    (
        "Dat je memes over Noor in de groepsapp zette",
        "Ik zie dat je memes over Noor in de groepsapp zette.",
    ),
    # A time first.
    ("gisteren je Noor uitlachte", "Ik zie dat je gisteren Noor uitlachte."),
    ("Gisteren Noor uitlachte", "Ik zie dat je gisteren Noor uitlachte."),
    (
        "vorige week de pet van Noor in de vijver gooide",
        "Ik zie dat je vorige week de pet van Noor in de vijver gooide.",
    ),
    # Main clauses cannot follow "dat": the frame with "dit".
    ("je lachte Noor uit", "Ik zie dat dit is gebeurd: je lachte Noor uit."),
    ("gisteren lachte je Noor uit", "Ik zie dat dit is gebeurd: gisteren lachte je Noor uit."),
    (
        "zaterdag noemde je Noor 'de kaars'",
        "Ik zie dat dit is gebeurd: zaterdag noemde je Noor 'de kaars'.",
    ),
    # Whole sentences: kept as the leader wrote them.
    ("Ik zag dat je Noor uitlachte.", "Ik zag dat je Noor uitlachte."),
    ("ik heb gezien dat je Noor 'de kaars' noemde", "Ik heb gezien dat je Noor 'de kaars' noemde."),
    (
        "Ik zie dat het uitlachen van Noor is gebeurd!",
        "Ik zie dat het uitlachen van Noor is gebeurd.",
    ),
]


@pytest.mark.parametrize(("typed", "said"), DUTCH)
def test_dutch_facts_as_leaders_type_them_end_in_a_sentence_a_person_says(
    typed: str, said: str
) -> None:
    with using_language("nl"):
        sentence = phrasing.facts_sentence(typed, witnessed=True, victim="Noor")
    assert unescape(sentence) == said


def test_a_name_is_never_taken_for_a_verb() -> None:
    # "Lotte" ends like "lachte": a name with a capital is no verb.
    with using_language("nl"):
        sentence = phrasing.facts_sentence(
            "Lotte zaterdag werd uitgelachen", witnessed=True, victim="Lotte"
        )
    assert sentence == "Ik zie dat Lotte zaterdag werd uitgelachen."


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Noor huilde na de activiteit", "Ik zie dat Noor huilde na de activiteit."),
        (
            "je Noor steeds negeert bij de spelletjes",
            "Ik zie dat je Noor steeds negeert bij de spelletjes.",
        ),
        ("pesten", "Ik zie dat pesten is gebeurd."),
        ("we zagen dat je Noor uitlachte", "We zagen dat je Noor uitlachte."),
    ],
)
def test_what_is_shown_back_is_still_a_sentence_a_person_says(typed: str, said: str) -> None:
    with using_language("nl"):
        assert unescape(phrasing.facts_sentence(typed, witnessed=True, victim="Noor")) == said


def test_heard_facts_use_verneem_in_every_form() -> None:
    with using_language("nl"):
        heard = [
            unescape(phrasing.facts_sentence(t, witnessed=False, victim="Noor"))
            for t in ("het uitlachen van Noor", "je Noor uitlachte", "je lachte Noor uit")
        ]
    assert heard == [
        "Ik verneem dat het uitlachen van Noor is gebeurd.",
        "Ik verneem dat je Noor uitlachte.",
        "Ik verneem dat dit is gebeurd: je lachte Noor uit.",
    ]


@pytest.mark.parametrize(
    "typed",
    [
        "Senne en Wout Noor uitlachten",  # a subject of its own, not "je"
        "hij Noor uitlachte",  # the child spoken of, not to
        "uitlachen van Noor",  # no article
        "de memes over Noor in de groepsapp",  # plural: "is gebeurd" does not fit
        "Ik vind dat je gemeen was",  # the leader's own sentence, but no fact
        "Noor huilde na de activiteit",  # she may be the subject: no "je" for sure
        "je Noor steeds negeert bij de spelletjes",  # a verb not on the lists
        "pesten",  # one word: nothing to build a clause around
    ],
)
def test_forms_the_rules_are_not_sure_of_are_shown_back_first(typed: str) -> None:
    with using_language("nl"):
        assert not read_facts(typed, "Noor").sure


@pytest.mark.parametrize(("typed", "said"), DUTCH)
def test_forms_the_rules_build_confidently_are_not_asked_about(typed: str, said: str) -> None:
    with using_language("nl"):
        read = read_facts(typed, "Noor")
    assert read.sure


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("en", "the laughing at Noor", "I see that the laughing at Noor has happened."),
        ("en", "you laughed at Noor on Saturday", "I see that you laughed at Noor on Saturday."),
        ("en", "that you laughed at Noor", "I see that you laughed at Noor."),
        ("en", "I saw you laugh at Noor.", "I saw you laugh at Noor."),
        ("fr", "tu as ri de Noor samedi", "J'ai vu que tu as ri de Noor samedi."),
        ("fr", "il a ri de Noor", "J'ai vu qu'il a ri de Noor."),
        ("fr", "J'ai vu que tu riais de Noor", "J'ai vu que tu riais de Noor."),
        (
            "fr",
            "les moqueries contre Noor",
            "J'ai vu ce qui s'est passé : les moqueries contre Noor.",
        ),
        ("de", "du Noor ausgelacht hast", "Ich habe gesehen, dass du Noor ausgelacht hast."),
        ("de", "dass du Noor ausgelacht hast", "Ich habe gesehen, dass du Noor ausgelacht hast."),
        (
            "de",
            "du hast Noor ausgelacht",
            "Ich habe gesehen, was passiert ist: du hast Noor ausgelacht.",
        ),
        (
            "de",
            "Ich habe gesehen, wie du Noor auslachst",
            "Ich habe gesehen, wie du Noor auslachst.",
        ),
    ],
)
def test_the_same_forms_in_english_french_and_german(language: str, typed: str, said: str) -> None:
    with using_language(language):
        assert unescape(phrasing.facts_sentence(typed, witnessed=True, victim="Noor")) == said


FRAMES = {
    "nl": ("Ik zie dat ", "Ik verneem dat "),
    "en": ("I see that ", "I hear that "),
    "fr": ("J'ai vu ", "J'ai appris "),
    "de": ("Ich habe gesehen, ", "Ich habe gehört, "),
}
#: Words that make the typed text the leader's own whole sentence, per language.
OWN = {"nl": ("ik", "we", "wij"), "en": ("i", "we"), "fr": ("je", "j"), "de": ("ich", "wir")}


@given(
    st.sampled_from(SUPPORTED_LANGUAGES),
    st.booleans(),
    st.text(min_size=1, max_size=80).filter(lambda t: re.search(r"\w", t) is not None),
)
def test_any_text_gives_one_sentence_with_the_frame_one_full_stop_and_every_word(
    language: str, witnessed: bool, typed: str
) -> None:
    with using_language(language):
        sentence = unescape(phrasing.facts_sentence(typed, witnessed=witnessed, victim="Noor"))
    first_word = re.findall(r"\w+", typed.casefold())[0]
    if first_word not in OWN[language]:
        assert sentence.startswith(FRAMES[language][0 if witnessed else 1])
    assert sentence.endswith(".") and not sentence.endswith("..")
    assert "\n" not in sentence.strip() or "\n" in typed
    # Every word typed is said; "je" may move to the front of a Dutch clause.
    said = re.findall(r"\w+", sentence.casefold())
    for word in re.findall(r"\w+", typed.casefold()):
        assert word in said
