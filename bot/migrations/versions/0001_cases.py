"""Leaders, cases, the children in them, agreements, conversation state.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Encrypted columns hold Fernet tokens: plain text columns as far as the database knows.
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "leaders",
        sa.Column("id", sa.BigInteger(), autoincrement=False, primary_key=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME, nullable=False),
        sa.Column("active_case_id", sa.Integer()),
        sa.Column("active_child_id", sa.Integer()),
        sa.Column("draft_criteria_mask", sa.Integer()),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "leader_id",
            sa.BigInteger(),
            sa.ForeignKey("leaders.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("victim_nickname", sa.Text(), nullable=False),
        sa.Column("criteria_mask", sa.Integer()),
        sa.Column("consent", sa.String(16), nullable=False),
        sa.Column("may_tell", sa.Text()),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("closed_at", TIME),
    )
    op.create_table(
        "children",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("cases.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("nickname", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("witnessed", sa.Boolean(), nullable=False),
        sa.Column("facts", sa.Text()),
        sa.Column("feeling", sa.Text()),
        sa.Column("held_at", TIME),
        sa.Column("reported_back_at", TIME),
    )
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "child_id",
            sa.Integer(),
            sa.ForeignKey("children.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_table(
        "conversation_states",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, primary_key=True),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, primary_key=True),
        sa.Column("state", sa.String(64), nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in ("meta", "conversation_states", "agreements", "children", "cases", "leaders"):
        op.drop_table(table)
