"""The real bot, started in the test's event loop against the stand-in Bot API server.

The Application, its handlers, its persistence and python-telegram-bot's own HTTP
client are the production ones; only the Bot API root URL and the clock differ.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import pytest
from telegram.ext import Application

from bot.application import build_application
from bot.settings import Settings, load_settings
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from tests.support.bot_api_standin import TOKEN, BotApiStandin
from tests.support.dispatch_rounds import count_rounds

#: A fixed data key for the tests (a real one, made with `python -m bot make-key`).
TEST_DATA_KEY = "m5S0yuYlk9Lk1dFVv8MBpUuOzcfMF6nTvo8fq6uHSyY="


def settings_for_standin(api: BotApiStandin, database_url: str) -> Settings:
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
        }
    )


@asynccontextmanager
async def running_bot(
    api: BotApiStandin,
    database_url: str,
    clock: Callable[[], datetime],
    *,
    polling: bool = True,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Migrate, start (and poll, unless told not to), yield the application, stop cleanly.

    The nudge dispatcher's rounds are counted, so a test can wait for a whole one
    (:func:`tests.support.dispatch_rounds.dispatch_round`).
    """
    settings = settings_for_standin(api, database_url)
    use_cipher(DataCipher(settings.data_keys))
    database = Database(settings.database_url)
    await database.migrate()
    await database.check_key(DataCipher(settings.data_keys))
    application = build_application(settings, database, clock=clock)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    if polling:
        # As Application.run_polling does: a failed getUpdates goes to the error handler.
        await application.updater.start_polling(
            poll_interval=0.0,
            timeout=1,
            error_callback=lambda error: application.create_task(
                application.process_error(update=None, error=error)
            ),
        )
    try:
        with pytest.MonkeyPatch.context() as patch:
            count_rounds(application, patch)
            yield application
    finally:
        if application.updater.running:
            await application.updater.stop()
        await application.stop()
        await application.shutdown()
        await database.dispose()
