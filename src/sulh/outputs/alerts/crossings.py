"""A crossing closed (or restricted): once for each spell of that status, while it holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.agreement.alert_rules import CrossingClosed
from sulh.agreement.model import Agreement, Zone
from sulh.outputs.alerts.candidates import Candidate, when
from sulh.store.tables import CrossingStatus

WORDS = {
    "closed": "closed",
    "refugees_only": "open to refugees only",
    "trade_only": "open to trade only",
}


def crossing_candidates(
    session: Session, agreement: Agreement, rule: CrossingClosed, now: datetime
) -> list[Candidate]:
    history: dict[str, list[CrossingStatus]] = {}
    for row in session.scalars(
        select(CrossingStatus).order_by(CrossingStatus.since, CrossingStatus.id)
    ):
        history.setdefault(row.crossing, []).append(row)
    found = []
    for zone in agreement.zones:
        rows = history.get(zone.id)
        wanted = zone.id in rule.crossings if rule.crossings else zone.kind == "crossing"
        if not rows or not wanted:
            continue
        spell = _current_spell(rows)
        if spell[-1].status in rule.statuses:
            found.append(_candidate(rule, zone, spell))
    return found


def _current_spell(rows: list[CrossingStatus]) -> list[CrossingStatus]:
    """The newest rows that all give the crossing's current status."""
    status = rows[-1].status
    start = len(rows)
    while start > 0 and rows[start - 1].status == status:
        start -= 1
    return rows[start:]


def _candidate(rule: CrossingClosed, zone: Zone, spell: list[CrossingStatus]) -> Candidate:
    # The spell is named by its first-recorded row, which a late correction does not change.
    first = min(spell, key=lambda row: row.id)
    status = WORDS[spell[-1].status]
    since = when(spell[0].since)
    area = None
    if zone.geometry.type == "Point":
        lon, lat = zone.geometry.coordinates
        area = {"desc": zone.name, "circles": [[lat, lon, 0.0]]}
    return Candidate(
        key=f"{rule.id}:crossing:{zone.id}:{first.id}",
        subject=f"crossing:{zone.id}",
        values={"crossing": zone.name, "status": status, "since": since},
        description=f"{zone.name} has been {status} since {since}: {spell[-1].reason}",
        area=area,
    )
