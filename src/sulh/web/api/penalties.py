"""Measures, commitments, crossings and each party's scorecard."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sulh.agreement import current_agreement
from sulh.penalties import (
    crossings_now,
    decide_commitment,
    decide_compliance,
    decide_measure,
    lift_measure,
    offer_commitment_evidence,
    offer_evidence,
    scorecards,
    set_crossing_status,
)
from sulh.penalties.views import CommitmentPublic, MeasurePublic, list_commitments, list_measures
from sulh.penalties.views import read_measure as read_one
from sulh.web.deps import NowDep, ReaderDep, StoreDep

router = APIRouter(tags=["penalties, commitments and crossings"])
Id = Annotated[int, Path(ge=1)]
Key = Annotated[str, Path(min_length=1, max_length=64)]


class Reasoned(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=20_000)


class DecisionIn(Reasoned):
    decision: Literal["ratify", "reject"]


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=100_000)


class ComplianceIn(Reasoned):
    outcome: Literal["complied", "not_complied"]


class CommitmentDecisionIn(Reasoned):
    outcome: Literal["met", "not_met"]


class CrossingIn(Reasoned):
    status: Literal["open", "closed", "refugees_only", "trade_only"]
    since: AwareDatetime


class CrossingOut(BaseModel):
    id: str
    name: str
    lat: float
    lon: float
    status: str
    since: datetime | None
    history: list[dict[str, Any]]
    commitments: list[str]


@router.get("/measures", response_model=list[MeasurePublic])
def get_measures(
    store: StoreDep,
    reader: ReaderDep,
    party: str | None = None,
    status: str | None = None,
    in_force: bool = False,
) -> list[MeasurePublic]:
    """Ratified measures for everyone; proposals for the mechanism, guarantors and the party."""
    with store.read() as session:
        return list_measures(session, reader, party=party, status=status, in_force=in_force)


@router.get("/measures/{measure_id}", response_model=MeasurePublic)
def get_measure(measure_id: Id, store: StoreDep, reader: ReaderDep) -> MeasurePublic:
    with store.read() as session:
        return read_one(session, reader, measure_id)


def _act(store: Any, reader: Any, measure_id: int, act: Any) -> MeasurePublic:
    with store.write(reader) as writer:
        act(writer)
    with store.read() as session:
        return read_one(session, reader, measure_id)


@router.post("/measures/{measure_id}/decisions", response_model=MeasurePublic, status_code=201)
def post_decision(
    measure_id: Id, body: DecisionIn, store: StoreDep, reader: ReaderDep
) -> MeasurePublic:
    """A guarantor ratifies or rejects a proposal, with a reason (the ladder's rule decides)."""
    return _act(
        store,
        reader,
        measure_id,
        lambda w: decide_measure(
            writer=w,
            actor=reader,
            measure_id=measure_id,
            decision=body.decision,
            reason=body.reason,
        ),
    )


@router.post("/measures/{measure_id}/evidence", response_model=MeasurePublic, status_code=201)
def post_evidence(
    measure_id: Id, body: EvidenceIn, store: StoreDep, reader: ReaderDep
) -> MeasurePublic:
    """The party's liaison shows what it has done to comply."""
    return _act(
        store,
        reader,
        measure_id,
        lambda w: offer_evidence(writer=w, actor=reader, measure_id=measure_id, text=body.text),
    )


@router.post("/measures/{measure_id}/compliance", response_model=MeasurePublic)
def post_compliance(
    measure_id: Id, body: ComplianceIn, store: StoreDep, reader: ReaderDep
) -> MeasurePublic:
    """A guarantor's decision on compliance; not complying climbs the ladder."""
    return _act(
        store,
        reader,
        measure_id,
        lambda w: decide_compliance(
            writer=w, actor=reader, measure_id=measure_id, outcome=body.outcome, reason=body.reason
        ),
    )


@router.post("/measures/{measure_id}/lift", response_model=MeasurePublic)
def post_lift(measure_id: Id, body: Reasoned, store: StoreDep, reader: ReaderDep) -> MeasurePublic:
    return _act(
        store,
        reader,
        measure_id,
        lambda w: lift_measure(writer=w, actor=reader, measure_id=measure_id, reason=body.reason),
    )


@router.get("/commitments", response_model=list[CommitmentPublic])
def get_commitments(store: StoreDep, reader: ReaderDep) -> list[CommitmentPublic]:
    return _commitments(store, reader)


def _commitments(store: Any, reader: Any) -> list[CommitmentPublic]:
    with store.read() as session:
        return list_commitments(session, reader, current_agreement(session)[1])


@router.post(
    "/commitments/{commitment_id}/evidence",
    response_model=list[CommitmentPublic],
    status_code=201,
)
def post_commitment_evidence(
    commitment_id: Key, body: EvidenceIn, store: StoreDep, reader: ReaderDep
) -> list[CommitmentPublic]:
    with store.write(reader) as writer:
        offer_commitment_evidence(
            writer=writer, actor=reader, commitment_id=commitment_id, text=body.text
        )
    return _commitments(store, reader)


@router.post("/commitments/{commitment_id}/decision", response_model=list[CommitmentPublic])
def post_commitment_decision(
    commitment_id: Key, body: CommitmentDecisionIn, store: StoreDep, reader: ReaderDep
) -> list[CommitmentPublic]:
    with store.write(reader) as writer:
        decide_commitment(
            writer=writer,
            actor=reader,
            commitment_id=commitment_id,
            outcome=body.outcome,
            reason=body.reason,
        )
    return _commitments(store, reader)


@router.get("/crossings", response_model=list[CrossingOut])
def get_crossings(store: StoreDep) -> list[dict[str, Any]]:
    """Each crossing's status and its history, newest first; public."""
    with store.read() as session:
        return crossings_now(session, current_agreement(session)[1])


@router.post("/crossings/{crossing_id}/status", response_model=list[CrossingOut], status_code=201)
def post_crossing_status(
    crossing_id: Key, body: CrossingIn, store: StoreDep, reader: ReaderDep
) -> list[dict[str, Any]]:
    with store.write(reader) as writer:
        set_crossing_status(
            writer=writer,
            actor=reader,
            crossing=crossing_id,
            status=body.status,
            since=body.since,
            reason=body.reason,
        )
    return get_crossings(store)


@router.get("/scorecard")
def get_scorecard(
    store: StoreDep,
    now: NowDep,
    party: str | None = None,
    start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
) -> list[dict[str, Any]]:
    """One object per party (or the one asked for): complaints filed and faced, violations
    by grade and clause, replies in time, access denials, measures, commitments. Public:
    it is built from decided findings and public acts."""
    end = end or now
    start = start or end - timedelta(days=30)
    with store.read() as session:
        agreement = current_agreement(session)[1]
        return scorecards(session, agreement, start=start, end=end, party=party)
