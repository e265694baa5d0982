"""When the database cannot store what leaders send: a full disk, a read-only or stopped server.

Nothing is lost: an update that is not stored is not confirmed, and Telegram gives it
again (polling) or posts it again (the webhook) until it is. But a leader waiting for
an answer that does not come thinks the bot is broken, or that what they typed about
a child is gone. So:

* each leader whose update could not be stored hears so at once, once per update,
  in their language ("I cannot save your message right now…");
* the operator reads one line when storing starts failing, saying why, and one when
  it works again, not a traceback at every attempt;
* ``/healthz`` answers 503 meanwhile (``Database.write_failure``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Sequence

from sqlalchemy.exc import DBAPIError
from telegram import Chat, Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.storage.database import Database
from bot.storage.models import Leader
from flows.language import _, pick_language, using_language

log = logging.getLogger(__name__)

#: How many updates are remembered as told about (far more than wait at Telegram at once).
TOLD_KEPT = 10_000
#: How long the leader's own language is looked for in a database that may not answer.
LANGUAGE_WAIT = 1.0


def why(error: BaseException) -> str:
    """What the database said, in one line without values (``OSError: disk full``)."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    said = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {said[0]}" if said else type(cause).__name__


class Unsaved:
    """Tells leaders and the operator that updates cannot be stored, and when they can again."""

    def __init__(self, application: Application, database: Database) -> None:  # type: ignore[type-arg]
        self._application = application
        self._database = database
        self._told: OrderedDict[int, None] = OrderedDict()
        self._since: float | None = None
        self._attempts = 0

    async def not_stored(self, updates: Sequence[Update], error: BaseException) -> None:
        """Storing ``updates`` failed with ``error``: say so, to whom it concerns."""
        self._attempts += 1
        if self._since is None:
            self._since = time.monotonic()
            self._database.write_failure = why(error)
            log.error(
                "the database cannot store updates (%s); they wait at Telegram, their "
                "senders are told, and storing is tried again until it works",
                why(error),
                # A database's refusal says all in its line; anything else is a bug.
                exc_info=None if isinstance(error, DBAPIError) else error,
            )
        else:
            log.debug("updates still not stored (%s)", why(error))
        await self._tell(updates)

    def stored(self) -> None:
        """Updates were stored: if they could not be before, they can again."""
        if self._since is None:
            return
        log.warning(
            "the database stores updates again, after %.1f s and %d failed attempts",
            time.monotonic() - self._since,
            self._attempts,
        )
        self._since, self._attempts = None, 0
        self._database.write_failure = None
        self._told.clear()

    async def _tell(self, updates: Sequence[Update]) -> None:
        """Tell each leader once per update that it is not saved yet."""
        chats: dict[int, Update] = {}
        for update in updates:
            if update.update_id in self._told:
                continue
            self._told[update.update_id] = None
            chat = update.effective_chat
            if chat is not None and chat.type == Chat.PRIVATE and update.effective_user:
                chats.setdefault(chat.id, update)
        while len(self._told) > TOLD_KEPT:
            self._told.popitem(last=False)
        await asyncio.gather(*(self._tell_one(chat_id, u) for chat_id, u in chats.items()))

    async def _tell_one(self, chat_id: int, update: Update) -> None:
        user = update.effective_user
        assert user is not None
        with using_language(await self._language(user.id, user.language_code)):
            notice = _(
                "I cannot save your message right now; I will take it up as soon as I can again."
            )
        try:
            await self._application.bot.send_message(chat_id, notice)
        except TelegramError as error:
            log.warning("could not tell chat %s its update is not saved (%s)", chat_id, why(error))

    async def _language(self, user_id: int, language_code: str | None) -> str:
        """The leader's chosen language, if the database still answers; else Telegram's."""
        try:
            async with asyncio.timeout(LANGUAGE_WAIT), self._database.session() as session:
                leader = await session.get(Leader, user_id)
        except Exception:
            leader = None
        return leader.language if leader is not None else pick_language(language_code)
