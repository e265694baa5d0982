"""Step 1 per child: the bullied child's permission, and what may be told, for each child.

The protocol's question is per child ("Mag ik met je X spreken…?"). Each child takes
the case's answer and text as they were; the case's own columns go.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "children",
        sa.Column("consent", sa.String(16), nullable=False, server_default="not_asked"),
    )
    # Encrypted like every text about a child: the token is copied as it is.
    op.add_column("children", sa.Column("may_tell", sa.Text()))
    op.execute(
        "UPDATE children SET "
        "consent = (SELECT cases.consent FROM cases WHERE cases.id = children.case_id), "
        "may_tell = (SELECT cases.may_tell FROM cases WHERE cases.id = children.case_id)"
    )
    # Plain SQL (SQLite >= 3.35 drops a column in place): a batch would rebuild ``cases``,
    # and with foreign keys on, dropping the old table would take every child with it.
    op.execute("ALTER TABLE cases DROP COLUMN may_tell")
    op.execute("ALTER TABLE cases DROP COLUMN consent")


def downgrade() -> None:
    op.add_column(
        "cases", sa.Column("consent", sa.String(16), nullable=False, server_default="not_asked")
    )
    op.add_column("cases", sa.Column("may_tell", sa.Text()))
    # The first child's answer stands for the case, as before.
    op.execute(
        "UPDATE cases SET "
        "consent = COALESCE((SELECT c.consent FROM children c WHERE c.case_id = cases.id "
        "ORDER BY c.position LIMIT 1), 'not_asked'), "
        "may_tell = (SELECT c.may_tell FROM children c WHERE c.case_id = cases.id "
        "ORDER BY c.position LIMIT 1)"
    )
    op.execute("ALTER TABLE children DROP COLUMN may_tell")
    op.execute("ALTER TABLE children DROP COLUMN consent")
