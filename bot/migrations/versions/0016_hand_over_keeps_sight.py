"""Whoever hands a case over keeps seeing it, unless they chose not to.

An offer of a whole case now says whether the leader who offers it keeps seeing the
case once it is accepted (``handovers.keeps_sight``). Offers made before this
revision keep it: that is what a hand-over means now, and nobody was asked.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "handovers",
        sa.Column("keeps_sight", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.drop_column("handovers", "keeps_sight")
