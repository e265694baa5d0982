"""A stand-in for the Telegram Bot API, for end-to-end tests.

The real bot (python-telegram-bot with its real httpx client) is pointed at
``f"{api.root}/bot"`` and talks HTTP to this server on 127.0.0.1. The server answers like
Telegram: the same JSON envelopes, the same 400/403/409/429 refusals with Telegram's wording,
the same long-poll and webhook behaviour. Every refusal is also recorded in ``api.refusals``
so a fixture can assert that the bot never triggered one.

Simulated users (``api.user(...)``) send messages and press buttons, which queue updates;
what the bot sends, edits and deletes is recorded per chat, and ``await user.expect("...")``
waits for it::

    async with BotApiStandin() as api:
        lien = api.user(1001, first_name="Lien")
        await lien.send("/start")
        welcome = await lien.expect("Welkom")
        await lien.press(welcome, "Begin")
        await lien.expect_callback_answer()

Where Telegram's exact behaviour is unknown or impractical, the stand-in is stricter than
Telegram rather than more lenient (see ``telegram_html`` for the HTML rules).

This module is the server and its methods. What it records and refuses with is in
``standin_records``, the simulated users and their chats in ``standin_users``, and
what Telegram refuses in a message the bot sends in ``standin_checks``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from tests.support.standin_checks import (
    check_inline_button,
    check_markup_limits,
    check_parse_mode,
    explicit_entities,
    inline_keyboard_of,
    trimmed,
)
from tests.support.standin_records import (
    BOT_FIRST_NAME,
    BOT_ID,
    BOT_USERNAME,
    QUERY_TOO_OLD,
    ApiCall,
    ApiError,
    BotMessage,
    CallbackAnswer,
    Document,
    Fault,
    WebhookDelivery,
)
from tests.support.standin_users import ChatLog, Signal, SimUser, command_entities
from tests.support.telegram_html import (
    ParsedText,
    TelegramHtmlError,
    parse_html,
    utf16_length,
)

__all__ = ["BotApiStandin"]

_LOGGER = logging.getLogger(__name__)


_VALID_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
_TOKEN_SHAPE = re.compile(r"^\d+:.+$")

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# fmt: off
_CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note"
})
# fmt: on
# fmt: off
_SCOPE_TYPES = frozenset({
    "default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
    "chat_administrators", "chat_member"
})
# fmt: on
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_ERROR_NAMES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_CONFLICT_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


# -- public records -------------------------------------------------------------------------


@dataclass
class _Upload:
    filename: str
    data: bytes
    content_type: str | None


@dataclass
class _Injection:
    fault: Fault
    remaining: int
    chat_id: int | None


@dataclass
class _Poll:
    terminated: asyncio.Event = field(default_factory=asyncio.Event)
    reason: str = _CONFLICT_OTHER_POLL


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _CallbackQuery:
    user: SimUser
    answered: bool = False


@dataclass
class _RateLimit:
    global_per_second: int | None
    per_chat_per_second: int | None
    per_group_per_minute: int | None


# -- chats and users ------------------------------------------------------------------------


# -- request parameters ---------------------------------------------------------------------


class _Params:
    """A method's parameters from the query string, a JSON body or a (multipart) form.

    Form values arrive as strings (python-telegram-bot JSON-encodes everything that is not a
    string), JSON bodies as typed values; the accessors accept both.
    """

    def __init__(
        self,
        raw: dict[str, Any],
        files: dict[str, _Upload],
        request: web.Request | None = None,
    ) -> None:
        self.raw = raw
        self.files = files
        self._request = request

    def client_connected(self) -> bool:
        """Whether the client that made this call is still listening for the answer."""
        if self._request is None:
            return True
        transport = self._request.transport
        return transport is not None and not transport.is_closing()

    def get(self, name: str) -> Any:
        return self.raw.get(name)

    def text(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def integer(self, name: str, invalid: str | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            with contextlib.suppress(ValueError):
                number = float(str(value))
                if number.is_integer():
                    return int(number)
            raise ApiError(400, invalid or f"Bad Request: invalid {name} specified") from None

    def number(self, name: str) -> float | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {name} specified") from None

    def boolean(self, name: str) -> bool:
        value = self.raw.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def json(self, name: str, what: str) -> Any:
        value = self.raw.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from None
        return value


# -- the server -----------------------------------------------------------------------------

_Handler = Callable[[_Params], Awaitable[Any]]


class BotApiStandin:
    """An aiohttp server on 127.0.0.1 that behaves like ``https://api.telegram.org``.

    Point the bot at ``f"{api.root}/bot"`` (``api.base_url``). Use as ``async with
    BotApiStandin() as api:`` or call ``start()`` / ``stop()``.
    """

    def __init__(
        self,
        *,
        strict_html_entities: bool = True,
        long_poll_cap: float = 1.0,
        webhook_attempts: int = 3,
        webhook_retry_delay: float = 0.2,
    ) -> None:
        self.strict_html_entities = strict_html_entities
        self.long_poll_cap = long_poll_cap
        self.webhook_attempts = webhook_attempts
        self.webhook_retry_delay = webhook_retry_delay
        self.latency = 0.0
        """Seconds every method but getUpdates waits before answering, like a far server."""

        self.refusals: list[tuple[str, str]] = []
        """Every refusal as ``(method, description)``, except injected and flood ones."""
        self.flood_refusals: list[tuple[str, int | None]] = []
        """429s from ``limit_rate`` as ``(method, chat_id)``."""
        self.calls: list[ApiCall] = []
        self.injected: list[tuple[str, str]] = []
        """Every injected fault that was used, as ``(method, fault name)``."""
        self.abandoned: list[tuple[str, int | None]] = []
        """Stalled calls whose client went away before they were carried out, as
        ``(method, chat_id)``."""
        self.update_listeners: list[Callable[[list[int]], None]] = []
        """Called with the update ids of each getUpdates answer, just before it is sent."""
        self._handed_out: dict[int, dict[str, Any]] = {}
        self.webhook_listeners: list[Callable[[WebhookDelivery], Awaitable[None]]] = []
        """Awaited after each webhook post, before the next one is made."""
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.open_polls = 0
        """getUpdates calls being answered right now (a long poll waits here)."""

        self._users: dict[int, SimUser] = {}
        self._groups: dict[int, ChatLog] = {}
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(700_000_001)
        self._updates_changed = Signal()
        self._allowed_updates: list[str] = []
        self._active_poll: _Poll | None = None
        self._webhook: _Webhook | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_attempts: dict[int, int] = {}
        self._queries: dict[str, _CallbackQuery] = {}
        self._query_ids = itertools.count(4_300_000_000_000_000_001)
        self._files: dict[str, Document] = {}
        self._file_ids = itertools.count(1)
        self._commands: dict[tuple[str, int | None, int | None, str], list[dict[str, str]]] = {}
        self._injections: dict[str, deque[_Injection]] = {}
        self._rate_limit: _RateLimit | None = None
        self._sent_at: deque[tuple[float, int]] = deque()
        self._tasks: set[asyncio.Task[web.Response]] = set()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._methods: dict[str, tuple[str, _Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "sendDocument": self._send_document,
                "editMessageText": self._edit_message_text,
                "answerCallbackQuery": self._answer_callback_query,
                "setMyCommands": self._set_my_commands,
            }.items()
        }

    # lifecycle

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        if self._runner is not None:
            raise RuntimeError("the stand-in is already running")
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=2.0
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(runner.addresses[0][1])
        self._runner = runner
        self._closing.clear()

    async def stop(self) -> None:
        """Answer open long-polls, stop webhook delivery and close the server."""
        if self._runner is None:
            return
        self._closing.set()
        await self._stop_webhook_delivery()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=3.0)
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> BotApiStandin:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def root(self) -> str:
        """``http://127.0.0.1:PORT``."""
        if self._port is None:
            raise RuntimeError("start() the stand-in first")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """The ``base_url`` for python-telegram-bot: ``f"{root}/bot"``."""
        return f"{self.root}/bot"

    # test controls

    def user(
        self,
        user_id: int,
        first_name: str = "Lien",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "nl",
    ) -> SimUser:
        """The simulated user ``user_id`` (created on first use)."""
        if user_id not in self._users:
            if user_id <= 0:
                raise ValueError("user ids are positive")
            self._users[user_id] = SimUser(
                self,
                user_id,
                first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
            )
        return self._users[user_id]

    def chat(self, chat_id: int) -> ChatLog:
        """The log of a private chat (user id) or of a group a user wrote in."""
        return self._chat_log(chat_id)

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        delay: float | None = None,
        count: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail or answer late.

        ``status=429`` answers "Too Many Requests: retry after N" with
        ``parameters.retry_after``; ``status=500`` "Internal Server Error"; ``delay`` waits
        that many seconds before answering (after which, without ``status``, the call is
        carried out normally - like Telegram, which still sends a message whose request
        timed out on the client side).
        """
        if status is None and delay is None:
            raise ValueError("give a status, a delay or both")
        name = "time-out" if status is None else str(status)
        self.inject(method, Fault(name, status, description, retry_after, delay), count=count)

    def inject(
        self, method: str, fault: Fault, *, count: int = 1, chat_id: int | None = None
    ) -> None:
        """Answer the next ``count`` calls of ``method`` with ``fault`` (after those queued).

        With ``chat_id``, only calls about that chat count (for answerCallbackQuery: the
        presses of that user), so other chats are served as usual meanwhile. Every fault
        that is used is recorded in ``injected`` as ``(method, fault name)``; injected
        refusals are not the bot's fault and stay out of ``refusals``.
        """
        if method.lower() not in self._methods:
            raise ValueError(f"the stand-in has no method {method!r}")
        queue = self._injections.setdefault(method.lower(), deque())
        queue.append(_Injection(fault, count, chat_id))

    def clear_injections(self) -> None:
        """Forget the faults not used yet."""
        self._injections.clear()

    def hold_answers(self, method: str, *, count: int = 1) -> asyncio.Event:
        """Carry out the next ``count`` calls of ``method`` but answer only once the event is set.

        The message is there for the user at once; the bot waits for Telegram's answer
        until the test sets the returned event (or the stand-in stops).
        """
        release = asyncio.Event()
        queue = self._injections.setdefault(method.lower(), deque())
        queue.append(_Injection(Fault("held", hold=release), count, None))
        return release

    def limit_rate(
        self,
        global_per_second: int | None = 30,
        per_chat_per_second: int | None = 1,
        per_group_per_minute: int | None = 20,
    ) -> None:
        """Refuse new messages beyond these rates with 429, as Telegram's flood control does.

        Windows are sliding; only sendMessage and sendDocument count. Refusals are recorded
        in ``flood_refusals`` (not in ``refusals``).
        """
        self._rate_limit = _RateLimit(global_per_second, per_chat_per_second, per_group_per_minute)

    def queue_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an arbitrary update ``{kind: payload}``; returns its update_id."""
        update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, kind: payload})
        self._updates_changed.notify()
        return update_id

    def deliver_again(self, update_id: int) -> None:
        """Give an update handed out by getUpdates once more, as Telegram does when the
        confirmation of a batch did not reach it."""
        update = self._handed_out[update_id]
        self._pending = sorted([*self._pending, update], key=lambda u: int(u["update_id"]))
        self._updates_changed.notify()

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by getUpdates or delivered to the webhook."""
        return list(self._pending)

    @property
    def webhook_url(self) -> str | None:
        return self._webhook.url if self._webhook else None

    def count_calls(self, method: str) -> int:
        """How many calls of ``method`` the bot has made so far."""
        return sum(1 for call in self.calls if call.method == method)

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[tuple[str, str]] | None:
        """The commands set for ``scope`` (default scope) and language, or ``None``."""
        key = _scope_key(scope or {"type": "default"}, language_code)
        stored = self._commands.get(key)
        return None if stored is None else [(c["command"], c["description"]) for c in stored]

    # HTTP

    async def _not_found(self, request: web.Request) -> web.Response:
        self.refusals.append((request.path, "Not Found"))
        return _error_response(ApiError(404, "Not Found"))

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        if not _VALID_TOKEN.match(token):
            if _TOKEN_SHAPE.match(token):
                error = ApiError(401, "Unauthorized: invalid token specified")
            else:
                error = ApiError(404, "Not Found")
            self.refusals.append((method, error.description))
            return _error_response(error)
        known = self._methods.get(method.lower())
        if known is None:
            self.refusals.append((method, "Not Found"))
            return _error_response(ApiError(404, "Not Found"))
        name, handler = known
        try:
            params = await _read_params(request)
        except ApiError as error:
            self.refusals.append((name, error.description))
            return _error_response(error)
        self.calls.append(ApiCall(name, dict(params.raw)))
        if name == "getUpdates":
            # Not shielded: a client that gives up on a long-poll cancels it.
            return await self._respond(name, handler, params, request)
        # Shielded: like Telegram, a call whose client timed out is still carried out.
        task = asyncio.ensure_future(self._respond(name, handler, params, request))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(task)

    async def _respond(
        self, name: str, handler: _Handler, params: _Params, request: web.Request
    ) -> web.Response:
        if self.latency and name != "getUpdates":
            await asyncio.sleep(self.latency)
        injected = self._take_injection(name, params)
        if injected is not None:
            self.injected.append((name, injected.name))
            if injected.disconnect and request.transport is not None:
                request.transport.close()
                return web.Response(status=500)  # never reaches the client
            if injected.delay:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), injected.delay)
            if injected.stall is not None:
                while not (injected.stall.is_set() or self._closing.is_set()):
                    if not params.client_connected():
                        self.abandoned.append((name, _chat_id_or_none(params)))
                        return web.Response(status=500)  # nobody is there to read it
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(injected.stall.wait(), 0.02)
            if injected.status is not None:
                return _error_response(_injected_error(injected))
        try:
            counted = self._check_flood(name, params)
            result = await handler(params)
            if counted is not None:
                self._sent_at.append(counted)
            if injected is not None and injected.hold is not None:
                await _wait_any([injected.hold, self._closing], None)
        except ApiError as error:
            if error.status == 429:
                self.flood_refusals.append((name, _chat_id_or_none(params)))
            else:
                self.refusals.append((name, error.description))
            return _error_response(error)
        except Exception as error:  # a bug in the stand-in must fail the test too
            _LOGGER.exception("the Bot API stand-in crashed in %s", name)
            self.refusals.append((name, f"stand-in crashed: {error!r}"))
            return _error_response(ApiError(500, "Internal Server Error"))
        if injected is not None and injected.cut_short:
            whole = json.dumps({"ok": True, "result": result}, ensure_ascii=False)
            return web.Response(text=whole[: len(whole) // 2], content_type="application/json")
        if isinstance(result, _WithDescription):
            return web.json_response(
                {"ok": True, "result": result.result, "description": result.description}
            )
        return web.json_response({"ok": True, "result": result})

    def _take_injection(self, name: str, params: _Params) -> Fault | None:
        queue = self._injections.get(name.lower())
        if not queue:
            return None
        chat_id = _chat_id_or_none(params)
        if name == "answerCallbackQuery":
            query = self._queries.get(params.text("callback_query_id") or "")
            chat_id = query.user.id if query else None
        for injection in queue:
            if injection.chat_id is None or injection.chat_id == chat_id:
                injection.remaining -= 1
                if injection.remaining <= 0:
                    queue.remove(injection)
                return injection.fault
        return None

    def _check_flood(self, name: str, params: _Params) -> tuple[float, int] | None:
        """Raise 429 beyond ``limit_rate``; else the entry to count if the call succeeds."""
        limit = self._rate_limit
        if limit is None or name not in ("sendMessage", "sendDocument"):
            return None
        chat_id = _chat_id_or_none(params)
        if chat_id is None:
            return None
        now = asyncio.get_running_loop().time()
        while self._sent_at and self._sent_at[0][0] < now - 60:
            self._sent_at.popleft()
        windows: list[tuple[list[float], int | None, float]] = [
            ([t for t, _ in self._sent_at if t > now - 1], limit.global_per_second, 1.0),
        ]
        same_chat = [t for t, c in self._sent_at if c == chat_id]
        if chat_id < 0:
            windows.append(([t for t in same_chat if t > now - 60], limit.per_group_per_minute, 60))
        else:
            windows.append(([t for t in same_chat if t > now - 1], limit.per_chat_per_second, 1))
        for times, allowed, window in windows:
            if allowed is not None and len(times) >= allowed:
                retry_after = max(1, math.ceil(times[-allowed] + window - now))
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )
        return now, chat_id

    # chats

    def _chat_log(self, chat_id: int) -> ChatLog:
        if chat_id in self._users:
            return self._users[chat_id].chat
        if chat_id in self._groups:
            return self._groups[chat_id]
        raise KeyError(f"no chat {chat_id}")

    def _group(self, chat_id: int, title: str) -> ChatLog:
        if chat_id not in self._groups:
            self._groups[chat_id] = ChatLog(self, {"id": chat_id, "type": "group", "title": title})
        return self._groups[chat_id]

    def _resolve_chat(self, params: _Params) -> ChatLog:
        """The chat named by ``chat_id``, as far as the bot can see it."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        try:
            chat_id = int(str(raw).strip())
        except ValueError:
            raise ApiError(400, "Bad Request: chat not found") from None
        user = self._users.get(chat_id)
        if user is not None and user.seen:
            return user.chat
        if chat_id in self._groups:
            return self._groups[chat_id]
        raise ApiError(400, "Bad Request: chat not found")

    def _check_reachable(self, chat: ChatLog) -> None:
        """403s for private chats the bot may not write to."""
        if not chat.is_private:
            return
        user = self._users[chat.chat_id]
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not user.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")

    def _bot_json(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

    def _message_json(self, message: BotMessage) -> dict[str, Any]:
        chat = self._chat_log(message.chat_id)
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self._bot_json(),
            "chat": chat.chat,
            "date": message.date,
        }
        entities = [entity.to_json() for entity in message.entities]
        if message.document is not None:
            document = message.document
            data["document"] = {
                "file_id": document.file_id,
                "file_unique_id": f"unique-{document.file_id}",
                "file_name": document.filename,
                "file_size": len(document.data),
            }
            if document.mime_type:
                data["document"]["mime_type"] = document.mime_type
            if message.text:
                data["caption"] = message.text
            if entities:
                data["caption_entities"] = entities
        else:
            data["text"] = message.text
            if entities:
                data["entities"] = entities
        if message.reply_markup is not None:
            data["reply_markup"] = message.reply_markup
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.reply_to_message_id is not None:
            replied = chat.bot_messages.get(message.reply_to_message_id)
            if replied is not None:
                data["reply_to_message"] = self._message_json(replied)
            elif message.reply_to_message_id in chat.user_messages:
                data["reply_to_message"] = chat.user_messages[message.reply_to_message_id]
        return data

    # updates from simulated users

    def _user_message(self, user: SimUser, chat: ChatLog, text: str) -> int:
        message_id = chat.next_message_id()
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": user.to_json(),
            "chat": chat.chat,
            "date": int(time.time()),
            "text": text,
        }
        entities = command_entities(text)
        if entities:
            message["entities"] = entities
        chat.user_messages[message_id] = message
        self.queue_update("message", message)
        return message_id

    def _callback_query(self, user: SimUser, chat_id: int, message_id: int, data: str) -> str:
        query_id = str(next(self._query_ids))
        chat = self._chat_log(chat_id)
        message = chat.bot_messages.get(message_id)
        if message is not None and not message.deleted:
            message_json = self._message_json(message)
        else:
            message_json = {"chat": chat.chat, "message_id": message_id, "date": 0}
        self._queries[query_id] = _CallbackQuery(user)
        self.queue_update(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_json(),
                "message": message_json,
                "chat_instance": str(abs(chat_id) * 7919 + 4_000_000_000_000_000),
                "data": data,
            },
        )
        return query_id

    def _membership_update(self, user: SimUser, *, old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"user": self._bot_json(), "status": status}
            if status == "kicked":
                data["until_date"] = 0
            return data

        self.queue_update(
            "my_chat_member",
            {
                "chat": user.chat.chat,
                "from": user.to_json(),
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    # methods: bot and updates

    async def _get_me(self, params: _Params) -> dict[str, Any]:
        return {
            **self._bot_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
            "has_topics_enabled": False,
            "allows_users_to_create_topics": False,
        }

    async def _get_updates(self, params: _Params) -> list[dict[str, Any]]:
        if self._webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK_ACTIVE)
        offset = params.integer("offset") or 0
        limit = min(max(params.integer("limit") or 100, 1), 100)
        timeout = max(params.number("timeout") or 0.0, 0.0)
        allowed = params.json("allowed_updates", "allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]

        if self._active_poll is not None:
            self._active_poll.terminated.set()
        poll = _Poll()
        self._active_poll = poll
        self.open_polls += 1
        try:
            self._confirm(offset)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + min(timeout, self.long_poll_cap)
            while True:
                if poll.terminated.is_set():
                    # A poll its client abandoned (python-telegram-bot cancels it on stop)
                    # is no conflict; give the disconnect a moment to arrive before deciding.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._closing.wait(), 0.1)
                    if not params.client_connected():
                        return []
                    raise ApiError(409, poll.reason)
                updates = self._deliverable()[:limit]
                remaining = deadline - loop.time()
                if updates or self._closing.is_set() or remaining <= 0:
                    if updates:
                        self._handed_out.update((u["update_id"], u) for u in updates)
                        for listener in list(self.update_listeners):
                            listener([u["update_id"] for u in updates])
                    return updates
                await _wait_any(
                    [self._updates_changed.event(), poll.terminated, self._closing], remaining
                )
        finally:
            self.open_polls -= 1
            if self._active_poll is poll:
                self._active_poll = None

    def _confirm(self, offset: int) -> None:
        """Forget updates confirmed by ``offset`` (negative: keep only the last -offset)."""
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _DEFAULT_EXCLUDED_UPDATES

    def _deliverable(self) -> list[dict[str, Any]]:
        """Pending updates of allowed types (others are dropped, as Telegram never makes them)."""
        self._pending = [update for update in self._pending if self._allowed(update)]
        return list(self._pending)

    async def _set_webhook(self, params: _Params) -> _WithDescription:
        url = params.text("url") or ""
        if not url:
            return await self._delete_webhook(params)
        parts = urlsplit(url)
        loopback = parts.hostname in _LOOPBACK_HOSTS
        if parts.scheme != "https" and not (loopback and parts.scheme == "http"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if not loopback and (parts.port or 443) not in (80, 88, 443, 8443):
            raise ApiError(
                400,
                "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            )
        secret = params.text("secret_token")
        if secret is not None and not _SECRET_TOKEN_RE.match(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        allowed = params.json("allowed_updates", "allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]
        if params.boolean("drop_pending_updates"):
            self._pending.clear()
        if self._active_poll is not None:
            self._active_poll.reason = "Conflict: terminated by setWebhook request"
            self._active_poll.terminated.set()
        previous = self._webhook
        self._webhook = _Webhook(
            url=url,
            secret_token=secret,
            max_connections=params.integer("max_connections") or 40,
            ip_address=params.text("ip_address"),
        )
        if previous is not None and previous.url == url and previous.secret_token == secret:
            description = "Webhook is already set"
        else:
            description = "Webhook was set"
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_to_webhook())
        return _WithDescription(True, description)

    async def _delete_webhook(self, params: _Params) -> _WithDescription:
        if params.boolean("drop_pending_updates"):
            self._pending.clear()
        was_set = self._webhook is not None
        self._webhook = None
        await self._stop_webhook_delivery()
        return _WithDescription(
            True, "Webhook was deleted" if was_set else "Webhook is already deleted"
        )

    async def _get_webhook_info(self, params: _Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook.url if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook is not None:
            info["max_connections"] = self._webhook.max_connections
            if self._webhook.ip_address:
                info["ip_address"] = self._webhook.ip_address
            if self._webhook.last_error_date is not None:
                info["last_error_date"] = self._webhook.last_error_date
                info["last_error_message"] = self._webhook.last_error_message
        if self._allowed_updates:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    async def _stop_webhook_delivery(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver_to_webhook(self) -> None:
        """POST pending updates one by one to the webhook, retrying failures a few times."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while self._webhook is not None and not self._closing.is_set():
                waiting_on = self._updates_changed.event()
                pending = self._deliverable()
                if not pending:
                    await _wait_any([waiting_on, self._closing], None)
                    continue
                webhook, update = self._webhook, pending[0]
                status, error = await _post_update(session, webhook, update)
                attempt = self._webhook_attempts.get(update["update_id"], 0) + 1
                delivery = WebhookDelivery(update["update_id"], webhook.url, status, attempt, error)
                self.webhook_deliveries.append(delivery)
                for listener in list(self.webhook_listeners):
                    await listener(delivery)
                if status is not None and 200 <= status < 300:
                    self._drop_update(update)
                    continue
                webhook.last_error_date = int(time.time())
                webhook.last_error_message = error or f"Wrong response from the webhook: {status}"
                self._webhook_attempts[update["update_id"]] = attempt
                if attempt >= self.webhook_attempts:
                    self._drop_update(update)
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), self.webhook_retry_delay * attempt)

    def _drop_update(self, update: dict[str, Any]) -> None:
        self._pending = [u for u in self._pending if u["update_id"] != update["update_id"]]
        self._webhook_attempts.pop(update["update_id"], None)

    # methods: messages

    async def _send_message(self, params: _Params) -> dict[str, Any]:
        chat_given = params.get("chat_id") not in (None, "")
        text = params.text("text")
        if not chat_given:
            raise ApiError(400, "Bad Request: chat_id is empty")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        parse_mode = params.text("parse_mode")
        check_parse_mode(parse_mode)
        markup = _parse_reply_markup(params)
        chat = self._resolve_chat(params)
        formatted = self._format(text, parse_mode, params, caption=False)
        reply_to = self._reply_target(chat, params)
        check_markup_limits(markup)
        self._check_reachable(chat)
        message = BotMessage(
            message_id=chat.next_message_id(),
            chat_id=chat.chat_id,
            html=text,
            text=formatted.text,
            date=int(time.time()),
            parse_mode=parse_mode,
            entities=formatted.entities,
            reply_markup=inline_keyboard_of(markup),
            reply_to_message_id=reply_to,
        )
        chat.bot_messages[message.message_id] = message
        chat.record("message", message)
        return self._message_json(message)

    async def _send_document(self, params: _Params) -> dict[str, Any]:
        if params.get("chat_id") in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        caption = params.text("caption") or ""
        parse_mode = params.text("parse_mode")
        check_parse_mode(parse_mode)
        markup = _parse_reply_markup(params)
        chat = self._resolve_chat(params)
        document = self._document_from(params)
        formatted = (
            self._format(caption, parse_mode, params, caption=True) if caption else ParsedText("")
        )
        reply_to = self._reply_target(chat, params)
        check_markup_limits(markup)
        self._check_reachable(chat)
        self._files[document.file_id] = document
        message = BotMessage(
            message_id=chat.next_message_id(),
            chat_id=chat.chat_id,
            html=caption,
            text=formatted.text,
            date=int(time.time()),
            parse_mode=parse_mode,
            entities=formatted.entities,
            reply_markup=inline_keyboard_of(markup),
            document=document,
            reply_to_message_id=reply_to,
        )
        chat.bot_messages[message.message_id] = message
        chat.record("message", message)
        return self._message_json(message)

    def _document_from(self, params: _Params) -> Document:
        value = params.get("document")
        upload = params.files.get("document")
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = params.files.get(value.removeprefix("attach://"))
            if upload is None:
                raise ApiError(400, "Bad Request: there is no document in the request")
        if upload is not None:
            if not upload.data:
                raise ApiError(400, "Bad Request: file must be non-empty")
            if len(upload.data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            filename = params.text("filename") or upload.filename or "document"
            return Document(filename, upload.data, upload.content_type, self._new_file_id())
        if value in (None, ""):
            raise ApiError(400, "Bad Request: there is no document in the request")
        known = self._files.get(str(value))
        if known is None:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return known

    def _new_file_id(self) -> str:
        return f"BQACAgQAAxkDAAI{next(self._file_ids):08d}StandinDocument"

    async def _edit_message_text(self, params: _Params) -> dict[str, Any]:
        chat = self._edit_target_chat(params)
        text = params.text("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        parse_mode = params.text("parse_mode")
        check_parse_mode(parse_mode)
        markup = _parse_reply_markup(params, inline_only=True)
        formatted = self._format(text, parse_mode, params, caption=False)
        message = self._message_to_edit(chat, params)
        check_markup_limits(markup)
        if message.document is not None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        new_markup = inline_keyboard_of(markup)
        if (formatted.text, formatted.entities, new_markup) == (
            message.text,
            message.entities,
            message.reply_markup,
        ):
            raise ApiError(400, _NOT_MODIFIED)
        self._check_reachable(chat)
        message.history.append(message.text)
        message.html, message.text, message.parse_mode = text, formatted.text, parse_mode
        message.entities = formatted.entities
        message.reply_markup = new_markup
        self._mark_edited(chat, message)
        return self._message_json(message)

    def _edit_target_chat(self, params: _Params) -> ChatLog:
        if params.get("chat_id") in (None, "") and params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        return self._resolve_chat(params)

    def _message_to_edit(self, chat: ChatLog, params: _Params) -> BotMessage:
        message_id = params.integer(
            "message_id", "Bad Request: message identifier is not specified"
        )
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = chat.bot_messages.get(message_id)
        if message is None and message_id in chat.user_messages:
            raise ApiError(400, "Bad Request: message can't be edited")
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _mark_edited(self, chat: ChatLog, message: BotMessage) -> None:
        message.edited += 1
        message.edit_date = int(time.time())
        chat.record("edit", message)

    async def _answer_callback_query(self, params: _Params) -> bool:
        query_id = params.text("callback_query_id") or ""
        query = self._queries.get(query_id)
        if query is None or query.answered:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.text("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query.answered = True
        query.user._answered(CallbackAnswer(query_id, text, params.boolean("show_alert")))
        return True

    def _format(
        self, text: str, parse_mode: str | None, params: _Params, *, caption: bool
    ) -> ParsedText:
        """Parse, strip and length-check a text or caption as Telegram does."""
        if parse_mode:
            try:
                parsed = parse_html(text, strict_entities=self.strict_html_entities)
            except TelegramHtmlError as error:
                raise ApiError(400, error.description) from None
        else:
            key = "caption_entities" if caption else "entities"
            parsed = ParsedText(text, explicit_entities(text, params.json(key, "entities")))
        stripped = trimmed(parsed)
        if not caption and not stripped.text:
            raise ApiError(400, "Bad Request: text must be non-empty")
        limit = MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH
        if utf16_length(stripped.text) > limit:
            too_long = "message caption is too long" if caption else "message is too long"
            raise ApiError(400, f"Bad Request: {too_long}")
        return stripped

    def _reply_target(self, chat: ChatLog, params: _Params) -> int | None:
        reply = params.json("reply_parameters", "reply parameters")
        allow_missing = params.boolean("allow_sending_without_reply")
        target: int | None
        if isinstance(reply, dict):
            if "message_id" not in reply:
                raise ApiError(400, 'Bad Request: can\'t find field "message_id"')
            target = int(reply["message_id"])
            allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
        else:
            target = params.integer("reply_to_message_id")
        if target is None:
            return None
        exists = target in chat.user_messages or (
            target in chat.bot_messages and not chat.bot_messages[target].deleted
        )
        if exists:
            return target
        if allow_missing:
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")

    # methods: commands, menu button, chats

    async def _set_my_commands(self, params: _Params) -> bool:
        commands = params.json("commands", "commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        checked: list[dict[str, str]] = []
        for command in commands:
            if not isinstance(command, dict):
                raise ApiError(400, "Bad Request: can't parse BotCommand: expected an Object")
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not name:
                raise ApiError(400, "Bad Request: command must be non-empty")
            if not _COMMAND_RE.match(name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not description:
                raise ApiError(400, "Bad Request: command description must be non-empty")
            if len(description) > 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            checked.append({"command": name, "description": description})
        key = self._commands_key(params)
        if checked:
            self._commands[key] = checked
        else:
            self._commands.pop(key, None)
        return True

    def _commands_key(self, params: _Params) -> tuple[str, int | None, int | None, str]:
        scope = params.json("scope", "BotCommandScope")
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict):
            raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
        kind = scope.get("type")
        if kind is None:
            raise ApiError(
                400, "Bad Request: can't parse BotCommandScope: Can't find field \"type\""
            )
        if kind not in _SCOPE_TYPES:
            raise ApiError(
                400, "Bad Request: can't parse BotCommandScope: Unsupported type specified"
            )
        if kind in ("chat", "chat_administrators", "chat_member"):
            if "chat_id" not in scope:
                raise ApiError(
                    400, "Bad Request: can't parse BotCommandScope: Can't find field \"chat_id\""
                )
            if kind == "chat_member" and "user_id" not in scope:
                raise ApiError(
                    400, "Bad Request: can't parse BotCommandScope: Can't find field \"user_id\""
                )
            self._resolve_chat(_Params({"chat_id": scope["chat_id"]}, {}))
        language_code = params.text("language_code") or ""
        if language_code and not re.fullmatch(r"[a-z]{2}", language_code):
            raise ApiError(400, "Bad Request: LANG_CODE_INVALID")
        return _scope_key(scope, language_code)


# -- helpers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _WithDescription:
    """A successful result that Telegram answers with a ``description`` too."""

    result: Any
    description: str


def _error_response(error: ApiError) -> web.Response:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": error.status,
        "description": error.description,
    }
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.status)


def _injected_error(fault: Fault) -> ApiError:
    status = fault.status or 500
    if status == 429:
        return ApiError(
            429,
            fault.description or f"Too Many Requests: retry after {fault.retry_after}",
            {"retry_after": fault.retry_after},
        )
    return ApiError(status, fault.description or _ERROR_NAMES.get(status, "Error"))


async def _read_params(request: web.Request) -> _Params:
    """Merge the query string with a JSON, url-encoded or multipart body."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, _Upload] = {}
    if request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON encoded request") from None
            if isinstance(body, dict):
                raw.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    files[name] = _Upload(value.filename, data, value.content_type)
                else:
                    raw[name] = value
    return _Params(raw, files, request)


def _chat_id_or_none(params: _Params) -> int | None:
    with contextlib.suppress(TypeError, ValueError):
        return int(str(params.get("chat_id")).strip())
    return None


async def _wait_any(events: Iterable[asyncio.Event], seconds: float | None) -> None:
    """Return when one of ``events`` is set or after ``seconds`` (``None``: no limit)."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def _post_update(
    session: aiohttp.ClientSession, webhook: _Webhook, update: dict[str, Any]
) -> tuple[int | None, str | None]:
    headers = {}
    if webhook.secret_token:
        headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
    try:
        async with session.post(webhook.url, json=update, headers=headers) as response:
            await response.read()
            if 200 <= response.status < 300:
                return response.status, None
            return response.status, (
                f"Wrong response from the webhook: {response.status} {response.reason}"
            )
    except (aiohttp.ClientError, TimeoutError) as error:
        return None, f"Connection failed: {error!r}"


# fmt: off
# fmt: on


def _parse_reply_markup(params: _Params, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Parse ``reply_markup`` and check its structure (the Bot API's own checks)."""
    markup = params.json("reply_markup", "reply keyboard markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if inline_only:
            raise ApiError(400, "Bad Request: can't parse inline keyboard markup JSON object")
        if not any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, 'Bad Request: field "inline_keyboard" must be of type Array')
    for row in rows:
        for button in row:
            check_inline_button(button)
    return {"inline_keyboard": rows}


def _scope_key(
    scope: dict[str, Any], language_code: str
) -> tuple[str, int | None, int | None, str]:
    def as_int(value: Any) -> int | None:
        return None if value is None else int(value)

    return (
        str(scope.get("type", "default")),
        as_int(scope.get("chat_id")),
        as_int(scope.get("user_id")),
        language_code,
    )
