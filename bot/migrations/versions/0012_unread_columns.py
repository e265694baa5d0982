"""Columns that were written and never read go.

A reminder's last error (each failure is in the log already), when a case was
shared, since when a co-leader follows a child up, when a hand-over was offered
(the case's history has each of those moments), and when an update reached the
inbox. When a leader joined a team stays: the team's members are listed in that
order, and /export says it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: The moments that go: (table, column).
MOMENTS = [
    ("case_shares", "shared_at"),
    ("responsibilities", "since"),
    ("handovers", "offered_at"),
    ("inbox", "received_at"),
]


def upgrade() -> None:
    # Plain DROP COLUMNs (SQLite has them since 3.35): a batch would rebuild each table,
    # and with foreign keys on, dropping the old one would take its children with it.
    op.drop_column("reminders", "last_error")
    for table, column in MOMENTS:
        op.drop_column(table, column)


def downgrade() -> None:
    op.add_column("reminders", sa.Column("last_error", sa.String(200)))
    for table, column in MOMENTS:
        # SQLite adds a NOT NULL column only with a constant default; the moments
        # themselves are not known any more, so the rows get the downgrade's.
        op.add_column(
            table,
            sa.Column(
                column,
                sa.DateTime(timezone=True),
                nullable=False,
                server_default="1970-01-01 00:00:00+00:00",
            ),
        )
        op.execute(f"UPDATE {table} SET {column} = CURRENT_TIMESTAMP")
