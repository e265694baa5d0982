"""Whether the leader saw it themselves is unknown until they say so.

``children.witnessed`` was ``NOT NULL`` with ``true`` as its default, so a child for
whom the question was never answered read as "I saw it myself" (in /export too).
It becomes nullable: ``NULL`` until the leader answers. Existing rows keep their
value: an answer given before cannot be told apart from the old default, and
keeping it loses nothing a leader chose.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("children", "witnessed", existing_type=sa.Boolean(), nullable=True)
        return
    # SQLite changes no column's NOT NULL in place, and copying the table (batch mode)
    # would drop it, and with it, by cascade, every agreement of every child. A new
    # column takes the values instead, and the name.
    op.add_column("children", sa.Column("witnessed_answer", sa.Boolean(), nullable=True))
    op.execute("UPDATE children SET witnessed_answer = witnessed")
    op.drop_column("children", "witnessed")
    op.execute("ALTER TABLE children RENAME COLUMN witnessed_answer TO witnessed")


def downgrade() -> None:
    # Not answered reads as seen, as the protocol's first frame does.
    op.execute("UPDATE children SET witnessed = true WHERE witnessed IS NULL")
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("children", "witnessed", existing_type=sa.Boolean(), nullable=False)
        return
    op.add_column(
        "children",
        sa.Column("witnessed_old", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.execute("UPDATE children SET witnessed_old = witnessed")
    op.drop_column("children", "witnessed")
    op.execute("ALTER TABLE children RENAME COLUMN witnessed_old TO witnessed")
