"""What passes between the bot and the stand-in Bot API server: the bot's identity, the
records of what the bot sent (messages, documents, calls, press answers, webhook
deliveries), and the refusals and faults Telegram answers with."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from tests.support.telegram_html import (
    MessageEntity,
)

BOT_ID = 7000001


BOT_USERNAME = "pestgesprek_bot"


BOT_FIRST_NAME = "Pestgesprek"


TOKEN = f"{BOT_ID}:AAStandinTokenForEndToEndTests_0123456789"
"""A token the stand-in accepts (any ``^\\d+:[A-Za-z0-9_-]{30,}$`` is accepted)."""


QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class ApiError(Exception):
    """A refusal, answered as ``{"ok": false, "error_code": status, "description": ...}``."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass(frozen=True)
class Document:
    """A file the bot uploaded with sendDocument."""

    filename: str
    data: bytes
    mime_type: str | None
    file_id: str


@dataclass
class BotMessage:
    """A message the bot sent, kept up to date by later edits and deletion.

    ``html`` is the text (or caption) exactly as the bot sent it, ``text`` what the user
    sees. ``reply_markup`` is the current inline keyboard as JSON (``None`` without one).
    """

    message_id: int
    chat_id: int
    html: str
    text: str
    date: int
    parse_mode: str | None = None
    entities: tuple[MessageEntity, ...] = ()
    reply_markup: dict[str, Any] | None = None
    document: Document | None = None
    reply_to_message_id: int | None = None
    edited: int = 0
    edit_date: int | None = None
    deleted: bool = False
    history: list[str] = field(default_factory=list)
    """The visible texts before each edit, oldest first."""

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Rows of ``(text, callback_data or url)`` of the current inline keyboard."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            [(button["text"], button.get("callback_data", button.get("url"))) for button in row]
            for row in rows
        ]

    @property
    def button_texts(self) -> list[str]:
        """The visible texts of all current buttons, row by row."""
        return [text for row in self.buttons for text, _ in row]


class ChatEvent(NamedTuple):
    """One thing that happened in a chat, with the text visible at that moment."""

    kind: Literal["message", "edit", "delete"]
    message: BotMessage
    text: str


class CallbackAnswer(NamedTuple):
    """The bot's answerCallbackQuery for a press of this user."""

    query_id: str
    text: str | None
    show_alert: bool


class ApiCall(NamedTuple):
    """A method call the bot made (refused or not), with its parameters as received."""

    method: str
    params: dict[str, Any]


class WebhookDelivery(NamedTuple):
    """One attempt to POST an update to the webhook."""

    update_id: int
    url: str
    status: int | None
    """The HTTP status of the answer, or ``None`` when the connection failed."""
    attempt: int
    error: str | None


@dataclass(frozen=True)
class Fault:
    """What Telegram may do to one call instead of answering it: see ``BotApiStandin.inject``.

    ``status`` is the HTTP status of the refusal (with ``description`` as Telegram words
    it), ``delay`` answers that many seconds late (without a status the call is then
    carried out normally, as Telegram does when the client gave up waiting), and
    ``disconnect`` drops the connection without an answer (a network error),
    ``hold`` carries the call out but answers only once the event is set, and
    ``cut_short`` carries it out but sends only the first half of the answer (a proxy
    that gave up half-way: no JSON), and ``stall`` takes the call in but carries it out
    only once the event is set; a call whose client is gone by then (its process was
    killed) is never carried out, as if it had never been sent, and is recorded in
    ``abandoned``.
    """

    name: str
    status: int | None = None
    description: str | None = None
    retry_after: int = 1
    delay: float | None = None
    disconnect: bool = False
    hold: asyncio.Event | None = field(default=None, compare=False)
    cut_short: bool = False
    stall: asyncio.Event | None = field(default=None, compare=False)

    @staticmethod
    def too_many_requests(retry_after: int = 1) -> Fault:
        """429 with ``parameters.retry_after``, as flood control answers."""
        return Fault(
            "429", 429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
        )

    @staticmethod
    def time_out(seconds: float = 6.0) -> Fault:
        """An answer later than the client waits (5 s for python-telegram-bot); still done."""
        return Fault("time-out", delay=seconds)


#: The refusals and failures Telegram is known to answer with, by name.
FAULTS: dict[str, Fault] = {
    fault.name: fault
    for fault in (
        Fault("query too old", 400, QUERY_TOO_OLD),
        Fault("message to edit not found", 400, "Bad Request: message to edit not found"),
        Fault("message can't be edited", 400, "Bad Request: message can't be edited"),
        Fault("chat not found", 400, "Bad Request: chat not found"),
        Fault("blocked", 403, "Forbidden: bot was blocked by the user"),
        Fault.too_many_requests(1),
        Fault("500", 500, "Internal Server Error"),
        Fault("502", 502, "Bad Gateway"),
        Fault("disconnect", disconnect=True),
    )
}
