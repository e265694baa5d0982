"""A fuzzed leader: random steps against the real bot, and the checks after each one.

The fuzzer knows only what a leader sees: the commands of the "/" menu, the buttons
on the bot's messages (pressed with the data Telegram would send back), and what it
types. It never names a handler or the shape of the button data, so it keeps working
whatever the bot's insides become.

After every step (see :meth:`FuzzedLeader.step`):

* no error and no traceback was logged;
* every press was answered (answerCallbackQuery was called for it);
* every message in the private chat got a reply, unless Telegram was made to lose it
  for good, in which case the leader's next step is answered with "did not reach you";
* the stand-in refused nothing (no 400: the bot sends only what Telegram accepts);
* nothing of the leader's texts went to a group.

A step is over when a probe (another user asking /help) has been answered and the
intake has nothing in hand: updates are taken in in order, so by the probe's answer
everything before it is stored, and different leaders are handled at once, so the
leader's own update may still be in hand until the intake is idle.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from typing import Any

from bot.handlers.typed import ANSWERS
from flows.case import split_long
from flows.language import SUPPORTED_LANGUAGES, translations, using_language
from flows.phrasing import feeling_words
from tests.support.bot_api_standin import BotApiStandin
from tests.support.database_peek import count
from tests.support.standin_records import BOT_USERNAME, FAULTS, BotMessage
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until

#: The commands of the bot's "/" menu, and some it does not know.
COMMANDS = [
    "/start",
    "/help",
    "/new",
    "/cases",
    "/criteria",
    "/settings",
    "/language",
    "/privacy",
    "/export",
    "/delete",
    "/cancel",
    "/start extra words",
    "/nonsense",
    "/new@pestgesprek_bot",
]

#: Faults Telegram may answer with, on every method the bot calls while talking:
#: (method, fault, how many calls in a row). Temporary ones fewer times than a reply
#: is tried; "blocked" and five 5xx in a row lose the reply for good.
FAULT_PLAN = [
    ("answerCallbackQuery", "query too old", 1),
    ("answerCallbackQuery", "500", 1),
    ("answerCallbackQuery", "disconnect", 1),
    ("editMessageText", "message to edit not found", 1),
    ("editMessageText", "message can't be edited", 1),
    ("editMessageText", "500", 2),
    ("editMessageText", "disconnect", 1),
    ("editMessageText", "429", 1),
    ("sendMessage", "500", 3),
    ("sendMessage", "502", 1),
    ("sendMessage", "disconnect", 2),
    ("sendMessage", "429", 1),
    ("sendMessage", "blocked", 1),
    ("sendMessage", "500", 5),
    ("sendDocument", "500", 2),
    ("sendDocument", "disconnect", 1),
    ("getUpdates", "500", 1),
    ("getUpdates", "502", 1),
    ("getUpdates", "disconnect", 1),
]

NON_TEXT = ["sticker", "photo", "location", "contact", "dice", "voice"]
#: The note before screens that did not arrive, in every language the bot speaks.
LOST_NOTES = [
    translations(code).gettext("A message of mine did not reach you. This is where we are:")
    for code in SUPPORTED_LANGUAGES
]
#: Screens that show a part of a text typed too long, not taken (yet), in every language.
NOT_TAKEN = [
    translations(code).gettext(msgid)
    for code in SUPPORTED_LANGUAGES
    for msgid in (
        "The rest of what you typed:",
        "The rest of what you typed, so it is not lost:",
    )
]
PROBE_ID = 8_999_999
GROUP_ID = -1_009_876_543
_DIGITS = re.compile(r"\d+")


class ErrorLog(logging.Handler):
    """Collects every record at ERROR or above, and every record with a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)

    @contextmanager
    def installed(self) -> Iterator[ErrorLog]:
        root = logging.getLogger()
        root.addHandler(self)
        try:
            yield self
        finally:
            root.removeHandler(self)


@dataclass
class Figures:
    """How many of each probe were tried (failures stop the run, so none are counted)."""

    tried: Counter[str] = field(default_factory=Counter)

    def as_table(self) -> str:
        lines = ["| probe | tried | failed |", "|---|---:|---:|"]
        lines += [f"| {name} | {number} | 0 |" for name, number in sorted(self.tried.items())]
        return "\n".join(lines)


def guesses(data: str) -> list[str]:
    """Button data with each number in it replaced by a neighbour, a small and a huge id."""
    found = list(_DIGITS.finditer(data))
    variants = []
    for match in found:
        number = int(match.group())
        # Ids beyond the database's 32 bits too: they are no ids of ours, never a crash.
        for other in (number + 1, max(0, number - 1), 1, 2147483647, 2147483648, 999999999999):
            variants.append(data[: match.start()] + str(other) + data[match.end() :])
    return [v for v in dict.fromkeys(variants) if v != data and len(v.encode()) <= 64]


#: Every limit of a typed answer (the first part of a longer text may be kept).
_LIMITS = {a.limit for a in ANSWERS.values() if a.limit is not None}


def cleaned_forms(text: str) -> set[str]:
    """The forms in which the bot may store what was typed: trimmed, or on one line, or
    a part of a text typed too long (the leader may take its first part, then its rest,
    cut again while it is too long)."""
    whole = {text.strip(), " ".join(text.split())}
    parts: set[str] = set()
    for form in whole:
        for limit in _LIMITS:
            rest = form
            while rest:
                part, rest = split_long(rest, limit)
                parts.add(part)
    return (whole | parts | {" ".join(p.split()) for p in parts}) - {""}


class FuzzedLeader:
    """One leader talking to the bot in a private chat, driven step by step."""

    def __init__(
        self,
        api: BotApiStandin,
        leader: SimUser,
        database_url: str,
        errors: ErrorLog,
        figures: Figures,
        all_handled: Callable[[], Awaitable[None]],
    ) -> None:
        self.api = api
        self._all_handled = all_handled
        self.leader = leader
        self.database_url = database_url
        self.errors = errors
        self.figures = figures
        self.probe = api.user(PROBE_ID, "Probe", language_code="en")
        #: Every (message id, button data) the leader was ever shown.
        self.seen: dict[tuple[int, str], None] = {}
        #: Everything the leader typed, in the forms the bot may keep it.
        self.typed: set[str] = set()
        self.owed = False
        self.in_group = False
        #: The texts about children in the leader's last export.
        self.exported: set[str] = set()

    # steps

    async def step(self, action: tuple[Any, ...]) -> None:
        """Carry out one action and check everything a leader would notice."""
        kind = action[0]
        if kind == "series":
            # A command and the answers typed right after it, as a leader starting a task.
            for step in [("command", action[1]), *(("text", text) for text in action[2])]:
                await self.step(step)
            return
        self.figures.tried["steps"] += 1
        chat_events = len(self.leader.chat.events)
        injected = len(self.api.injected)
        expect_reply = False
        query_id: str | None = None
        typed_now: set[str] = set()
        if kind == "fault":
            method, name, times = action[1]
            # Faults on this leader's chat only: the probe is served as usual.
            chat_id = None if method == "getUpdates" else self.leader.id
            self.api.inject(method, FAULTS[name], count=times, chat_id=chat_id)
            self.figures.tried[f"fault {method} {name} x{times}"] += 1
            return
        if kind == "text":
            text = action[1]
            await self.leader.send(text)
            typed_now = cleaned_forms(text)
            self.typed |= typed_now
            expect_reply = True
        elif kind == "command":
            await self.leader.send(action[1])
            expect_reply = True
        elif kind == "non_text":
            self._send_non_text(action[1])
            expect_reply = True
        elif kind in ("press", "press_last", "stale", "guess", "random_data"):
            kind, query_id = await self._press(kind, action)
        elif kind == "group":
            self.in_group = True
            if await self.leader.send_in_group(GROUP_ID, action[1]) is None:
                self.figures.tried["group messages not delivered (privacy mode)"] += 1
                return
            self.typed |= cleaned_forms(action[1])
        elif kind == "group_press":
            if not self.in_group:
                # The leader and the bot in a group: a message the bot does not receive.
                await self.leader.send_in_group(GROUP_ID, "hallo")
            self.in_group = True
            query_id = await self.leader.press_data(1, action[1], chat_id=GROUP_ID)
        else:
            raise ValueError(f"unknown step {kind}")
        await self._settle()
        await self._check(kind, chat_events, injected, expect_reply, query_id, typed_now)

    async def _press(self, kind: str, action: tuple[Any, ...]) -> tuple[str, str]:
        """Press as ``kind`` says, or random data when there is nothing to press yet."""
        current = self._current_buttons()
        last = self.leader.last_message
        on_screen = [(last.message_id, d) for d in callback_data(last)] if last else []
        if kind == "press_last" and on_screen:
            message_id, data = on_screen[action[1] % len(on_screen)]
            kind = "press"
            self.figures.tried["presses of a button on screen"] += 1
        elif kind in ("press", "press_last") and current:
            message_id, data = current[action[1] % len(current)]
            kind = "press"
            self.figures.tried["presses of a button on an earlier message"] += 1
        elif kind == "stale" and self.seen:
            message_id, data = list(self.seen)[action[1] % len(self.seen)]
            self.figures.tried["presses of a button seen before (stale or replayed)"] += 1
        elif kind == "guess" and self.seen:
            message_id, data = list(self.seen)[action[1] % len(self.seen)]
            variants = guesses(data) or [data]
            data = variants[action[2] % len(variants)]
            self.figures.tried["presses with a guessed id"] += 1
        else:
            message_id, data = self.last_message_id(), action[-1] if kind == "random_data" else "x"
            kind = "random_data"
            self.figures.tried["presses with random data"] += 1
        return kind, await self.leader.press_data(message_id, data)

    def _send_non_text(self, what: str) -> None:
        payloads: dict[str, dict[str, Any]] = {
            "sticker": {
                "sticker": {
                    "file_id": "CAACAgIAAxkBAAIB",
                    "file_unique_id": "AgADsticker",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            },
            "photo": {
                "photo": [
                    {"file_id": "AgACphoto", "file_unique_id": "AQADp", "width": 90, "height": 90}
                ]
            },
            "location": {"location": {"latitude": 51.05, "longitude": 3.72}},
            "contact": {"contact": {"phone_number": "+32470000000", "first_name": "Kim"}},
            "dice": {"dice": {"emoji": "🎲", "value": 4}},
            "voice": {"voice": {"file_id": "AwACvoice", "file_unique_id": "AgADv", "duration": 2}},
        }
        chat = self.leader.chat
        message = {
            "message_id": chat.next_message_id(),
            "from": self.leader.to_json(),
            "chat": chat.chat,
            "date": 1_790_000_000,
            **payloads[what],
        }
        self.api.queue_update("message", message)

    async def _settle(self) -> None:
        """Wait until the bot has done everything about this step: the probe is answered."""
        probes = len(self.probe.chat.events)
        await self.probe.send("/help")
        await wait_until(lambda: len(self.probe.chat.events) > probes, "the probe's reply", 30)
        await self._all_handled()

    def _answer_tried(self, query_id: str) -> bool:
        return any(
            c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id
            for c in self.api.calls
        )

    async def _kept(self) -> bool:
        """Whether a reply to the leader is kept for their next update."""
        query = (
            "SELECT count(*) FROM undelivered_replies JOIN leaders ON leaders.id = leader_id "
            f"WHERE leaders.undelivered AND leader_id = {self.leader.id}"
        )
        return await count(self.database_url, query) > 0

    async def _check(
        self,
        kind: str,
        chat_events: int,
        injected: int,
        expect_reply: bool,
        query_id: str | None,
        typed_now: set[str],
    ) -> None:
        problems = [
            f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else r.getMessage()
            for r in self.errors.records
        ]
        assert not problems, f"logged after a {kind} step: {problems}"
        self._check_refusals()
        new_events = self.leader.chat.events[chat_events:]
        new_texts = [e.text for e in new_events]
        used = self.api.injected[injected:]
        private = kind in ("text", "command", "non_text", "press", "stale", "guess")
        was_owed = self.owed
        if any(method.startswith("send") for method, _ in used) or self.owed:
            self.owed = await self._kept()
        if was_owed and private and not self.owed:
            assert any(lost_note(t) for t in new_texts), "the lost reply came next"
            self.figures.tried["lost replies shown at the next step"] += 1
        lost = self.owed
        if lost:
            self.figures.tried["replies lost for good, kept for the next step"] += 1
        if query_id is not None:
            answered = self._answer_tried(query_id)
            assert answered, f"a {kind} press was not answered"
            self.figures.tried["presses answered"] += answered
        if expect_reply and not lost:
            assert new_events, f"no reply to a {kind} step"
            self.figures.tried["messages answered"] += 1
        for event in new_events:
            for data in callback_data(event.message):
                self.seen[(event.message.message_id, data)] = None
        self._check_groups()
        self.figures.tried.update(f"fault used: {m} {n}" for m, n in self.api.injected[injected:])
        # A text the bot shows back in its answer was taken: it is in the export now.
        # (Not a part of a text typed too long, shown before it is taken.)
        shown = "\n".join(
            e.text
            for e in new_events
            if not any(d.startswith("kf") for d in callback_data(e.message))
            and not any(e.text.startswith(note) for note in NOT_TAKEN)
        )
        accepted = {t for t in typed_now if len(t) >= 8 and t in shown and not t.startswith("/")}
        if accepted:
            await self.check_export(accepted)

    def _check_groups(self) -> None:
        if not self.in_group:
            return
        said = "\n".join(m.text for m in self.api.chat(GROUP_ID).messages)
        # The pointer to a private chat names the bot: typing its name is no leak.
        mine = f"@{BOT_USERNAME}"
        leaked = [
            t
            for t in self.typed
            if len(t) >= 6 and t in said and not t.startswith("/") and t not in mine
        ]
        assert not leaked, f"typed texts shown in a group: {leaked}"

    def _check_refusals(self) -> None:
        """Nothing refused: not even an edit to what the message already shows.

        Pressing a button twice asks for the same screen twice; the bot knows what each
        message shows (``bot.shown``) and skips that edit, so Telegram never answers
        "message is not modified" (each such 400 counts against the bot's limits).
        """
        assert self.api.refusals == [], f"the stand-in refused: {self.api.refusals}"

    # what the leader sees

    def last_message_id(self) -> int:
        last = self.leader.last_message
        return last.message_id if last else 1

    def _current_buttons(self) -> list[tuple[int, str]]:
        return [
            (message.message_id, data)
            for message in self.leader.messages
            if not message.deleted
            for data in callback_data(message)
        ]

    # at the end

    async def check_export(self, accepted: set[str] | None = None) -> None:
        """/export holds only texts that were typed, and the ``accepted`` ones among them."""
        self.api.clear_injections()
        data = json.loads(await self._export())
        found = set(_texts(data))
        labels = {
            label for message in self.leader.messages for row in message.buttons for label, _ in row
        }
        strange = {t for t in found if t not in self.typed and not _a_buttons_word(t, labels)}
        assert not strange, f"exported texts nobody typed: {strange!r}"
        # The time zone is the leader's own setting (a default one too), not a text typed.
        settings = {str(data.get("leader", {}).get("time_zone"))}
        missing = {t for t in accepted or set() if t not in found | settings}
        assert not missing, f"accepted texts missing from the export: {missing!r}"
        # What a second leader must never be shown: the texts about children, not the
        # leader's own settings (a time zone typed is one anybody may have).
        self.exported = found - settings
        self.figures.tried["exports checked"] += 1
        self.figures.tried["typed texts shown back, found in the export"] += len(accepted or ())

    async def _export(self) -> bytes:
        """The file /export sends (after any screens owed from before)."""
        chat_events = len(self.leader.chat.events)
        await self.leader.send("/export")

        def document() -> bytes | None:
            for event in self.leader.chat.events[chat_events:]:
                if _is_json(event.message) and event.message.document is not None:
                    return event.message.document.data
            return None

        await wait_until(lambda: document() is not None, "the export", 30)
        await self._settle()
        self.owed = await self._kept()
        found = document()
        assert found is not None
        return found

    async def check_access(self, other: SimUser, guessed: int | None) -> None:
        """A second leader presses every data the first was shown, and guesses: nothing shows.

        ``guessed``: how many of the guessed variants to press (``None``: all of them).
        """
        await other.send("/start")
        await other.expect_new_message(10)
        datas = list(dict.fromkeys(d for _, d in self.seen))
        variants = [g for d in datas for g in guesses(d)]
        pressed = [*datas, *variants[:guessed]]
        # What the first leader told about children, as their last export holds it.
        secrets = {t for t in self.exported if len(t) >= 6}
        for data in pressed:
            query_id = await other.press_data(1, data)
            await wait_until(lambda q=query_id: self._answer_tried(q), "the press answered", 30)
            self.figures.tried["presses by a second leader of the first one's data"] += 1
        self.figures.tried["of which with a guessed id"] += len(pressed) - len(datas)
        await self._settle()
        seen_by_other = "\n".join(e.text for e in other.chat.events)
        leaked = [s for s in secrets if s in seen_by_other]
        assert not leaked, f"the second leader was shown: {leaked!r}"
        assert not self.errors.records, [r.getMessage() for r in self.errors.records]
        self._check_refusals()


def _a_buttons_word(value: str, labels: set[str]) -> bool:
    """Whether an exported value is what a button says, as stored (a feeling's code)."""
    if value in labels:
        return True
    for code in SUPPORTED_LANGUAGES:
        with using_language(code):
            word = feeling_words(value)
        if word != escape(value) and any(word in label for label in labels):
            return True
    return False


def _is_json(message: BotMessage) -> bool:
    """Whether the message is the export's JSON file (a case's history comes as HTML)."""
    return message.document is not None and message.document.filename.endswith(".json")


def lost_note(text: str) -> bool:
    """Whether ``text`` starts the screens that did not arrive before."""
    return any(note in text for note in LOST_NOTES)


def callback_data(message: BotMessage) -> list[str]:
    """The data of the message's current callback buttons, as Telegram sends them back."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def _texts(data: Any) -> Iterator[str]:
    """Every free text in an export: the values of its text fields about a child."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in {
                "child_who_is_bullied",
                "may_tell",
                "nickname",
                "facts",
                "feeling",
                "text",
            } and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(data, list):
        for item in data:
            yield from _texts(item)
