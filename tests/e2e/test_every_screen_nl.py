"""Every screen in Dutch: its texts and its buttons (the walk: ``tests.e2e.every_screen``)."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from flows.replies import Screen
from tests.e2e.every_screen import Untranslated, drawn, untranslated, walk_every_screen
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock

__all__ = ["drawn", "untranslated"]  # the walk's fixtures


async def test_every_screen_says_its_texts_and_has_its_buttons_in_dutch(
    api: BotApiStandin,
    bot: Application,  # type: ignore[type-arg]
    clock: TestClock,
    drawn: set[Screen],
    untranslated: Untranslated,
    request: pytest.FixtureRequest,
) -> None:
    await walk_every_screen(api, clock, drawn, untranslated, "nl", request)
