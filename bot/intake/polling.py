"""Polling: our own loop over ``Bot.get_updates``, storing each batch before confirming it.

Telegram confirms the updates of one ``getUpdates`` call when the next call asks
for a higher ``offset``. The offset moves past a batch only once the batch is in
the inbox, so a process killed at any moment has either stored an update or will
be given it again. At shutdown no last call is made to confirm the final batch:
Telegram gives it again at the next start, and the inbox's tombstones skip it.

One update python-telegram-bot cannot read makes ``Bot.get_updates`` fail for the
whole batch. The batch is then read again one update at a time from the JSON
Telegram sent: an unreadable update is set aside in the quarantine (encrypted), and
the batch is stored and confirmed as usual, so that one bad update stops nobody.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, TelegramError, TimedOut
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.intake.dispatcher import CONCURRENCY, InboxDispatcher
from bot.intake.running import running
from bot.intake.unsaved import Unsaved
from bot.storage import inbox
from bot.storage.database import Database

log = logging.getLogger(__name__)

#: What the bot reads; an edit is taken in only to say that edits are not read.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
#: Seconds Telegram holds a long poll open when there is nothing to give.
POLL_TIMEOUT = 10.0
#: Where the application keeps its :class:`UpdatesRequest`.
UPDATES_REQUEST_KEY = "updates_request"
#: The longest wait before asking again after Telegram failed.
MAX_BACKOFF = 30.0
#: The longest wait before storing again after the database failed: it may be back soon.
MAX_STORE_BACKOFF = 5.0


class UpdatesRequest(HTTPXRequest):
    """The connection ``getUpdates`` goes over, keeping the updates as Telegram sent them.

    The inbox stores an update as the JSON Telegram sent (every answer passes through
    ``parse_json_payload`` before ``Bot.get_updates`` makes objects of it); serialising
    python-telegram-bot's objects again cost a tenth of an update's CPU. One poll at a
    time uses this connection.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(connection_pool_size=1, **options)
        #: The updates of the last answer, as Telegram sent them, by update id.
        self.as_sent: dict[int, str] = {}

    # Documented as the method to override; the base's is static, and it is called on
    # the instance, so an instance method keeps what it saw.
    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data: dict[str, Any] = super().parse_json_payload(payload)
        result = data.get("result")
        self.as_sent = (
            {
                int(item["update_id"]): json.dumps(item, ensure_ascii=False)
                for item in result
                if isinstance(item, dict) and isinstance(item.get("update_id"), int)
            }
            if isinstance(result, list)
            else {}
        )
        return data


class _ParsingHandledHere(logging.Filter):
    """python-telegram-bot's line for a batch it could not read prints the whole batch.

    The intake reads such a batch again update by update and logs each unreadable
    one by its id (``bot.storage.inbox.quarantine_line``); the library's line, with
    what leaders typed in it, is left out.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Error while parsing updates")


_PARSING_HANDLED_HERE = _ParsingHandledHere()


class PollingIntake:
    """Fetch updates, store them, confirm them, and hand them to the dispatcher."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        database: Database,
        *,
        timeout: float = POLL_TIMEOUT,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self._application = application
        self._database = database
        self._timeout = timeout
        self.dispatcher = InboxDispatcher(application, database, concurrency=concurrency)
        self.unsaved = Unsaved(application, database)
        # Set when the application was built with it (``bot.application``).
        found = application.bot_data.get(UPDATES_REQUEST_KEY)
        self._request = found if isinstance(found, UpdatesRequest) else None
        self._task: asyncio.Task[None] | None = None
        # The name python-telegram-bot's ExtBot logs under (``telegram.ext.ExtBot``).
        logging.getLogger("telegram.ext.ExtBot").addFilter(_PARSING_HANDLED_HERE)

    def _one_by_one(self) -> tuple[list[Update], dict[int, tuple[str, Exception]]]:
        """The last batch read update by update: those that can be read, and those that cannot."""
        as_sent = self._request.as_sent if self._request is not None else {}
        readable: list[Update] = []
        unreadable: dict[int, tuple[str, Exception]] = {}
        for update_id, payload in sorted(as_sent.items()):
            try:
                readable.append(Update.de_json(json.loads(payload), self._application.bot))
            except Exception as error:
                unreadable[update_id] = (payload, error)
        return readable, unreadable

    async def until_stopped(self, stop: asyncio.Event) -> None:
        """Return when ``stop`` is set, or when polling gave up (a refused token)."""
        assert self._task is not None
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({stopping, self._task}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()

    async def start(self) -> None:
        """Handle what the inbox still holds, then poll."""
        await self.dispatcher.start()
        self._task = asyncio.create_task(self._poll(), name="get-updates")

    async def stop(self) -> None:
        """Stop polling (the batch on its way is not confirmed) and finish the updates in hand."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.dispatcher.stop()

    async def _delete_webhook(self) -> bool:
        """Delete the webhook set before; whether that worked (if not, polling backs off)."""
        try:
            await self._application.bot.delete_webhook(drop_pending_updates=False)
        except TelegramError as error:
            log.warning("the webhook set before could not be deleted (%s)", type(error).__name__)
            return False
        log.info("the webhook set before is deleted: polling instead")
        return True

    async def _poll(self) -> None:
        offset: int | None = None
        backoff = 0.0
        webhook_deleted = False
        while True:
            if backoff:
                await asyncio.sleep(backoff)
            try:
                updates = await self._application.bot.get_updates(
                    offset=offset, timeout=self._timeout, allowed_updates=ALLOWED_UPDATES
                )
            except TimedOut:
                continue
            except InvalidToken:
                log.error("Telegram refuses the bot token; polling stops")
                return
            except TelegramError as error:
                if not webhook_deleted and _webhook_in_the_way(error):
                    # The bot ran with a webhook before: Telegram keeps the updates for
                    # it until it is deleted. Deleted when found, not at every start (and
                    # once: a webhook set again is another process's, not fought over).
                    webhook_deleted = await self._delete_webhook()
                    if webhook_deleted:
                        continue
                backoff = min(max(backoff * 2, 1.0), MAX_BACKOFF)
                log.warning("getUpdates failed (%s); again in %g s", type(error).__name__, backoff)
                continue
            except Exception:
                # An update python-telegram-bot cannot read: the others are read one by one.
                if self._request is None or not self._request.as_sent:
                    raise
                updates, unreadable = self._one_by_one()
            else:
                unreadable = {}
            # This call confirmed everything below ``offset``: its tombstones may go.
            self.dispatcher.acknowledged_below = offset
            if not updates and not unreadable:
                backoff = 0.0
                continue
            as_sent = self._request.as_sent if self._request is not None else None
            try:
                for update_id, (payload, unread) in unreadable.items():
                    await inbox.quarantine(self._database, update_id, payload, unread)
                    log.error(inbox.quarantine_line(update_id, unread))
                await self.dispatcher.take_in(updates, as_sent)
            except Exception as error:
                # Not stored, so not confirmed: the next call gets the same updates again.
                backoff = min(max(backoff * 2, 1.0), MAX_STORE_BACKOFF)
                await self.unsaved.not_stored(updates, error)
                continue
            self.unsaved.stored()
            backoff = 0.0
            offset = max([u.update_id for u in updates] + list(unreadable)) + 1


def _webhook_in_the_way(error: TelegramError) -> bool:
    """Whether Telegram refused getUpdates because a webhook is set."""
    return isinstance(error, Conflict) and "webhook" in error.message.lower()


async def run_polling(
    application: Application,  # type: ignore[type-arg]
    database: Database,
    concurrency: int = CONCURRENCY,
) -> None:
    """Poll until SIGTERM or SIGINT, then finish the updates in hand and stop cleanly."""
    async with running(application) as stop:
        intake = PollingIntake(application, database, concurrency=concurrency)
        await intake.start()
        log.info("polling for updates")
        await intake.until_stopped(stop)
        log.info("stopping: finishing the updates in hand, the rest waits in the inbox")
        await intake.stop()
