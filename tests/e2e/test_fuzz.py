"""Random leaders against the real bot, with Telegram failing under it: nothing breaks.

Hypothesis draws sequences of steps — texts of every kind (up to 5,000 characters,
emoji, zero-width and right-to-left characters, HTML and MarkdownV2 specials),
commands, presses of the buttons on screen, of buttons seen before (stale or
replayed), of guessed and random data, messages that are not text, messages and
presses in a group, and faults on every Bot API method the bot calls — and
``tests.support.fuzz`` checks after each step what a leader would notice. At the
end of each sequence /export must hold exactly what was typed and accepted, and a
second leader pressing every button data the first one got (and guessed ids) must
see nothing of it.

Two profiles: ``quick`` (the default, a few hundred steps on each database, for
every run of the suite) and ``long``, run by hand::

    FUZZ_PROFILE=long .venv/bin/pytest tests/e2e/test_fuzz.py -k sqlite -s

which prints the figures: each probe, how many were tried, how many failed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from telegram.ext import Application

from bot.telegram_faults import RetryPolicy
from bot.turn import SERVICES_KEY
from tests.support.bot_api_standin import BotApiStandin
from tests.support.fuzz import (
    COMMANDS,
    FAULT_PLAN,
    NON_TEXT,
    ErrorLog,
    Figures,
    FuzzedLeader,
)
from tests.support.running_bot import all_handled

PROFILES = {
    # sequences, and steps in each (from half the number to the number), per database;
    # how many guessed ids the second leader presses after each sequence (None: all)
    "quick": {"examples": 10, "steps": 30, "guessed": 10},
    "long": {"examples": 300, "steps": 46, "guessed": 30},
}
PROFILE = PROFILES[os.environ.get("FUZZ_PROFILE", "quick")]

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
RIGHT_TO_LEFT = "\u202e\u202b\u200f\u0627\u0644\u0639\u0631\u0628\u05d0\u05d1\u05d2"
SPECIALS = "<>&\"'_*[]()~`#+-=|{}.!\\/@"
EMOJI = ["😀", "👍🏽", "👨‍👩‍👧", "🇧🇪", "❤️", "🏳️‍🌈"]
ALPHABET = [*"abcdefghij XYZ\n\t0123456789éèçñ", *ZERO_WIDTH, *RIGHT_TO_LEFT, *SPECIALS, *EMOJI]
WORDS = [
    "Sam",
    "Tom",
    "Noor",
    "Europe/Brussels",
    "Asia/Kolkata",
    "Mars/Olympus",
    "2026-12-01",
    "1/12",
    "tomorrow",
    "14:30",
    "<b>bold</b>",
    "&amp;",
    "*bold* _it_ [link](http://x)",
    "@pestgesprek_bot",
    "a" * 41,
    "Jan-Willem",
    "Marie-Claire 😀",
    "Zoë Ünal​",
    "<b>Tom</b> & co",
    "pushed Sam into the nettles",
    "zei: a < b & c",
    "‮right to left‬",
    "*say sorry* in _front_ of [patrol](x)",
]


def texts() -> st.SearchStrategy[str]:
    """What a leader may type: short or long, plain or strange."""
    return st.one_of(
        st.sampled_from(WORDS),
        st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=80).map("".join),
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40),
        st.builds(
            lambda piece, times: (piece * times)[:5000],
            st.sampled_from(["x", "é ", "😀", "<b>", "&amp;", "\u200b", "\u202eab", "line\n"]),
            st.integers(1, 5000),
        ),
    ).filter(lambda t: t.strip(" \n\t") != "")


def button_data() -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=64).filter(lambda d: 1 <= len(d.encode()) <= 64)


def steps() -> st.SearchStrategy[tuple[Any, ...]]:
    index = st.integers(0, 10**6)
    press = st.tuples(st.just("press"), index)
    on_screen = st.tuples(st.just("press_last"), index)
    text = st.tuples(st.just("text"), texts())
    return st.one_of(
        on_screen,
        text,
        on_screen,
        press,
        on_screen,
        text,
        st.tuples(st.just("command"), st.sampled_from(COMMANDS)),
        st.tuples(
            st.just("series"),
            st.sampled_from(["/new", "/settings", "/cases"]),
            st.lists(texts(), min_size=1, max_size=3),
        ),
        st.tuples(st.just("stale"), index),
        st.tuples(st.just("guess"), index, index),
        st.tuples(st.just("random_data"), button_data()),
        st.tuples(st.just("non_text"), st.sampled_from(NON_TEXT)),
        st.tuples(st.just("group"), st.one_of(texts(), st.sampled_from(COMMANDS))),
        st.tuples(st.just("group_press"), button_data()),
        st.tuples(st.just("fault"), st.sampled_from(FAULT_PLAN)),
    )


#: The replies' retries as in production, with waits short enough for a test.
QUICK_RETRIES = RetryPolicy(
    first_delay=timedelta(milliseconds=10), max_delay=timedelta(milliseconds=40)
)


@pytest.fixture(scope="module")
def figures() -> Iterator[Figures]:
    tally = Figures()
    yield tally
    print(f"\nfuzz figures ({os.environ.get('FUZZ_PROFILE', 'quick')} profile):")
    print(tally.as_table())


@pytest.fixture
def errors() -> Iterator[ErrorLog]:
    with ErrorLog().installed() as log:
        yield log


@pytest.mark.timeout(0 if PROFILE is PROFILES["long"] else 300)
@settings(
    max_examples=PROFILE["examples"],
    deadline=None,
    database=None,
    # The bot and its database go on from one sequence to the next: a sequence played
    # again would not meet the same bot, so a failure is reported as drawn, not shrunk.
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    walk=st.lists(steps(), min_size=PROFILE["steps"] // 2, max_size=PROFILE["steps"]),
    number=st.integers(),
)
async def test_random_leaders_never_break_the_bot(
    api: BotApiStandin,
    bot: Application,  # type: ignore[type-arg]
    database_url: str,
    errors: ErrorLog,
    figures: Figures,
    walk: list[tuple[Any, ...]],
    number: int,
) -> None:
    bot.bot_data[SERVICES_KEY].reply_retry = QUICK_RETRIES
    # A fresh leader for every sequence; the bot and its database go on.
    figures.tried["sequences"] += 1
    leader_id = 100_000 + figures.tried["sequences"] * 2
    language = ["en", "nl", "fr", "de", None][number % 5]
    fuzzed = FuzzedLeader(
        api,
        api.user(leader_id, "Jo", language_code=language),
        database_url,
        errors,
        figures,
        lambda: all_handled(bot),
    )
    # Telegram's "Start" button: a private chat begins with /start, or a press could not be.
    for action in [("command", "/start"), *walk]:
        await fuzzed.step(action)
    await fuzzed.check_export()
    other = api.user(leader_id + 1, "Bo", language_code="en")
    await fuzzed.check_access(other, PROFILE["guessed"])
