"""The approach a case goes on with, the bullied child's view at a follow-up, a case's history.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: on SQLite a batch would rebuild the table, and with foreign keys
    # on, dropping the old one would take its children with it.
    op.add_column("cases", sa.Column("approach", sa.String(16)))
    op.add_column("follow_ups", sa.Column("victim_view", sa.String(16)))
    op.create_table(
        "case_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("cases.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("child_id", sa.Integer(), sa.ForeignKey("children.id", ondelete="CASCADE")),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("detail", sa.String(24), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_history")
    # Plain DROP COLUMNs (SQLite has them since 3.35): a batch would rebuild ``cases``, and
    # with foreign keys on, dropping the old table would take its children with it.
    op.drop_column("follow_ups", "victim_view")
    op.drop_column("cases", "approach")
