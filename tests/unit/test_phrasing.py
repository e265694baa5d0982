"""The protocol's sentences with names, facts and feeling filled in, escaped for HTML."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flows import phrasing
from flows.language import using_language


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # The message ids themselves: these tests are about filling in, not about a language.
    with using_language("en"):
        yield


def test_step1_names_every_child_who_bullies_and_leaves_dots_for_what_may_be_told() -> None:
    first, second, third = phrasing.step1_sentences(["Tom", "Lies"])
    assert "Tom and Lies" in first
    assert second.endswith("?")
    assert "…" in third


def test_step1_closing_sentence_points_back_to_what_the_child_said_without_repeating_it() -> None:
    # Said to the child who is bullied: her words speak of her in the third person.
    with using_language("nl"):
        third = phrasing.step1_sentences(["Senne"], "dat ze uitgelachen wordt")[2]
    assert third == "We spreken af dat ik Senne dat vertel en koppel het gesprek naar jou terug."


def test_step2_has_five_sentences_in_the_protocols_order() -> None:
    sentences = phrasing.step2_sentences("the fight at camp", "sad", witnessed=True)
    assert len(sentences) == 5
    assert sentences[0] == "I see that the fight at camp has happened."
    assert sentences[1] == "I feel sad."
    assert sentences[3].startswith("I would like it to stop.")


def test_step2_heard_uses_the_other_verb() -> None:
    assert phrasing.step2_sentences("x", None, witnessed=False)[0].startswith("I hear that")


def test_a_typed_feeling_is_kept_as_typed() -> None:
    sentences = phrasing.step2_sentences("x", "disappointed", witnessed=True)
    assert sentences[1] == "I feel disappointed."


def test_everything_typed_is_escaped() -> None:
    sentences = phrasing.step2_sentences("the note: a < b & c", "<b>bold</b>", witnessed=True)
    assert "the note: a &lt; b &amp; c" in sentences[0]
    assert "&lt;b&gt;bold&lt;/b&gt;" in sentences[1]
    assert "<Jo>" not in phrasing.step1_sentences(["<Jo>"], "<i>")[2]
    assert "&lt;Jo&gt;" in phrasing.names(["<Jo>"])


def test_step3_has_the_protocols_three_points_with_the_child_named() -> None:
    with using_language("nl"):
        points = phrasing.step3_points("Senne")
    assert points == [
        "Vraag Senne: in hoeverre hou je je aan de gemaakte afspraken?",
        "Motiveer Senne eventueel om een nieuw voorstel te bedenken.",
        "Het speelt geen rol of alle afspraken consequent volgehouden worden, zolang de "
        "pesterijen maar gestopt zijn. Blijf dit herhalen en voorzie voldoende tijd voor de "
        "opvolging.",
    ]
