"""A planned talk in the leader's calendar: which talk's file they took, and its sequence.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("children", sa.Column("calendar_talk", sa.Integer()))
    op.add_column(
        "children",
        sa.Column("calendar_sequence", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite has it since 3.35), as in 0015.
    op.drop_column("children", "calendar_sequence")
    op.drop_column("children", "calendar_talk")
