"""The group's rhythm: several activity days, their end, the lead time, a camp.

``leaders.meeting_days`` ("5", or "2,5" for Wednesday and Saturday) takes the place
of the single ``meeting_weekday``; ``meeting_end`` is when the activity ends;
``reminder_lead`` the minutes before the activity a reminder lands (one hour unless
set); ``camp_start``/``camp_end`` a period of daily activities; ``rhythm_asked``
whether the leader answered how the group works (a leader with a meeting day did).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, not a batch: on SQLite a batch copies and drops the leaders
    # table, and dropping it would take every leader's cases with it (ON DELETE CASCADE).
    op.add_column("leaders", sa.Column("meeting_days", sa.String(20)))
    op.add_column("leaders", sa.Column("meeting_end", sa.String(5)))
    op.add_column(
        "leaders", sa.Column("reminder_lead", sa.Integer(), nullable=False, server_default="60")
    )
    op.add_column("leaders", sa.Column("camp_start", sa.Date()))
    op.add_column("leaders", sa.Column("camp_end", sa.Date()))
    op.add_column(
        "leaders",
        sa.Column("rhythm_asked", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(
        "UPDATE leaders SET meeting_days = CAST(meeting_weekday AS VARCHAR(20)),"
        " rhythm_asked = true WHERE meeting_weekday IS NOT NULL AND meeting_time IS NOT NULL"
    )
    op.drop_column("leaders", "meeting_weekday")


def downgrade() -> None:
    op.add_column("leaders", sa.Column("meeting_weekday", sa.Integer()))
    # Only the first day fits in the old column.
    op.execute(
        "UPDATE leaders SET meeting_weekday = CAST(substr(meeting_days, 1, 1) AS INTEGER)"
        " WHERE meeting_days IS NOT NULL"
    )
    for column in (
        "rhythm_asked",
        "camp_end",
        "camp_start",
        "reminder_lead",
        "meeting_end",
        "meeting_days",
    ):
        op.drop_column("leaders", column)
