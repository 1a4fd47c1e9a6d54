"""Guarantors release reports to a wider tier; the report itself is never edited."""

from __future__ import annotations

from sqlalchemy import select

from sulh.access.roles import TIER_ORDER, Principal, Role, Tier
from sulh.errors import Conflict, Forbidden, NotFound
from sulh.store.tables import Report, ReportRelease
from sulh.store.writer import Writer


def release_tier(writer: Writer, report: Report) -> Tier:
    """The widest tier the report is readable at: as filed, or as released since."""
    tiers = [Tier(report.tier)] + [
        Tier(t)
        for t in writer.session.scalars(
            select(ReportRelease.tier).where(ReportRelease.report_id == report.id)
        )
    ]
    return max(tiers, key=TIER_ORDER.index)


def release_report(
    *, writer: Writer, actor: Principal, report_id: int, tier: Tier
) -> ReportRelease:
    """Widen who may read a report; a release is never narrowed."""
    if actor.role is not Role.guarantor:
        raise Forbidden("Only guarantors release reports.")
    report = writer.session.get(Report, report_id)
    if report is None or not actor.can_read(release_tier(writer, report)):
        raise NotFound(f"Report {report_id} does not exist or is not visible to you.")
    current = release_tier(writer, report)
    if TIER_ORDER.index(tier) <= TIER_ORDER.index(current):
        raise Conflict(
            f"Report {report.id} is already readable at tier {current}; releases only widen."
        )
    row = ReportRelease(
        report_id=report.id, tier=str(tier), released_by=actor.user_id, released_at=writer.now
    )
    writer.add(row)
    writer.record("report.released", row)
    return row
