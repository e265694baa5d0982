"""The Bot API answered inside the process, for trying the bot in a terminal.

python-telegram-bot sends every Bot API call through a ``BaseRequest``; this one
answers the calls the bot makes (messages, edits, button answers, files,
commands) as Telegram would — including the refusals that matter to the bot's
code, such as "message is not modified" and texts that are too long — and shows
each message on the terminal instead of on a phone. The bot itself is the one
that runs on Telegram: same Application, handlers, texts and storage.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from telegram.constants import CallbackQueryLimit, InlineKeyboardButtonLimit, MessageLimit
from telegram.request import BaseRequest, RequestData

from bot.console.terminal import html_to_text

#: The one leader and private chat of the console, and the bot's own user.
CONSOLE_CHAT_ID = 1
BOT_USER = {
    "id": 2,
    "is_bot": True,
    "first_name": "Pestgesprek",
    "username": "pestgesprek_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
#: Telegram's limits on what a bot may send.
MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH
MAX_CAPTION = MessageLimit.CAPTION_LENGTH
MAX_CALLBACK_DATA = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
MAX_TOAST = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH


@dataclass
class Button:
    """One inline button: what it says and what pressing it sends back."""

    label: str
    data: str


@dataclass
class ShownMessage:
    """A message of the bot in the chat, as Telegram keeps it."""

    message_id: int
    date: int
    html: str
    rows: list[list[Button]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The message as the Bot API returns it (and as a pressed button carries it)."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": {"id": CONSOLE_CHAT_ID, "type": "private"},
            "from": BOT_USER,
            "text": html_to_text(self.html),
        }
        if self.rows:
            message["reply_markup"] = {
                "inline_keyboard": [
                    [{"text": b.label, "callback_data": b.data} for b in row] for row in self.rows
                ]
            }
        return message


class Refused(Exception):
    """A call Telegram would refuse, with its status code and description."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class Viewer(Protocol):
    """Where the local Bot API shows what the bot sends (see ``bot.console.session``)."""

    def message(self, shown: ShownMessage, *, edited: bool) -> None: ...

    def toast(self, text: str) -> None: ...

    def file(self, path: Path, caption: str) -> None: ...


class LocalBotApi(BaseRequest):
    """Answers python-telegram-bot's Bot API calls for the one console chat."""

    def __init__(
        self,
        viewer: Viewer,
        clock: Callable[[], datetime],
        files_folder: Path,
        next_message_id: Callable[[], int],
    ) -> None:
        self.viewer = viewer
        self.clock = clock
        self.files_folder = files_folder
        self.next_message_id = next_message_id
        self.messages: dict[int, ShownMessage] = {}
        #: The message whose buttons the numbers press: the newest, when it has buttons.
        self.buttons_message: ShownMessage | None = None
        self._methods: dict[str, Callable[[dict[str, Any], RequestData | None], Any]] = {
            "getMe": lambda _p, _d: BOT_USER,
            "setMyCommands": lambda _p, _d: True,
            "deleteMyCommands": lambda _p, _d: True,
            "deleteWebhook": lambda _p, _d: True,
            "deleteMessage": self._delete_message,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
        }

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call the way Telegram does: a JSON envelope."""
        name = url.rstrip("/").rsplit("/", 1)[-1]
        parameters = dict(request_data.parameters) if request_data else {}
        answer = self._methods.get(name)
        try:
            if answer is None:
                raise Refused(404, "Not Found")
            result = answer(parameters, request_data)
        except Refused as refusal:
            body = {"ok": False, "error_code": refusal.code, "description": refusal.description}
            return refusal.code, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # The methods -------------------------------------------------------------------------

    def _send_message(self, parameters: dict[str, Any], _data: RequestData | None) -> Any:
        shown = ShownMessage(
            self.next_message_id(),
            int(self.clock().timestamp()),
            _text(parameters, "text", MAX_TEXT),
            _rows(parameters),
        )
        self.messages[shown.message_id] = shown
        self._show(shown, edited=False)
        return shown.to_json()

    def _edit_message_text(self, parameters: dict[str, Any], _data: RequestData | None) -> Any:
        shown = self._message(parameters)
        html, rows = _text(parameters, "text", MAX_TEXT), _rows(parameters)
        if html_to_text(html) == html_to_text(shown.html) and rows == shown.rows:
            raise Refused(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        shown.html, shown.rows = html, rows
        self._show(shown, edited=True)
        return shown.to_json()

    def _edit_reply_markup(self, parameters: dict[str, Any], _data: RequestData | None) -> Any:
        shown = self._message(parameters)
        rows = _rows(parameters)
        if rows == shown.rows:
            raise Refused(400, "Bad Request: message is not modified")
        shown.rows = rows
        self._show(shown, edited=True)
        return shown.to_json()

    def _delete_message(self, parameters: dict[str, Any], _data: RequestData | None) -> Any:
        shown = self._message(parameters)
        del self.messages[shown.message_id]
        if self.buttons_message is shown:
            self.buttons_message = None
        return True

    def _answer_callback_query(self, parameters: dict[str, Any], _data: RequestData | None) -> Any:
        text = str(parameters.get("text") or "")
        if len(text) > MAX_TOAST:
            raise Refused(400, "Bad Request: MESSAGE_TOO_LONG")
        if text:
            self.viewer.toast(text)
        return True

    def _send_document(self, parameters: dict[str, Any], data: RequestData | None) -> Any:
        # An upload travels as a multipart part named "document" (or as "attach://<name>").
        reference = str(parameters.get("document") or "attach://document")
        parts = data.multipart_data if data else {}
        part = parts.get(reference.removeprefix("attach://"))
        if part is None:
            raise Refused(400, "Bad Request: there is no document in the request")
        filename, content = str(part[0] or "document"), part[1]
        if not isinstance(content, bytes):
            content = content.read()
        self.files_folder.mkdir(parents=True, exist_ok=True)
        path = self.files_folder / Path(filename).name
        path.write_bytes(content)
        path.chmod(0o600)
        caption = html_to_text(_text(parameters, "caption", MAX_CAPTION, required=False))
        self.viewer.file(path, caption)
        message = ShownMessage(self.next_message_id(), int(self.clock().timestamp()), "")
        return {**message.to_json(), "document": {"file_id": filename, "file_unique_id": "1"}}

    # Helpers -------------------------------------------------------------------------------

    def _message(self, parameters: dict[str, Any]) -> ShownMessage:
        try:
            return self.messages[int(parameters.get("message_id", 0))]
        except (KeyError, ValueError):
            raise Refused(400, "Bad Request: message to edit not found") from None

    def _show(self, shown: ShownMessage, *, edited: bool) -> None:
        # A terminal shows the newest message last: its buttons are the ones in view.
        if shown.rows:
            self.buttons_message = shown
        elif not edited or self.buttons_message is shown:
            self.buttons_message = None
        self.viewer.message(shown, edited=edited)


def _text(parameters: dict[str, Any], name: str, limit: int, *, required: bool = True) -> str:
    html = str(parameters.get(name) or "")
    if required and not html.strip():
        raise Refused(400, "Bad Request: message text is empty")
    if len(html_to_text(html)) > limit:
        raise Refused(400, f"Bad Request: {name} is too long")
    return html


def _rows(parameters: dict[str, Any]) -> list[list[Button]]:
    markup = parameters.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        return []
    rows = []
    for row in markup.get("inline_keyboard", []):
        buttons = []
        for button in row:
            data = str(button.get("callback_data", ""))
            if not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise Refused(400, "Bad Request: BUTTON_DATA_INVALID")
            buttons.append(Button(str(button.get("text", "")), data))
        rows.append(buttons)
    return rows
