"""A day a leader typed, in Dutch and in each language: words, weekdays and dates.

Expected days are written out by hand, never computed with the code under test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from flows.language import using_language
from flows.typed_day import TypedDay, parse_day, read_day

TUESDAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("vandaag", TypedDay(TUESDAY)),
        ("Morgen", TypedDay(date(2026, 11, 25))),
        ("overmorgen", TypedDay(date(2026, 11, 26))),
        ("zaterdag", TypedDay(date(2026, 11, 28))),
        ("zaterdag over 2 weken", TypedDay(date(2026, 12, 12))),
        ("24-11", TypedDay(TUESDAY)),  # today is today, not next year
        ("5/12", TypedDay(date(2026, 12, 5))),
        ("5 dec", TypedDay(date(2026, 12, 5))),
        ("5 december 2027", TypedDay(date(2027, 12, 5))),
        ("1-11", TypedDay(date(2027, 11, 1), passed=True)),  # passed: asked, not silent
        ("12 januari", TypedDay(date(2027, 1, 12))),
        ("31-02", None),
        ("5 decembre", None),
    ],
)
def test_a_typed_day_in_dutch(typed: str, expected: TypedDay | None) -> None:
    with using_language("nl"):
        assert read_day(typed, TUESDAY) == expected


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("en", "today", TUESDAY),
        ("en", "the day after tomorrow", date(2026, 11, 26)),
        ("en", "saturday in 2 weeks", date(2026, 12, 12)),
        ("en", "5 Dec", date(2026, 12, 5)),
        ("fr", "aujourd'hui", TUESDAY),
        ("fr", "après-demain", date(2026, 11, 26)),
        ("fr", "samedi dans 2 semaines", date(2026, 12, 12)),
        ("fr", "5 déc.", date(2026, 12, 5)),
        ("de", "heute", TUESDAY),
        ("de", "übermorgen", date(2026, 11, 26)),
        ("de", "Samstag in 2 Wochen", date(2026, 12, 12)),
        ("de", "5. Dezember", date(2026, 12, 5)),
    ],
)
def test_a_typed_day_in_each_language(language: str, typed: str, expected: date) -> None:
    with using_language(language):
        assert parse_day(typed, TUESDAY) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 1)), st.dates())
def test_a_typed_day_month_is_never_a_year_later_without_saying_so(
    today: date, wanted: date
) -> None:
    assume(not (wanted.month == 2 and wanted.day == 29))
    typed = read_day(f"{wanted.day}-{wanted.month}", today)
    assert typed is not None
    assert (typed.day.month, typed.day.day) == (wanted.month, wanted.day)
    assert today <= typed.day < today + timedelta(days=366)
    this_year = date(today.year, wanted.month, wanted.day)
    assert typed.passed == (this_year < today and today - this_year <= timedelta(days=90))
