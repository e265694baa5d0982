"""The conversation's states: what kind of typed answer the bot is waiting for.

Button presses carry everything they need in their callback data, so they work
in any state; the state only says what a typed message means. The states are
plain strings because they are stored in the database between updates.
"""

from __future__ import annotations

from telegram.ext import ConversationHandler

#: Nothing typed is expected; buttons and commands still work.
IDLE: int = ConversationHandler.END

# Setting up a case.
VICTIM_NAME = "victim_name"
CHILD_NAME = "child_name"
# Step 1: what the child who is bullied allows the leader to tell.
MAY_TELL = "may_tell"
# Step 2: the facts, a feeling in the leader's own word, the agreements.
FACTS = "facts"
FEELING = "feeling"
AGREEMENTS = "agreements"

# Step 3: a date for the follow-up, a new proposal after "not (fully) stopped".
FOLLOW_UP_DATE = "follow_up_date"
NEW_PROPOSAL = "new_proposal"
# Settings: a time zone typed by name.
TIME_ZONE = "time_zone"
