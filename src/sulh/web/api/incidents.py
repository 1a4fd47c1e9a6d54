"""Incidents and their verification cases: workflow, replies, overdue replies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from sulh.cases import (
    STATES,
    IncidentCreate,
    ReplyCreate,
    attach_report,
    file_reply,
    open_incident,
    transition_case,
)
from sulh.cases.findings import FindingCreate, draft_finding
from sulh.store import queries
from sulh.store.views import (
    CaseDetail,
    CaseSummary,
    FindingPublic,
    IncidentDetail,
    IncidentPublic,
    Page,
    ReplyPublic,
)
from sulh.web.api.paging import Cursor, Limit
from sulh.web.deps import NowDep, ReaderDep, SignedDep, StoreDep

router = APIRouter(tags=["incidents and cases"])
Id = Annotated[int, Path(ge=1)]


@router.post("/incidents", response_model=IncidentDetail, status_code=201)
def post_incident(
    body: IncidentCreate, store: StoreDep, reader: ReaderDep, now: NowDep
) -> IncidentDetail:
    with store.write(reader) as writer:
        incident_id = open_incident(writer=writer, actor=reader, data=body).id
    with store.read() as session:
        return queries.read_incident(session, reader, incident_id, now=now)


@router.get("/incidents", response_model=Page[IncidentPublic])
def get_incidents(
    store: StoreDep,
    reader: ReaderDep,
    now: NowDep,
    cursor: Cursor = None,
    limit: Limit = 50,
    state: str | None = None,
) -> Page[IncidentPublic]:
    with store.read() as session:
        return queries.list_incidents(
            session, reader, now=now, cursor=cursor, limit=limit, state=state
        )


@router.get("/incidents/{incident_id}", response_model=IncidentDetail)
def get_incident(
    incident_id: Id, store: StoreDep, reader: ReaderDep, now: NowDep
) -> IncidentDetail:
    with store.read() as session:
        return queries.read_incident(session, reader, incident_id, now=now)


class Attach(BaseModel):
    model_config = ConfigDict(extra="forbid")
    report_id: int = Field(ge=1)


@router.post("/incidents/{incident_id}/reports", response_model=IncidentDetail)
def post_incident_report(
    incident_id: Id, body: Attach, store: StoreDep, reader: ReaderDep, now: NowDep
) -> IncidentDetail:
    with store.write(reader) as writer:
        attach_report(
            writer=writer, actor=reader, incident_id=incident_id, report_id=body.report_id
        )
    with store.read() as session:
        return queries.read_incident(session, reader, incident_id, now=now)


@router.get("/cases/overdue-replies", response_model=Page[CaseSummary])
def get_overdue_replies(
    store: StoreDep, reader: ReaderDep, now: NowDep, cursor: Cursor = None, limit: Limit = 50
) -> Page[CaseSummary]:
    """Cases whose accused party let the reply window close without replying."""
    with store.read() as session:
        return queries.list_overdue_replies(session, reader, now=now, cursor=cursor, limit=limit)


@router.get("/cases/{case_id}", response_model=CaseDetail)
def get_case(case_id: Id, store: StoreDep, reader: ReaderDep, now: NowDep) -> CaseDetail:
    with store.read() as session:
        return queries.read_case(session, reader, case_id, now=now)


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: str = Field(description=f"One of: {', '.join(STATES)}")
    note: str = Field(default="", max_length=10_000)


@router.post("/cases/{case_id}/transitions", response_model=CaseDetail)
def post_transition(
    case_id: Id, body: TransitionIn, store: StoreDep, reader: ReaderDep, now: NowDep
) -> CaseDetail:
    with store.write(reader) as writer:
        transition_case(
            writer=writer, actor=reader, case_id=case_id, to_state=body.to, note=body.note
        )
    with store.read() as session:
        return queries.read_case(session, reader, case_id, now=now)


@router.post("/cases/{case_id}/reply", response_model=ReplyPublic, status_code=201)
def post_reply(
    case_id: Id, body: ReplyCreate, store: StoreDep, reader: ReaderDep, signed: SignedDep
) -> ReplyPublic:
    """The accused party's one signed reply, within the agreement's reply window."""
    with store.write(reader) as writer:
        reply = file_reply(writer=writer, actor=reader, case_id=case_id, data=body, signed=signed)
    receipt = {"log_index": writer.index_of(reply)}
    return ReplyPublic.model_validate(reply, from_attributes=True).model_copy(update=receipt)


@router.post("/cases/{case_id}/findings", response_model=FindingPublic, status_code=201)
def post_finding(
    case_id: Id, body: FindingCreate, store: StoreDep, reader: ReaderDep
) -> FindingPublic:
    with store.write(reader) as writer:
        finding_id = draft_finding(writer=writer, actor=reader, case_id=case_id, data=body).id
    with store.read() as session:
        return queries.read_finding(session, reader, finding_id)
