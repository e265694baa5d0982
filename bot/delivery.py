"""Getting a reply to the leader whatever Telegram does, after the handler's commit.

A turn's reply has up to three parts: the answer to a button press (the spinner), a
file, and one or more screens. The press's answer goes out alongside the rest (see
``bot.turn``), so a new screen is there one round trip to Telegram sooner. Telegram may
refuse or drop each of them:

* the press's answer fails (a press answered late is "query is too old") → logged,
  and the screens still follow: the answer is only the spinner;
* an edit that would change nothing is not asked for (:mod:`bot.shown`);
* an edit of the pressed message is refused (the message is gone, too old to edit,
  …) → the screen is sent as a new message; "not modified" means it is already there;
* a time-out, a network error, a 5xx or a 429 the rate limiter did not wait out →
  tried again with back-off (:mod:`bot.telegram_faults`), a few seconds at most,
  since the leader's next update waits behind it;
* still failing, or the leader blocked the bot → the screens not yet shown are kept
  in the database (:mod:`bot.storage.undelivered`), because the leader's place in the
  flow has already moved on; their next update is answered with them first (see
  ``bot.turn``), so a typed answer never lands on a question they did not see.

Any other refusal is a bug of ours, and is raised to the error handler.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import shown
from bot.screens.fitting import split_for_telegram
from bot.storage import undelivered
from bot.storage.database import Database
from bot.storage.models import Leader
from bot.telegram_faults import RetryPolicy, is_temporary, with_retries
from flows.language import _

if TYPE_CHECKING:
    # The screens' rows of buttons; bot.turn imports this module.
    from bot.turn import Keyboard

log = logging.getLogger(__name__)


def keyboard(rows: Keyboard | None) -> InlineKeyboardMarkup | None:
    """An inline keyboard from rows of (label, callback value); packing checks the 64 bytes."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=value.pack()) for label, value in row]
            for row in rows
            if row
        ]
    )


async def send_long(
    bot: Bot, chat_id: int, chunks: list[str], markup: InlineKeyboardMarkup | None
) -> None:
    """Send a text split into chunks; the buttons go with the last one."""
    for number, chunk in enumerate(chunks, start=1):
        await bot.send_message(
            chat_id,
            chunk,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if number == len(chunks) else None,
        )


@dataclass(frozen=True)
class Screen:
    """One screen to show: HTML text (everything typed escaped) and its buttons."""

    text: str
    markup: InlineKeyboardMarkup | None
    #: Replace the pressed message rather than send a new one.
    edit: bool = False

    def keyboard_json(self) -> str | None:
        """The buttons as Telegram's JSON, to keep with an undelivered screen."""
        return json.dumps(self.markup.to_dict()) if self.markup else None

    @classmethod
    def from_kept(cls, text: str, keyboard: str | None, bot: Bot) -> Screen:
        """A screen kept by :func:`keep_undelivered`, to send as a new message."""
        markup = InlineKeyboardMarkup.de_json(json.loads(keyboard), bot) if keyboard else None
        return cls(text, markup)


def lost(error: BaseException) -> bool:
    """Whether the reply did not arrive for a reason other than a bug of ours.

    Telegram failing for a while, the leader having blocked the bot, or a press
    answered too late (after a restart or a backlog: "query is too old").
    """
    if isinstance(error, BadRequest):
        return "query is too old" in error.message.lower()
    return is_temporary(error) or isinstance(error, Forbidden)


async def answer_press(query: CallbackQuery, toast: str | None) -> None:
    """Stop the press's spinner; a failure here never holds back the screen."""
    try:
        await query.answer(toast)
    except TelegramError as error:
        log.warning(
            "press %s not answered (%s); its screen follows anyway", query.id, type(error).__name__
        )


async def show(
    bot: Bot, chat_id: int, screen: Screen, pressed: Message | None, policy: RetryPolicy
) -> None:
    """Show ``screen``: edit the pressed message if asked and possible, else send it."""
    chunks = split_for_telegram(screen.text)
    if screen.edit and pressed is not None and len(chunks) == 1:
        made = shown.of_bot(bot)
        if made.already_shows(pressed, screen.text, screen.markup):
            # The same button pressed again: Telegram would refuse the edit, and count it.
            return
        edit = functools.partial(pressed.edit_text, screen.text, reply_markup=screen.markup)
        try:
            made.edited(await with_retries(edit, policy, f"edit of message {pressed.message_id}"))
            return
        except BadRequest as error:
            # The same button pressed twice asks for the same content: it is there.
            if "not modified" in error.message:
                return
            log.info(
                "message %s in chat %s not edited (%s); the screen is sent anew",
                pressed.message_id,
                chat_id,
                error.message,
            )
    for number, chunk in enumerate(chunks, start=1):
        send = functools.partial(
            bot.send_message,
            chat_id,
            chunk,
            parse_mode=ParseMode.HTML,
            reply_markup=screen.markup if number == len(chunks) else None,
        )
        await with_retries(send, policy, f"message to chat {chat_id}")


async def send_document(
    bot: Bot, chat_id: int, document: tuple[bytes, str, str], policy: RetryPolicy
) -> Screen | None:
    """Send a file; for one that never arrives, the screen that says so instead.

    The file itself is not kept: it holds everything, and asking again makes it anew.
    """
    data, filename, caption = document
    send = functools.partial(
        bot.send_document, chat_id, InputFile(data, filename=filename), caption=caption
    )
    try:
        await with_retries(send, policy, f"file to chat {chat_id}")
    except TelegramError as error:
        if not lost(error):
            raise
        log.warning("file to chat %s not delivered (%s)", chat_id, type(error).__name__)
        return Screen(_("The file did not reach you. Send /export to try again."), None)
    return None


async def show_all(
    bot: Bot,
    database: Database,
    leader_id: int,
    chat_id: int,
    screens: Sequence[Screen],
    pressed: Message | None,
    policy: RetryPolicy,
    now: datetime,
) -> bool:
    """Show the screens in order; keep the rest when one is lost. Whether all arrived."""
    for index, screen in enumerate(screens):
        try:
            await show(bot, chat_id, screen, pressed, policy)
        except TelegramError as error:
            if not lost(error):
                raise
            log.warning(
                "reply to chat %s not delivered (%s): %d screen(s) kept for the next update",
                chat_id,
                type(error).__name__,
                len(screens) - index,
            )
            await keep_undelivered(database, leader_id, chat_id, screens[index:], now)
            return False
    return True


async def keep_undelivered(
    database: Database, leader_id: int, chat_id: int, screens: Sequence[Screen], now: datetime
) -> None:
    """Keep screens for the leader's next update, in a transaction of their own."""
    async with database.write_turn(), database.session() as session, session.begin():
        leader = await session.get(Leader, leader_id)
        if leader is None:
            return  # erased in this very turn: nothing to show them any more
        leader.undelivered = True
        undelivered.keep(
            session, leader_id, chat_id, [(s.text, s.keyboard_json()) for s in screens], now
        )
