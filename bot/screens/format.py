"""Small pieces of HTML used on many screens. Everything typed by a leader is escaped here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_timedelta

from flows.language import babel_locale
from flows.replies import Shown


def quoted(sentence: str) -> str:
    """A sentence to be said aloud, in quotation marks (the sentence is already HTML)."""
    return f"“{sentence}”"


def numbered(lines: Iterable[str]) -> str:
    """Lines as a numbered list, one per line."""
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))


def bulleted(lines: Iterable[str]) -> str:
    """Lines as a bulleted list, one per line."""
    return "\n".join(f"• {line}" for line in lines)


def name(nickname: str) -> str:
    """A child's nickname, escaped and in bold."""
    return f"<b>{escape(nickname)}</b>"


def typed(text: str) -> str:
    """Something a leader typed, escaped, in italics."""
    return f"<i>{escape(text)}</i>"


def day(moment: datetime) -> str:
    """A date in the leader's language, e.g. "24 nov 2026"."""
    return format_date(moment, format="medium", locale=babel_locale())


def title(text: str) -> str:
    """A screen's title."""
    return f"<b>{text}</b>"


def local_moment(when: datetime, zone: ZoneInfo) -> str:
    """A moment in the leader's zone and language: "dinsdag 1 december, 19:00"."""
    return format_datetime(when, "EEEE d MMMM, HH:mm", tzinfo=zone, locale=babel_locale())


def moment(when: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A moment in the leader's zone and language, with how far off it is.

    A moment that has passed is never said as if it were coming: no "(… ago)" (the
    screens say "due since …" instead, see ``bot.screens.next_up.passed_line``).
    """
    local = local_moment(when, zone)
    if when <= now:
        return local
    ahead = format_timedelta(
        when - now, granularity="minute", threshold=1.5, add_direction=True, locale=babel_locale()
    )
    return f"{local} ({ahead})"


def short_moment(when: datetime, zone: ZoneInfo) -> str:
    """A moment in a list: "di 1 dec, 19:00"."""
    return format_datetime(when, "EEE d MMM, HH:mm", tzinfo=zone, locale=babel_locale())


def detail(shown: Shown) -> str:
    """The value a screen is about (an approach, a view, a choice): always given with it."""
    assert shown.detail is not None
    return shown.detail
