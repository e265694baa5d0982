"""Callback data: packed under Telegram's 64 bytes, and parsed without ever raising."""

from __future__ import annotations

import pytest

from bot.callback_data import (
    MAX_CALLBACK_BYTES,
    Act,
    CaseButton,
    CasesPage,
    CheckToggle,
    Menu,
    MenuPress,
    parse,
)


@pytest.mark.parametrize(
    "value",
    [
        MenuPress(Menu.CASES),
        CheckToggle(127, 6),
        CaseButton(Act.CLOSE_CONFIRMED, 2**31, 2**31, "meepester"),
        CasesPage(12),
    ],
)
def test_every_kind_round_trips(value: object) -> None:
    packed = value.pack()  # type: ignore[attr-defined]
    assert len(packed.encode()) <= MAX_CALLBACK_BYTES
    assert parse(packed) == value


def test_the_largest_case_button_fits_in_64_bytes() -> None:
    biggest = CaseButton(Act.CLOSE_CONFIRMED, 10**11, 10**11, "x" * 20)
    assert len(biggest.pack().encode()) <= MAX_CALLBACK_BYTES


def test_too_long_data_is_refused_where_the_button_is_made() -> None:
    with pytest.raises(ValueError):
        CaseButton(Act.OPEN, 1, 1, "x" * 60).pack()


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "zz:1",
        "c",
        "c:open",
        "c:open:1:2:x:extra",
        "c:nope:1:0:",
        "c:open:abc:0:",
        "c:open:99999999999999999999:0:",
        "m:nowhere",
        "kt:1",
        "l:1.5",
        "\x00",
    ],
)
def test_forged_data_is_not_ours(data: str | None) -> None:
    assert parse(data) is None
