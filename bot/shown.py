"""What a message of the bot shows now, so that no edit is asked for that changes nothing.

Telegram refuses an edit whose text and buttons are what the message already shows
("message is not modified"), and counts the request against the bot. A press's
update carries the pressed message as the leader saw it when they pressed; a quick
second press on the same button carries it as it was *before* the first press's
edit. So the edits this process made are remembered too, and the newer of the two
(by Telegram's ``edit_date``) says what the message shows.

Another process may edit a message too (webhooks on one PostgreSQL database): what
this process remembers of a leader's messages is forgotten when it gives back its
claim on the leader (``bot.intake.dispatcher``), so it only ever speaks for a time
in which no other process touched them.
"""

from __future__ import annotations

import json
import weakref
from collections import OrderedDict
from datetime import datetime
from html.parser import HTMLParser

from telegram import Bot, InlineKeyboardMarkup, Message

#: Tags Telegram takes under two names, by the name python-telegram-bot writes back.
_SAME_TAG = {"strong": "b", "em": "i", "ins": "u", "strike": "s", "del": "s", "span": "tg-spoiler"}
#: How many chats' last edits are remembered, and how many messages of each.
CHATS_KEPT = 4096
MESSAGES_KEPT = 8

Token = tuple[str, ...]
#: A message's look: its text as tokens, and its buttons as JSON.
Look = tuple[tuple[Token, ...], str | None]


class _Tokens(HTMLParser):
    """HTML as a list of tags and texts, with character references resolved."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = _SAME_TAG.get(tag, tag)
        kept = () if tag == "tg-spoiler" else tuple(f"{k}={v or ''}" for k, v in sorted(attrs))
        self.tokens.append(("<", tag, *kept))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("</", _SAME_TAG.get(tag, tag)))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1][0] == "text":
            data = self.tokens.pop()[1] + data
        self.tokens.append(("text", data))


def look(html: str, markup: InlineKeyboardMarkup | None) -> Look:
    """How a message with this HTML text and these buttons looks in the chat.

    Telegram trims the whitespace around a text; two spellings of one tag
    (``<strong>``, ``<b>``) or of one character (``&#39;``, ``'``) look the same.
    """
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    tokens = parser.tokens
    texts = [i for i, token in enumerate(tokens) if token[0] == "text"]
    if texts:
        tokens[texts[0]] = ("text", tokens[texts[0]][1].lstrip())
        tokens[texts[-1]] = ("text", tokens[texts[-1]][1].rstrip())
    kept = tuple(token for token in tokens if token != ("text", ""))
    buttons = json.dumps(markup.to_dict(), sort_keys=True) if markup else None
    return kept, buttons


def look_of(message: Message) -> Look | None:
    """How ``message`` looks, as Telegram described it (``None``: not a text message)."""
    if message.text is None:
        return None
    return look(message.text_html, message.reply_markup)


class ShownMessages:
    """The last edit this process made to each of a few recent messages, by chat."""

    def __init__(self) -> None:
        self._chats: OrderedDict[int, OrderedDict[int, tuple[Look, datetime | None]]] = (
            OrderedDict()
        )

    def already_shows(
        self, pressed: Message, html: str, markup: InlineKeyboardMarkup | None
    ) -> bool:
        """Whether ``pressed`` shows this text and these buttons already."""
        now = look_of(pressed)
        chat = self._chats.get(pressed.chat_id)
        made = chat.get(pressed.message_id) if chat is not None else None
        if made is not None:
            made_look, made_at = made
            # The press's copy is older than the edit made since: the edit is what shows.
            # Made in the same second, the copy may be newer: it is believed.
            if pressed.edit_date is None or (made_at is not None and made_at > pressed.edit_date):
                now = made_look
        return now is not None and now == look(html, markup)

    def edited(self, message: Message | bool) -> None:
        """Remember what an edit made the message show (Telegram's answer to the edit)."""
        if not isinstance(message, Message) or (shows := look_of(message)) is None:
            return
        chat = self._chats.setdefault(message.chat_id, OrderedDict())
        self._chats.move_to_end(message.chat_id)
        chat[message.message_id] = (shows, message.edit_date)
        chat.move_to_end(message.message_id)
        while len(chat) > MESSAGES_KEPT:
            chat.popitem(last=False)
        while len(self._chats) > CHATS_KEPT:
            self._chats.popitem(last=False)

    def forget(self, chat_id: int) -> None:
        """Another process may edit this chat's messages from now on."""
        self._chats.pop(chat_id, None)


_of_bots: dict[int, ShownMessages] = {}


def of_bot(bot: Bot) -> ShownMessages:
    """What ``bot`` (one application's) made its messages show; gone with the bot."""
    key = id(bot)
    found = _of_bots.get(key)
    if found is None:
        found = _of_bots[key] = ShownMessages()
        weakref.finalize(bot, _of_bots.pop, key, None)
    return found
