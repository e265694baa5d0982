"""One history: the leader's choices join the case's events, and ``case_history`` goes.

Two tables held a case's history: ``case_history`` the choices a leader made (an
approach, what to do after a "no" in step 1, a next step) and ``case_events`` the
rest (consent, talks, agreements, shares, hand-overs, …). Each choice becomes an event
with the same case, child, moment, kind and value; it was made by the case's leader,
the only one who could choose then.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

#: The kinds ``case_history`` held (``flows.history.HistoryKind``).
CHOICES = "('approach', 'step1', 'next_step')"


def upgrade() -> None:
    op.execute(
        "INSERT INTO case_events (case_id, at, kind, actor_id, child_id, detail) "
        "SELECT h.case_id, h.at, h.kind, c.leader_id, h.child_id, h.detail "
        "FROM case_history h JOIN cases c ON c.id = h.case_id ORDER BY h.id"
    )
    op.drop_table("case_history")


def downgrade() -> None:
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
    # Who made a choice is not kept there: it was the case's leader.
    op.execute(
        "INSERT INTO case_history (case_id, child_id, at, kind, detail) "
        "SELECT case_id, child_id, at, kind, detail FROM case_events "
        f"WHERE kind IN {CHOICES} AND detail IS NOT NULL ORDER BY at, id"
    )
    op.execute(f"DELETE FROM case_events WHERE kind IN {CHOICES}")
