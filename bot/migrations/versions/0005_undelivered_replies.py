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


def downgrade() -> None:
    op.drop_table("undelivered_replies")
