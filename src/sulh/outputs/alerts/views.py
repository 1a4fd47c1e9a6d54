"""What readers get back about alerts: only those of a tier their role may read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal, readable_tiers
from sulh.errors import NotFound
from sulh.store.tables import AgreementVersion, Alert
from sulh.store.views import Page

MAX_LIMIT = 500


class Circle(BaseModel):
    lat: float
    lon: float
    radius_km: float = Field(description="0 for a point.")


class AreaPublic(BaseModel):
    desc: str
    circles: list[Circle]


class AlertPublic(BaseModel):
    id: int
    identifier: str = Field(description="The CAP identifier: sulh-<agreement>-alert-<id>.")
    agreement: str
    rule: str
    kind: str = Field(description="zone_count, grave_finding, deadline_missed, crossing_closed.")
    subject: str = Field(description="What it is about: zone:…, finding:…, case:…, measure:….")
    tier: str
    title: str
    description: str
    event: str
    category: str
    severity: str
    urgency: str
    certainty: str
    area: AreaPublic | None
    raised_at: datetime


def _public(alert: Alert, slug: str) -> AlertPublic:
    area: dict[str, Any] | None = alert.area
    return AlertPublic(
        id=alert.id,
        identifier=f"sulh-{slug}-alert-{alert.id}",
        agreement=slug,
        rule=alert.rule,
        kind=alert.kind,
        subject=alert.subject,
        tier=alert.tier,
        title=alert.title,
        description=alert.description,
        event=alert.event,
        category=alert.category,
        severity=alert.severity,
        urgency=alert.urgency,
        certainty=alert.certainty,
        area=None
        if area is None
        else AreaPublic(
            desc=area["desc"],
            circles=[Circle(lat=c[0], lon=c[1], radius_km=c[2]) for c in area["circles"]],
        ),
        raised_at=alert.raised_at,
    )


def _visible(tiers: list[str]) -> Select[Alert, str]:
    return (
        select(Alert, AgreementVersion.slug)
        .join(AgreementVersion, AgreementVersion.id == Alert.agreement_version_id)
        .where(Alert.tier.in_(tiers))
    )


def list_alerts(
    session: Session,
    reader: Principal,
    *,
    tier: str | None = None,
    cursor: int | None = None,
    limit: int = 50,
) -> Page[AlertPublic]:
    """Alerts `reader` may read (only those of `tier`, if given), newest first."""
    tiers = readable_tiers(reader.role)
    if tier is not None:
        tiers = [t for t in tiers if t == tier]
    limit = max(1, min(limit, MAX_LIMIT))
    query = _visible(tiers)
    if cursor is not None:
        query = query.where(Alert.id < cursor)
    rows = session.execute(query.order_by(Alert.id.desc()).limit(limit + 1)).all()
    items = [_public(alert, slug) for alert, slug in rows[:limit]]
    more = len(rows) > limit
    return Page[AlertPublic](items=items, limit=limit, next_cursor=items[-1].id if more else None)


def read_alert(session: Session, reader: Principal, alert_id: int) -> AlertPublic:
    """One alert, or NotFound when it does not exist or is above the reader's tier."""
    found = alert_view(session, alert_id, readable_tiers(reader.role))
    if found is None:
        raise NotFound(f"Alert {alert_id} does not exist or is not visible to you.")
    return found


def alert_view(session: Session, alert_id: int, tiers: list[str]) -> AlertPublic | None:
    """The alert, if it is of one of `tiers`."""
    row = session.execute(_visible(tiers).where(Alert.id == alert_id)).first()
    return None if row is None else _public(row[0], row[1])


def alerts_for_tier(session: Session, tiers: list[str], *, since_id: int = 0) -> list[AlertPublic]:
    """Every alert of `tiers`, oldest first (for exports)."""
    rows = session.execute(_visible(tiers).where(Alert.id > since_id).order_by(Alert.id))
    return [_public(alert, slug) for alert, slug in rows]
