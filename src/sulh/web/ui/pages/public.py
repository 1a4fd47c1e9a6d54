"""What anyone may see without logging in: the dashboard, the map's data, incidents, findings."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from sulh.access.roles import TIER_ORDER
from sulh.agreement import Agreement, Outcome
from sulh.evidence.read import copies_of, described, evidence_for, marked_internal
from sulh.ledger.log import Log, public_view
from sulh.ledger.log import quorum as quorum_of
from sulh.outputs import compare_periods, latest_period
from sulh.outputs.alerts import list_alerts
from sulh.outputs.listings import (
    case_findings,
    latest_findings,
    log_indexes,
    log_size,
    map_points,
    recent_incidents,
)
from sulh.penalties import crossings_now
from sulh.penalties.views import list_measures
from sulh.store import queries
from sulh.web.api.evidence import serve_evidence
from sulh.web.api.statistics import get_sitrep
from sulh.web.deps import get_store
from sulh.web.ui.forms import Form
from sulh.web.ui.labels import LABELS, label
from sulh.web.ui.render import agreement_of, page
from sulh.web.ui.sessions import Visit, VisitDep

router = APIRouter()
PERIODS = (7, 30, 90)
VOTES = ("concur", "dissent", "abstain")


def _checkpoints(request: Request, agreement: Agreement | None) -> list[dict[str, Any]]:
    """The newest checkpoint (signed now if the log has grown) and, if it is not the same,
    the newest one witnesses have cosigned, each with its cosigners and quorum."""
    log: Log = request.app.state.log
    shown: list[dict[str, Any]] = []
    for checkpoint in (log.latest(), log.latest_cosigned()):
        if checkpoint is None or any(c["size"] == checkpoint.size for c in shown):
            continue
        cosigners = log.cosigners(checkpoint.size)
        met = quorum_of(agreement, cosigners) if agreement is not None else None
        shown.append(
            {
                **public_view(checkpoint),
                "signed_at": checkpoint.signed_at,
                "cosigners": cosigners,
                "quorum": met,
            }
        )
    return shown


def crossings(request: Request, agreement: Agreement | None) -> list[dict[str, Any]]:
    """The agreement's crossings with their current status and its history."""
    if agreement is None:
        return []
    with get_store(request).read() as session:
        return crossings_now(session, agreement)


@router.get("/", response_class=HTMLResponse, name="dashboard")
def dashboard(
    request: Request, visit: VisitDep, days: Annotated[int, Query()] = 30
) -> HTMLResponse:
    days = days if days in PERIODS else 30
    store = get_store(request)
    agreement = agreement_of(request)
    # Counts run to the current hour, so that they can be kept until the record changes.
    period = latest_period(store.clock().replace(minute=0, second=0, microsecond=0), days)
    me = visit.principal
    with store.read() as session:
        key = ("counts", log_size(session), me.role, me.party, period.end, days)
        comparisons = request.app.state.ui_cache.get(
            key, lambda: compare_periods(session, me, period=period)
        )
        incidents = recent_incidents(session, me, limit=15)
        findings = latest_findings(session, me)
        in_force = list_measures(session, me, in_force=True)
        alerts = list_alerts(session, me, limit=10).items
    return page(
        request,
        visit,
        "dashboard.html",
        alerts=alerts,
        active="dashboard",
        agreement=agreement,
        days=days,
        periods=PERIODS,
        period=period,
        comparisons=comparisons,
        incidents=incidents,
        findings=findings,
        crossings=crossings(request, agreement),
        measures=in_force,
        checkpoints=_checkpoints(request, agreement),
        ladder=agreement.penalty_ladder if agreement else None,
        tiles=request.app.state.settings.map_tiles,
        attribution=request.app.state.settings.map_attribution,
        sitrep_day=(store.clock() - timedelta(days=1)).date().isoformat(),
    )


@router.get("/sitreps", name="sitrep")
def sitrep(
    request: Request,
    visit: VisitDep,
    day: Annotated[date, Query(alias="date")],
    period: Annotated[Literal["daily", "weekly", "monthly"], Query()] = "daily",
    format: Annotated[Literal["html", "md", "pdf"], Query()] = "pdf",
) -> Response:
    """A situation report at the viewer's tier, as a download (docs/outputs.md)."""
    return get_sitrep(
        request, request.app.state.log, visit.principal, period, day=day, format=format
    )


@router.get("/map/incidents.json", name="map_points")
def map_incidents(request: Request, visit: VisitDep) -> Response:
    """Placed incidents the viewer may see; the ETag follows the log, which every change grows."""
    store = get_store(request)
    with store.read() as session:
        me = visit.principal
        tag = f'W/"{log_size(session)}-{me.role}-{me.party}-{visit.speaker.code}"'
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers={"ETag": tag})
        body = request.app.state.ui_cache.get(("map", tag), lambda: _points_json(session, visit))
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
    return Response(body, media_type="application/json", headers=headers)


def _points_json(session: Any, visit: Visit) -> bytes:
    points = map_points(session, visit.principal)
    labels = {k: label(visit.speaker, k) for k in {p[3] for p in points}}
    body = {"points": points, "labels": {"event_type": labels}}
    return json.dumps(body, separators=(",", ":")).encode()


@router.get("/map/crossings.json", name="map_crossings")
def map_crossings(request: Request, visit: VisitDep) -> JSONResponse:
    found = [
        {k: c[k] for k in ("id", "name", "lat", "lon", "status")}
        | {"status_label": label(visit.speaker, c["status"])}
        for c in crossings(request, agreement_of(request))
    ]
    return JSONResponse({"crossings": found})


@router.get("/incidents/{incident_id}", response_class=HTMLResponse, name="incident")
def incident(
    request: Request, visit: VisitDep, incident_id: Annotated[int, Path(ge=1)]
) -> HTMLResponse:
    return incident_page(request, visit, incident_id, Form())


def incident_page(
    request: Request, visit: Visit, incident_id: int, form: Form, status: int = 200
) -> HTMLResponse:
    """Every account side by side, with what the viewer's role may do to the incident."""
    store = get_store(request)
    with store.read() as session:
        detail = queries.read_incident(session, visit.principal, incident_id, now=store.clock())
        findings = [
            queries.read_finding(session, visit.principal, f)
            for f in case_findings(session, visit.principal, detail.case.id)
        ]
        reports = [queries.read_report(session, visit.principal, r) for r in detail.report_ids]
        indexes = log_indexes(session, "reports", detail.report_ids)
        evidence = {r: evidence_for(session, visit.principal, r) for r in detail.report_ids}
        files = [e.id for rows in evidence.values() for e in rows]
        metadata = described(session, visit.principal, files)
        copies = copies_of(session, files)
        internal = marked_internal(session, files)
    return page(
        request,
        visit,
        "incident.html",
        status=status,
        active="incident",
        incident=detail,
        findings=findings,
        reports={r.id: r for r in reports},
        indexes=indexes,
        form=form,
        evidence=evidence,
        metadata=metadata,
        copies=copies,
        internal=internal,
        tiers=TIER_ORDER,
        outcomes=[(str(o), label(visit.speaker, str(o))) for o in Outcome],
    )


@router.get("/findings/{finding_id}", response_class=HTMLResponse, name="finding")
def finding(
    request: Request, visit: VisitDep, finding_id: Annotated[int, Path(ge=1)]
) -> HTMLResponse:
    return finding_page(request, visit, finding_id, Form())


def finding_page(
    request: Request, visit: Visit, finding_id: int, form: Form, status: int = 200
) -> HTMLResponse:
    store = get_store(request)
    with store.read() as session:
        found = queries.read_finding(session, visit.principal, finding_id)
        case = queries.read_case(session, visit.principal, found.case_id, now=store.clock())
        incident = queries.read_incident(
            session, visit.principal, case.incident_id, now=store.clock()
        )
    return page(
        request,
        visit,
        "finding.html",
        status=status,
        finding=found,
        incident=incident,
        form=form,
        tiers=TIER_ORDER,
        vote_options=[(v, label(visit.speaker, v)) for v in VOTES],
    )


@router.get("/evidence/{evidence_id}", name="evidence")
def evidence_file(
    request: Request,
    visit: VisitDep,
    evidence_id: Annotated[int, Path(ge=1)],
    copy: Annotated[Literal["original", "redacted", "preview", "thumbnail"] | None, Query()] = None,
) -> FileResponse:
    """An evidence file (or its copy) for whoever may see its report, as a download."""
    return serve_evidence(
        get_store(request),
        visit.principal,
        request.app.state.locker,
        evidence_id,
        copy,
        place="from the incident page",
    )


__all__ = ["LABELS", "router"]
