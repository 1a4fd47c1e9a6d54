"""The secretariat's analyst: the triage queue, moving cases on, merging, splitting, drafting."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from sulh.access.roles import Role
from sulh.cases import FindingCreate, draft_finding, transition_case
from sulh.errors import SulhError
from sulh.evidence import mark_evidence
from sulh.fusion.analysts import merge_incidents, split_incident
from sulh.outputs.alerts import list_alerts
from sulh.outputs.listings import triage_queue
from sulh.store.tables import Case
from sulh.web.deps import get_store
from sulh.web.ui.access import require
from sulh.web.ui.forms import Form, build, read_form, refused
from sulh.web.ui.i18n import _ as mark
from sulh.web.ui.pages.public import incident_page
from sulh.web.ui.render import page, redirect
from sulh.web.ui.sessions import Visit, VisitDep

router = APIRouter()
Id = Annotated[int, Path(ge=1)]
STAFF = (Role.analyst, Role.admin)
PAGE = 50
NOT_A_NUMBER = mark("Give the number of an incident.")


@router.get("/analyst", response_class=HTMLResponse)
def queue(
    request: Request, visit: VisitDep, number: Annotated[int, Query(alias="page", ge=0)] = 0
) -> HTMLResponse:
    """Open cases, the nearest deadline first, then those waiting for triage."""
    require(visit, *STAFF)
    with get_store(request).read() as session:
        rows = triage_queue(session, page=number, size=PAGE)
        alerts = list_alerts(session, visit.principal, limit=20).items
    return page(
        request,
        visit,
        "analyst.html",
        active="analyst",
        rows=rows,
        alerts=alerts,
        number=number,
        more=len(rows) == PAGE,
    )


async def _act(request: Request, visit: Visit, incident_id: int, act: Any, done: str) -> Response:
    """Run `act(writer, form)` on a posted form; back to the incident page either way."""
    require(visit, *STAFF)
    form = await read_form(request, visit)
    made = None
    try:
        with get_store(request).write(visit.principal) as writer:
            made = act(writer, form)
    except SulhError as exc:
        refused(form, visit.speaker, exc)
    if form.ok:
        values = {"id": made} if isinstance(made, int) else {}
        return redirect(request, f"/incidents/{incident_id}", done, **values)
    return incident_page(request, visit, incident_id, form, status=422)


@router.post("/analyst/incidents/{incident_id}/transition", response_model=None)
async def move(request: Request, visit: VisitDep, incident_id: Id) -> Response:
    def act(writer: Any, form: Form) -> None:
        case = writer.session.scalars(select(Case).where(Case.incident_id == incident_id)).one()
        transition_case(
            writer=writer,
            actor=visit.principal,
            case_id=case.id,
            to_state=form.get("to"),
            note=form.get("note"),
        )

    return await _act(request, visit, incident_id, act, "moved")


@router.post("/analyst/incidents/{incident_id}/merge", response_model=None)
async def merge(request: Request, visit: VisitDep, incident_id: Id) -> Response:
    def act(writer: Any, form: Form) -> None:
        other = form.get("absorb")
        if not other.isdigit():
            form.fail("absorb", visit.speaker.gettext(NOT_A_NUMBER))
            return
        merge_incidents(
            writer=writer,
            actor=visit.principal,
            keep=incident_id,
            absorb_id=int(other),
            reason=form.get("reason"),
        )

    return await _act(request, visit, incident_id, act, "merged")


@router.post("/analyst/incidents/{incident_id}/split", response_model=None)
async def split(request: Request, visit: VisitDep, incident_id: Id) -> Response:
    def act(writer: Any, form: Form) -> None:
        data = picked_accounts(form)
        split_incident(
            writer=writer,
            actor=visit.principal,
            incident_id=incident_id,
            accounts=data,
            reason=form.get("reason"),
        )

    return await _act(request, visit, incident_id, act, "split")


def picked_accounts(form: Form) -> list[tuple[int, int]]:
    """The accounts ticked for splitting off: checkboxes named account:<report>:<event>."""
    picked: list[tuple[int, int]] = []
    for name in form.values:
        kind, _, rest = name.partition(":")
        report, _, event = rest.partition(":")
        if kind == "account" and report.isdigit() and event.isdigit():
            picked.append((int(report), int(event)))
    return picked


@router.post("/analyst/incidents/{incident_id}/finding", response_model=None)
async def draft(request: Request, visit: VisitDep, incident_id: Id) -> Response:
    def act(writer: Any, form: Form) -> int | None:
        clauses = [c.strip() for c in form.get("clauses").split(",") if c.strip()]
        data = build(
            FindingCreate,
            {
                "outcome": form.get("outcome"),
                "clauses": clauses,
                "attributed_to": form.get("attributed_to") or None,
                "rationale": form.get("rationale"),
                "tier": form.get("tier") or "joint",
            },
            form,
            visit.speaker,
            {
                "outcome": "outcome",
                "clauses": "clauses",
                "attributed_to": "attributed_to",
                "rationale": "rationale",
                "tier": "tier",
            },
        )
        if data is None:
            return None
        case = writer.session.scalars(select(Case).where(Case.incident_id == incident_id)).one()
        return int(
            draft_finding(writer=writer, actor=visit.principal, case_id=case.id, data=data).id
        )

    return await _act(request, visit, incident_id, act, "drafted")


@router.post("/analyst/incidents/{incident_id}/evidence/{evidence_id}/mark", response_model=None)
async def mark_file(
    request: Request, visit: VisitDep, incident_id: Id, evidence_id: Id
) -> Response:
    def act(writer: Any, form: Form) -> None:
        mark_evidence(
            writer=writer,
            actor=visit.principal,
            evidence_id=evidence_id,
            internal_only=form.get("internal_only") == "true",
            reason=form.get("reason"),
        )

    return await _act(request, visit, incident_id, act, "marked")
