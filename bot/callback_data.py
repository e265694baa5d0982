"""Callback data of inline buttons: one small typed class per action, with a short prefix.

Telegram gives a button at most 64 bytes of callback data; :meth:`Callback.pack`
refuses to make a longer one, so the limit is met where the button is made
rather than discovered as a 400 from Telegram. :func:`parse` turns data that came
back from Telegram into a value again, or ``None`` when it is not ours (a
forged or outdated press) — it never raises.

Fields are ints (within the database's 32-bit ids), bools and enums; their types
are read from the class annotations, so a new button needs one class and nothing
else. A button in a case carries the protocol's own event (:mod:`flows.events`, where
each declares its code) with the case's id: :class:`CasePress`.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, ClassVar, TypeVar

from telegram.constants import InlineKeyboardButtonLimit

from flows.approaches import Approach
from flows.events import Event

MAX_CALLBACK_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
#: Ids are the database's integer keys: anything beyond 32 bits cannot be one of ours.
ID_MAX = 2**31 - 1
_SEP = ":"
_T = TypeVar("_T")


class CallbackTooLong(ValueError):
    """A button's callback data would exceed Telegram's 64 bytes."""


_FIELD_TYPES: dict[type, tuple[tuple[str, type], ...]] = {}


def _field_types(cls: type) -> tuple[tuple[str, type], ...]:
    """A dataclass's fields with their types, read once from its annotations."""
    found = _FIELD_TYPES.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _FIELD_TYPES[cls] = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))
    return found


def _pack_value(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _parse_value(kind: type, raw: str) -> object:
    """One field's value; raises ValueError for anything that is not of ``kind``."""
    if kind is bool:
        if raw not in ("0", "1"):
            raise ValueError(raw)
        return raw == "1"
    if kind is int:
        if not raw.isdigit() or int(raw) > ID_MAX:
            raise ValueError(raw)
        return int(raw)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(raw)
    if kind is str:
        return raw
    raise ValueError(f"unsupported field type {kind}")


def _pack(prefix: str, values: list[object]) -> str:
    parts = [prefix, *(_pack_value(v) for v in values)]
    if any(_SEP in part for part in parts[1:]):
        raise ValueError(f"{_SEP!r} in callback data")
    data = _SEP.join(parts)
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise CallbackTooLong(data)
    return data


@dataclass(frozen=True)
class Callback:
    """Base of every callback value; subclasses set ``prefix`` and declare typed fields.

    A subclass with fields is a frozen dataclass itself; one without needs no decorator
    (see :class:`flows.events.Event`).
    """

    prefix: ClassVar[str] = ""
    registry: ClassVar[dict[str, type[Callback]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.prefix in Callback.registry or cls.prefix in Event.by_code:
            raise TypeError(f"callback prefix {cls.prefix!r} used twice")
        Callback.registry[cls.prefix] = cls

    def pack(self) -> str:
        """The callback data for a button, checked against Telegram's limit."""
        return _pack(self.prefix, [getattr(self, f.name) for f in dataclasses.fields(self)])


@dataclass(frozen=True)
class CasePress:
    """A button in a case: the protocol's event, and the case it is about."""

    case_id: int
    event: Event

    def pack(self) -> str:
        """``code:case:child:fields…``, checked against Telegram's limit."""
        if not self.event.code:
            raise ValueError(f"{type(self.event).__name__} is typed, not pressed")
        values = [getattr(self.event, name) for name, _ in _field_types(type(self.event))]
        return _pack(self.event.code, [self.case_id, *values])


def case_button(case_id: int, event: Event) -> CasePress:
    """A button that sends ``event`` about case ``case_id``."""
    return CasePress(case_id, event)


Pressed = Callback | CasePress


def parse(data: str | None) -> Pressed | None:
    """The value packed in ``data``, or ``None`` if it is not valid callback data of ours."""
    if not data:
        return None
    prefix, *values = data.split(_SEP)
    try:
        event_class = Event.by_code.get(prefix)
        if event_class is not None:
            if not values:
                return None
            case_id = _parse_value(int, values[0])
            event = _build(event_class, values[1:])
            return (
                None if event is None or not isinstance(case_id, int) else CasePress(case_id, event)
            )
        cls = Callback.registry.get(prefix)
        return None if cls is None else _build(cls, values)
    except ValueError:
        return None


def _build(cls: type[_T], values: list[str]) -> _T | None:
    fields = _field_types(cls)
    if len(values) != len(fields):
        return None
    parsed = {
        name: _parse_value(kind, raw) for (name, kind), raw in zip(fields, values, strict=True)
    }
    return cls(**parsed)


class Menu(StrEnum):
    """The main menu's jobs."""

    HOME = "home"
    CHECK = "check"
    NEW = "new"
    CASES = "cases"
    HELP = "help"
    PRACTICE = "practice"


@dataclass(frozen=True)
class MenuPress(Callback):
    """A button of the main menu."""

    prefix: ClassVar[str] = "m"
    item: Menu


@dataclass(frozen=True)
class CalendarFile(Callback):
    """A planned follow-up talk as a file for the leader's calendar."""

    prefix: ClassVar[str] = "ics"
    case_id: int
    child_id: int


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


class KeepFirstPart(Callback):
    """Take the first part of a text that was typed too long (it is kept until then)."""

    prefix: ClassVar[str] = "kf"


class TakeRest(Callback):
    """Take the rest of a text typed too long as the next answer (it is kept until then)."""

    prefix: ClassVar[str] = "kr"


@dataclass(frozen=True)
class CasesPage(Callback):
    """A page of the case list."""

    prefix: ClassVar[str] = "l"
    offset: int


@dataclass(frozen=True)
class AskMeetingDay(Callback):
    """/settings: which day does the group meet?

    Asked from a follow-up's plan, ``case_id`` and ``child_id`` name it (0 otherwise), so
    the leader is back on that plan once the meeting is set.
    """

    prefix: ClassVar[str] = "sm"
    case_id: int = 0
    child_id: int = 0


@dataclass(frozen=True)
class MeetingDayChosen(Callback):
    """/settings: the meeting's weekday (0 = Monday); its hour comes next."""

    prefix: ClassVar[str] = "smd"
    weekday: int
    case_id: int = 0
    child_id: int = 0


class NoMeeting(Callback):
    """/settings: the group has no weekly meeting."""

    prefix: ClassVar[str] = "sm0"


@dataclass(frozen=True)
class MeetingHourChosen(Callback):
    """/settings: the meeting's weekday and hour."""

    prefix: ClassVar[str] = "smh"
    weekday: int
    hour: int
    case_id: int = 0
    child_id: int = 0


class AskMoreDays(Callback):
    """/settings: on which other day does the group also meet?"""

    prefix: ClassVar[str] = "smm"


@dataclass(frozen=True)
class MeetingDayAdded(Callback):
    """/settings: the group also meets on ``weekday`` (0 = Monday), at the same hour."""

    prefix: ClassVar[str] = "sma"
    weekday: int


class AskMeetingEnd(Callback):
    """/settings: at what time does the activity end?"""

    prefix: ClassVar[str] = "sme"


@dataclass(frozen=True)
class MeetingEndChosen(Callback):
    """/settings: the activity ends at ``hour`` o'clock."""

    prefix: ClassVar[str] = "smeh"
    hour: int


class AskLead(Callback):
    """/settings: how long before the activity should reminders come?"""

    prefix: ClassVar[str] = "sl"


@dataclass(frozen=True)
class LeadChosen(Callback):
    """/settings: reminders come ``minutes`` before the activity."""

    prefix: ClassVar[str] = "slm"
    minutes: int


class AskCamp(Callback):
    """/settings: the dates of a camp (typed), or no camp."""

    prefix: ClassVar[str] = "sk"


class NoCamp(Callback):
    """/settings: forget the camp's dates."""

    prefix: ClassVar[str] = "sk0"


class AskQuietHours(Callback):
    """/settings: when should no reminder come?"""

    prefix: ClassVar[str] = "sq"


@dataclass(frozen=True)
class QuietHoursChosen(Callback):
    """/settings: no reminders from ``start`` to ``end`` o'clock."""

    prefix: ClassVar[str] = "sqh"
    start: int
    end: int


class AskTimeZone(Callback):
    """/settings: which time zone?"""

    prefix: ClassVar[str] = "st"


@dataclass(frozen=True)
class TimeZoneChosen(Callback):
    """/settings: one of the offered time zones, by its place in the list."""

    prefix: ClassVar[str] = "sti"
    index: int


@dataclass(frozen=True)
class LanguagePress(Callback):
    """A language chosen in /language."""

    prefix: ClassVar[str] = "lg"
    code: str


class Erasure(StrEnum):
    """The answer to /delete's question."""

    ERASE = "erase"
    KEEP = "keep"


@dataclass(frozen=True)
class PrivacyPress(Callback):
    """/delete's confirmation: erase everything, or keep it."""

    prefix: ClassVar[str] = "pv"
    action: Erasure


# --- The quick check's other approaches, and No Blame's own short check. ---------------


class Background(StrEnum):
    """A screen's background and sources, kept off the screen itself ("ℹ️ Why?")."""

    NEXT_STEPS = "ns"


@dataclass(frozen=True)
class Why(Callback):
    """The background of a screen, sent as a message of its own."""

    prefix: ClassVar[str] = "why"
    topic: Background


@dataclass(frozen=True)
class CheckApproach(Callback):
    """One approach that fits better, from the quick check's answer (its ticks kept)."""

    prefix: ClassVar[str] = "kp"
    mask: int
    approach: Approach


@dataclass(frozen=True)
class NoBlameShow(Callback):
    """No Blame's short check with the items in ``checked`` ticked."""

    prefix: ClassVar[str] = "kb"
    mask: int
    checked: int


@dataclass(frozen=True)
class NoBlameToggle(Callback):
    """Tick or untick one item of No Blame's short check."""

    prefix: ClassVar[str] = "kbt"
    mask: int
    checked: int
    item: int


@dataclass(frozen=True)
class NoBlameAnswer(Callback):
    """No Blame's short check: the answer."""

    prefix: ClassVar[str] = "kba"
    mask: int
    checked: int


# --- The practice talk (flows.practice): the whole position travels with the button. ----


@dataclass(frozen=True)
class PracticeStart(Callback):
    """Start a practice talk with a case's child, or with a made-up child (ids 0)."""

    prefix: ClassVar[str] = "pr"
    case_id: int = 0
    child_id: int = 0


@dataclass(frozen=True)
class PracticeReply(Callback):
    """One of the three replies offered at ``position`` (``flows.practice.Position.pack``)."""

    prefix: ClassVar[str] = "pry"
    case_id: int
    child_id: int
    position: int
    option: int


@dataclass(frozen=True)
class PracticeGo(Callback):
    """Show the practice at ``position`` again: a trap tried again."""

    prefix: ClassVar[str] = "prg"
    case_id: int
    child_id: int
    position: int
