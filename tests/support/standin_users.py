"""The stand-in's simulated users and their chats: what a user sends and presses, what
the bot showed in each chat, and waiting for it."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from tests.support.standin_records import BOT_USERNAME, BotMessage, CallbackAnswer, ChatEvent
from tests.support.telegram_html import (
    utf16_length,
)

if TYPE_CHECKING:
    from tests.support.bot_api_standin import BotApiStandin


_BOT_COMMAND_IN_TEXT = re.compile(
    r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@/])"
)


class Signal:
    """Wakes everybody waiting for 'something changed' (single event loop only)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    def event(self) -> asyncio.Event:
        """The event the next ``notify`` sets (take it before checking the condition)."""
        return self._event

    async def wait(self, seconds: float) -> None:
        """Return at the next ``notify`` or after ``seconds``."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)


class ChatLog:
    """What the bot did in one chat, in order, and helpers to wait for it."""

    def __init__(self, api: BotApiStandin, chat: dict[str, Any]) -> None:
        self._api = api
        self.chat = chat
        self.events: list[ChatEvent] = []
        self.bot_messages: dict[int, BotMessage] = {}
        self.user_messages: dict[int, dict[str, Any]] = {}
        self._cursor = 0
        self._changed = Signal()
        self._message_ids = itertools.count(1)

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def is_private(self) -> bool:
        return bool(self.chat["type"] == "private")

    @property
    def messages(self) -> list[BotMessage]:
        """All messages the bot sent here (deleted ones too, flagged), in order."""
        return sorted(self.bot_messages.values(), key=lambda message: message.message_id)

    @property
    def last_message(self) -> BotMessage | None:
        """The newest message of the bot here that has not been deleted."""
        alive = [message for message in self.messages if not message.deleted]
        return alive[-1] if alive else None

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def record(self, kind: Literal["message", "edit", "delete"], message: BotMessage) -> None:
        self.events.append(ChatEvent(kind, message, message.text))
        self._changed.notify()

    async def expect(self, substring: str, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """Consume events until a new message or edit whose visible text contains ``substring``."""
        return await self._consume(
            lambda event: event.kind != "delete" and substring in event.text,
            f"a message containing {substring!r}",
            timeout,
        )

    async def expect_new_message(self, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """Consume events until the next new message (edits and deletions are skipped)."""
        return await self._consume(lambda event: event.kind == "message", "a new message", timeout)

    async def _consume(
        self, wanted: Callable[[ChatEvent], bool], what: str, within: float
    ) -> BotMessage:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        seen: list[ChatEvent] = []
        while True:
            while self._cursor < len(self.events):
                event = self.events[self._cursor]
                self._cursor += 1
                seen.append(event)
                if wanted(event):
                    return event.message
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(self._timeout_report(what, within, seen))
            await self._changed.wait(remaining)

    def _timeout_report(self, what: str, timeout: float, seen: list[ChatEvent]) -> str:
        name = self.chat.get("first_name") or self.chat.get("title") or ""
        lines = [f"Waited {timeout:g} s in chat {self.chat_id} ({name}) for {what}."]
        if seen:
            lines.append(f"What came instead ({len(seen)}):")
            lines += [f"  {e.kind} #{e.message.message_id}: {e.text!r}" for e in seen]
        else:
            lines.append("Nothing came in this chat while waiting.")
        if self._api.refusals:
            lines.append(f"Refusals so far: {self._api.refusals!r}")
        return "\n".join(lines)


class SimUser:
    """A simulated Telegram user talking to the bot (private chat id = user id)."""

    def __init__(
        self,
        api: BotApiStandin,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> None:
        self._api = api
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.blocked = False
        self.seen = False
        """The bot has received something from this user (so getChat works)."""
        self.started = False
        """The user has written to the bot privately (so the bot may message them)."""
        private_chat = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name:
            private_chat["last_name"] = last_name
        if username:
            private_chat["username"] = username
        self.chat = ChatLog(api, private_chat)
        self.callback_answers: list[CallbackAnswer] = []
        self._pressed: list[str] = []
        self._answer_cursor = 0
        self._answers_changed = Signal()

    def __repr__(self) -> str:
        return f"SimUser({self.id}, {self.first_name!r})"

    @property
    def chat_id(self) -> int:
        """The private chat's id, which is the user's id."""
        return self.id

    def to_json(self) -> dict[str, Any]:
        """The user as Telegram describes them in ``from``."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    # what the user does

    async def send(self, text: str) -> int:
        """Write ``text`` to the bot privately; returns the new message's id.

        A blocked user is unblocked first, as the Telegram app does when they write again.
        """
        if self.blocked:
            self.unblock()
        self.seen = self.started = True
        return self._api._user_message(self, self.chat, text)

    async def send_in_group(self, chat_id: int, text: str, title: str = "Groep") -> int | None:
        """Write ``text`` in group ``chat_id`` (negative); returns the message id if delivered.

        The bot runs in privacy mode (``can_read_all_group_messages`` is false), so, as in
        Telegram, it only receives commands that are not addressed to another bot and
        messages that mention it; other messages return ``None``.
        """
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        group = self._api._group(chat_id, title)
        self.seen = True
        if not _delivered_in_privacy_mode(text):
            group.next_message_id()
            return None
        return self._api._user_message(self, group, text)

    async def press(self, message: BotMessage | int, button_text: str) -> str:
        """Press the button labelled ``button_text`` on the message's current keyboard.

        The label matches exactly, or else as a unique substring. Returns the query id.
        """
        found = message if isinstance(message, BotMessage) else self._message(message)
        current = self._api._chat_log(found.chat_id).bot_messages.get(found.message_id)
        if current is None or current.deleted:
            raise AssertionError(f"message #{found.message_id} is gone: {found.text!r}")
        buttons = [
            b for row in (current.reply_markup or {}).get("inline_keyboard", []) for b in row
        ]
        matches = [b for b in buttons if b["text"] == button_text] or [
            b for b in buttons if button_text in b["text"]
        ]
        if len(matches) != 1:
            problem = "no button" if not matches else f"{len(matches)} buttons"
            raise AssertionError(
                f"{problem} labelled {button_text!r} on message #{current.message_id} "
                f"({current.text!r}); its buttons: {current.button_texts!r}"
            )
        button = matches[0]
        if "callback_data" not in button:
            raise AssertionError(f"button {button['text']!r} is not a callback button: {button}")
        return self._query(
            self._api._callback_query(
                self, current.chat_id, current.message_id, button["callback_data"]
            )
        )

    async def press_data(self, message_id: int, data: str, *, chat_id: int | None = None) -> str:
        """Send a callback query with arbitrary ``data`` (a forged or replayed press).

        ``message_id`` may be unknown or deleted; the update then carries an inaccessible
        message, as Telegram does for old messages. Returns the query id.
        """
        return self._query(self._api._callback_query(self, chat_id or self.id, message_id, data))

    def _query(self, query_id: str) -> str:
        self._pressed.append(query_id)
        return query_id

    def block(self) -> None:
        """Block the bot: it gets 403 for messages to this user and a my_chat_member update."""
        if not self.blocked:
            self.blocked = True
            if self.started:
                self._api._membership_update(self, old="member", new="kicked")

    def unblock(self) -> None:
        """Unblock the bot again (the bot gets a my_chat_member update)."""
        if self.blocked:
            self.blocked = False
            if self.started:
                self._api._membership_update(self, old="kicked", new="member")

    # what the user sees

    @property
    def messages(self) -> list[BotMessage]:
        """All messages the bot sent this user, in order."""
        return self.chat.messages

    @property
    def last_message(self) -> BotMessage | None:
        """The newest (not deleted) message from the bot in the private chat."""
        return self.chat.last_message

    async def expect(self, substring: str, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """Wait for a new message or edit in the private chat whose text contains ``substring``."""
        return await self.chat.expect(substring, timeout)

    async def expect_new_message(self, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """Wait for the next new message in the private chat."""
        return await self.chat.expect_new_message(timeout)

    async def expect_callback_answer(self, timeout: float = 5.0) -> CallbackAnswer:  # noqa: ASYNC109
        """Wait for the bot's next answerCallbackQuery to one of this user's presses."""

        def next_answer() -> CallbackAnswer | None:
            if self._answer_cursor >= len(self.callback_answers):
                return None
            self._answer_cursor += 1
            return self.callback_answers[self._answer_cursor - 1]

        return await self._answer(next_answer, "answer a button press", timeout)

    async def answer_to(self, query_id: str, timeout: float = 5.0) -> CallbackAnswer:  # noqa: ASYNC109
        """Wait for the bot's answerCallbackQuery to the press ``query_id``."""

        def its_answer() -> CallbackAnswer | None:
            return next((a for a in self.callback_answers if a.query_id == query_id), None)

        return await self._answer(its_answer, f"answer press {query_id}", timeout)

    async def _answer(
        self, found: Callable[[], CallbackAnswer | None], what: str, within: float
    ) -> CallbackAnswer:
        """The answer ``found`` returns, as soon as there is one, or an error after ``within``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while (answer := found()) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"Waited {within:g} s for the bot to {what} of {self!r}; "
                    f"answers so far: {self.callback_answers!r}; refusals: {self._api.refusals!r}"
                )
            await self._answers_changed.wait(remaining)
        return answer

    async def presses_answered(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has answered every press of this user so far.

        A press's answer goes out alongside its screen, so it may still be on its way
        when the screen is there: a fault meant for the next press's answer waits for it.
        """
        for query_id in self._pressed:
            await self.answer_to(query_id, timeout)

    def _message(self, message_id: int) -> BotMessage:
        found = self.chat.bot_messages.get(message_id)
        if found is None:
            raise AssertionError(f"the bot sent no message #{message_id} to {self!r}")
        return found

    def _answered(self, answer: CallbackAnswer) -> None:
        self.callback_answers.append(answer)
        self._answers_changed.notify()


def _delivered_in_privacy_mode(text: str) -> bool:
    """Whether a bot in privacy mode receives this group message."""
    if f"@{BOT_USERNAME}".lower() in text.lower():
        return True
    match = _BOT_COMMAND_IN_TEXT.match(text)
    if not match:
        return False
    _, _, addressee = match.group(0).partition("@")
    return not addressee or addressee.lower() == BOT_USERNAME


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities for every ``/command`` in ``text``, as Telegram marks them."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group(0)),
        }
        for match in _BOT_COMMAND_IN_TEXT.finditer(text)
    ]
