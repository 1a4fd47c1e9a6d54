"""Filing and reading reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path
from pydantic import BaseModel, ConfigDict

from sulh.access.roles import Tier
from sulh.errors import Invalid
from sulh.intake import ReportCreate, file_report
from sulh.intake.releases import release_report
from sulh.store import queries
from sulh.store.views import Page, ReportPublic
from sulh.vocabulary import ReportKind
from sulh.web.api.paging import Cursor, Limit
from sulh.web.deps import ReaderDep, SignedDep, StoreDep

router = APIRouter(tags=["reports"])


@router.post("/reports", response_model=ReportPublic, status_code=201)
def post_report(
    body: ReportCreate,
    store: StoreDep,
    reader: ReaderDep,
    signed: SignedDep,
    idempotency_key: Annotated[str | None, Header(min_length=8, max_length=200)] = None,
) -> ReportPublic:
    """File a report. Resending with the same Idempotency-Key is refused with 409.

    A liaison's complaint and a monitor's observation are signed (Sulh-Signature header).
    The response carries `log_index`, the receipt: see /api/v1/log/receipt.
    """
    if idempotency_key is not None:
        if body.idempotency_key not in (None, idempotency_key):
            raise Invalid("idempotency_key: the body and the Idempotency-Key header differ.")
        body = body.model_copy(update={"idempotency_key": idempotency_key})
    with store.write(reader) as writer:
        report = file_report(writer=writer, actor=reader, data=body, signed=signed)
    # The filer always gets back what it filed (anonymous tipsters included), with its receipt.
    with store.read() as session:
        view = queries.describe_report(session, reader, report)
    return view.model_copy(update={"log_index": writer.index_of(report)})


@router.get("/reports", response_model=Page[ReportPublic])
def get_reports(
    store: StoreDep,
    reader: ReaderDep,
    cursor: Cursor = None,
    limit: Limit = 50,
    kind: ReportKind | None = None,
) -> Page[ReportPublic]:
    with store.read() as session:
        return queries.list_reports(session, reader, cursor=cursor, limit=limit, kind=kind)


@router.get("/reports/{report_id}", response_model=ReportPublic)
def get_report(
    report_id: Annotated[int, Path(ge=1)], store: StoreDep, reader: ReaderDep
) -> ReportPublic:
    with store.read() as session:
        return queries.read_report(session, reader, report_id)


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tier: Tier


@router.post("/reports/{report_id}/release", response_model=ReportPublic)
def post_release(
    report_id: Annotated[int, Path(ge=1)], body: ReleaseIn, store: StoreDep, reader: ReaderDep
) -> ReportPublic:
    """A guarantor widens who may read a report (it is never narrowed, nor the report edited)."""
    with store.write(reader) as writer:
        release_report(writer=writer, actor=reader, report_id=report_id, tier=body.tier)
    with store.read() as session:
        return queries.read_report(session, reader, report_id)
