"""Findings: votes, decisions, release, appeals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict

from sulh.access import Tier
from sulh.cases import (
    AppealCreate,
    AppealDecision,
    VoteCreate,
    cast_vote,
    decide_appeal,
    decide_finding,
    file_appeal,
    release_finding,
)
from sulh.store import queries
from sulh.store.views import FindingPublic, Page
from sulh.web.api.paging import Cursor, Limit
from sulh.web.deps import ReaderDep, StoreDep

router = APIRouter(tags=["findings"])
Id = Annotated[int, Path(ge=1)]


@router.get("/findings", response_model=Page[FindingPublic])
def get_findings(
    store: StoreDep,
    reader: ReaderDep,
    cursor: Cursor = None,
    limit: Limit = 50,
    status: str | None = None,
) -> Page[FindingPublic]:
    with store.read() as session:
        return queries.list_findings(session, reader, cursor=cursor, limit=limit, status=status)


@router.get("/findings/{finding_id}", response_model=FindingPublic)
def get_finding(finding_id: Id, store: StoreDep, reader: ReaderDep) -> FindingPublic:
    return _show(store, reader, finding_id)


def _show(store: StoreDep, reader: ReaderDep, finding_id: int) -> FindingPublic:
    with store.read() as session:
        return queries.read_finding(session, reader, finding_id)


@router.post("/findings/{finding_id}/votes", response_model=FindingPublic, status_code=201)
def post_vote(
    finding_id: Id, body: VoteCreate, store: StoreDep, reader: ReaderDep
) -> FindingPublic:
    with store.write(reader) as writer:
        cast_vote(writer=writer, actor=reader, finding_id=finding_id, data=body)
    return _show(store, reader, finding_id)


@router.post("/findings/{finding_id}/decide", response_model=FindingPublic)
def post_decide(finding_id: Id, store: StoreDep, reader: ReaderDep) -> FindingPublic:
    with store.write(reader) as writer:
        decide_finding(writer=writer, actor=reader, finding_id=finding_id)
    return _show(store, reader, finding_id)


class Release(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tier: Tier


@router.post("/findings/{finding_id}/release", response_model=FindingPublic)
def post_release(
    finding_id: Id, body: Release, store: StoreDep, reader: ReaderDep
) -> FindingPublic:
    with store.write(reader) as writer:
        release_finding(writer=writer, actor=reader, finding_id=finding_id, tier=body.tier)
    return _show(store, reader, finding_id)


@router.post("/findings/{finding_id}/appeal", response_model=FindingPublic, status_code=201)
def post_appeal(
    finding_id: Id, body: AppealCreate, store: StoreDep, reader: ReaderDep
) -> FindingPublic:
    with store.write(reader) as writer:
        file_appeal(writer=writer, actor=reader, finding_id=finding_id, data=body)
    return _show(store, reader, finding_id)


@router.post("/appeals/{appeal_id}/decide", response_model=FindingPublic)
def post_appeal_decision(
    appeal_id: Id, body: AppealDecision, store: StoreDep, reader: ReaderDep
) -> FindingPublic:
    """Decide an appeal; returns the finding that now stands."""
    with store.write(reader) as writer:
        appeal = decide_appeal(writer=writer, actor=reader, appeal_id=appeal_id, data=body)
        standing = appeal.revised_finding_id or appeal.finding_id
    return _show(store, reader, standing)
