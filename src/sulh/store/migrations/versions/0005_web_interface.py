"""The web interface: users' language and time zone; incidents by when they happened.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sulh.store.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_preferences",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
    )
    # The dashboard counts and lists incidents by when they happened, for every tier filter.
    op.create_index("ix_incidents_status_time", "incidents", ["status", "event_time"])


def downgrade() -> None:
    op.drop_index("ix_incidents_status_time", table_name="incidents")
    op.drop_table("user_preferences")
