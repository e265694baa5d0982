"""Every screen in English: its texts and its buttons (the walk: ``tests.e2e.every_screen``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram.ext import Application

from flows.language import SUPPORTED_LANGUAGES
from flows.replies import Screen
from tests.e2e.every_screen import Untranslated, drawn, untranslated, walk_every_screen
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock

__all__ = ["drawn", "untranslated"]  # the walk's fixtures


async def test_every_screen_says_its_texts_and_has_its_buttons_in_english(
    api: BotApiStandin,
    bot: Application,  # type: ignore[type-arg]
    clock: TestClock,
    drawn: set[Screen],
    untranslated: Untranslated,
    request: pytest.FixtureRequest,
) -> None:
    await walk_every_screen(api, clock, drawn, untranslated, "en", request)


def test_every_language_has_its_walk() -> None:
    here = Path(__file__).parent
    walked = {
        p.stem.removeprefix("test_every_screen_") for p in here.glob("test_every_screen_*.py")
    }
    assert walked == set(SUPPORTED_LANGUAGES)
