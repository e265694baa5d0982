"""Group chats: never a case, a name or a script there; only a pointer to a private chat."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.constants import CallbackQueryLimit
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.turn import Context
from flows.language import _, pick_language, using_language

log = logging.getLogger(__name__)


async def keep_groups_out(update: Update, context: Context) -> None:
    """Answer anything from a group or channel with a pointer, and stop there."""
    chat = update.effective_chat
    if chat is None or chat.type == Chat.PRIVATE:
        return
    log.info("update from a %s chat refused: chat=%s", chat.type, chat.id)
    user = update.effective_user
    language = pick_language(user.language_code if user else None)
    with using_language(language):
        pointer = _(
            "I only work in a private chat, to keep what you tell me about children out of "
            "groups. Open a chat with me: @%(bot)s"
        ) % {"bot": context.bot.username}
    try:
        if update.callback_query is not None:
            limit = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
            await update.callback_query.answer(pointer[:limit], show_alert=True)
        elif update.effective_message is not None and chat.type != Chat.CHANNEL:
            message = update.effective_message
            # Only when spoken to: a command or a message that mentions the bot.
            text = message.text or ""
            if text.startswith("/") or context.bot.username in text:
                await message.reply_text(pointer)
    except TelegramError as error:
        # A pointer that did not get through (a press answered too late, a group that
        # removed the bot) is no loss: nothing of a case is ever said there.
        log.warning("pointer to chat %s not delivered (%s)", chat.id, type(error).__name__)
    raise ApplicationHandlerStop
