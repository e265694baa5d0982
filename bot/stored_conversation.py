"""A conversation whose place in the flow is the database's, not one process's.

python-telegram-bot's ConversationHandler keeps every leader's state in a dict
of its own process. With two bot processes on one database (webhooks behind a
load balancer, or one process taking over from another) a leader's next update
may reach the process that did not see their last one; its dict would still
hold the place before it, and the leader would be answered as if they had not
moved on.

So before the conversation looks at an update, :meth:`StoredConversation.refresh`
reads the leader's state from the database (one primary-key lookup) and puts it
in the dict. The state is written by the handler's own transaction (see
``bot.turn``), so the database always holds the latest place.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.storage.conversation_state import load_state
from bot.storage.database import Database
from bot.turn import Context


class StoredConversation(ConversationHandler[Context]):
    """A ConversationHandler that takes each leader's state from the database first."""

    def __init__(self, database: Database, **options: Any) -> None:
        super().__init__(**options)
        self._database = database

    async def refresh(self, update: Update, context: Context) -> None:
        """Take the stored state of the update's leader into this process's dict.

        Registered in a group before the conversation's own (see ``bot.application``).
        """
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or self.name is None:
            return
        async with self._database.session() as session:
            state = await load_state(session, self.name, chat.id, user.id)
        key = (chat.id, user.id)
        # The dict is python-telegram-bot's own; it has no public way to set a state
        # from outside a handler. Writes to it are not persisted again (the handler's
        # transaction has stored the state; see bot.storage.conversation_state).
        if state is None:
            self._conversations.pop(key, None)
        else:
            self._conversations[key] = state
