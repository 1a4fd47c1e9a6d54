"""Areas: which of the agreement's zones an incident happened in, for counts by area.

Zones are points (crossings) and lines (the border, buffer edges). An incident is in the
nearest zone within AREA_KM of it, measured to a point or to the nearest vertex of a line
(the shipped lines have vertices every few kilometres); an incident farther from every
zone, or without a place, counts as "elsewhere" or "no place".
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.agreement import Agreement
from sulh.agreement.model import Zone
from sulh.fusion.match import kilometres
from sulh.outputs.statistics import Period, open_in
from sulh.store.tables import Case, Incident

AREA_KM = 25.0
ELSEWHERE = "elsewhere"
NO_PLACE = "no place"


def area_of(lat: float | None, lon: float | None, agreement: Agreement) -> Zone | None:
    if lat is None or lon is None:
        return None
    best: tuple[float, Zone] | None = None
    for zone in agreement.zones:
        km = min(kilometres(lat, lon, y, x) for x, y in _vertices(zone))
        if km <= AREA_KM and (best is None or km < best[0]):
            best = (km, zone)
    return best[1] if best else None


def _vertices(zone: Zone) -> list[tuple[float, float]]:
    geometry = zone.geometry
    if geometry.type == "Point":
        return [(geometry.coordinates[0], geometry.coordinates[1])]
    return [(x, y) for x, y, *_ in geometry.coordinates]


def _areas(
    session: Session, reader: Principal, agreement: Agreement, period: Period
) -> Counter[str]:
    rows = session.execute(
        select(Incident.latitude, Incident.longitude)
        .join(Case, Case.incident_id == Incident.id)
        .where(open_in(reader, period))
    )
    found: Counter[str] = Counter()
    for lat, lon in rows:
        zone = area_of(lat, lon, agreement)
        found[zone.id if zone else (ELSEWHERE if lat is not None else NO_PLACE)] += 1
    return found


def area_counts(
    session: Session, reader: Principal, agreement: Agreement, period: Period
) -> list[tuple[str, int, int]]:
    """Incidents by area in the period and the one before, largest first."""
    now, before = (_areas(session, reader, agreement, p) for p in (period, period.previous))
    keys = sorted(set(now) | set(before), key=lambda k: (-now[k], -before[k], k))
    return [(k, now[k], before[k]) for k in keys]
