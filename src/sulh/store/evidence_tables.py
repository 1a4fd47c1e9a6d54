"""The tables that describe evidence files and account for them (src/sulh/evidence/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, String, Text
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


class EvidenceCopy(Base):
    """A working copy derived from an original (redacted, preview, thumbnail), itself a file
    in the locker under its own SHA-256, with how it was made."""

    __tablename__ = "evidence_copies"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # redacted, preview, thumbnail
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime]


class EvidenceMark(Base):
    """An analyst's judgement that a file may (or, later, may again not) be shown only inside
    the internal tier; the newest mark of a file is the one in force."""

    __tablename__ = "evidence_marks"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    internal_only: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime]
