"""Compliance: the party offers evidence, the guarantors decide; measures may be lifted.
Agreed commitments are followed the same way."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select

from sulh.access.roles import Principal, Role
from sulh.agreement import parsed
from sulh.agreement.model import Commitment
from sulh.errors import Conflict, Forbidden, Invalid, NotFound
from sulh.penalties.decisions import get_measure, require_envoy
from sulh.penalties.proposals import propose
from sulh.store.tables import CommitmentState, ComplianceEvent, Measure
from sulh.store.writer import Writer

OPEN = ("pending", "overdue")


def _text(text: str, what: str) -> str:
    if not text.strip():
        raise Invalid(f"{what}: it cannot be empty.")
    return text.strip()


def _open_measure(writer: Writer, measure_id: int) -> Measure:
    measure = get_measure(writer, measure_id)
    if measure.status != "ratified":
        raise Conflict(f"Measure {measure.id} is {measure.status}, not in force.")
    if measure.compliance not in OPEN:
        raise Conflict(
            f"Measure {measure.id} is closed ({measure.compliance}); no more evidence or "
            "decisions are taken on it."
        )
    return measure


def _event(writer: Writer, actor: Principal, **fields: object) -> ComplianceEvent:
    event = ComplianceEvent(by_user=actor.user_id, at=writer.now, **fields)
    writer.add(event)
    writer.record("compliance.event", event)
    return event


def offer_evidence(
    *, writer: Writer, actor: Principal, measure_id: int, text: str
) -> ComplianceEvent:
    """The party's liaison shows what it has done to comply."""
    measure = _open_measure(writer, measure_id)
    if actor.role is not Role.liaison or actor.party != measure.party:
        raise Forbidden(f"Only {measure.party}'s liaison offers evidence on measure {measure.id}.")
    return _event(
        writer,
        actor,
        measure_id=measure.id,
        kind="evidence",
        party=measure.party,
        text=_text(text, "evidence"),
    )


def decide_compliance(
    *,
    writer: Writer,
    actor: Principal,
    measure_id: int,
    outcome: Literal["complied", "not_complied"],
    reason: str,
) -> Measure:
    """The guarantors' decision on the evidence; not complying climbs the ladder."""
    require_envoy(writer, actor, "decide on compliance")
    if outcome not in ("complied", "not_complied"):
        raise Invalid(f"outcome: complied or not_complied, not {outcome!r}.")
    measure = _open_measure(writer, measure_id)
    _event(
        writer,
        actor,
        measure_id=measure.id,
        kind="decision",
        outcome=outcome,
        party=measure.party,
        text=_text(reason, "reason"),
    )
    measure.compliance, measure.closed_at = outcome, writer.now
    writer.record("measure.compliance", measure)
    if outcome == "not_complied":
        propose(writer, party=measure.party, escalates=measure)
    return measure


def lift_measure(*, writer: Writer, actor: Principal, measure_id: int, reason: str) -> Measure:
    """The guarantors end a measure before it is complied with, saying why."""
    require_envoy(writer, actor, "lift measures")
    measure = _open_measure(writer, measure_id)
    _event(
        writer,
        actor,
        measure_id=measure.id,
        kind="lifted",
        outcome="lifted",
        party=measure.party,
        text=_text(reason, "reason"),
    )
    measure.compliance, measure.closed_at = "lifted", writer.now
    writer.record("measure.compliance", measure)
    return measure


def agreed_commitment(writer: Writer, commitment_id: str) -> Commitment:
    found = next((c for c in parsed(writer.agreement).commitments if c.id == commitment_id), None)
    if found is None:
        raise NotFound(f"The agreement in force has no commitment {commitment_id!r}.")
    if found.status != "agreed":
        raise Conflict(f"Commitment {found.id!r} is only proposed; it is not followed up.")
    return found


def commitment_status(writer: Writer, commitment: Commitment) -> str:
    row = _state_row(writer, commitment.id)
    return row.status if row is not None else "pending"


def _state_row(writer: Writer, commitment_id: str) -> CommitmentState | None:
    return writer.session.scalars(
        select(CommitmentState).where(CommitmentState.commitment == commitment_id)
    ).first()


def commitment_state(writer: Writer, commitment: Commitment) -> CommitmentState:
    """The commitment's state row, made when it first changes (the caller records it)."""
    row = _state_row(writer, commitment.id)
    if row is None:
        row = CommitmentState(
            commitment=commitment.id,
            party=commitment.party,
            status="pending",
            updated_at=writer.now,
        )
        writer.add(row)
    return row


def offer_commitment_evidence(
    *, writer: Writer, actor: Principal, commitment_id: str, text: str
) -> ComplianceEvent:
    commitment = agreed_commitment(writer, commitment_id)
    if actor.role is not Role.liaison or actor.party != commitment.party:
        raise Forbidden(f"Only {commitment.party}'s liaison offers evidence on {commitment.id!r}.")
    status = commitment_status(writer, commitment)
    if status not in OPEN:
        raise Conflict(f"Commitment {commitment.id!r} is closed ({status}).")
    return _event(
        writer,
        actor,
        commitment=commitment.id,
        kind="evidence",
        party=commitment.party,
        text=_text(text, "evidence"),
    )


def decide_commitment(
    *,
    writer: Writer,
    actor: Principal,
    commitment_id: str,
    outcome: Literal["met", "not_met"],
    reason: str,
) -> CommitmentState:
    require_envoy(writer, actor, "decide on commitments")
    if outcome not in ("met", "not_met"):
        raise Invalid(f"outcome: met or not_met, not {outcome!r}.")
    commitment = agreed_commitment(writer, commitment_id)
    state = commitment_state(writer, commitment)
    if state.status not in OPEN:
        raise Conflict(f"Commitment {commitment.id!r} is closed ({state.status}).")
    _event(
        writer,
        actor,
        commitment=commitment.id,
        kind="decision",
        outcome=outcome,
        party=commitment.party,
        text=_text(reason, "reason"),
    )
    state.status, state.updated_at = outcome, writer.now
    writer.record("commitment.decided", state)
    return state
