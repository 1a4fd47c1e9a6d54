"""What readers get back about measures, commitments and crossings, through their tier."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from sulh.access.roles import Principal, Role
from sulh.agreement.model import Agreement
from sulh.errors import NotFound
from sulh.store.tables import CommitmentState, ComplianceEvent, Measure, MeasureDecision


class DecisionPublic(BaseModel):
    member: str
    guarantor: str
    decision: str
    reason: str
    at: datetime


class EventPublic(BaseModel):
    kind: str
    outcome: str | None
    party: str | None
    text: str | None = Field(description="Shown to staff, guarantors and the party concerned.")
    at: datetime


class MeasurePublic(BaseModel):
    id: int
    party: str
    measure: str
    threshold: int
    text: str
    rule: str = Field(description="Why the ladder proposed it: points, window and findings.")
    points: int
    findings: list[int]
    escalates: int | None
    status: str = Field(description="proposed, ratified, rejected or withdrawn.")
    compliance: str | None = Field(
        description="Once ratified: pending, complied, not_complied, overdue or lifted."
    )
    proposed_at: datetime
    decided_at: datetime | None
    deadline: datetime | None
    closed_at: datetime | None
    decisions: list[DecisionPublic]
    events: list[EventPublic]


class CommitmentPublic(BaseModel):
    id: str
    party: str
    text: str
    clause: str | None
    crossing: str | None
    agreed: bool
    due: datetime | None
    status: str = Field(description="proposed (not followed up), pending, met, not_met, overdue.")
    events: list[EventPublic]


def measure_filter(reader: Principal) -> ColumnElement[bool]:
    """Ratified measures are public acts; proposals are for the mechanism, the guarantors and
    the party concerned."""
    if reader.is_staff or reader.role is Role.guarantor:
        return true()
    mine = Measure.party == reader.party if reader.role is Role.liaison else None
    ratified = Measure.status == "ratified"
    return or_(ratified, mine) if mine is not None else ratified


def _sees_texts(reader: Principal, party: str | None) -> bool:
    return (
        reader.is_staff
        or reader.role is Role.guarantor
        or (reader.role is Role.liaison and reader.party == party)
    )


def _events(reader: Principal, rows: list[ComplianceEvent]) -> list[EventPublic]:
    return [
        EventPublic(
            kind=e.kind,
            outcome=e.outcome,
            party=e.party,
            at=e.at,
            text=e.text if _sees_texts(reader, e.party) else None,
        )
        for e in rows
    ]


def _view(session: Session, reader: Principal, measure: Measure) -> MeasurePublic:
    decisions = session.scalars(
        select(MeasureDecision)
        .where(MeasureDecision.measure_id == measure.id)
        .order_by(MeasureDecision.id)
    )
    events = list(
        session.scalars(
            select(ComplianceEvent)
            .where(ComplianceEvent.measure_id == measure.id)
            .order_by(ComplianceEvent.id)
        )
    )
    return MeasurePublic(
        id=measure.id,
        party=measure.party,
        measure=measure.measure,
        threshold=measure.threshold,
        text=measure.text,
        rule=measure.rule,
        points=measure.points,
        findings=list(measure.findings),
        escalates=measure.escalates_id,
        status=measure.status,
        compliance=measure.compliance,
        proposed_at=measure.proposed_at,
        decided_at=measure.decided_at,
        deadline=measure.deadline,
        closed_at=measure.closed_at,
        decisions=[
            DecisionPublic(
                member=d.member_name,
                guarantor=d.guarantor,
                decision=d.decision,
                reason=d.reason,
                at=d.at,
            )
            for d in decisions
        ],
        events=_events(reader, events),
    )


def list_measures(
    session: Session,
    reader: Principal,
    *,
    party: str | None = None,
    status: str | None = None,
    in_force: bool = False,
) -> list[MeasurePublic]:
    """Measures `reader` may see, newest first; `in_force`: ratified and not yet closed."""
    query = select(Measure).where(measure_filter(reader))
    if party is not None:
        query = query.where(Measure.party == party)
    if status is not None:
        query = query.where(Measure.status == status)
    if in_force:
        query = query.where(Measure.status == "ratified", Measure.closed_at.is_(None))
    rows = session.scalars(query.order_by(Measure.id.desc()).limit(500))
    return [_view(session, reader, m) for m in rows]


def read_measure(session: Session, reader: Principal, measure_id: int) -> MeasurePublic:
    measure = session.scalars(
        select(Measure).where(Measure.id == measure_id, measure_filter(reader))
    ).first()
    if measure is None:
        raise NotFound(f"Measure {measure_id} does not exist or is not visible to you.")
    return _view(session, reader, measure)


def list_commitments(
    session: Session, reader: Principal, agreement: Agreement
) -> list[CommitmentPublic]:
    """The agreement's commitments, with where each agreed one stands (they are public)."""
    states = {s.commitment: s.status for s in session.scalars(select(CommitmentState))}
    found = []
    for c in agreement.commitments:
        events = list(
            session.scalars(
                select(ComplianceEvent)
                .where(ComplianceEvent.commitment == c.id)
                .order_by(ComplianceEvent.id)
            )
        )
        status = states.get(c.id, "pending") if c.status == "agreed" else "proposed"
        found.append(
            CommitmentPublic(
                id=c.id,
                party=c.party,
                text=c.text,
                clause=c.clause,
                crossing=c.crossing,
                agreed=c.status == "agreed",
                due=c.due,
                status=status,
                events=_events(reader, events),
            )
        )
    return found
