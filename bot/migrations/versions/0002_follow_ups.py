"""Step 3: follow-ups, reminders, and each leader's rhythm.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("leaders") as leaders:
        leaders.add_column(
            sa.Column("time_zone", sa.String(64), nullable=False, server_default="Europe/Brussels")
        )
        leaders.add_column(
            sa.Column("quiet_start", sa.String(5), nullable=False, server_default="22:00")
        )
        leaders.add_column(
            sa.Column("quiet_end", sa.String(5), nullable=False, server_default="08:00")
        )
        leaders.add_column(sa.Column("meeting_weekday", sa.Integer()))
        leaders.add_column(sa.Column("meeting_time", sa.String(5)))
        leaders.add_column(sa.Column("blocked_at", TIME))
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "child_id",
            sa.Integer(),
            sa.ForeignKey("children.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("previous_choice", sa.String(16)),
    )
    with op.batch_alter_table("agreements") as agreements:
        agreements.add_column(
            sa.Column(
                "follow_up_id",
                sa.Integer(),
                sa.ForeignKey(
                    "follow_ups.id", name="fk_agreements_follow_up_id", ondelete="CASCADE"
                ),
            )
        )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "leader_id",
            sa.BigInteger(),
            sa.ForeignKey("leaders.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("cases.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "child_id",
            sa.Integer(),
            sa.ForeignKey("children.id", ondelete="CASCADE"),
            index=True,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("due_at", TIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("choice", sa.String(16)),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("claimed_at", TIME),
        sa.Column("sent_at", TIME),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.String(200)),
    )
    op.create_index("ix_reminders_due", "reminders", ["status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_reminders_due", table_name="reminders")
    op.drop_table("reminders")
    with op.batch_alter_table("agreements") as agreements:
        agreements.drop_constraint("fk_agreements_follow_up_id", type_="foreignkey")
        agreements.drop_column("follow_up_id")
    op.drop_table("follow_ups")
    with op.batch_alter_table("leaders") as leaders:
        for column in (
            "blocked_at",
            "meeting_time",
            "meeting_weekday",
            "quiet_end",
            "quiet_start",
            "time_zone",
        ):
            leaders.drop_column(column)
