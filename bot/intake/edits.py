"""An edited message is not new input.

A leader who edits what they typed expects the change to count; it does not (the
first text is what was saved, and an edit arriving later must not be taken as the
answer to whatever the bot asks now). Saying nothing would leave them believing it
did, so in a private chat the bot says so, once per edit, and changes nothing.
"""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop

from bot.storage.models import Leader
from bot.turn import Context, services
from flows.language import _, pick_language, using_language

log = logging.getLogger(__name__)


async def edits_are_not_read(update: Update, context: Context) -> None:
    """Answer an edit in a private chat with a short notice; never handle it further."""
    message, chat, user = update.edited_message, update.effective_chat, update.effective_user
    if message is None:
        return
    if chat is not None and chat.type == Chat.PRIVATE and user is not None:
        log.info("edited message ignored: chat=%s", chat.id)
        async with services(context).database.session() as session:
            leader = await session.get(Leader, user.id)
        language = leader.language if leader else pick_language(user.language_code)
        with using_language(language):
            notice = _(
                "I do not read edited messages: I kept what you sent first. "
                "To change something, send it again as a new message when I ask for it, "
                "or continue with /cases."
            )
        await message.reply_text(notice)
    raise ApplicationHandlerStop
