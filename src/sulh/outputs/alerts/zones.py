"""N incidents or more near a zone within a window: counted among the incidents the rule's
tier may read, at most one alert per rule and zone per window."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.agreement.alert_rules import ZoneCount
from sulh.agreement.model import Agreement, Zone
from sulh.outputs.alerts.candidates import Candidate, tiers_from, when
from sulh.outputs.alerts.geometry import km_to_zone
from sulh.store.tables import Alert, Incident

Placed = tuple[int, float, float]  # incident id, latitude, longitude


def zone_candidates(
    session: Session, agreement: Agreement, rule: ZoneCount, now: datetime
) -> list[Candidate]:
    start = now - timedelta(hours=rule.window_hours)
    placed = _placed(session, rule, start, now)
    quiet = _alerted_since(session, rule, start)
    zones = {z.id: z for z in agreement.zones}
    found = []
    for zone in (zones[z] for z in rule.zones if z in zones):
        near = [p for p in placed if km_to_zone((p[2], p[1]), zone.geometry) <= rule.radius_km]
        if len(near) >= rule.count and f"zone:{zone.id}" not in quiet:
            found.append(_candidate(rule, zone, near, start, now))
    return found


def _placed(session: Session, rule: ZoneCount, start: datetime, now: datetime) -> list[Placed]:
    rows = session.execute(
        select(Incident.id, Incident.latitude, Incident.longitude)
        .where(
            Incident.status == "open",
            Incident.tier.in_(tiers_from(rule.tier)),
            Incident.event_time > start,
            Incident.event_time <= now,
            Incident.latitude.is_not(None),
            Incident.longitude.is_not(None),
        )
        .order_by(Incident.id)
    )
    return [(i, lat, lon) for i, lat, lon in rows if lat is not None and lon is not None]


def _alerted_since(session: Session, rule: ZoneCount, start: datetime) -> set[str]:
    # A zone alerted within the window stays quiet until the window has passed.
    return set(
        session.scalars(select(Alert.subject).where(Alert.rule == rule.id, Alert.raised_at > start))
    )


def _candidate(
    rule: ZoneCount, zone: Zone, near: list[Placed], start: datetime, now: datetime
) -> Candidate:
    radius = f"{rule.radius_km:g}"
    ids = ", ".join(str(p[0]) for p in near)
    return Candidate(
        key=f"{rule.id}:zone:{zone.id}:{near[-1][0]}",
        subject=f"zone:{zone.id}",
        values={
            "count": str(len(near)),
            "zone": zone.name,
            "radius_km": radius,
            "window_hours": str(rule.window_hours),
        },
        description=(
            f"{len(near)} incidents happened within {radius} km of {zone.name} between "
            f"{when(start)} and {when(now)} (incidents {ids})."
        ),
        area=_area(rule, zone, near),
    )


def _area(rule: ZoneCount, zone: Zone, near: list[Placed]) -> dict[str, Any]:
    desc = f"Within {rule.radius_km:g} km of {zone.name}"
    if zone.geometry.type == "Point":
        lon, lat = zone.geometry.coordinates
        return {"desc": desc, "circles": [[lat, lon, rule.radius_km]]}
    # Along a line, the places that count are where the incidents were.
    return {"desc": desc, "circles": [[lat, lon, 0.0] for _, lat, lon in near]}
