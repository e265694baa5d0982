"""Screens that Telegram did not take, to show the leader at their next update.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "undelivered_replies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "leader_id",
            sa.BigInteger(),
            sa.ForeignKey("leaders.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("keyboard", sa.Text()),
    )
    # Set while screens are kept, so a leader's update needs no query to know there are none.
    # A plain ADD COLUMN: on SQLite a batch would rebuild ``leaders``, and with foreign keys
    # on, dropping the old table would take every case with it.
    op.add_column(
        "leaders", sa.Column("undelivered", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    # Plain SQL (SQLite >= 3.35 drops a column in place): a batch would rebuild ``leaders``,
    # and with foreign keys on, dropping the old table would take every case with it.
    op.execute("ALTER TABLE leaders DROP COLUMN undelivered")
    op.drop_table("undelivered_replies")
