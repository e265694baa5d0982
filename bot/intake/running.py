"""The application's life in a process, for polling and webhook mode alike."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application


@asynccontextmanager
async def running(application: Application) -> AsyncIterator[asyncio.Event]:  # type: ignore[type-arg]
    """The application started as python-telegram-bot's ``run_*`` methods start it.

    Yields the event SIGTERM or SIGINT sets; afterwards the application is stopped and
    ``post_shutdown`` runs (it closes the database, which empties SQLite's write-ahead
    log; see ``Database.dispose``).
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with application:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        yield stop
        await application.stop()
    if application.post_shutdown:
        await application.post_shutdown(application)
