"""Evidence: each file's extracted metadata, and its chain of custody.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sulh.store.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_metadata",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "evidence_id", sa.Integer, sa.ForeignKey("evidence.id"), nullable=False, unique=True
        ),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("extracted_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "custody_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "evidence_id", sa.Integer, sa.ForeignKey("evidence.id"), nullable=False, index=True
        ),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("custody_events")
    op.drop_table("evidence_metadata")
