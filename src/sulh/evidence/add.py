"""Adding evidence: a file checked, put in the locker and attached to a report, in one write.

Everything is checked before a row is written. If the write does not commit, a file it put
in the locker is taken back out, so neither a row nor a file stays behind.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.errors import Duplicate, Forbidden, Invalid, NotFound, TooLarge
from sulh.evidence.custody import record_custody
from sulh.evidence.locker import Locker, Stored
from sulh.evidence.media import ALLOWED, declared, extension, sniff
from sulh.evidence.metadata import describe, place_and_time_check
from sulh.evidence.names import clean_filename
from sulh.fusion.regrade import regrade
from sulh.store.tables import Evidence, EvidenceMetadata, Incident, IncidentReport, Report
from sulh.store.visible import report_filter
from sulh.store.writer import Writer


def add_evidence(
    *,
    writer: Writer,
    actor: Principal,
    locker: Locker,
    report_id: int,
    filename: str,
    data: bytes,
    declared_type: str | None = None,
) -> Evidence:
    """Attach a file to a report. It enters the log, never changes, and counts towards the
    grade of every open incident the report belongs to.

    The report's filer and mechanism staff may add evidence. The media type is sniffed from
    the bytes; `declared_type` is only recorded beside it.
    """
    report = _report_for(writer, actor, report_id)
    media_type = check_file(locker=locker, filename=filename, data=data)
    try:
        metadata = describe(data, media_type)  # refuses a malformed file or a bomb
    except Invalid as exc:
        raise Invalid(f"File {filename!r}: {exc.message}") from None
    name = clean_filename(filename, fallback=f"evidence{extension(media_type)}")
    stored = locker.put(data)
    _discard_unless_committed(writer.session, locker, stored)
    _check_not_attached(writer, report_id, stored.sha256, name)
    row = Evidence(
        report_id=report.id,
        sha256=stored.sha256,
        media_type=media_type,
        declared_type=declared(declared_type),
        size=len(data),
        filename=name,
        added_by=actor.user_id,
        added_at=writer.now,
        tier=report.tier,
    )
    writer.add(row)
    writer.record("evidence.added", row)
    writer.session.flush()
    described = EvidenceMetadata(
        evidence_id=row.id,
        data={**metadata, "checks": place_and_time_check(metadata, report)},
        extracted_at=writer.now,
    )
    writer.add(described)
    writer.record("evidence.described", described)
    record_custody(
        writer=writer,
        actor=actor,
        evidence=row,
        kind="uploaded",
        reason=f"attached to report {report.id} as {name}",
    )
    _regrade_incidents_of(writer, report.id)
    return row


def check_file(*, locker: Locker, filename: str, data: bytes) -> str:
    """The file's media type, or an error naming the file and what is wrong with it."""
    name = clean_filename(filename, fallback="(unnamed)")
    shown, details = repr(name), {"file": name}
    if not data:
        raise Invalid(f"File {shown} is empty.", details=details)
    if len(data) > locker.max_bytes:
        raise TooLarge(
            f"File {shown} is larger than the {locker.max_bytes} bytes allowed.",
            details={**details, "limit": locker.max_bytes},
        )
    media_type = sniff(data)
    if media_type not in ALLOWED:
        raise Invalid(
            f"File {shown} is of a type the locker does not accept ({media_type}); "
            f"accepted: {', '.join(sorted(ALLOWED))}.",
            details={**details, "media_type": media_type},
        )
    return media_type


def _report_for(writer: Writer, actor: Principal, report_id: int) -> Report:
    report = writer.session.scalars(
        select(Report).where(Report.id == report_id, report_filter(actor))
    ).first()
    if report is None:
        raise NotFound(f"Report {report_id} does not exist or is not visible to you.")
    own = actor.user_id is not None and report.submitted_by == actor.user_id
    if not (own or actor.is_staff):
        raise Forbidden(
            f"Only the filer of report {report_id} and mechanism staff may add evidence to it."
        )
    return report


def _check_not_attached(writer: Writer, report_id: int, sha256: str, name: str) -> None:
    earlier = writer.session.scalar(
        select(Evidence.id).where(Evidence.report_id == report_id, Evidence.sha256 == sha256)
    )
    if earlier is not None:
        raise Duplicate(
            f"File {name!r} is already attached to report {report_id} (evidence {earlier}).",
            details={"file": name, "evidence": earlier},
        )


def _discard_unless_committed(session: Session, locker: Locker, stored: Stored) -> None:
    if stored.created:
        event.listen(session, "after_rollback", lambda _session: locker.discard(stored), once=True)


def _regrade_incidents_of(writer: Writer, report_id: int) -> None:
    linked = select(IncidentReport.incident_id).where(IncidentReport.report_id == report_id)
    incidents = writer.session.scalars(
        select(Incident)
        .where(Incident.id.in_(linked), Incident.status == "open")
        .order_by(Incident.id)
    )
    for incident in list(incidents):
        regrade(writer=writer, incident=incident)
