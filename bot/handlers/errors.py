"""The one error handler: log what happened (ids only), and tell the leader something useful."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError
from telegram import Update

from bot.delivery import lost as lost_on_the_way
from bot.intake.unsaved import why
from bot.telegram_faults import is_temporary
from bot.turn import Context
from flows.language import _

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the error without any message text, and say sorry in the chat if there is one."""
    error = context.error
    if isinstance(update, Update) and error is not None and lost_on_the_way(error):
        # Telegram's weather (a 5xx, a time-out, a dropped connection) or a block, met by
        # a handler that talks to Telegram itself: nothing of ours to fix, no traceback.
        chat_id = update.effective_chat.id if update.effective_chat else None
        log.warning(
            "update %s in chat %s: Telegram did not take an answer (%s)",
            update.update_id,
            chat_id,
            type(error).__name__,
        )
    elif isinstance(update, Update):
        chat_id = update.effective_chat.id if update.effective_chat else None
        log.error(
            "error handling update %s in chat %s: %s",
            update.update_id,
            chat_id,
            why(error) if isinstance(error, DBAPIError) else type(error).__name__,
            # The database's refusal (a full disk, a read-only server) says all in its line.
            exc_info=None if isinstance(error, DBAPIError) else error,
        )
        # A refusal (a BadRequest, although a NetworkError subclass) is a bug of ours.
        if chat_id is not None:
            try:
                await context.bot.send_message(
                    chat_id,
                    _(
                        "Sorry, something went wrong on my side. What you entered before "
                        "is saved; please try again, or continue with /cases."
                    ),
                )
            except Exception:
                log.warning("could not tell chat %s about the error", chat_id)
    elif error is not None and is_temporary(error):
        # Telegram unreachable for a moment while polling: python-telegram-bot tries again.
        log.warning("Telegram did not answer outside an update (%s)", type(error).__name__)
    elif isinstance(error, DBAPIError):
        # A job met a database that is away or refuses writes; it runs again later.
        log.error("a background job could not use the database (%s)", why(error))
    else:
        log.error("error outside an update: %s", type(error).__name__, exc_info=error)
