"""One leader's turn: one update handled as one unit of work.

Every handler of the bot is an ``async def handler(turn: Turn) -> None`` wrapped
with :func:`leader_turn`. The wrapper

1. opens one database session and transaction, loads (or creates) the leader —
   whose row also holds their place in the flow — and switches to the leader's
   language;
2. runs the handler, which changes rows (the place included) and queues what to
   show with :meth:`Turn.say`, :meth:`Turn.show` and :meth:`Turn.toast`;
3. commits, and only then talks to Telegram — so what the leader sees is always
   what was saved, and a failed send never loses what they entered.

One session per update: the leader's place is read and written with their data.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from bot import delivery, outbox
from bot.callback_data import Pressed
from bot.settings import Settings
from bot.storage import inbox, leaders, undelivered
from bot.storage.database import Database
from bot.storage.models import Leader, UndeliveredReply
from bot.telegram_faults import RetryPolicy
from flows.language import _, set_language

log = logging.getLogger(__name__)

Keyboard = Sequence[Sequence[tuple[str, Pressed]]]
#: A keyboard being built row by row.
Rows = list[Sequence[tuple[str, Pressed]]]
Context = ContextTypes.DEFAULT_TYPE


@dataclass
class Services:
    """What handlers and jobs share: the database, the settings and the clock."""

    database: Database
    settings: Settings
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    #: How a reply is tried again after a temporary failure (see ``bot.delivery``).
    reply_retry: RetryPolicy = field(default_factory=RetryPolicy)


SERVICES_KEY = "services"


def services(context: Context) -> Services:
    """The services the application was built with."""
    found = context.application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


@dataclass
class _Outgoing:
    text: str
    markup: InlineKeyboardMarkup | None
    edit: bool


@dataclass
class Turn:
    """The update in hand, the leader's rows, and what to show them afterwards."""

    update: Update
    context: Context
    session: AsyncSession
    leader: Leader
    now: datetime
    callback: Pressed | None = None
    _documents: list[tuple[bytes, str, str]] = field(default_factory=list)
    _rendered: list[tuple[Callable[[], bytes | None], str, str]] = field(default_factory=list)
    _outgoing: list[_Outgoing] = field(default_factory=list)
    _toast: str | None = None

    @property
    def text(self) -> str:
        """What the leader typed (empty for a button press)."""
        message = self.update.effective_message
        return (message.text or "") if message and not self.update.callback_query else ""

    def say(self, text: str, rows: Keyboard | None = None) -> None:
        """Send ``text`` (HTML, with everything typed already escaped) as a new message."""
        self._outgoing.append(_Outgoing(text, delivery.keyboard(rows), edit=False))

    def show(self, text: str, rows: Keyboard | None = None) -> None:
        """Replace the pressed message with ``text`` (or send it, when no button was pressed)."""
        editable = self.update.callback_query is not None and self.update.callback_query.message
        self._outgoing.append(_Outgoing(text, delivery.keyboard(rows), edit=bool(editable)))

    def send_file(self, data: bytes, filename: str, caption: str) -> None:
        """Send a file (an export) after the commit."""
        self._documents.append((data, filename, caption))

    def send_rendered(
        self, render: Callable[[], bytes | None], filename: str, caption: str
    ) -> None:
        """Send a file made by ``render`` (a PDF), rendered after the commit and beside the
        event loop: it takes seconds, and no other leader's turn waits for it. ``None``
        from ``render`` sends nothing."""
        self._rendered.append((render, filename, caption))

    @property
    def settings(self) -> Settings:
        """The operator's settings."""
        return services(self.context).settings

    def show_kept(self, kept: Sequence[UndeliveredReply]) -> None:
        """Screens an earlier turn could not deliver, first, with a word about why."""
        bot = self.context.bot
        self.say(_("A message of mine did not reach you. This is where we are:"))
        for reply in kept:
            screen = delivery.Screen.from_kept(reply.text, reply.keyboard, bot)
            self._outgoing.append(_Outgoing(screen.text, screen.markup, edit=False))

    def toast(self, text: str) -> None:
        """A short notice at the top of the leader's screen for a button press."""
        self._toast = text

    async def hold(self) -> list[int]:
        """Write the queued screens in the turn's transaction (see ``bot.outbox``)."""
        chat = self.update.effective_chat
        if chat is None:
            return []
        screens = [(o.text, o.markup) for o in self._outgoing]
        return await outbox.hold(self.session, self.leader.id, chat.id, screens, self.now)

    async def _files(self) -> AsyncIterator[tuple[bytes, str, str]]:
        """The files to send, each rendered only when those before it are sent."""
        for document in self._documents:
            yield document
        for render, filename, caption in self._rendered:
            data = await asyncio.to_thread(render)
            if data is not None:
                yield data, filename, caption

    async def deliver(self) -> None:
        """Send what the handler queued, after the commit, whatever Telegram does.

        See ``bot.delivery``: a failed press answer or edit never swallows the screen,
        temporary failures are tried again, and a screen that never arrives is kept
        for the leader's next update.
        """
        query = self.update.callback_query
        # The press's answer and its screen go out together: the screen comes a round
        # trip to Telegram sooner than after the answer (the answer never raises).
        answering = (
            asyncio.create_task(delivery.answer_press(query, self._toast))
            if query is not None
            else None
        )
        try:
            await self._show(query)
        finally:
            if answering is not None:
                await answering

    async def _show(self, query: CallbackQuery | None) -> None:
        chat = self.update.effective_chat
        if chat is None:
            return
        shared = services(self.context)
        screens = [delivery.Screen(o.text, o.markup, o.edit) for o in self._outgoing]
        async for document in self._files():
            instead = await delivery.send_document(
                self.context.bot, chat.id, document, shared.reply_retry
            )
            if instead is not None:
                screens.insert(0, instead)
        # A message Telegram no longer shows the bot (deleted, too old) cannot be edited.
        message = query.message if query else None
        pressed = message if isinstance(message, Message) and message.is_accessible else None
        await delivery.show_all(
            self.context.bot,
            shared.database,
            self.leader.id,
            chat.id,
            screens,
            pressed,
            shared.reply_retry,
            self.now,
        )


Handler = Callable[[Turn], Awaitable[None]]


class TurnCallback(Protocol):
    """A handler wrapped by :func:`leader_turn`: a python-telegram-bot callback.

    A button's handler is given the press already parsed (``bot.application`` parses
    each press once, to know whose it is).
    """

    def __call__(
        self, update: Update, context: Context, press: Pressed | None = None
    ) -> Coroutine[Any, Any, None]: ...


async def _show_kept_first(turn: Turn) -> bool:
    """Queue the screens Telegram did not take; whether the update is a typed answer.

    The leader's place moved on when those screens were made, so a typed message now
    answers a question they never saw: it stops here, and they answer it again. A
    command or a press says what they want now and goes on to its handler.
    """
    chat = turn.update.effective_chat
    if chat is None:
        return False
    kept = await undelivered.of_leader(turn.session, turn.leader.id, chat.id)
    await undelivered.forget(turn.session, [reply.id for reply in kept])
    turn.leader.undelivered = False
    if not kept:
        return False
    turn.show_kept(kept)
    message = turn.update.message
    return message is not None and not (message.text or "").startswith("/")


def leader_turn(handler: Handler) -> TurnCallback:
    """Wrap ``handler`` as a python-telegram-bot callback run as one unit of work."""

    @functools.wraps(handler)
    async def callback(update: Update, context: Context, press: Pressed | None = None) -> None:
        user = update.effective_user
        if user is None:
            return
        shared = services(context)
        now = shared.clock()
        async with shared.database.session() as session:
            forgotten: list[int] = []
            committed = False
            try:
                async with shared.database.write_turn(), session.begin():
                    # The rows of screens sent before go with this transaction (bot.outbox).
                    forgotten = await outbox.forget_sent(session, shared.database)
                    taken = await _take_turn(session, update, context, handler, press, now)
                committed = True
            finally:
                outbox.forgotten(shared.database, forgotten, committed)
            inbox.turn_committed(update.update_id)
            # What the turn erased is unreadable on disk before the leader hears it is gone.
            await shared.database.erased(session)
            turn, held = taken
            try:
                await turn.deliver()
            finally:
                await outbox.sent(shared.database, held)

    return callback


async def _take_turn(
    session: AsyncSession,
    update: Update,
    context: Context,
    handler: Handler,
    press: Pressed | None,
    now: datetime,
) -> tuple[Turn, list[int]]:
    """The turn's work in its transaction: the turn, and the ids of its screens' rows."""
    user = update.effective_user
    assert user is not None
    leader = await leaders.get_or_create(session, user.id, user.language_code, now)
    set_language(leader.language)
    turn = Turn(update, context, session, leader, now, callback=press)
    # A typed answer to a question the leader never saw is not taken.
    answered_unseen = leader.undelivered and await _show_kept_first(turn)
    if not answered_unseen:
        # The new place in the flow is saved with the data, before any answer.
        await handler(turn)
    # Handled exactly once: the inbox row is marked with the effects, or neither.
    await inbox.mark_done(session, update.update_id)
    # The screens too (bot.outbox): a process that dies before sending them
    # leaves them to the next one.
    held = await turn.hold()
    return turn, held
