"""The leader's place in the flow, in the leader's own row.

The typed answer the bot waits for moves from the ``conversation_states`` table
(written for python-telegram-bot's ConversationHandler) into ``leaders.awaiting``,
next to the case and child that answer is about; the table goes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: The conversation states of before, and what the bot now waits for in each.
_AWAITING = {
    "victim_name": "victim_name",
    "child_name": "child_name",
    "may_tell": "may_tell",
    "facts": "facts",
    "feeling": "feeling",
    "agreements": "agreements",
    "new_proposal": "agreements",
    "follow_up_date": "follow_up_date",
    "time_zone": "time_zone",
}

_states = sa.table(
    "conversation_states",
    sa.column("name", sa.String),
    sa.column("chat_id", sa.BigInteger),
    sa.column("user_id", sa.BigInteger),
    sa.column("state", sa.String),
)
_leaders = sa.table("leaders", sa.column("id", sa.BigInteger), sa.column("awaiting", sa.String))


def upgrade() -> None:
    op.add_column(
        "leaders", sa.Column("awaiting", sa.String(32), nullable=False, server_default="nothing")
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_states.c.user_id, _states.c.state).where(_states.c.name == "leader")
    ).all()
    for user_id, state in rows:
        awaiting = _AWAITING.get(json.loads(state)) if state else None
        if awaiting is not None:
            bind.execute(
                _leaders.update().where(_leaders.c.id == user_id).values(awaiting=awaiting)
            )
    op.drop_table("conversation_states")


def downgrade() -> None:
    op.create_table(
        "conversation_states",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("state", sa.String(64), nullable=False),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_leaders.c.id, _leaders.c.awaiting).where(_leaders.c.awaiting != "nothing")
    ).all()
    for leader_id, awaiting in rows:
        bind.execute(
            _states.insert().values(
                name="leader", chat_id=leader_id, user_id=leader_id, state=json.dumps(awaiting)
            )
        )
    # Plain SQL (SQLite >= 3.35 drops a column in place): a batch would rebuild ``leaders``,
    # and with foreign keys on, dropping the old table would take every case with it.
    op.execute("ALTER TABLE leaders DROP COLUMN awaiting")
