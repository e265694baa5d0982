"""A note about a child: the rest of a text typed too long, kept aside by the leader.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("children", sa.Column("note", sa.Text()))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite has it since 3.35), as in 0012.
    op.drop_column("children", "note")
