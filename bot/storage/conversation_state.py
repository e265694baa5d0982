"""python-telegram-bot persistence that keeps conversation states in the bot's database.

Only conversations are persisted: every other record (cases, children,
agreements, where a leader is typing) lives in its own tables and is written in
the handler's own transaction. The bot flushes after every update (see
``bot.application``), not only every ``update_interval``, so a SIGKILL loses no
leader's place in a flow.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.storage.database import Database
from bot.storage.models import ConversationState


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
        """Every stored state of the conversation handler ``name``."""
        async with self.database.session() as session:
            rows = await session.scalars(
                select(ConversationState).where(ConversationState.name == name)
            )
            return {(row.chat_id, row.user_id): json.loads(row.state) for row in rows}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Store (or, on ``None``, forget) one leader's state."""
        chat_id, user_id = int(key[0]), int(key[1])
        async with self.database.session() as session, session.begin():
            row = await session.get(ConversationState, (name, chat_id, user_id))
            if new_state is None:
                if row is not None:
                    await session.delete(row)
                return
            state = json.dumps(new_state)
            if row is None:
                session.add(
                    ConversationState(name=name, chat_id=chat_id, user_id=user_id, state=state)
                )
            else:
                row.state = state

    async def forget_user(self, user_id: int) -> None:
        """Drop every stored state of a leader (used when their data is erased)."""
        async with self.database.session() as session, session.begin():
            await session.execute(
                delete(ConversationState).where(ConversationState.user_id == user_id)
            )

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
