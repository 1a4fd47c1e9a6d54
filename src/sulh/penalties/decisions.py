"""The guarantors ratify or reject a proposed measure, each with a reason, by the ladder's rule.
Nothing applies before ratification."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from sqlalchemy import select

from sulh.access.roles import Principal, Role
from sulh.agreement import parsed
from sulh.errors import Conflict, Forbidden, Invalid, NotFound
from sulh.store.tables import Measure, MeasureDecision, User
from sulh.store.writer import Writer

Decision = Literal["ratify", "reject"]


def get_measure(writer: Writer, measure_id: int) -> Measure:
    measure = writer.session.get(Measure, measure_id)
    if measure is None:
        raise NotFound(f"Measure {measure_id} does not exist.")
    return measure


def require_envoy(writer: Writer, actor: Principal, act: str) -> str:
    """The guarantor `actor` speaks for; only a guarantor's envoy may `act`."""
    if actor.role is not Role.guarantor:
        raise Forbidden(f"Only guarantors {act}.")
    guarantors = [g.id for g in parsed(writer.agreement).guarantors]
    if actor.party not in guarantors:
        raise Forbidden(
            f"{actor.username} represents no guarantor of the agreement "
            f"({', '.join(guarantors)}); an admin must say which one before they {act}."
        )
    return actor.party


def _outcome(writer: Writer, measure: Measure, decisions: list[MeasureDecision]) -> str | None:
    """ratified, rejected, or None while the rule is not yet met either way."""
    agreement = parsed(writer.agreement)
    rule = agreement.penalty_ladder.ratification
    states = {g.id for g in agreement.guarantors}
    rejecting = {d.guarantor for d in decisions if d.decision == "reject"}
    ratifying = {d.guarantor for d in decisions if d.decision == "ratify"} - rejecting
    if rule == "one_guarantor":
        return "ratified" if ratifying else ("rejected" if rejecting >= states else None)
    if rejecting:
        return "rejected"
    if rule == "all_guarantors":
        return "ratified" if ratifying >= states else None
    # Every envoy who can decide: a guarantor user who speaks for none never can.
    members = set(
        writer.session.scalars(
            select(User.id).where(
                User.role == str(Role.guarantor),
                User.disabled.is_(False),
                User.party.in_(states),
            )
        )
    )
    return "ratified" if members <= {d.member_id for d in decisions} else None


def decide_measure(
    *, writer: Writer, actor: Principal, measure_id: int, decision: Decision, reason: str
) -> Measure:
    """Record one guarantor's ratification or rejection; settle the measure when the rule is met."""
    guarantor = require_envoy(writer, actor, "ratify or reject measures")
    if decision not in ("ratify", "reject"):
        raise Invalid(f"decision: ratify or reject, not {decision!r}.")
    if not reason.strip():
        raise Invalid("reason: say why the measure is ratified or rejected.")
    measure = get_measure(writer, measure_id)
    if measure.status != "proposed":
        raise Conflict(f"Measure {measure.id} is {measure.status}; only proposals are decided.")
    decisions = list(
        writer.session.scalars(
            select(MeasureDecision).where(MeasureDecision.measure_id == measure.id)
        )
    )
    if any(d.member_id == actor.user_id for d in decisions):
        raise Conflict(f"{actor.username} has already decided on measure {measure.id}.")
    assert actor.user_id is not None
    row = MeasureDecision(
        measure_id=measure.id,
        member_id=actor.user_id,
        member_name=actor.username,
        guarantor=guarantor,
        decision=decision,
        reason=reason.strip(),
        at=writer.now,
    )
    writer.add(row)
    writer.record("measure.decision", row)
    settled = _outcome(writer, measure, [*decisions, row])
    if settled is not None:
        _settle(writer, measure, settled)
    return measure


def _settle(writer: Writer, measure: Measure, outcome: str) -> None:
    measure.status, measure.decided_at = outcome, writer.now
    if outcome == "ratified":
        days = parsed(writer.agreement).penalty_ladder.measure(measure.measure).deadline_days
        measure.compliance = "pending"
        measure.deadline = writer.now + timedelta(days=days) if days else None
    else:
        measure.closed_at = writer.now
    writer.record(f"measure.{outcome}", measure)
