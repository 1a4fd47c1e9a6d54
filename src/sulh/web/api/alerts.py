"""Alerts raised by the agreement's rules, for each reader's tier; one as CAP 1.2 XML."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import JSONResponse, Response

from sulh.access.roles import Tier
from sulh.outputs.alerts import MEDIA_TYPE, AlertPublic, cap_alert, list_alerts, read_alert
from sulh.store.views import Page
from sulh.web.api.paging import Cursor, Limit
from sulh.web.deps import ReaderDep, SettingsDep, StoreDep

router = APIRouter(tags=["alerts"])
Id = Annotated[int, Path(ge=1)]
CAP: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {MEDIA_TYPE: {"schema": {"type": "string"}}},
        "description": "The alert as a CAP 1.2 document (urn:oasis:names:tc:emergency:cap:1.2).",
    }
}


@router.get("/alerts", response_model=Page[AlertPublic])
def get_alerts(
    store: StoreDep,
    reader: ReaderDep,
    tier: Annotated[Tier | None, Query(description="Only alerts of this tier.")] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[AlertPublic]:
    """Alerts of the tiers the caller may read, newest first."""
    with store.read() as session:
        return list_alerts(
            session, reader, tier=str(tier) if tier else None, cursor=cursor, limit=limit
        )


# Declared before /alerts/{alert_id}, whose path would otherwise take "7.cap" as an id.
@router.get("/alerts/{alert_id}.cap", response_class=Response, responses=CAP)
def get_alert_cap(
    alert_id: Id, store: StoreDep, reader: ReaderDep, settings: SettingsDep
) -> Response:
    """One alert as a CAP 1.2 <alert> document."""
    return _cap(store, reader, settings, alert_id)


@router.get(
    "/alerts/{alert_id}",
    response_model=AlertPublic,
    responses={200: {"content": {MEDIA_TYPE: {"schema": {"type": "string"}}}}},  # and JSON
)
def get_alert(
    alert_id: Id,
    store: StoreDep,
    reader: ReaderDep,
    settings: SettingsDep,
    accept: Annotated[str, Header()] = "application/json",
) -> Response:
    """One alert: JSON, or CAP 1.2 XML when the request accepts application/cap+xml."""
    if MEDIA_TYPE in accept:
        return _cap(store, reader, settings, alert_id)
    with store.read() as session:
        alert = read_alert(session, reader, alert_id)
    return JSONResponse(alert.model_dump(mode="json"))


def _cap(store: StoreDep, reader: ReaderDep, settings: SettingsDep, alert_id: int) -> Response:
    with store.read() as session:
        alert = read_alert(session, reader, alert_id)
    return Response(cap_alert(alert, sender=settings.cap_sender), media_type=MEDIA_TYPE)
