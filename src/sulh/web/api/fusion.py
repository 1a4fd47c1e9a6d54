"""Fusion: the timeline, merges and splits, and the grades of sources and reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from sulh.errors import Forbidden, NotFound
from sulh.fusion.analysts import (
    grade_report,
    grade_source,
    merge_incidents,
    revert_change,
    set_group,
    split_incident,
)
from sulh.fusion.timeline import timeline
from sulh.store import queries
from sulh.store.tables import Source, SourceGrade, SourceGroup
from sulh.store.views import IncidentDetail
from sulh.web.deps import NowDep, ReaderDep, StoreDep

router = APIRouter(tags=["fusion and grading"])
Id = Annotated[int, Path(ge=1)]
Reason = Annotated[str, Field(min_length=1, max_length=5000, description="Why, in words.")]


class TimelineRow(BaseModel):
    incident: int
    date: str = Field(description="ISO date, or interval first/last.")
    type: str
    types: list[str]
    places: list[str]
    actors: list[str]
    confidence: str | None
    confidence_rule: str | None
    casualties: list[dict[str, Any]]
    reports: list[int]


@router.get("/timeline", response_model=list[TimelineRow])
def get_timeline(
    store: StoreDep,
    reader: ReaderDep,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
) -> list[dict[str, Any]]:
    """One row per incident whose days meet [from, to], earliest first."""
    with store.read() as session:
        return timeline(session, reader, first=first, last=last)


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    absorb: int = Field(ge=1, description="The incident whose accounts move into this one.")
    reason: Reason


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accounts: list[tuple[int, int]] = Field(
        min_length=1, max_length=1000, description="[report_id, event] pairs to split off."
    )
    reason: Reason


class RevertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Reason


class ChangeOut(BaseModel):
    change: int
    incident: IncidentDetail
    other: int


@router.post("/incidents/{incident_id}/merge", response_model=ChangeOut)
def post_merge(
    incident_id: Id, body: MergeIn, store: StoreDep, reader: ReaderDep, now: NowDep
) -> ChangeOut:
    """Merge another incident into this one, with a reason; undo it with /revert."""
    with store.write(reader) as writer:
        change = merge_incidents(
            writer=writer,
            actor=reader,
            keep=incident_id,
            absorb_id=body.absorb,
            reason=body.reason,
        )
    return _change_out(store, reader, now, change.id, incident_id, change.other_id)


@router.post("/incidents/{incident_id}/split", response_model=ChangeOut)
def post_split(
    incident_id: Id, body: SplitIn, store: StoreDep, reader: ReaderDep, now: NowDep
) -> ChangeOut:
    """Move the named accounts into a new incident, with a reason."""
    with store.write(reader) as writer:
        change = split_incident(
            writer=writer,
            actor=reader,
            incident_id=incident_id,
            accounts=[(a[0], a[1]) for a in body.accounts],
            reason=body.reason,
        )
    return _change_out(store, reader, now, change.id, incident_id, change.other_id)


@router.post("/incident-changes/{change_id}/revert", response_model=ChangeOut)
def post_revert(
    change_id: Id, body: RevertIn, store: StoreDep, reader: ReaderDep, now: NowDep
) -> ChangeOut:
    """Undo a merge or a split: the accounts it moved go back."""
    with store.write(reader) as writer:
        undo = revert_change(writer=writer, actor=reader, change_id=change_id, reason=body.reason)
    return _change_out(store, reader, now, undo.id, undo.incident_id, undo.other_id)


def _change_out(
    store: Any, reader: Any, now: datetime, change: int, incident: int, other: int
) -> ChangeOut:
    with store.read() as session:
        detail = queries.read_incident(session, reader, incident, now=now)
    return ChangeOut(change=change, incident=detail, other=other)


class GradeChange(BaseModel):
    value: str
    reason: str
    by_user: int | None
    at: datetime


class SourceOut(BaseModel):
    id: int
    name: str
    kind: str
    reliability: str
    independence_group: str
    grades: list[GradeChange]
    groups: list[GradeChange]


class SourceGradeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grade: str = Field(pattern="^[A-F]$", description="Admiralty reliability, A to F.")
    reason: Reason


class SourceGroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group: str = Field(min_length=1, max_length=200)
    reason: Reason


class CredibilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    credibility: int = Field(ge=1, le=6, description="Admiralty information credibility, 1 to 6.")
    reason: Reason


class CredibilityOut(BaseModel):
    report_id: int
    credibility: int
    reason: str
    at: datetime


def _staff_only(reader: Any) -> None:
    if not reader.is_staff:
        raise Forbidden("Sources and their grades are shown to mechanism staff only.")


def _source_out(session: Any, source: Source) -> SourceOut:
    grades = session.scalars(
        select(SourceGrade).where(SourceGrade.source_id == source.id).order_by(SourceGrade.id)
    )
    groups = session.scalars(
        select(SourceGroup).where(SourceGroup.source_id == source.id).order_by(SourceGroup.id)
    )
    return SourceOut(
        id=source.id,
        name=source.name,
        kind=source.kind,
        reliability=source.reliability,
        independence_group=source.independence_group,
        grades=[
            GradeChange(value=g.grade, reason=g.reason, by_user=g.by_user, at=g.at) for g in grades
        ],
        groups=[
            GradeChange(value=g.group, reason=g.reason, by_user=g.by_user, at=g.at) for g in groups
        ],
    )


@router.get("/sources", response_model=list[SourceOut])
def get_sources(store: StoreDep, reader: ReaderDep) -> list[SourceOut]:
    """Every source with its grade history and independence group (staff only)."""
    _staff_only(reader)
    with store.read() as session:
        return [
            _source_out(session, s) for s in session.scalars(select(Source).order_by(Source.id))
        ]


@router.get("/sources/{source_id}", response_model=SourceOut)
def get_source(source_id: Id, store: StoreDep, reader: ReaderDep) -> SourceOut:
    _staff_only(reader)
    with store.read() as session:
        source = session.get(Source, source_id)
        if source is None:
            raise NotFound(f"Source {source_id} does not exist.")
        return _source_out(session, source)


@router.post("/sources/{source_id}/grade", response_model=SourceOut)
def post_source_grade(
    source_id: Id, body: SourceGradeIn, store: StoreDep, reader: ReaderDep
) -> SourceOut:
    """Grade a source's reliability; incidents resting on it are graded again."""
    with store.write(reader) as writer:
        grade_source(
            writer=writer, actor=reader, source_id=source_id, grade=body.grade, reason=body.reason
        )
    return get_source(source_id, store, reader)


@router.post("/sources/{source_id}/group", response_model=SourceOut)
def post_source_group(
    source_id: Id, body: SourceGroupIn, store: StoreDep, reader: ReaderDep
) -> SourceOut:
    """Correct a source's independence group (sources sharing an origin count once)."""
    with store.write(reader) as writer:
        set_group(
            writer=writer, actor=reader, source_id=source_id, group=body.group, reason=body.reason
        )
    return get_source(source_id, store, reader)


@router.post("/reports/{report_id}/credibility", response_model=CredibilityOut)
def post_credibility(
    report_id: Id, body: CredibilityIn, store: StoreDep, reader: ReaderDep
) -> CredibilityOut:
    """Grade a report's credibility in place of the automatic proposal."""
    with store.write(reader) as writer:
        row = grade_report(
            writer=writer,
            actor=reader,
            report_id=report_id,
            credibility=body.credibility,
            reason=body.reason,
        )
    return CredibilityOut(
        report_id=report_id, credibility=row.credibility, reason=row.reason, at=row.at
    )
