"""Callback data of inline buttons: small typed values with a short prefix.

Telegram gives a button at most 64 bytes of callback data; :meth:`Callback.pack`
refuses to make a longer one, so the limit is met where the button is made
rather than discovered as a 400 from Telegram. :func:`parse` turns data that came
back from Telegram into a value again, or ``None`` when it is not ours (a
forged or outdated press) — it never raises.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

MAX_CALLBACK_BYTES = 64
_SEP = ":"


class CallbackTooLong(ValueError):
    """A button's callback data would exceed Telegram's 64 bytes."""


@dataclass(frozen=True)
class Callback:
    """Base of every callback value; subclasses set ``prefix`` and declare int/str/enum fields."""

    prefix: ClassVar[str] = ""
    registry: ClassVar[dict[str, type[Callback]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.prefix in Callback.registry:
            raise TypeError(f"callback prefix {cls.prefix!r} used twice")
        Callback.registry[cls.prefix] = cls

    def pack(self) -> str:
        """The callback data for a button, checked against Telegram's limit."""
        parts = [self.prefix]
        for field in dataclasses.fields(self):
            value = str(getattr(self, field.name))
            if _SEP in value:
                raise ValueError(f"{_SEP!r} in callback field {field.name}")
            parts.append(value)
        data = _SEP.join(parts)
        if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
            raise CallbackTooLong(data)
        return data


def parse(data: str | None) -> Callback | None:
    """The value packed in ``data``, or ``None`` if it is not valid callback data of ours."""
    if not data:
        return None
    prefix, *values = data.split(_SEP)
    cls = Callback.registry.get(prefix)
    if cls is None:
        return None
    fields = dataclasses.fields(cls)
    if len(values) != len(fields):
        return None
    kwargs: dict[str, Any] = {}
    try:
        for field, raw in zip(fields, values, strict=True):
            kind = field.type if isinstance(field.type, type) else _TYPES.get(str(field.type))
            if kind is int:
                if not raw.lstrip("-").isdigit() or len(raw) > 12:
                    return None
                kwargs[field.name] = int(raw)
            elif kind is str:
                kwargs[field.name] = raw
            elif isinstance(kind, type) and issubclass(kind, StrEnum):
                kwargs[field.name] = kind(raw)
            else:
                return None
        return cls(**kwargs)
    except ValueError:
        return None


class Menu(StrEnum):
    """The main menu's jobs."""

    HOME = "home"
    CHECK = "check"
    NEW = "new"
    CASES = "cases"
    HELP = "help"


class Act(StrEnum):
    """What a button in a case does."""

    OPEN = "open"
    NEXT = "next"
    ADD_CHILD = "add"
    ROLE = "role"
    SETUP_DONE = "done"
    CONSENT = "consent"
    ASK_AGAIN = "again"
    MAY_TELL = "tell"
    WITNESSED = "seen"
    FACTS = "facts"
    FEELING = "feel"
    HELD = "held"
    AGREEMENTS_DONE = "agreed"
    REPORTED = "reported"
    LATER = "later"
    CLOSE = "close"
    CLOSE_CONFIRMED = "closeok"
    PLAN = "plan"
    CANCEL_FOLLOW_UP = "unplan"
    OUTCOME = "outcome"
    SNOOZE = "snooze"
    NEW_PROPOSAL_DONE = "proposed"
    REPORT_LATER = "rblater"
    KEEP_OPEN = "keep"


@dataclass(frozen=True)
class MenuPress(Callback):
    """A button of the main menu."""

    prefix: ClassVar[str] = "m"
    item: Menu


@dataclass(frozen=True)
class CheckToggle(Callback):
    """Tick or untick one criterion of the quick check; the mask is what was ticked before."""

    prefix: ClassVar[str] = "kt"
    mask: int
    criterion: int


@dataclass(frozen=True)
class CheckAnswer(Callback):
    """Show the quick check's answer for the ticked criteria."""

    prefix: ClassVar[str] = "ka"
    mask: int


@dataclass(frozen=True)
class CheckEdit(Callback):
    """Back from the answer to the checklist, ticks kept."""

    prefix: ClassVar[str] = "ke"
    mask: int


@dataclass(frozen=True)
class CheckStartCase(Callback):
    """Start a case from the quick check's answer, carrying its ticks."""

    prefix: ClassVar[str] = "kn"
    mask: int


@dataclass(frozen=True)
class CaseButton(Callback):
    """A button in a case: what to do, in which case, for which child, with what value."""

    prefix: ClassVar[str] = "c"
    act: Act
    case_id: int
    child_id: int = 0
    value: str = ""


@dataclass(frozen=True)
class CasesPage(Callback):
    """A page of the case list."""

    prefix: ClassVar[str] = "l"
    offset: int


@dataclass(frozen=True)
class SettingsPress(Callback):
    """A button of /settings: which setting, and the value chosen ("" to ask)."""

    prefix: ClassVar[str] = "s"
    setting: str
    value: str


@dataclass(frozen=True)
class LanguagePress(Callback):
    """A language chosen in /language."""

    prefix: ClassVar[str] = "lg"
    code: str


@dataclass(frozen=True)
class PrivacyPress(Callback):
    """A button of /privacy, /export and /delete: what to do."""

    prefix: ClassVar[str] = "p"
    action: str


_TYPES: dict[str, type] = {"int": int, "str": str, "Act": Act, "Menu": Menu}
