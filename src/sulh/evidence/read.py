"""Reading evidence: only files of reports the reader may see, and only at the reader's tier.

A file shares its report's tier. Where a reader sees a report by a rule other than its tier
(a party sees the allegations against it), the files stay hidden unless the reader's party
filed the report or the reader added the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import Session

from sulh.access.roles import Principal, Role, readable_tiers
from sulh.errors import NotFound
from sulh.evidence.locker import Locker
from sulh.store.tables import Evidence, EvidenceMetadata, Report
from sulh.store.visible import report_filter


def evidence_filter(reader: Principal) -> ColumnElement[bool]:
    if reader.is_staff:
        return true()
    report_seen = (
        select(Report.id).where(Report.id == Evidence.report_id, report_filter(reader)).exists()
    )
    allowed: list[ColumnElement[bool]] = [Evidence.tier.in_(readable_tiers(reader.role))]
    if reader.user_id is not None:
        allowed.append(Evidence.added_by == reader.user_id)
    if reader.role is Role.liaison:
        filed = select(Report.id).where(
            Report.id == Evidence.report_id, Report.filed_for_party == reader.party
        )
        allowed.append(filed.exists())
    return and_(report_seen, or_(*allowed))


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


def open_evidence(
    session: Session, reader: Principal, evidence_id: int, *, locker: Locker
) -> tuple[Evidence, Path]:
    """One file's row and its path in the locker, its bytes checked against its hash."""
    row = session.scalars(
        select(Evidence).where(Evidence.id == evidence_id, evidence_filter(reader))
    ).first()
    if row is None:
        raise NotFound(f"Evidence {evidence_id} does not exist or is not visible to you.")
    return row, locker.verified(row.sha256)


def described(session: Session, reader: Principal, evidence_ids: list[int]) -> dict[int, Any]:
    """What the files say about themselves, for mechanism staff only: capture place and
    device stay inside the internal tier."""
    if not reader.is_staff or not evidence_ids:
        return {}
    rows = session.scalars(
        select(EvidenceMetadata).where(EvidenceMetadata.evidence_id.in_(evidence_ids))
    )
    return {row.evidence_id: row.data for row in rows}
