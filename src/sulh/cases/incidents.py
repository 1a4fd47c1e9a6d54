"""Incidents: one real event, the reports about it, and its verification case."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from sulh.access.roles import Principal, Role, Tier
from sulh.agreement import parsed
from sulh.errors import Conflict, Forbidden, Invalid, NotFound, UnknownReference
from sulh.store.tables import Case, Incident, IncidentReport, Report
from sulh.store.writer import Writer
from sulh.vocabulary import EventType

ORGANISERS = frozenset({Role.analyst, Role.admin})


class IncidentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    report_ids: list[int] = Field(min_length=1, max_length=500)
    title: str = Field(min_length=1, max_length=300)
    event_type: EventType | None = None
    accused_party: str | None = None
    tier: Tier = Tier.joint


def _attach(writer: Writer, incident: Incident, report: Report) -> None:
    taken = writer.session.get(IncidentReport, report.id)
    if taken is not None:
        raise Conflict(
            f"Report {report.id} already belongs to incident {taken.incident_id}.",
            details={"field": "report_ids"},
        )
    link = IncidentReport(
        report_id=report.id,
        incident_id=incident.id,
        attached_at=writer.now,
        attached_by=writer.actor.user_id,
    )
    writer.add(link)
    writer.record("incident.report_attached", link)


def _reports(writer: Writer, ids: list[int]) -> list[Report]:
    rows = {r.id: r for r in writer.session.scalars(select(Report).where(Report.id.in_(ids)))}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise UnknownReference(
            f"Report(s) {', '.join(map(str, missing))} do not exist.",
            details={"field": "report_ids"},
        )
    return [rows[i] for i in ids]


def open_incident(*, writer: Writer, actor: Principal, data: IncidentCreate) -> Incident:
    """Open an incident from reports, with a case in state 'received'."""
    if actor.role not in ORGANISERS:
        raise Forbidden(f"Role {actor.role} may not open incidents.")
    reports = _reports(writer, data.report_ids)
    first = reports[0]
    agreement = parsed(writer.agreement)
    accused = data.accused_party or first.accused_party
    if accused is not None and accused not in agreement.party_ids():
        raise UnknownReference(
            f"accused_party: {accused!r} is not a party (parties: "
            f"{', '.join(agreement.party_ids())}).",
            details={"field": "accused_party"},
        )
    complainant = next((r.filed_for_party for r in reports if r.filed_for_party), None)
    if complainant is not None and complainant == accused:
        raise Invalid(f"accused_party: {accused} cannot be both complainant and accused.")
    incident = Incident(
        title=data.title,
        event_type=data.event_type or first.event_type,
        event_time=first.event_time,
        time_precision=first.time_precision,
        place_name=first.place_name,
        latitude=first.latitude,
        longitude=first.longitude,
        accused_party=accused,
        complainant_party=complainant,
        tier=str(data.tier),
        opened_at=writer.now,
        opened_by=actor.user_id,
        agreement_version_id=writer.agreement.id,
    )
    writer.add(incident)
    writer.record("incident.opened", incident)
    case = Case(incident_id=incident.id, state="received", updated_at=writer.now)
    incident.case = case
    writer.add(case)
    writer.record("case.opened", case)
    for report in reports:
        _attach(writer, incident, report)
    return incident


def attach_report(
    *, writer: Writer, actor: Principal, incident_id: int, report_id: int
) -> Incident:
    if actor.role not in ORGANISERS:
        raise Forbidden(f"Role {actor.role} may not attach reports to incidents.")
    incident = get_incident(writer, incident_id)
    (report,) = _reports(writer, [report_id])
    _attach(writer, incident, report)
    return incident


def get_incident(writer: Writer, incident_id: int) -> Incident:
    incident = writer.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"Incident {incident_id} does not exist.")
    return incident
