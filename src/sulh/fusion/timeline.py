"""The consolidated timeline: one row per incident, in date order, as the reader may see it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.agreement import Agreement, parsed
from sulh.errors import Invalid
from sulh.fusion.describe import visible
from sulh.fusion.regrade import accounts_of, casualties_of
from sulh.store.tables import AgreementVersion, Case, Incident
from sulh.store.visible import incident_filter

MAX_ROWS = 10_000


def timeline(
    session: Session, reader: Principal, *, first: date | None = None, last: date | None = None
) -> list[dict[str, Any]]:
    """Open incidents whose days meet [first, last], earliest first."""
    if first and last and last < first:
        raise Invalid(
            f"to: {last.isoformat()} is before from: {first.isoformat()}.", details={"field": "to"}
        )
    query = (
        select(Incident)
        .join(Case, Case.incident_id == Incident.id)
        .where(Incident.status == "open", incident_filter(reader, Case))
        .order_by(Incident.first_day, Incident.id)
        .limit(MAX_ROWS)
    )
    if first is not None:
        query = query.where(Incident.last_day >= first.toordinal())
    if last is not None:
        query = query.where(Incident.first_day <= last.toordinal())
    agreements: dict[int, Agreement] = {}
    rows = []
    for incident in session.scalars(query):
        if incident.agreement_version_id not in agreements:
            version = session.get(AgreementVersion, incident.agreement_version_id)
            assert version is not None
            agreements[incident.agreement_version_id] = parsed(version)
        rows.append(row(session, reader, incident, agreements[incident.agreement_version_id]))
    return rows


def row(
    session: Session, reader: Principal, incident: Incident, agreement: Agreement
) -> dict[str, Any]:
    told = visible(session, reader, accounts_of(session, incident))
    first, last = date.fromordinal(incident.first_day), date.fromordinal(incident.last_day)
    actors = sorted({a for t in told for a in t.account.actors}) or sorted(incident.parties)
    return {
        "incident": incident.id,
        "date": first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}",
        "type": incident.event_type,
        "types": sorted(incident.types, key=lambda t: -incident.types[t]),
        "places": list(incident.places),
        "actors": actors,
        "confidence": incident.confidence,
        "confidence_rule": incident.confidence_rule,
        "casualties": [
            {k: v for k, v in estimate.items() if k != "figures"}
            for estimate in casualties_of(told, agreement)
        ],
        "reports": sorted({t.report.id for t in told}),
    }
