"""Evidence: working copies derived from originals, and analysts' internal-only marks.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sulh.store.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_copies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "evidence_id", sa.Integer, sa.ForeignKey("evidence.id"), nullable=False, index=True
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("made_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "evidence_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "evidence_id", sa.Integer, sa.ForeignKey("evidence.id"), nullable=False, index=True
        ),
        sa.Column("internal_only", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("marked_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("marked_at", UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("evidence_marks")
    op.drop_table("evidence_copies")
