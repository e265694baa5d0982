"""The yardstick of ``per_update``: a bare python-telegram-bot bot, nothing else.

It answers every text with the text and one inline button, and a press of that button
by answering the press and editing the message (with the button again): the least a
bot with buttons does per update. Polls ``TELEGRAM_API_URL`` with ``TELEGRAM_BOT_TOKEN``.

    python tests/bench/echo_bot.py
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler
from telegram.ext import filters as telegram_filters

BUTTON = InlineKeyboardMarkup([[InlineKeyboardButton("again", callback_data="again")]])


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text: the same text back, with one button."""
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text, reply_markup=BUTTON, do_quote=False)


async def pressed(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press: answer it and edit the message, keeping the button."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_text("pressed", reply_markup=BUTTON)


def main() -> None:
    """Poll until SIGTERM or SIGINT."""
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"].rstrip("/") + "/bot")
        .build()
    )
    application.add_handler(MessageHandler(telegram_filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    application.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
