"""The inbox: updates stored before they are acknowledged to Telegram.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("sender_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.Text()),
        sa.Column("received_at", TIME, nullable=False),
        sa.Column("done_at", TIME),
    )
    op.create_index("ix_inbox_sender", "inbox", ["sender_id", "update_id"])
    op.create_index("ix_inbox_done", "inbox", ["done_at"])


def downgrade() -> None:
    # Updates not yet handled are lost with the table: downgrade a stopped bot only.
    op.drop_index("ix_inbox_done", table_name="inbox")
    op.drop_index("ix_inbox_sender", table_name="inbox")
    op.drop_table("inbox")
