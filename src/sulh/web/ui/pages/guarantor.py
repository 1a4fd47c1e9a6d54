"""A guarantor: vote on findings with any dissent, decide them, release findings and incidents."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from sulh.access.roles import Role, Tier
from sulh.cases import VoteCreate, cast_vote, decide_finding, release_finding, release_incident
from sulh.errors import SulhError
from sulh.intake.releases import release_report
from sulh.outputs.alerts import list_alerts
from sulh.penalties import decide_compliance, decide_measure, lift_measure
from sulh.penalties.views import list_measures
from sulh.store import queries
from sulh.store.tables import IncidentReport
from sulh.web.deps import get_store
from sulh.web.ui.access import require
from sulh.web.ui.forms import Form, build, read_form, refused
from sulh.web.ui.i18n import _ as mark
from sulh.web.ui.pages.public import finding_page, incident_page
from sulh.web.ui.render import page, redirect
from sulh.web.ui.sessions import Visit, VisitDep

router = APIRouter()
Id = Annotated[int, Path(ge=1)]
NO_TIER = mark("Choose one of the options.")


@router.get("/guarantor", response_class=HTMLResponse)
def decisions(request: Request, visit: VisitDep) -> HTMLResponse:
    require(visit, Role.guarantor)
    return _decisions_page(request, visit, Form())


def _decisions_page(request: Request, visit: Visit, form: Form, status: int = 200) -> HTMLResponse:
    with get_store(request).read() as session:
        drafts = queries.list_findings(session, visit.principal, status="draft", limit=100).items
        decided = queries.list_findings(session, visit.principal, status="decided", limit=100).items
        measures = [
            m
            for m in list_measures(session, visit.principal)
            if m.status == "proposed" or (m.status == "ratified" and m.closed_at is None)
        ]
        alerts = list_alerts(session, visit.principal, limit=20).items
    unreleased = [f for f in decided if f.tier != "public"]
    return page(
        request,
        visit,
        "guarantor.html",
        status=status,
        active="guarantor",
        drafts=drafts,
        unreleased=unreleased,
        measures=measures,
        alerts=alerts,
        form=form,
    )


def _tier(form: Form, visit: Visit) -> Tier | None:
    try:
        return Tier(form.get("tier"))
    except ValueError:
        form.fail("tier", visit.speaker.gettext(NO_TIER))
        return None


async def _on_finding(
    request: Request, visit: Visit, finding_id: int, act: Any, done: str
) -> Response:
    require(visit, Role.guarantor)
    form = await read_form(request, visit)
    try:
        with get_store(request).write(visit.principal) as writer:
            act(writer, form)
    except SulhError as exc:
        refused(form, visit.speaker, exc)
    if form.ok:
        return redirect(request, f"/findings/{finding_id}", done)
    return finding_page(request, visit, finding_id, form, status=422)


@router.post("/guarantor/findings/{finding_id}/vote", response_model=None)
async def vote(request: Request, visit: VisitDep, finding_id: Id) -> Response:
    def act(writer: Any, form: Form) -> None:
        data = build(
            VoteCreate,
            {"vote": form.get("vote"), "statement": form.get("statement")},
            form,
            visit.speaker,
            {"vote": "vote", "statement": "statement"},
        )
        if data is not None:
            cast_vote(writer=writer, actor=visit.principal, finding_id=finding_id, data=data)

    return await _on_finding(request, visit, finding_id, act, "voted")


@router.post("/guarantor/findings/{finding_id}/decide", response_model=None)
async def decide(request: Request, visit: VisitDep, finding_id: Id) -> Response:
    def act(writer: Any, _form: Form) -> None:
        decide_finding(writer=writer, actor=visit.principal, finding_id=finding_id)

    return await _on_finding(request, visit, finding_id, act, "decided")


@router.post("/guarantor/findings/{finding_id}/release", response_model=None)
async def release(request: Request, visit: VisitDep, finding_id: Id) -> Response:
    def act(writer: Any, form: Form) -> None:
        tier = _tier(form, visit)
        if tier is not None:
            release_finding(writer=writer, actor=visit.principal, finding_id=finding_id, tier=tier)

    return await _on_finding(request, visit, finding_id, act, "released")


@router.post("/guarantor/incidents/{incident_id}/release", response_model=None)
async def release_to(request: Request, visit: VisitDep, incident_id: Id) -> Response:
    require(visit, Role.guarantor)
    form = await read_form(request, visit)
    tier = _tier(form, visit)
    if tier is not None:
        try:
            with get_store(request).write(visit.principal) as writer:
                release_incident(
                    writer=writer, actor=visit.principal, incident_id=incident_id, tier=tier
                )
        except SulhError as exc:
            refused(form, visit.speaker, exc)
    if form.ok:
        return redirect(request, f"/incidents/{incident_id}", "released")
    return incident_page(request, visit, incident_id, form, status=422)


async def _on_measure(request: Request, visit: Visit, act: Any) -> Response:
    require(visit, Role.guarantor)
    form = await read_form(request, visit)
    try:
        with get_store(request).write(visit.principal) as writer:
            act(writer, form)
    except SulhError as exc:
        refused(form, visit.speaker, exc)
    if form.ok:
        return redirect(request, "/guarantor", "saved")
    return _decisions_page(request, visit, form, status=422)


@router.post("/guarantor/measures/{measure_id}/decide", response_model=None)
async def decide_on_measure(request: Request, visit: VisitDep, measure_id: Id) -> Response:
    def act(writer: Any, form: Form) -> None:
        decide_measure(
            writer=writer,
            actor=visit.principal,
            measure_id=measure_id,
            decision=cast(Any, form.get("decision")),  # the domain names a wrong value
            reason=form.get("reason"),
        )

    return await _on_measure(request, visit, act)


@router.post("/guarantor/measures/{measure_id}/compliance", response_model=None)
async def decide_on_compliance(request: Request, visit: VisitDep, measure_id: Id) -> Response:
    def act(writer: Any, form: Form) -> None:
        outcome, reason = form.get("outcome"), form.get("reason")
        if outcome == "lift":
            lift_measure(writer=writer, actor=visit.principal, measure_id=measure_id, reason=reason)
        else:
            decide_compliance(
                writer=writer,
                actor=visit.principal,
                measure_id=measure_id,
                outcome=cast(Any, outcome),  # the domain names a wrong value
                reason=reason,
            )

    return await _on_measure(request, visit, act)


@router.post("/guarantor/reports/{report_id}/release", response_model=None)
async def release_one_report(request: Request, visit: VisitDep, report_id: Id) -> Response:
    """Release one report of an incident to a wider tier; back to its incident."""
    require(visit, Role.guarantor)
    form = await read_form(request, visit)
    tier = _tier(form, visit)
    incident_id = None
    try:
        with get_store(request).write(visit.principal) as writer:
            incident_id = writer.session.scalar(
                select(IncidentReport.incident_id).where(IncidentReport.report_id == report_id)
            )
            if tier is not None:
                release_report(writer=writer, actor=visit.principal, report_id=report_id, tier=tier)
    except SulhError as exc:
        refused(form, visit.speaker, exc)
    if incident_id is None:
        return _decisions_page(request, visit, form, status=422 if not form.ok else 200)
    if form.ok:
        return redirect(request, f"/incidents/{incident_id}", "released")
    return incident_page(request, visit, incident_id, form, status=422)
