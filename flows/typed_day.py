"""A day a leader typed: "zaterdag", "morgen", "5/12", "5 december", "zaterdag over 2 weken".

Read in the leader's language and in English, against ``today`` (no clock is read
here): for a follow-up talk on a date (step 3) and for the days of a camp.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from babel import Locale
from babel.dates import get_day_names, get_month_names

from flows.language import N_, _, babel_locale

#: A typed day-month this long ago or less is asked about, not taken as next year's.
RECENTLY = timedelta(days=90)
#: The furthest ahead a typed follow-up date may be.
LATEST_DATE_AHEAD = timedelta(days=366)
_DATE = re.compile(r"^\s*(\d{1,2})\s*[-/. ]\s*(\d{1,2})(?:\s*[-/. ]\s*(\d{2}|\d{4}))?\s*\.?\s*$")


#: The word for the day after today, in the leader's language ("morgen", "demain", …).
TOMORROW_WORD = N_("tomorrow")
#: Today and the day after tomorrow, as a leader types them ("vandaag", "overmorgen").
TODAY_WORD = N_("today")
DAY_AFTER_TOMORROW_WORD = N_("the day after tomorrow")
#: How "saturday in 2 weeks" says its weeks, for the example ("over 2 weken").
IN_TWO_WEEKS_WORDS = N_("in 2 weeks")
#: "zaterdag over 2 weken", "saturday in 2 weeks", "samedi dans 2 semaines".
_WEEKS_ON = re.compile(r"^\s*(\S+?)\.?\s+(?:over|in|dans|en)\s+(\d{1,2})\s+\S+\s*$")
#: "5 dec", "5 december 2027", "5. Dezember", "5 déc.".
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\.?\s+([^\d\s]+?)\.?(?:\s+(\d{4}))?\s*$")


@dataclass(frozen=True)
class TypedDay:
    """A day a leader typed, and whether it had passed this year (no year was typed)."""

    day: date
    passed: bool = False


def _typed_names(names_of: Callable[..., Mapping[int, str]]) -> dict[str, int]:
    """Names from Babel (``get_day_names``, ``get_month_names``) as a leader may type
    them, by their number: wide and abbreviated, in their language and English."""
    words: dict[str, int] = {}
    for locale in {babel_locale(), Locale.parse("en")}:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names = names_of(width, context, locale=locale)
                words.update({str(n).casefold().rstrip("."): k for k, n in names.items()})
    return words


def _day_words() -> dict[str, int]:
    """Weekday names (0 = Monday) as a leader may type them."""
    return _typed_names(get_day_names)


def _month_words() -> dict[str, int]:
    """Month names (1 = January) as a leader may type them."""
    return _typed_names(get_month_names)


def read_day(text: str, today: date) -> TypedDay | None:
    """A day a leader typed: a date, a weekday, "today", "tomorrow", "saturday in 2 weeks".

    A date without a year is this year's; one that has passed this year is next year's,
    marked ``passed`` when it passed :data:`RECENTLY`, so the leader is asked whether
    they meant it. A weekday is the next
    one after today.
    """
    word = text.strip().casefold().rstrip(".")
    words = {
        _(TODAY_WORD).casefold(): 0,
        "today": 0,
        _(TOMORROW_WORD).casefold(): 1,
        "tomorrow": 1,
        _(DAY_AFTER_TOMORROW_WORD).casefold(): 2,
        "the day after tomorrow": 2,
    }
    if word in words:
        return TypedDay(today + timedelta(days=words[word]))
    days = _day_words()
    weekday = days.get(word)
    if weekday is not None:
        return TypedDay(today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1))
    weeks_on = _WEEKS_ON.match(word)
    if weeks_on and weeks_on[1] in days:
        # "Saturday in 2 weeks", said on a Saturday, is two weeks from today.
        this_one = today + timedelta(days=(days[weeks_on[1]] - today.weekday()) % 7)
        return TypedDay(this_one + timedelta(weeks=int(weeks_on[2])))
    match = _DATE.match(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), match[3]
    else:
        named = _DAY_MONTH.match(word)
        month_number = _month_words().get(named[2].rstrip(".")) if named else None
        if named is None or month_number is None:
            return None
        day, month, year = int(named[1]), month_number, named[3]
    try:
        if year is not None:
            full_year = int(year) + (2000 if len(year) == 2 else 0)
            return TypedDay(date(full_year, month, day))
        found = date(today.year, month, day)
        if found >= today:
            return TypedDay(found)
        # "12-1" in November is next January's; a date of the last weeks is asked about.
        return TypedDay(date(today.year + 1, month, day), passed=today - found <= RECENTLY)
    except ValueError:
        return None


def parse_day(text: str, today: date) -> date | None:
    """The day a leader typed (see :func:`read_day`), or ``None``."""
    typed = read_day(text, today)
    return None if typed is None else typed.day
