"""A text typed too long is kept until the leader says what to do with it; the place in
the flow can name an agreement being corrected.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Encrypted like every text about a child (bot.storage.encryption.EncryptedText).
    op.add_column("leaders", sa.Column("draft", sa.Text()))
    op.add_column("leaders", sa.Column("active_item_id", sa.Integer()))


def downgrade() -> None:
    # Plain SQL (SQLite >= 3.35 drops a column in place): a batch would rebuild ``leaders``,
    # and with foreign keys on, dropping the old table would take every case with it.
    op.execute("ALTER TABLE leaders DROP COLUMN active_item_id")
    op.execute("ALTER TABLE leaders DROP COLUMN draft")
