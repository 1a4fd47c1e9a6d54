"""What readers get back about evidence files."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from sulh.store.tables import Evidence


class EvidencePublic(BaseModel):
    id: int
    report_id: int
    sha256: str
    media_type: str = Field(description="Found from the file's bytes; the type it is served as.")
    declared_type: str | None = Field(description="The type the sender declared, if any.")
    size: int
    filename: str
    added_at: datetime
    tier: str
    log_index: int | None = Field(
        default=None, description="The log entry that recorded the file, right after adding it."
    )
    copies: list[str] = Field(
        default=[], description="The derived copies it has: redacted, preview, thumbnail."
    )


class EvidenceMarkCreate(BaseModel):
    internal_only: bool = Field(description="True keeps the file inside the internal tier.")
    reason: str = Field(min_length=1, max_length=2000)


class EvidenceMarkPublic(BaseModel):
    evidence_id: int
    internal_only: bool
    reason: str
    marked_at: datetime
    log_index: int | None = None


class EvidenceList(BaseModel):
    items: list[EvidencePublic]


def evidence_view(
    row: Evidence, *, log_index: int | None = None, copies: list[str] | None = None
) -> EvidencePublic:
    return EvidencePublic(
        id=row.id,
        report_id=row.report_id,
        sha256=row.sha256,
        media_type=row.media_type,
        declared_type=row.declared_type,
        size=row.size,
        filename=row.filename,
        added_at=row.added_at,
        tier=row.tier,
        log_index=log_index,
        copies=copies or [],
    )
