"""fusion: incidents match and grade; accounts, grades, merges and splits

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sulh.store.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

When = sulh.store.types.UTCDateTime(timezone=True)


def _history(name: str, key: str, target: str, column: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(key, sa.Integer(), nullable=False),
        column,
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_user", sa.Integer(), nullable=True),
        sa.Column("at", When, nullable=False),
        sa.ForeignKeyConstraint([key], [f"{target}.id"]),
        sa.ForeignKeyConstraint(["by_user"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(f"ix_{name}_{key}", name, [key])


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch:
        batch.add_column(sa.Column("stance", sa.String(32), nullable=True))
    with op.batch_alter_table("incidents", schema=None) as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="open"))
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("first_day", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_day", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("dated", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("radius_km", sa.Float(), nullable=True))
        batch.add_column(sa.Column("cell", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("family", sa.String(20), nullable=False, server_default="other"))
        batch.add_column(sa.Column("types", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("parties", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("places", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("confidence", sa.String(16), nullable=True))
        batch.add_column(sa.Column("confidence_rule", sa.String(40), nullable=True))
        batch.add_column(sa.Column("confidence_reason", sa.Text(), nullable=True))
        batch.create_foreign_key(
            "fk_incidents_merged_into", "incidents", ["merged_into_id"], ["id"]
        )
        batch.create_index(
            "ix_incidents_block_place",
            [
                "status",
                "cell",
                "first_day",
                "last_day",
                "latitude",
                "longitude",
                "radius_km",
                "agreement_version_id",
            ],
        )
        batch.create_index(
            "ix_incidents_block_family",
            ["status", "family", "first_day", "last_day", "agreement_version_id"],
        )
        batch.create_index(
            "ix_incidents_block_day", ["status", "first_day", "last_day", "agreement_version_id"]
        )

    # A link now names the event of its report: one article may tell of several incidents.
    with op.batch_alter_table("incident_reports", schema=None) as batch:
        batch.drop_index("ix_incident_reports_incident_id")
    op.rename_table("incident_reports", "incident_reports_0002")
    op.create_table(
        "incident_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(200), nullable=False),
        sa.Column("attached_at", When, nullable=False),
        sa.Column("attached_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["attached_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("report_id", "event"),
    )
    op.execute(
        "INSERT INTO incident_reports "
        "(id, report_id, event, incident_id, score, reason, origin, attached_at, attached_by) "
        "SELECT report_id, report_id, 0, incident_id, NULL, '', '', attached_at, attached_by "
        "FROM incident_reports_0002"
    )
    op.drop_table("incident_reports_0002")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('incident_reports', 'id'), "
            "COALESCE((SELECT MAX(id) FROM incident_reports), 0) + 1, false)"
        )
    op.create_index("ix_incident_reports_incident_id", "incident_reports", ["incident_id"])
    op.create_index("ix_incident_reports_report_id", "incident_reports", ["report_id"])

    op.create_table(
        "incident_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reverts_id", sa.Integer(), nullable=True),
        sa.Column("by_user", sa.Integer(), nullable=True),
        sa.Column("at", When, nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["other_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["reverts_id"], ["incident_changes.id"]),
        sa.ForeignKeyConstraint(["by_user"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _history(
        "source_grades", "source_id", "sources", sa.Column("grade", sa.String(1), nullable=False)
    )
    _history(
        "source_groups", "source_id", "sources", sa.Column("group", sa.String(200), nullable=False)
    )
    _history(
        "report_grades",
        "report_id",
        "reports",
        sa.Column("credibility", sa.Integer(), nullable=False),
    )
    op.create_table(
        "account_vectors",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.PrimaryKeyConstraint("report_id", "event"),
    )
    op.create_table(
        "fusion_queue",
        sa.Column("report_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("queued_at", When, nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.create_table(
        "incident_vectors",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.LargeBinary(), nullable=False),
        sa.Column("length", sa.Float(), nullable=False),
        sa.Column("vectors", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("incident_id"),
    )


def downgrade() -> None:
    for table in (
        "fusion_queue",
        "incident_vectors",
        "account_vectors",
        "report_grades",
        "source_groups",
        "source_grades",
        "incident_changes",
    ):
        op.drop_table(table)
    op.drop_index("ix_incident_reports_report_id", "incident_reports")
    op.drop_index("ix_incident_reports_incident_id", "incident_reports")
    op.rename_table("incident_reports", "incident_reports_0003")
    op.create_table(
        "incident_reports",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("attached_at", When, nullable=False),
        sa.Column("attached_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["attached_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.execute(
        "INSERT INTO incident_reports (report_id, incident_id, attached_at, attached_by) "
        "SELECT report_id, incident_id, attached_at, attached_by FROM incident_reports_0003 "
        "WHERE event = 0"
    )
    op.drop_table("incident_reports_0003")
    op.create_index("ix_incident_reports_incident_id", "incident_reports", ["incident_id"])
    with op.batch_alter_table("incidents", schema=None) as batch:
        batch.drop_index("ix_incidents_block_day")
        batch.drop_index("ix_incidents_block_family")
        batch.drop_index("ix_incidents_block_place")
        batch.drop_constraint("fk_incidents_merged_into", type_="foreignkey")
        for column in (
            "confidence_reason",
            "confidence_rule",
            "confidence",
            "places",
            "parties",
            "types",
            "family",
            "cell",
            "radius_km",
            "dated",
            "last_day",
            "first_day",
            "merged_into_id",
            "status",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("reports", schema=None) as batch:
        batch.drop_column("stance")
