"""Guarantors release reports to a wider tier; the report itself is never edited."""

from __future__ import annotations

from sqlalchemy import select

from sulh.access.roles import TIER_ORDER, Principal, Role, Tier
from sulh.errors import Conflict, Forbidden, NotFound
from sulh.evidence.custody import record_custody
from sulh.store.tables import Evidence, Report, ReportRelease
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
    _share_files(writer, actor, report.id, tier)
    return row


def _share_files(writer: Writer, actor: Principal, report_id: int, tier: Tier) -> None:
    # The files go with their report, as redacted copies; each is a link in its custody.
    files = writer.session.scalars(
        select(Evidence).where(Evidence.report_id == report_id).order_by(Evidence.id)
    )
    for evidence in list(files):
        record_custody(
            writer=writer,
            actor=actor,
            evidence=evidence,
            kind="shared",
            reason=f"shared with the {tier} tier when report {report_id} was released",
        )
