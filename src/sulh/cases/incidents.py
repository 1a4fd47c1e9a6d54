"""Incidents: one real event, the reports about it, and its verification case."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from sulh.access.roles import TIER_ORDER, Principal, Role, Tier
from sulh.agreement import parsed
from sulh.cases.workflow import TRANSITIONS, move_case
from sulh.errors import Conflict, Forbidden, Invalid, NotFound, UnknownReference
from sulh.fusion.analysts import rebuild
from sulh.fusion.record import record_once
from sulh.store.tables import Case, Finding, Incident, IncidentReport, Report
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
    """Put every account of `report` in `incident`, taking them from where fusion put them."""
    links = list(
        writer.session.scalars(select(IncidentReport).where(IncidentReport.report_id == report.id))
    )
    if any(link.incident_id == incident.id for link in links):
        raise Conflict(
            f"Report {report.id} already belongs to incident {incident.id}.",
            details={"field": "report_ids"},
        )
    if not links:
        links = [IncidentReport(report_id=report.id, event=0, origin=_origin(report))]
    left = {link.incident_id for link in links if link.incident_id is not None}
    for old in left:
        findings = writer.session.scalars(
            select(Finding.id).join(Case, Case.id == Finding.case_id).where(Case.incident_id == old)
        ).all()
        if findings:
            raise Conflict(
                f"Report {report.id} rests in incident {old}, which has finding(s) "
                f"{', '.join(map(str, findings))}; moving it would orphan what they ruled on.",
                details={"field": "report_ids"},
            )
    for link in links:
        link.incident_id, link.score = incident.id, None
        link.reason = f"put here by {writer.actor.username}"
        link.attached_at, link.attached_by = writer.now, writer.actor.user_id
        writer.add(link)
        writer.record("incident.report_attached", link)
    for old in left:
        _settle(writer, old)


def _origin(report: Report) -> str:
    from sulh.fusion.independence import origin

    return origin(group=report.source.independence_group, text=report.text)


def _settle(writer: Writer, incident_id: int) -> None:
    """Rebuild an incident an analyst took accounts from; close it when none are left."""
    old = writer.session.get(Incident, incident_id)
    if old is None or old.status != "open":
        return
    writer.session.flush()
    remaining = writer.session.scalar(
        select(IncidentReport.report_id).where(IncidentReport.incident_id == incident_id).limit(1)
    )
    if remaining is not None:
        rebuild(writer, old)
        return
    old.status = "emptied"
    writer.record("incident.emptied", old)
    if "closed" in TRANSITIONS[old.case.state]:
        move_case(writer, old.case, "closed", note="every report was moved to another incident")


def _reports(writer: Writer, ids: list[int]) -> list[Report]:
    rows = {r.id: r for r in writer.session.scalars(select(Report).where(Report.id.in_(ids)))}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise UnknownReference(
            f"Report(s) {', '.join(map(str, missing))} do not exist.",
            details={"field": "report_ids"},
        )
    return [rows[i] for i in ids]


def _fused_alone(writer: Writer, reports: list[Report]) -> Incident | None:
    """The incident fusion opened that holds these reports' accounts and nothing else."""
    ids = [r.id for r in reports]
    homes = set(
        writer.session.scalars(
            select(IncidentReport.incident_id).where(IncidentReport.report_id.in_(ids))
        )
    )
    if len(homes) != 1:
        return None
    incident = writer.session.get(Incident, homes.pop())
    if incident is None or incident.status != "open" or incident.opened_by is not None:
        return None
    others = writer.session.scalar(
        select(IncidentReport.id)
        .where(IncidentReport.incident_id == incident.id, IncidentReport.report_id.not_in(ids))
        .limit(1)
    )
    held = writer.session.scalar(
        select(func.count(func.distinct(IncidentReport.report_id))).where(
            IncidentReport.report_id.in_(ids)
        )
    )
    return incident if others is None and held == len(ids) else None


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
    fused = _fused_alone(writer, reports)
    if fused is not None:
        # Fusion already opened an incident of exactly these reports: the analyst names it.
        fused.title, fused.tier = data.title, str(data.tier)
        fused.event_type = data.event_type or fused.event_type
        fused.accused_party, fused.complainant_party = accused, complainant
        fused.opened_by = actor.user_id
        record_once(writer, "incident.adopted", fused)
        return fused
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
    record_once(writer, "incident.opened", incident)
    case = Case(incident_id=incident.id, state="received", updated_at=writer.now)
    incident.case = case
    writer.add(case)
    writer.record("case.opened", case)
    for report in reports:
        _attach(writer, incident, report)
    rebuild(writer, incident)
    incident.event_type = data.event_type or incident.event_type
    return incident


def attach_report(
    *, writer: Writer, actor: Principal, incident_id: int, report_id: int
) -> Incident:
    if actor.role not in ORGANISERS:
        raise Forbidden(f"Role {actor.role} may not attach reports to incidents.")
    incident = get_incident(writer, incident_id)
    if incident.status != "open":
        raise Conflict(f"Incident {incident_id} is {incident.status}; attach to an open incident.")
    (report,) = _reports(writer, [report_id])
    _attach(writer, incident, report)
    rebuild(writer, incident)
    return incident


def get_incident(writer: Writer, incident_id: int) -> Incident:
    incident = writer.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"Incident {incident_id} does not exist.")
    return incident


def release_incident(*, writer: Writer, actor: Principal, incident_id: int, tier: Tier) -> Incident:
    """Widen who may read an incident (the public map shows public ones); never narrowed."""
    if actor.role is not Role.guarantor:
        raise Forbidden("Only guarantors release incidents.")
    incident = get_incident(writer, incident_id)
    if TIER_ORDER.index(tier) <= TIER_ORDER.index(Tier(incident.tier)):
        raise Conflict(
            f"Incident {incident.id} is already at tier {incident.tier}; releases only widen."
        )
    incident.tier = str(tier)
    writer.record("incident.released", incident)
    return incident
