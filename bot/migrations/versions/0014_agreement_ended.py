"""An agreement stands until the leader marks that it no longer does.

A new proposal at a follow-up used to replace every agreement before it. Now each
earlier agreement stands until the leader marks, with a later round's new proposal,
that it no longer does: ``agreements.ended_in`` holds that round's follow-up id. Every
agreement there is stands after the upgrade, as the protocol asks about "de gemaakte
afspraken"; the downgrade forgets which ones ended.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agreements", sa.Column("ended_in", sa.Integer()))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite has it since 3.35), as in 0012.
    op.drop_column("agreements", "ended_in")
