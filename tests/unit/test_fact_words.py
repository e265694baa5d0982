"""Facts, not interpretations: the per-language word lists behind step 2's gentle hint."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.fact_words import JUDGEMENT_WORDS, judgements
from flows.language import SUPPORTED_LANGUAGES, using_language


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("nl", "Tom was zoals gewoonlijk gemeen tegen Sam", ["zoals gewoonlijk", "gemeen"]),
        ("nl", "Tom is altijd de pestkop", ["altijd", "pestkop"]),
        ("nl", "Tom gooide zaterdag de pet van Sam in de vijver", []),
        ("nl", "in het domein van de scouts", []),  # "dom" inside a word is no judgement
        ("nl", "Altijd! ALTIJD.", ["altijd"]),
        ("en", "Tom is always mean to Sam", ["always", "mean"]),
        ("fr", "Tom est toujours méchant avec Sam", ["toujours", "méchant"]),
        ("de", "Tom ist immer gemein zu Sam", ["immer", "gemein"]),
        ("de", "Tom ist ein Mobber", ["mobber"]),
    ],
)
def test_labels_and_judgements_are_found_in_the_leaders_language(
    language: str, text: str, found: list[str]
) -> None:
    assert judgements(text, language) == found


def test_every_language_has_a_list() -> None:
    assert set(JUDGEMENT_WORDS) == set(SUPPORTED_LANGUAGES)


def test_the_leaders_language_is_the_default() -> None:
    with using_language("fr"):
        assert judgements("Tom est toujours là") == ["toujours"]
        assert judgements("Tom is altijd daar") == []


@given(
    st.sampled_from(SUPPORTED_LANGUAGES),
    st.data(),
    st.text(alphabet=st.characters(categories=["Ll", "Lu", "Zs"]), max_size=40),
)
def test_a_listed_word_between_spaces_is_always_found(
    language: str, data: st.DataObject, around: str
) -> None:
    word = data.draw(st.sampled_from(JUDGEMENT_WORDS[language]))
    found = judgements(f"{around} {word} {around}", language)
    assert word.casefold() in found or any(word.casefold() in f for f in found)
    assert all(any(f == w.casefold() for w in JUDGEMENT_WORDS[language]) for f in found)
    assert len(found) == len(set(found))
