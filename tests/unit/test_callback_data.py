"""Callback data: packed under Telegram's 64 bytes, and parsed without ever raising."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from enum import Enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import (
    ID_MAX,
    MAX_CALLBACK_BYTES,
    Callback,
    CasePress,
    CasesPage,
    CheckToggle,
    Menu,
    MenuPress,
    case_button,
    parse,
)
from bot.handlers.typed import ANSWERS, InCase
from flows import events, protocol
from flows.events import Event


def _values(kind: type) -> st.SearchStrategy[object]:
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers(min_value=0, max_value=ID_MAX)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return st.sampled_from(list(kind))
    raise AssertionError(f"a button field of type {kind} cannot be packed")


def _instances(cls: type) -> st.SearchStrategy[object]:
    hints = typing.get_type_hints(cls)
    fields = {f.name: _values(hints[f.name]) for f in dataclasses.fields(cls)}
    return st.builds(cls, **fields)


def _callbacks() -> st.SearchStrategy[object]:
    kinds = [cls for cls in Callback.registry.values() if cls.__name__ != "LanguagePress"]
    presses = st.builds(
        CasePress,
        st.integers(min_value=0, max_value=ID_MAX),
        st.one_of([_instances(event) for event in Event.by_code.values()]),
    )
    return st.one_of(presses, *(_instances(cls) for cls in kinds))


@given(_callbacks())
def test_every_button_round_trips_within_64_bytes(value: Callback | CasePress) -> None:
    packed = value.pack()
    assert len(packed.encode()) <= MAX_CALLBACK_BYTES
    assert parse(packed) == value


def test_every_event_a_button_can_carry_has_one_prefix() -> None:
    buttons = set(Event.by_code.values())
    typed = {
        type(answer.make(1, 1, "x")) for answer in ANSWERS.values() if isinstance(answer, InCase)
    }
    assert buttons.isdisjoint(typed)
    assert buttons | typed == {t.event for t in protocol.TRANSITIONS}
    assert all(event.code == code for code, event in Event.by_code.items())
    assert set(Event.by_code).isdisjoint(Callback.registry)


def test_a_code_is_declared_once() -> None:
    with pytest.raises(TypeError, match="used twice"):

        @dataclass(frozen=True)
        class Twice(Event, code="w"):
            """Pressed, with the code of :class:`Witnessed`."""


def test_a_typed_event_is_no_button() -> None:
    with pytest.raises(ValueError, match="typed"):
        case_button(1, events.FactsTyped(2, "facts")).pack()


def test_a_case_button_carries_its_case_and_event() -> None:
    press = CasePress(12, events.Witnessed(7, seen=False))
    assert press.pack() == "w:12:7:0"
    assert parse("w:12:7:0") == press
    assert MenuPress(Menu.CASES).pack() == "m:cases"
    assert CheckToggle(127, 6).pack() == "kt:127:6"
    assert CasesPage(12).pack() == "l:12"


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "zz:1",
        "w",
        "o",
        "o:1:0:extra",
        "w:1:1:2",
        "o:abc:0",
        "o:99999999999999999999:0",
        "o:2147483648:0",
        "o:-1:0",
        "m:nowhere",
        "kt:1",
        "l:1.5",
        "\x00",
    ],
)
def test_forged_data_is_not_ours(data: str | None) -> None:
    assert parse(data) is None


@given(st.text(max_size=80))
def test_no_data_makes_parsing_raise(data: str) -> None:
    found = parse(data)
    assert found is None or parse(found.pack()) == found
