"""A leader whose last screen never arrived sees it first, at their next update.

The handler's transaction had already moved the leader on (say, from the facts to
the feeling) when Telegram kept failing; the screens not shown were kept in the
database (see ``bot.delivery``), so this survives a restart. At the leader's next
message or press in their private chat they get a short note and those screens.

A typed message stops there: it answers a question the leader never saw (facts
typed again must not be recorded as the feeling). A command or a button press goes
on to its handler afterwards: it says what the leader wants now.
"""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, filters

from bot import delivery
from bot.storage import undelivered
from bot.storage.models import Leader
from bot.turn import Context, services
from flows.language import _, pick_language, using_language

log = logging.getLogger(__name__)


async def show_lost_replies_first(update: Update, context: Context) -> None:
    """Show the leader's undelivered screens before anything else is done with ``update``."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != Chat.PRIVATE:
        return
    if update.message is None and update.callback_query is None:
        return
    shared = services(context)
    async with shared.database.session() as session:
        kept = await undelivered.of_leader(session, user.id, chat.id)
        if not kept:
            return
        leader = await session.get(Leader, user.id)
        language = leader.language if leader else pick_language(user.language_code)
    with using_language(language):
        note = _("A message of mine did not reach you. This is where we are:")
    screens = [
        delivery.Screen(note, None),
        *(delivery.Screen.from_kept(k.text, k.keyboard, context.bot) for k in kept),
    ]
    typed = update.message is not None and not filters.COMMAND.check_update(update)
    try:
        for screen in screens:
            await delivery.show(context.bot, chat.id, screen, None, shared.reply_retry)
    except TelegramError as error:
        if not delivery.lost(error):
            raise
        # Still not through: they stay kept, and this update waits for better times too.
        log.warning(
            "kept screens for chat %s still not delivered (%s)", chat.id, type(error).__name__
        )
        await _stop(update)
    async with shared.database.session() as session, session.begin():
        await undelivered.forget(session, [k.id for k in kept])
    log.info("%d kept screen(s) shown in chat %s", len(kept), chat.id)
    if typed:
        raise ApplicationHandlerStop


async def _stop(update: Update) -> None:
    if update.callback_query is not None:
        await delivery.answer_press(update.callback_query, None)
    raise ApplicationHandlerStop
