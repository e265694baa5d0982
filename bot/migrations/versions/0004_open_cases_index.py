"""An index for a leader's open cases: /cases counts and pages them from the index alone.

It starts with ``leader_id``, so it also serves every lookup the single-column index
on ``leader_id`` served; that one goes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_leader_open", "cases", ["leader_id", "closed_at", "id"])
    op.drop_index("ix_cases_leader_id", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_leader_id", "cases", ["leader_id"])
    op.drop_index("ix_cases_leader_open", table_name="cases")
