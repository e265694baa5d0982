"""A team's own history: a line of ``case_events`` and a notice may have no case.

A member removed from a team, or leaving it, is a change of the team, not of one case:
a line of ``case_events`` with the team and no case says so, and the notice that tells
it (a ``reminders`` row pointing at the line) has no case either. Both columns become
nullable; every row stays as it is.

On SQLite this rebuilds ``case_events`` and ``reminders`` (copy, drop, rename). No
foreign key points at either table, so dropping the old copy takes nothing with it.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

#: The tables whose ``case_id`` may be empty from this revision on.
TABLES = ("case_events", "reminders")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("case_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # The team's own lines, and the notices about them, have no place before this revision.
    op.execute("DELETE FROM reminders WHERE case_id IS NULL")
    op.execute("DELETE FROM case_events WHERE case_id IS NULL")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
