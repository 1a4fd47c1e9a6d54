"""Incidents as exports read them: one flat row each, streamed, as the reader may see them.

The incidents are read in windows of consecutive ids, all in the caller's one transaction:
for each window, the incidents the reader may see and the accounts (incident–report links)
whose reports the reader may see, both in id order, merged as they stream. A million
incidents take the memory of a window, and each window's queries stay small whatever plan
the database picks (SQLite, without table statistics, would otherwise sort every incident
before the first row). Casualties are reconciled from the visible accounts alone, as the
incident page and the timeline do (fusion/describe.py), so no figure leaks from a report
above the reader's tier.

Rows come straight from the driver's cursor (ledger/rows.py): building an ORM object per
incident would cost more than everything else an export does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.agreement import Agreement, parsed
from sulh.fusion.accounts import event_figures, report_figures
from sulh.fusion.casualties import Sourced, partisan
from sulh.ledger.rows import driver_rows
from sulh.outputs.tolls import NO_TOLL, Toll, tolls
from sulh.store.tables import (
    AgreementVersion,
    Case,
    Incident,
    IncidentReport,
    IngestedArticle,
    Report,
    Source,
)
from sulh.store.visible import incident_filter, report_filter, sees_source

WINDOW = 20_000  # incident ids per pair of queries

# The incidents' columns, in the order `_incident_row` reads them.
_INCIDENT_COLUMNS = (
    Incident.id,
    Incident.title,
    Incident.event_type,
    Incident.first_day,
    Incident.last_day,
    Incident.dated,
    Incident.time_precision,
    Incident.place_name,
    Incident.latitude,
    Incident.longitude,
    Incident.radius_km,
    Incident.accused_party,
    Incident.complainant_party,
    Incident.tier,
    Incident.confidence,
    Incident.confidence_rule,
    Incident.opened_at,
    Case.state,
    Incident.agreement_version_id,
    Incident.status,
)
_ACCOUNT_COLUMNS = (
    IncidentReport.incident_id,
    IncidentReport.event,
    IncidentReport.origin,
    Report.id,
    Report.casualties,
    Report.source_protected,
    Report.submitted_by,
    Report.filed_for_party,
    Source.name,
    Source.independence_group,
    IngestedArticle.events,
)


@dataclass(slots=True)
class IncidentRow:
    id: int
    title: str
    event_type: str
    first_day: date
    last_day: date
    dated: bool
    time_precision: str
    place_name: str | None
    latitude: float | None
    longitude: float | None
    radius_km: float | None
    accused_party: str | None
    complainant_party: str | None
    tier: str
    confidence: str | None
    confidence_rule: str | None
    opened_at: datetime
    case_state: str
    agreement: Agreement
    sources: tuple[str, ...]  # the visible reports' sources the reader may know, first seen first
    killed: Toll
    injured: Toll


def incident_rows(
    session: Session, reader: Principal, *, first: date | None = None, last: date | None = None
) -> Iterator[IncidentRow]:
    """Open incidents whose days meet [first, last] that `reader` may see, by id."""
    where = _incident_where(reader, first, last)
    narrow = not reader.is_staff or first is not None or last is not None
    agreements = {v.id: _Terms(parsed(v)) for v in session.scalars(select(AgreementVersion))}
    low, top = session.execute(select(func.min(Incident.id), func.max(Incident.id))).one()
    for start in range(low or 0, (top or -1) + 1, WINDOW):
        end = start + WINDOW
        incidents = driver_rows(session, _incidents(where, start, end), name="export_incidents")
        accounts = driver_rows(
            session,
            _accounts(reader, where if narrow else None, start, end),
            name="export_accounts",
        )
        try:
            for incident, told in _merged(incidents, accounts):
                yield _incident_row(reader, incident, told, agreements[incident[18]])
        finally:
            incidents.close()
            accounts.close()


def _incident_where(
    reader: Principal, first: date | None, last: date | None
) -> ColumnElement[bool]:
    # The status is tested in Python (`_merged`): a test in SQL would tempt SQLite onto
    # the status index, which holds nearly every incident.
    conditions = [incident_filter(reader, Case)]
    if first is not None:
        conditions.append(Incident.last_day >= first.toordinal())
    if last is not None:
        conditions.append(Incident.first_day <= last.toordinal())
    return and_(*conditions)


def _incidents(where: ColumnElement[bool], start: int, end: int) -> Select[*tuple[Any, ...]]:
    return (
        select(*_INCIDENT_COLUMNS)
        .join(Case, Case.incident_id == Incident.id)
        .where(Incident.id >= start, Incident.id < end, where)
        .order_by(Incident.id)
    )


def _accounts(
    reader: Principal, where: ColumnElement[bool] | None, start: int, end: int
) -> Select[*tuple[Any, ...]]:
    """The window's accounts whose reports `reader` may see, of the incidents `where` lets
    through. With no `where` (staff, every day) the incidents are not joined: the merge
    drops the accounts of incidents merged away."""
    window = and_(IncidentReport.incident_id >= start, IncidentReport.incident_id < end)
    query = (
        select(*_ACCOUNT_COLUMNS)
        .join(Report, Report.id == IncidentReport.report_id)
        .join(Source, Source.id == Report.source_id)
        .outerjoin(IngestedArticle, IngestedArticle.report_id == Report.id)
        .where(window, report_filter(reader))
        .order_by(IncidentReport.incident_id, IncidentReport.id)
    )
    if where is None:
        return query
    return (
        query.join(Incident, Incident.id == IncidentReport.incident_id)
        .join(Case, Case.incident_id == Incident.id)
        .where(Incident.id >= start, Incident.id < end, where)
    )


def _merged(
    incidents: Iterator[tuple[Any, ...]], accounts: Iterator[tuple[Any, ...]]
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Each open incident with its accounts: both streams are in incident order."""
    pending = next(accounts, None)
    for incident in incidents:
        told = []
        while pending is not None and pending[0] <= incident[0]:
            if pending[0] == incident[0]:
                told.append(pending)
            pending = next(accounts, None)
        if incident[19] == "open":
            yield incident, told


class _Terms:
    """What reconciling figures needs of an agreement, looked up once per export."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.parties = tuple(agreement.party_ids())
        self.party_of: Callable[[str], str | None] = cache(agreement.answerable_party)


def _incident_row(
    reader: Principal, incident: tuple[Any, ...], told: list[tuple[Any, ...]], terms: _Terms
) -> IncidentRow:
    figures: list[Sourced] = []
    sources: dict[str, None] = {}
    for account in told:
        found = _figures(account, terms)
        if found is None:
            continue  # a planned event gives no account (fusion/accounts.py)
        figures += found
        if not account[5] or _sees_protected(reader, account):
            sources[account[8]] = None
    killed, injured = tolls(figures) if figures else (NO_TOLL, NO_TOLL)
    (id_, title, kind, first, last, dated, precision, place, lat, lon, radius) = incident[:11]
    accused, complainant, tier, confidence, rule, opened, state = incident[11:18]
    return IncidentRow(
        id=id_,
        title=title,
        event_type=kind,
        first_day=date.fromordinal(first),
        last_day=date.fromordinal(last),
        dated=bool(dated),
        time_precision=precision,
        place_name=place,
        latitude=lat,
        longitude=lon,
        radius_km=radius,
        accused_party=accused,
        complainant_party=complainant,
        tier=tier,
        confidence=confidence,
        confidence_rule=rule,
        opened_at=_utc(opened),
        case_state=state,
        agreement=terms.agreement,
        sources=tuple(sources),
        killed=killed,
        injured=injured,
    )


def _figures(account: tuple[Any, ...], terms: _Terms) -> list[Sourced] | None:
    casualties, events = account[4], account[10]
    if events is not None:
        event, events = account[1], _json(events)
        if not 0 <= event < len(events) or events[event]["status"] == "planned":
            return None
        found = event_figures(events[event])
    elif not casualties or casualties == "[]":
        return []
    else:
        found = report_figures(_json(casualties))
    report_id, origin, source = account[3], account[2] or account[9], account[8]
    return [
        Sourced(report_id, origin, source, f, partisan(origin, f, terms.parties, terms.party_of))
        for f in found
    ]


def _sees_protected(reader: Principal, account: tuple[Any, ...]) -> bool:
    # The rule is sees_source's, which reads only these three fields of the report.
    shown = Report(source_protected=True, submitted_by=account[6], filed_for_party=account[7])
    return sees_source(reader, shown)


def _json(value: Any) -> Any:
    # SQLite hands back JSON columns as text; psycopg has already parsed them.
    return json.loads(value) if isinstance(value, str | bytes) else value


def _utc(value: datetime | str) -> datetime:
    if isinstance(value, str):  # SQLite's storage form, always UTC
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
