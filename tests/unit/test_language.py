"""Picking and switching the leader's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.language import (
    DEFAULT_LANGUAGE,
    CatalogsNotCompiled,
    _,
    catalog_languages,
    current_language,
    native_name,
    pick_language,
    require_compiled_catalogs,
    set_language,
    uncompiled_languages,
    using_language,
)


def catalogs(folder: Path, *, compiled: list[str], uncompiled: tuple[str, ...] = ()) -> Path:
    """A ``locales`` folder with a ``.po`` for each language, and a ``.mo`` for the compiled."""
    for code in [*compiled, *uncompiled]:
        messages = folder / code / "LC_MESSAGES"
        messages.mkdir(parents=True)
        (messages / "messages.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
        if code in compiled:
            (messages / "messages.mo").write_bytes(b"")
    return folder


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


def test_the_languages_are_the_catalogs_that_exist_with_dutch_first(tmp_path: Path) -> None:
    folder = catalogs(tmp_path, compiled=["pl", "en", "nl", "de"])
    # A folder without a catalog is no language; neither is a stray file.
    (tmp_path / "xx" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    assert catalog_languages(folder) == ("nl", "de", "en", "pl")


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("nl", "Nederlands"),
        ("en", "English"),
        # French and Polish write a language's name in lower case, but a menu item starts
        # with a capital.
        ("fr", "Français"),
        ("de", "Deutsch"),
        ("pl", "Polski"),
    ],
)
def test_each_language_is_named_in_itself_as_a_menu_item(code: str, name: str) -> None:
    assert native_name(code) == name


def test_a_catalog_that_is_not_compiled_is_refused_with_the_command_to_run(
    tmp_path: Path,
) -> None:
    folder = catalogs(tmp_path, compiled=["nl", "en"], uncompiled=("fr",))
    assert uncompiled_languages(folder) == ["fr"]
    with pytest.raises(CatalogsNotCompiled) as refused:
        require_compiled_catalogs(folder)
    message = str(refused.value)
    assert "fr" in message and "make catalogs" in message
    assert "\n" not in message


def test_catalogs_without_dutch_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogsNotCompiled, match="nl"):
        require_compiled_catalogs(catalogs(tmp_path, compiled=["en"]))


def test_compiled_catalogs_pass(tmp_path: Path) -> None:
    require_compiled_catalogs(catalogs(tmp_path, compiled=["nl", "fr"]))
