"""Picking and switching the leader's language."""

from __future__ import annotations

import pytest

from flows.language import (
    DEFAULT_LANGUAGE,
    _,
    current_language,
    pick_language,
    set_language,
    using_language,
)


@pytest.mark.parametrize(
    ("telegram", "expected"),
    [
        ("fr-BE", "fr"),
        ("fr", "fr"),
        ("en-GB", "en"),
        ("de", "de"),
        ("nl-BE", "nl"),
        ("pt-br", "nl"),
        ("zz", "nl"),
        ("", "nl"),
        (None, "nl"),
        ("not a code!", "nl"),
    ],
)
def test_telegram_language_codes_map_to_a_supported_language(
    telegram: str | None, expected: str
) -> None:
    assert pick_language(telegram) == expected


def test_using_language_restores_the_previous_one() -> None:
    set_language("de")
    with using_language("fr"):
        assert current_language() == "fr"
    assert current_language() == "de"
    set_language(DEFAULT_LANGUAGE)


def test_an_unsupported_language_falls_back_to_dutch() -> None:
    with using_language("xx"):
        assert current_language() == "nl"


def test_dutch_is_the_default_and_speaks_the_protocols_words() -> None:
    with using_language("nl"):
        assert _("You don't say or do this. Full stop.") == "Dit zeg of doe je niet. Punt."
