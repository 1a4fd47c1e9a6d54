"""Adding evidence: a received file checked, kept in the locker and attached to a report,
in one write.

Everything is checked before a row is written. If the write does not commit, a file it put
in the locker is taken back out, so neither a row nor a file stays behind.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sulh.access.roles import Principal
from sulh.errors import Duplicate, Forbidden, Invalid, NotFound
from sulh.evidence.copies import derive_copies, keep, record_copies
from sulh.evidence.custody import record_custody
from sulh.evidence.locker import Locker
from sulh.evidence.media import ALLOWED, declared, extension, sniff_file
from sulh.evidence.metadata import describe, place_and_time_check
from sulh.evidence.spool import Received, release
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
    received: Received,
    declared_type: str | None = None,
) -> Evidence:
    """Attach a received file to a report. It enters the log, never changes, and counts
    towards the grade of every open incident the report belongs to.

    The report's filer and mechanism staff may add evidence. The media type is sniffed from
    the bytes; `declared_type` is only recorded beside it. Copies for readers beyond the
    internal tier (without GPS, device or names) and previews are derived in the same write.
    """
    report = _report_for(writer, actor, report_id)
    media_type = check_file(received)
    try:
        metadata = describe(received.path, media_type)  # refuses a malformed file or a bomb
    except Invalid as exc:
        raise Invalid(
            f"File {_shown(received)}: {exc.message}", details=_details(received)
        ) from None
    name = received.name or f"evidence{extension(media_type)}"
    _check_not_attached(writer, report_id, received.sha256, name)
    copies = derive_copies(received.path, media_type, locker.spool)
    try:
        stored = keep(writer.session, locker, received)
        row = Evidence(
            report_id=report.id,
            sha256=stored.sha256,
            media_type=media_type,
            declared_type=declared(declared_type),
            size=received.size,
            filename=name,
            added_by=actor.user_id,
            added_at=writer.now,
            tier=report.tier,
        )
        writer.add(row)
        writer.record("evidence.added", row)
        writer.session.flush()
        _describe_row(writer, row, metadata, report, received)
        _record_arrival(writer, actor, row, report, metadata, received)
        record_copies(writer=writer, actor=actor, locker=locker, evidence=row, copies=copies)
    finally:
        for copy in copies:
            release(copy.received)
    _regrade_incidents_of(writer, report.id)
    return row


def check_file(received: Received) -> str:
    """The file's media type, or an error naming the file and what is wrong with it."""
    media_type = sniff_file(received.path)
    if media_type not in ALLOWED:
        raise Invalid(
            f"File {_shown(received)} is of a type the locker does not accept ({media_type}); "
            f"accepted: {', '.join(sorted(ALLOWED))}.",
            details={**_details(received), "media_type": media_type},
        )
    return media_type


def _shown(received: Received) -> str:
    return repr(received.name) if received.name else "(unnamed)"


def _details(received: Received) -> dict[str, str]:
    return {"file": received.name}


def _describe_row(
    writer: Writer, row: Evidence, metadata: dict[str, Any], report: Report, received: Received
) -> None:
    # Both hashes are kept: the server's, which names the file, and the sender's, if sent.
    arrival = {"sha256": received.sha256, "client_sha256": received.client_sha256}
    described = EvidenceMetadata(
        evidence_id=row.id,
        data={**metadata, "received": arrival, "checks": place_and_time_check(metadata, report)},
        extracted_at=writer.now,
    )
    writer.add(described)
    writer.record("evidence.described", described)


def _record_arrival(
    writer: Writer,
    actor: Principal,
    row: Evidence,
    report: Report,
    metadata: dict[str, Any],
    received: Received,
) -> None:
    captured = metadata.get("captured_at")
    when = f", captured {captured} by its own metadata" if captured else ""
    record_custody(
        writer=writer,
        actor=actor,
        evidence=row,
        kind="collected",
        reason=f"collected by the filer of report {report.id}{when}",
    )
    sender = (
        "the sender's SHA-256 matched" if received.client_sha256 else "the sender sent no SHA-256"
    )
    record_custody(
        writer=writer,
        actor=actor,
        evidence=row,
        kind="uploaded",
        reason=f"attached to report {report.id} as {row.filename}; {sender}",
    )


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


def _regrade_incidents_of(writer: Writer, report_id: int) -> None:
    linked = select(IncidentReport.incident_id).where(IncidentReport.report_id == report_id)
    incidents = writer.session.scalars(
        select(Incident)
        .where(Incident.id.in_(linked), Incident.status == "open")
        .order_by(Incident.id)
    )
    for incident in list(incidents):
        regrade(writer=writer, incident=incident)
