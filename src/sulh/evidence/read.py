"""Reading evidence: only files of reports the reader may see, and only at the reader's tier.

A file shares its report's tier. Where a reader sees a report by a rule other than its tier
(a party sees the allegations against it), the files stay hidden unless the reader's party
filed the report or the reader added the file. A file an analyst marked internal only is
hidden from everyone outside the internal tier. Outside that tier, readers get the file's
redacted copy, never the original (see copies.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from sulh.access.roles import Principal, Role, Tier, readable_tiers
from sulh.errors import Forbidden, Invalid, NotFound
from sulh.evidence.locker import Local, Locker
from sulh.evidence.media import NOTHING_TO_REDACT, extension
from sulh.store.tables import (
    Evidence,
    EvidenceCopy,
    EvidenceMark,
    EvidenceMetadata,
    Report,
    ReportRelease,
)
from sulh.store.visible import report_filter

COPY_KINDS = ("original", "redacted", "preview", "thumbnail")


def evidence_filter(reader: Principal) -> ColumnElement[bool]:
    if reader.can_read(Tier.internal):
        return true()
    report_seen = (
        select(Report.id).where(Report.id == Evidence.report_id, report_filter(reader)).exists()
    )
    tiers = readable_tiers(reader.role)
    released = select(ReportRelease.id).where(
        ReportRelease.report_id == Evidence.report_id, ReportRelease.tier.in_(tiers)
    )
    allowed: list[ColumnElement[bool]] = [Evidence.tier.in_(tiers), released.exists()]
    if reader.user_id is not None:
        allowed.append(Evidence.added_by == reader.user_id)
    if reader.role is Role.liaison:
        filed = select(Report.id).where(
            Report.id == Evidence.report_id, Report.filed_for_party == reader.party
        )
        allowed.append(filed.exists())
    return and_(report_seen, or_(*allowed), ~internal_only())


def internal_only() -> ColumnElement[bool]:
    """The file's newest mark says internal only."""
    newest = (
        select(EvidenceMark.internal_only)
        .where(EvidenceMark.evidence_id == Evidence.id)
        .order_by(EvidenceMark.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(newest, false()).is_(true())


def evidence_for(session: Session, reader: Principal, report_id: int) -> list[Evidence]:
    """The files of a report that `reader` may see, oldest first."""
    seen = session.scalar(select(Report.id).where(Report.id == report_id, report_filter(reader)))
    if seen is None:
        raise NotFound(f"Report {report_id} does not exist or is not visible to you.")
    return list(
        session.scalars(
            select(Evidence)
            .where(Evidence.report_id == report_id, evidence_filter(reader))
            .order_by(Evidence.id)
        )
    )


@dataclass(frozen=True, slots=True)
class Served:
    """What a reader gets for a file: the original or one of its copies, checked."""

    evidence: Evidence
    kind: str  # original, redacted, preview or thumbnail
    sha256: str
    media_type: str
    filename: str
    local: Local


def open_evidence(
    session: Session, reader: Principal, evidence_id: int, *, locker: Locker, kind: str | None
) -> Served:
    """The file `reader` may have, its bytes checked against its hash: the original inside
    the internal tier, the redacted copy outside it, or the preview or thumbnail asked for."""
    row = session.scalars(
        select(Evidence).where(Evidence.id == evidence_id, evidence_filter(reader))
    ).first()
    if row is None:
        raise NotFound(f"Evidence {evidence_id} does not exist or is not visible to you.")
    inside = reader.can_read(Tier.internal)
    wanted = kind or ("original" if inside else "redacted")
    if wanted not in COPY_KINDS:
        raise Invalid(f"copy: one of {', '.join(COPY_KINDS)}, not {wanted!r}.")
    if wanted == "original" and not inside:
        raise Forbidden(
            f"The original of evidence {evidence_id} is shown only inside the internal tier; "
            "ask for its redacted copy."
        )
    if wanted == "original" or (wanted == "redacted" and row.media_type in NOTHING_TO_REDACT):
        return Served(
            row, "original", row.sha256, row.media_type, row.filename, locker.verified(row.sha256)
        )
    copy = session.scalars(
        select(EvidenceCopy).where(EvidenceCopy.evidence_id == row.id, EvidenceCopy.kind == wanted)
    ).first()
    if copy is None:
        raise NotFound(_no_copy(row, wanted))
    stem = row.filename.rsplit(".", 1)[0] or "evidence"
    name = f"{stem}.{wanted}{extension(copy.media_type)}"
    return Served(row, wanted, copy.sha256, copy.media_type, name, locker.verified(copy.sha256))


def _no_copy(row: Evidence, kind: str) -> str:
    if kind == "redacted":
        return (
            f"Evidence {row.id} has no copy without its metadata (Sulh cannot make one of a "
            f"{row.media_type} file yet), so it is shown only inside the internal tier."
        )
    return f"Evidence {row.id} has no {kind} (only images have one)."


def copies_of(session: Session, evidence_ids: list[int]) -> dict[int, list[str]]:
    """The kinds of copy each file has."""
    found: dict[int, list[str]] = {evidence_id: [] for evidence_id in evidence_ids}
    if evidence_ids:
        rows = session.execute(
            select(EvidenceCopy.evidence_id, EvidenceCopy.kind)
            .where(EvidenceCopy.evidence_id.in_(evidence_ids))
            .order_by(EvidenceCopy.id)
        )
        for evidence_id, kind in rows:
            found[evidence_id].append(kind)
    return found


def marked_internal(session: Session, evidence_ids: list[int]) -> set[int]:
    """Which of the files are marked internal only now."""
    if not evidence_ids:
        return set()
    rows = session.execute(
        select(EvidenceMark.evidence_id, EvidenceMark.internal_only)
        .where(EvidenceMark.evidence_id.in_(evidence_ids))
        .order_by(EvidenceMark.id)
    )
    newest = {evidence_id: internal for evidence_id, internal in rows}  # the last mark wins
    return {evidence_id for evidence_id, internal in newest.items() if internal}


def described(session: Session, reader: Principal, evidence_ids: list[int]) -> dict[int, Any]:
    """What the files say about themselves, for mechanism staff only: capture place and
    device stay inside the internal tier."""
    if not reader.can_read(Tier.internal) or not evidence_ids:
        return {}
    rows = session.scalars(
        select(EvidenceMetadata).where(EvidenceMetadata.evidence_id.in_(evidence_ids))
    )
    return {row.evidence_id: row.data for row in rows}
