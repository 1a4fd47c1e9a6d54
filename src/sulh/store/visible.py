"""Disclosure tiers, enforced where rows are selected.

Every read of reports, incidents, cases and findings goes through these filters, so a
page or endpoint cannot show a row its reader's tier does not allow.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, or_, select, true
from sqlalchemy.orm import aliased

from sulh.access.roles import Principal, Role, readable_tiers
from sulh.store.tables import Case, Finding, Incident, IncidentReport, Report, ReportRelease

DECIDED = ("decided", "superseded")


def _triaged_incident(incident_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
    triaged = aliased(Case)  # aliased so that it never correlates with an outer Case
    return (
        select(triaged.id)
        .where(triaged.incident_id == incident_id, triaged.triaged_at.is_not(None))
        .exists()
    )


def report_filter(reader: Principal) -> ColumnElement[bool]:
    if reader.is_staff:
        return true()
    tiers = readable_tiers(reader.role)
    released = (
        select(ReportRelease.id)
        .where(ReportRelease.report_id == Report.id, ReportRelease.tier.in_(tiers))
        .exists()
    )
    by_tier = or_(Report.tier.in_(tiers), released)
    if reader.role is not Role.liaison:
        return by_tier
    # A party sees what it filed and, once triaged, the allegations against it.
    link = aliased(IncidentReport)
    alleged = and_(
        Report.accused_party == reader.party,
        select(link.report_id)
        .where(link.report_id == Report.id, _triaged_incident(link.incident_id))
        .exists(),
    )
    return or_(by_tier, Report.filed_for_party == reader.party, alleged)


def incident_filter(reader: Principal, case: type[Case] | None = None) -> ColumnElement[bool]:
    """Incidents `reader` may see. Pass `case` when the query joins each incident's case:
    the test on the joined row is far cheaper than a subquery inside an OR."""
    if reader.is_staff:
        return true()
    by_tier = Incident.tier.in_(readable_tiers(reader.role))
    if reader.role is not Role.liaison:
        return by_tier
    triaged = case.triaged_at.is_not(None) if case is not None else _triaged_incident(Incident.id)
    return or_(
        by_tier,
        Incident.complainant_party == reader.party,
        and_(Incident.accused_party == reader.party, triaged),
    )


def finding_filter(reader: Principal) -> ColumnElement[bool]:
    if reader.is_staff:
        return true()
    if reader.role is Role.guarantor:
        return Finding.tier.in_(readable_tiers(reader.role))
    decided = Finding.status.in_(DECIDED)
    by_tier = Finding.tier.in_(readable_tiers(reader.role))
    if reader.role is not Role.liaison:
        return and_(decided, by_tier)
    case, incident = aliased(Case), aliased(Incident)
    concerned = (
        select(case.id)
        .join(incident, incident.id == case.incident_id)
        .where(
            case.id == Finding.case_id,
            or_(incident.accused_party == reader.party, incident.complainant_party == reader.party),
        )
        .exists()
    )
    return and_(decided, or_(by_tier, Finding.responsible_party == reader.party, concerned))


def sees_source(reader: Principal, report: Report) -> bool:
    """Protected source identities are shown to mechanism staff and to the filer only."""
    if not report.source_protected or reader.is_staff:
        return True
    own = reader.user_id is not None and report.submitted_by == reader.user_id
    return own or (reader.role is Role.liaison and report.filed_for_party == reader.party)


def incident_visible(reader: Principal, incident_id: int) -> ColumnElement[bool]:
    return and_(Incident.id == incident_id, incident_filter(reader))


def sees_case_history(reader: Principal) -> bool:
    return reader.is_staff or reader.role is Role.guarantor


__all__ = [
    "finding_filter",
    "incident_filter",
    "incident_visible",
    "report_filter",
    "sees_case_history",
    "sees_source",
]
