"""A leader keeps the name teams know them by, also once out of every team.

``leaders.team_name`` (encrypted, like ``team_members.display_name``): the Telegram
first name a leader last made or joined a team with. A leader removed from a team is
told who got their cases back, and the others who it was, by that name. Existing
leaders in a team get the name of their newest membership; the tokens are copied as
they are (the same key opens them).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("leaders", sa.Column("team_name", sa.Text(), nullable=True))
    op.execute(
        "UPDATE leaders SET team_name = (SELECT m.display_name FROM team_members m"
        " WHERE m.leader_id = leaders.id ORDER BY m.id DESC LIMIT 1)"
    )


def downgrade() -> None:
    op.drop_column("leaders", "team_name")
