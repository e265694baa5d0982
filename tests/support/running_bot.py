"""The real bot, started in the test's event loop against the stand-in Bot API server.

The Application, its handlers, its persistence and python-telegram-bot's own HTTP
client are the production ones; only the Bot API root URL and the clock differ.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from weakref import WeakKeyDictionary

import pytest
from sqlalchemy import make_url
from telegram.ext import Application

from bot.application import build_application
from bot.intake.polling import PollingIntake
from bot.settings import Settings, load_settings
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from tests.support.bot_api_standin import BotApiStandin
from tests.support.dispatch_rounds import count_rounds
from tests.support.standin_records import TOKEN

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


#: A SQLite file migrated once per test process, copied for each test that starts a bot.
_migrated: Path | None = None


async def _start_migrated(database_url: str) -> None:
    """A new SQLite file starts as a copy of one migrated in this process.

    Running every migration costs each test that starts a bot 0.1–0.2 s of CPU (a
    tenth of ``test_team_rules.py`` and ``test_leader_walk.py``); a copy of the result
    costs a millisecond. The migrations
    themselves are tested in ``tests/unit/test_migrations.py``, and a start on an empty
    database in ``tests/unit/test_startup_cost.py``; the bot's own ``migrate`` still
    runs after the copy (one query: the schema is there). A file that exists is left
    as it is (a test restarting the bot on its own database).
    """
    global _migrated
    target = _new_sqlite_file(database_url)
    if target is None:
        return
    if _migrated is None:
        folder = Path(tempfile.mkdtemp(prefix="migrated-"))
        template = Database(f"sqlite+aiosqlite:///{folder / 'template.sqlite3'}")
        await template.migrate()
        await template.dispose()  # the write-ahead log emptied into the file
        _migrated = folder / "template.sqlite3"
    shutil.copyfile(_migrated, target)


def _new_sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite ``database_url`` that does not exist yet, or ``None``."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    target = Path(url.database)
    return None if target.exists() else target


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
    await _start_migrated(settings.database_url)
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
