"""Situation reports: what the record shows for a day, a week, a month, or one incident.

A report is built as data first (this module), then drawn as HTML, Markdown or PDF
(sitrep_render.py) and signed (signed.py). Everything in it is read through the reader's
tier filters in one read transaction, together with the cut it came from, so the report
states its tier and the log entries its numbers rest on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.access.roles import ROLE_READS_FROM, Principal
from sulh.agreement import Agreement
from sulh.errors import NotFound
from sulh.outputs.areas import area_counts, area_of
from sulh.outputs.cut import Cut
from sulh.outputs.statistics import Period, compare_periods, open_in
from sulh.penalties.crossings import crossings_now
from sulh.penalties.views import list_commitments, list_measures
from sulh.store.tables import Case, CaseTransition, Finding, Incident
from sulh.store.visible import DECIDED, finding_filter, incident_filter

MAX_LISTED = 500
COMMITMENTS_AHEAD = timedelta(days=7)


@dataclass
class Sitrep:
    """A situation report as data: what the renderers draw and the signature covers."""

    kind: str  # daily, weekly, monthly or spot
    dated: str  # the day the report is dated, in the mechanism's zone
    tier: str
    agreement: str
    period: dict[str, str]
    previous: dict[str, str]
    cut: dict[str, Any]
    counts: dict[str, list[dict[str, Any]]]
    incidents: list[dict[str, Any]]
    incidents_total: int
    findings: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    commitments: list[dict[str, Any]]
    crossings: list[dict[str, Any]]
    access_denials: list[dict[str, Any]]
    names: dict[str, str]  # zones' and clauses' names by id, for people
    incident: dict[str, Any] | None = None  # the one incident of a spot report
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_sitrep(
    *,
    session: Session,
    reader: Principal,
    agreement: Agreement,
    kind: str,
    dated: date,
    period: Period,
    cut: Cut,
    tier: str,
) -> Sitrep:
    """The report of `period` as `reader` (a principal of `tier`) may see it."""
    incidents = _incidents(session, reader, period)
    counts = {c.dimension: _rows(c.rows) for c in compare_periods(session, reader, period=period)}
    counts["area"] = _rows(area_counts(session, reader, agreement, period))
    names = {z.id: z.name for z in agreement.zones} | {c.id: c.title for c in agreement.clauses}
    return Sitrep(
        kind=kind,
        dated=dated.isoformat(),
        tier=tier,
        agreement=f"{agreement.id} v{agreement.version}",
        period=_span(period),
        previous=_span(period.previous),
        cut=cut.as_dict(),
        counts=counts,
        incidents=[_incident(i, agreement) for i in incidents[:MAX_LISTED]],
        incidents_total=len(incidents),
        findings=_findings(session, reader, period),
        measures=_measures(session, reader, period),
        commitments=_commitments(session, reader, agreement, period),
        crossings=_crossings(session, agreement),
        access_denials=_denials(session, reader, period),
        names=names,
    )


def build_spot(
    *,
    session: Session,
    reader: Principal,
    agreement: Agreement,
    incident_id: int,
    cut: Cut,
    tier: str,
) -> Sitrep:
    """A spot report on one incident: the report of its day, narrowed to it."""
    incident = session.scalars(
        select(Incident).where(Incident.id == incident_id, incident_filter(reader))
    ).first()
    if incident is None:
        raise NotFound(f"Incident {incident_id} does not exist or is not visible to you.")
    day = incident.event_time.replace(hour=0, minute=0, second=0, microsecond=0)
    report = build_sitrep(
        session=session,
        reader=reader,
        agreement=agreement,
        kind="spot",
        dated=day.date(),
        period=Period(day, day + timedelta(days=1)),
        cut=cut,
        tier=tier,
    )
    report.incident = _incident(incident, agreement) | {
        "case_state": incident.case.state,
        "confidence_reason": incident.confidence_reason,
    }
    report.findings = [f for f in report.findings if f["incident"] == incident_id]
    report.access_denials = [d for d in report.access_denials if d["incident"] == incident_id]
    return report


def _span(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _rows(rows: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
    return [{"value": value, "now": now, "before": before} for value, now, before in rows]


def _incidents(session: Session, reader: Principal, period: Period) -> list[Incident]:
    return list(
        session.scalars(
            select(Incident)
            .join(Case, Case.incident_id == Incident.id)
            .where(open_in(reader, period))
            .order_by(Incident.event_time, Incident.id)
        )
    )


def _incident(incident: Incident, agreement: Agreement) -> dict[str, Any]:
    area = area_of(incident.latitude, incident.longitude, agreement)
    return {
        "id": incident.id,
        "title": incident.title,
        "time": incident.event_time.isoformat(),
        "type": incident.event_type,
        "place": incident.place_name,
        "lat": incident.latitude,
        "lon": incident.longitude,
        "area": area.id if area else None,
        "accused": incident.accused_party,
        "confidence": incident.confidence,
        "confidence_rule": incident.confidence_rule,
    }


def _findings(session: Session, reader: Principal, period: Period) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Finding, Case.incident_id)
        .join(Case, Case.id == Finding.case_id)
        .where(
            Finding.status.in_(DECIDED),
            Finding.decided_at >= period.start,
            Finding.decided_at < period.end,
            finding_filter(reader),
        )
        .order_by(Finding.decided_at, Finding.id)
    )
    return [
        {
            "id": finding.id,
            "incident": incident_id,
            "outcome": finding.outcome,
            "clauses": list(finding.clauses),
            "attributed_to": finding.attributed_to,
            "decided_at": finding.decided_at.isoformat() if finding.decided_at else None,
            "method": finding.decision_method,
        }
        for finding, incident_id in rows
    ]


def _measures(session: Session, reader: Principal, period: Period) -> list[dict[str, Any]]:
    """Measures in force at the end of the period, and any closed during it."""
    found = []
    for m in list_measures(session, reader):
        if m.status != "ratified" or m.decided_at is None or m.decided_at >= period.end:
            continue
        if m.closed_at is not None and m.closed_at < period.start:
            continue
        found.append(
            {
                "id": m.id,
                "party": m.party,
                "measure": m.measure,
                "text": m.text,
                "points": m.points,
                "deadline": m.deadline.isoformat() if m.deadline else None,
                "compliance": m.compliance,
                "closed": m.closed_at is not None and m.closed_at < period.end,
            }
        )
    return found


def _commitments(
    session: Session, reader: Principal, agreement: Agreement, period: Period
) -> list[dict[str, Any]]:
    """Agreed commitments falling due in the period or within a week after it."""
    last = period.end + COMMITMENTS_AHEAD
    return [
        {"id": c.id, "party": c.party, "text": c.text, "due": c.due.isoformat(), "status": c.status}
        for c in list_commitments(session, reader, agreement)
        if c.agreed and c.due is not None and period.start <= c.due < last
    ]


def _crossings(session: Session, agreement: Agreement) -> list[dict[str, Any]]:
    return [
        {
            "id": c["id"],
            "name": c["name"],
            "status": c["status"],
            "since": c["since"].isoformat() if c["since"] else None,
            "lat": c["lat"],
            "lon": c["lon"],
        }
        for c in crossings_now(session, agreement)
    ]


def _denials(session: Session, reader: Principal, period: Period) -> list[dict[str, Any]]:
    """Cases that moved to access_blocked in the period: monitors were kept from a site."""
    rows = session.execute(
        select(CaseTransition, Case.incident_id, Incident.place_name)
        .join(Case, Case.id == CaseTransition.case_id)
        .join(Incident, Incident.id == Case.incident_id)
        .where(
            CaseTransition.to_state == "access_blocked",
            CaseTransition.at >= period.start,
            CaseTransition.at < period.end,
            incident_filter(reader, Case),
        )
        .order_by(CaseTransition.at)
    )
    return [
        {"incident": incident_id, "place": place, "at": t.at.isoformat()}
        for t, incident_id, place in rows
    ]


def tier_of(reader: Principal) -> str:
    """The narrowest tier `reader` reads: what a report made for them is marked as."""
    return str(ROLE_READS_FROM[reader.role])
