"""python-telegram-bot persistence that keeps conversation states in the bot's database.

Only conversations are persisted: every other record (cases, children,
agreements, where a leader is typing) lives in its own tables and is written in
the handler's own transaction. Each handler also writes its new state with
:func:`store_state` in that same transaction, before it answers (see
``bot.turn``): what the leader sees, their data and their place in the flow are
saved together, so a SIGKILL at any moment loses none of them.

That transaction is the only writer. The persistence below loads nothing at
start-up and writes nothing afterwards: python-telegram-bot would otherwise write
its in-memory copy back a minute later, and with two bot processes on one
database that copy may be older than what the other process has stored since.
Before each update the leader's stored state is read again with
:func:`load_state` (see ``bot.application``), so either process may serve the
next update of any leader.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import BasePersistence, ConversationHandler, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.storage.database import Database
from bot.storage.models import ConversationState


async def store_state(
    session: AsyncSession, name: str, chat_id: int, user_id: int, state: object | None
) -> None:
    """Write one leader's state in ``session``; ``None`` or the end state forgets it."""
    row = await session.get(ConversationState, (name, chat_id, user_id))
    if state is None or state == ConversationHandler.END:
        if row is not None:
            await session.delete(row)
        return
    encoded = json.dumps(state)
    if row is None:
        session.add(ConversationState(name=name, chat_id=chat_id, user_id=user_id, state=encoded))
    elif row.state != encoded:
        row.state = encoded


async def load_state(session: AsyncSession, name: str, chat_id: int, user_id: int) -> object | None:
    """One leader's stored state, or ``None`` when they are not in the middle of anything."""
    row = await session.get(ConversationState, (name, chat_id, user_id))
    return None if row is None else json.loads(row.state)


class SqlConversationPersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Conversation states in the ``conversation_states`` table."""

    def __init__(self, database: Database, update_interval: float = 60) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.database = database

    async def get_conversations(self, name: str) -> ConversationDict:
        """Nothing at start-up: each leader's state is read before each of their updates.

        (See ``bot.stored_conversation``.) Loading every stored state here would make the
        start-up, and the memory it takes, grow with the number of leaders.
        """
        return {}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Nothing to do: the handler's own transaction has stored the state already."""
        return None

    # Nothing else is persisted through python-telegram-bot.
    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None
