"""The tables that describe evidence files and account for them (src/sulh/evidence/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sulh.store.tables import Base


class EvidenceMetadata(Base):
    """What a file says about itself (capture time, place, device, duration, author), read
    from its bytes when it was received."""

    __tablename__ = "evidence_metadata"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    extracted_at: Mapped[datetime]


class CustodyEvent(Base):
    """One link in a file's chain of custody: who did what with it, when and why."""

    __tablename__ = "custody_events"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # uploaded, viewed, downloaded, shared, ...
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
