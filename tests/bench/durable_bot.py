"""The durable peer of ``per_update``: the bare bot made durable by hand.

What a careful engineer adds to ``echo_bot.py`` so that no update is lost: each update
is stored in a SQLite inbox (aiosqlite, WAL, ``synchronous=NORMAL``) and committed; then
the chat's state is upserted and the update marked done in a second transaction; then
the reply goes out (the same replies as the bare bot). Polls ``TELEGRAM_API_URL`` with
``TELEGRAM_BOT_TOKEN``; the database is ``PEER_DATABASE`` (``peer.sqlite3`` by default).

    python tests/bench/durable_bot.py
"""

from __future__ import annotations

import json
import os

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

BUTTON = InlineKeyboardMarkup([[InlineKeyboardButton("again", callback_data="again")]])
SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    update_id INTEGER PRIMARY KEY, payload TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS chat_state (
    chat_id INTEGER PRIMARY KEY, last_text TEXT, updates INTEGER NOT NULL
);
"""


async def open_database(application: Application) -> None:  # type: ignore[type-arg]
    """One connection, WAL, ``synchronous=NORMAL``, the two tables."""
    connection = await aiosqlite.connect(os.environ.get("PEER_DATABASE", "peer.sqlite3"))
    await connection.execute("PRAGMA journal_mode=WAL")
    await connection.execute("PRAGMA synchronous=NORMAL")
    await connection.executescript(SCHEMA)
    await connection.commit()
    application.bot_data["db"] = connection


async def close_database(application: Application) -> None:  # type: ignore[type-arg]
    await application.bot_data["db"].close()


async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Store, then handle durably, then reply."""
    db: aiosqlite.Connection = context.bot_data["db"]
    await db.execute(
        "INSERT OR IGNORE INTO inbox (update_id, payload) VALUES (?, ?)",
        (update.update_id, json.dumps(update.to_dict())),
    )
    await db.commit()
    chat = update.effective_chat
    message = update.effective_message
    query = update.callback_query
    text = query.data if query is not None else message.text if message is not None else None
    if chat is not None:
        await db.execute(
            "INSERT INTO chat_state (chat_id, last_text, updates) VALUES (?, ?, 1) "
            "ON CONFLICT (chat_id) DO UPDATE SET last_text = excluded.last_text, "
            "updates = chat_state.updates + 1",
            (chat.id, text),
        )
    await db.execute("UPDATE inbox SET done = 1 WHERE update_id = ?", (update.update_id,))
    await db.commit()
    if query is not None:
        await query.answer()
        await query.edit_message_text("pressed", reply_markup=BUTTON)
    elif message is not None and message.text:
        await message.reply_text(message.text, reply_markup=BUTTON, do_quote=False)


def main() -> None:
    """Poll until SIGTERM or SIGINT."""
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"].rstrip("/") + "/bot")
        .post_init(open_database)
        .post_shutdown(close_database)
        .build()
    )
    application.add_handler(TypeHandler(Update, handle))
    application.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
