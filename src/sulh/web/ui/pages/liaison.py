"""A party's liaison: file complaints, follow its cases, reply before the deadline, appeal."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from sulh.access.roles import Role
from sulh.cases import AppealCreate, ReplyCreate, file_appeal, file_reply
from sulh.errors import SulhError
from sulh.intake.signatures import Signed
from sulh.outputs.alerts import list_alerts
from sulh.penalties import offer_evidence
from sulh.penalties.views import list_measures
from sulh.store import queries
from sulh.web.deps import get_store
from sulh.web.ui.access import require
from sulh.web.ui.forms import Form, build, read_form, refused
from sulh.web.ui.pages.filing import ACCOUNT_LANGUAGES, file_from_form, report_page
from sulh.web.ui.render import page, redirect
from sulh.web.ui.sessions import Visit, VisitDep

router = APIRouter()
Id = Annotated[int, Path(ge=1)]
PAGE = 50


@router.get("/liaison", response_class=HTMLResponse)
def cases(
    request: Request, visit: VisitDep, number: Annotated[int, Query(alias="page", ge=0)] = 0
) -> HTMLResponse:
    require(visit, Role.liaison)
    return _cases_page(request, visit, number)


def _cases_page(
    request: Request, visit: Visit, number: int = 0, form: Form | None = None, status: int = 200
) -> HTMLResponse:
    me, store = visit.principal, get_store(request)
    with store.read() as session:
        incidents, replied = queries.party_incidents(
            session, me, now=store.clock(), limit=PAGE, offset=number * PAGE
        )
        findings = queries.list_findings(session, me, limit=50).items
        measures = list_measures(session, me, party=me.party)
        alerts = list_alerts(session, me, limit=20).items
    filed = [i for i in incidents if i.complainant_party == me.party]
    against = [i for i in incidents if i.accused_party == me.party]
    return page(
        request,
        visit,
        "liaison.html",
        active="liaison",
        filed=filed,
        against=against,
        replied=replied,
        findings=findings,
        number=number,
        more=len(incidents) == PAGE,
        measures=measures,
        alerts=alerts,
        form=form or Form(),
        status=status,
    )


def _complaint_page(
    request: Request, visit: VisitDep, form: Form, status: int = 200
) -> HTMLResponse:
    return report_page(request, visit, "complaint.html", form, active="complaint", status=status)


@router.get("/liaison/complaints/new", response_class=HTMLResponse)
def new_complaint(request: Request, visit: VisitDep) -> HTMLResponse:
    require(visit, Role.liaison)
    return _complaint_page(request, visit, Form())


@router.post("/liaison/complaints/new", response_model=None)
async def post_complaint(request: Request, visit: VisitDep) -> Response:
    require(visit, Role.liaison)
    form = await read_form(request, visit)
    filed = file_from_form(request, visit, form, "complaint", must_sign=True)
    if filed is None:
        return _complaint_page(request, visit, form, status=422)
    return redirect(request, "/liaison", "filed", id=filed[0], index=filed[1])


def _reply_page(
    request: Request, visit: VisitDep, case_id: int, form: Form, status: int = 200
) -> HTMLResponse:
    store = get_store(request)
    with store.read() as session:
        case = queries.read_case(session, visit.principal, case_id, now=store.clock())
        incident = queries.read_incident(
            session, visit.principal, case.incident_id, now=store.clock()
        )
    return page(
        request,
        visit,
        "reply.html",
        status=status,
        active="liaison",
        case=case,
        incident=incident,
        form=form,
        account_languages=list(ACCOUNT_LANGUAGES.items()),
    )


@router.get("/liaison/cases/{case_id}/reply", response_class=HTMLResponse)
def reply_form(request: Request, visit: VisitDep, case_id: Id) -> HTMLResponse:
    require(visit, Role.liaison)
    return _reply_page(
        request, visit, case_id, Form(values={"language": visit.speaker.language.tag.split("-")[0]})
    )


@router.post("/liaison/cases/{case_id}/reply", response_model=None)
async def post_reply(request: Request, visit: VisitDep, case_id: Id) -> Response:
    require(visit, Role.liaison)
    form = await read_form(request, visit)
    signed_text, signature = form.get("signed_body"), form.get("signature")
    signed = None
    if signed_text and signature:
        try:
            body = json.loads(signed_text)
        except ValueError:
            body = {}
        signed = Signed(body=body if isinstance(body, dict) else {}, signature=signature)
        data = build(
            ReplyCreate, signed.body, form, visit.speaker, {"text": "text", "language": "language"}
        )
    else:
        data = build(
            ReplyCreate,
            {"text": form.get("text"), "language": form.get("language") or "en"},
            form,
            visit.speaker,
            {"text": "text", "language": "language"},
        )
    if data is not None:
        try:
            with get_store(request).write(visit.principal) as writer:
                reply = file_reply(
                    writer=writer, actor=visit.principal, case_id=case_id, data=data, signed=signed
                )
            return redirect(request, "/liaison", "replied", index=writer.index_of(reply))
        except SulhError as exc:
            refused(form, visit.speaker, exc)
    return _reply_page(request, visit, case_id, form, status=422)


@router.post("/findings/{finding_id}/appeal", response_model=None)
async def post_appeal(request: Request, visit: VisitDep, finding_id: Id) -> Response:
    require(visit, Role.liaison)
    form = await read_form(request, visit)
    data = build(
        AppealCreate, {"grounds": form.get("grounds")}, form, visit.speaker, {"grounds": "grounds"}
    )
    if data is not None:
        try:
            with get_store(request).write(visit.principal) as writer:
                file_appeal(writer=writer, actor=visit.principal, finding_id=finding_id, data=data)
            return redirect(request, f"/findings/{finding_id}", "appealed")
        except SulhError as exc:
            refused(form, visit.speaker, exc)
    from sulh.web.ui.pages.public import finding_page

    return finding_page(request, visit, finding_id, form, status=422)


@router.post("/liaison/measures/{measure_id}/evidence", response_model=None)
async def post_measure_evidence(request: Request, visit: VisitDep, measure_id: Id) -> Response:
    """The party's account of what it has done to comply with a measure."""
    require(visit, Role.liaison)
    form = await read_form(request, visit)
    try:
        with get_store(request).write(visit.principal) as writer:
            offer_evidence(
                writer=writer, actor=visit.principal, measure_id=measure_id, text=form.get("text")
            )
    except SulhError as exc:
        refused(form, visit.speaker, exc)
        return _cases_page(request, visit, form=form, status=422)
    return redirect(request, "/liaison", "saved")
