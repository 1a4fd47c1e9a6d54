"""Crossings over time: open, closed, refugees only, trade only; who said so, when and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal, Role
from sulh.agreement import parsed
from sulh.agreement.model import Agreement
from sulh.errors import Forbidden, Invalid, UnknownReference
from sulh.store.tables import CrossingStatus
from sulh.store.writer import Writer

STATUSES = ("open", "closed", "refugees_only", "trade_only")
RECORDERS = frozenset({Role.monitor, Role.analyst, Role.admin, Role.guarantor})


def set_crossing_status(
    *,
    writer: Writer,
    actor: Principal,
    crossing: str,
    status: str,
    since: datetime,
    reason: str,
) -> CrossingStatus:
    """Record a crossing's status from `since` on."""
    if actor.role not in RECORDERS:
        raise Forbidden(f"Role {actor.role} does not record crossings' status.")
    crossings = [z.id for z in parsed(writer.agreement).zones if z.kind == "crossing"]
    if crossing not in crossings:
        raise UnknownReference(
            f"{crossing!r} is not a crossing of the agreement ({', '.join(crossings)})."
        )
    if status not in STATUSES:
        raise Invalid(f"status: one of {', '.join(STATUSES)}, not {status!r}.")
    if since.tzinfo is None:
        raise Invalid("since: give a UTC offset.")
    if since > writer.now:
        raise Invalid("since: a status is recorded once it holds, not in advance.")
    if not reason.strip():
        raise Invalid("reason: say what changed and how it is known.")
    row = CrossingStatus(
        crossing=crossing,
        status=status,
        since=since,
        reason=reason.strip(),
        by_user=actor.user_id,
        recorded_at=writer.now,
    )
    writer.add(row)
    writer.record("crossing.status", row)
    return row


def crossings_now(session: Session, agreement: Agreement) -> list[dict[str, Any]]:
    """Each crossing of the agreement with its status history, newest first, and the
    commitments tied to it."""
    history: dict[str, list[CrossingStatus]] = {}
    for row in session.scalars(
        select(CrossingStatus).order_by(CrossingStatus.since.desc(), CrossingStatus.id.desc())
    ):
        history.setdefault(row.crossing, []).append(row)
    found = []
    for zone in agreement.zones:
        if zone.kind != "crossing" or zone.geometry.type != "Point":
            continue
        rows = history.get(zone.id, [])
        found.append(
            {
                "id": zone.id,
                "name": zone.name,
                "lon": zone.geometry.coordinates[0],
                "lat": zone.geometry.coordinates[1],
                "status": rows[0].status if rows else "not_recorded",
                "since": rows[0].since if rows else None,
                "history": [
                    {"status": r.status, "since": r.since, "reason": r.reason} for r in rows
                ],
                "commitments": [c.id for c in agreement.commitments if c.crossing == zone.id],
            }
        )
    return found
