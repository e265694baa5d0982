"""The real bot, started in the test's event loop against the stand-in Bot API server.

The Application, its handlers, its persistence and python-telegram-bot's own HTTP
client are the production ones; only the Bot API root URL and the clock differ.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from weakref import WeakKeyDictionary

import pytest
from telegram.ext import Application

from bot.application import build_application
from bot.intake.polling import PollingIntake
from bot.settings import Settings, load_settings
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from tests.support.bot_api_standin import TOKEN, BotApiStandin
from tests.support.dispatch_rounds import count_rounds

#: A fixed data key for the tests (a real one, made with `python -m bot make-key`).
TEST_DATA_KEY = "m5S0yuYlk9Lk1dFVv8MBpUuOzcfMF6nTvo8fq6uHSyY="


#: The intake of each running bot, for tests that wait until everything taken in is handled.
_intakes: WeakKeyDictionary[Application, PollingIntake] = WeakKeyDictionary()  # type: ignore[type-arg]


async def all_handled(application: Application) -> None:  # type: ignore[type-arg]
    """Wait until no update taken in by ``application``'s intake is still being handled.

    Different leaders are handled at once, so another user's answer says nothing about
    this leader's update; the dispatcher's own count of what it has in hand does.
    """
    await _intakes[application].dispatcher.idle()


def settings_for_standin(api: BotApiStandin, database_url: str, **overrides: str) -> Settings:
    """Settings as a leader's operator would give them, pointing at the stand-in."""
    return load_settings(
        environ={
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api.root,
            "DATABASE_URL": database_url,
            "DATA_KEY": TEST_DATA_KEY,
            # The tests move the clock; the dispatcher looks often so nudges come promptly.
            "REMINDER_INTERVAL_SECONDS": "0.1",
            "RETENTION_INTERVAL_SECONDS": "0.2",
            **overrides,
        }
    )


@asynccontextmanager
async def running_bot(
    api: BotApiStandin,
    database_url: str,
    clock: Callable[[], datetime],
    *,
    polling: bool = True,
    **environ: str,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Migrate, start (and poll through the inbox, unless told not to), yield, stop cleanly.

    The nudge dispatcher's rounds are counted, so a test can wait for a whole one
    (:func:`tests.support.dispatch_rounds.dispatch_round`).
    """
    settings = settings_for_standin(api, database_url, **environ)
    use_cipher(DataCipher(settings.data_keys))
    database = Database(settings.database_url)
    await database.migrate()
    await database.check_key(DataCipher(settings.data_keys))
    application = build_application(settings, database, clock=clock)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    # The production intake: stored in the inbox first, then confirmed and handled.
    intake = PollingIntake(
        application, database, timeout=1, concurrency=settings.intake_concurrency
    )
    _intakes[application] = intake
    if polling:
        await intake.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            count_rounds(application, patch)
            yield application
    finally:
        await intake.stop()
        await application.stop()
        await application.shutdown()
        await database.dispose()
