"""Penalties: measures and the guarantors' decisions on them, compliance, commitments, crossings.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sulh.store.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("party", sa.String(64), nullable=False, index=True),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("threshold", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("escalates_id", sa.Integer, sa.ForeignKey("measures.id"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("compliance", sa.String(16), nullable=True),
        _when("proposed_at"),
        _when("decided_at", nullable=True),
        sa.Column("deadline", UTCDateTime(timezone=True), nullable=True, index=True),
        _when("closed_at", nullable=True),
        sa.Column(
            "agreement_version_id",
            sa.Integer,
            sa.ForeignKey("agreement_versions.id"),
            nullable=False,
        ),
    )
    op.create_table(
        "measure_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "measure_id", sa.Integer, sa.ForeignKey("measures.id"), nullable=False, index=True
        ),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("member_name", sa.String(64), nullable=False),
        sa.Column("guarantor", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        _when("at"),
        sa.UniqueConstraint("measure_id", "member_id"),
    )
    op.create_table(
        "compliance_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "measure_id", sa.Integer, sa.ForeignKey("measures.id"), nullable=True, index=True
        ),
        sa.Column("commitment", sa.String(64), nullable=True, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("party", sa.String(64), nullable=True),
        sa.Column("by_user", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        _when("at"),
    )
    op.create_table(
        "commitment_states",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("commitment", sa.String(64), nullable=False, unique=True),
        sa.Column("party", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _when("updated_at"),
    )
    op.create_table(
        "crossing_statuses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("crossing", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        _when("since"),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_user", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        _when("recorded_at"),
    )


def downgrade() -> None:
    for table in (
        "crossing_statuses",
        "commitment_states",
        "compliance_events",
        "measure_decisions",
        "measures",
    ):
        op.drop_table(table)
