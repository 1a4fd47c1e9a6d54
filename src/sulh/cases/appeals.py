"""One appeal per finding, filed by a party it concerns, decided by the guarantors."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sulh.access.roles import Principal, Role
from sulh.agreement import parsed
from sulh.cases.findings import FindingCreate, build_finding, get_finding
from sulh.cases.workflow import get_case
from sulh.errors import Conflict, DeadlinePassed, Duplicate, Forbidden, NotFound
from sulh.penalties.proposals import after_decision, withdraw_for
from sulh.store.tables import Appeal
from sulh.store.writer import Writer


class AppealCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grounds: str = Field(min_length=1, max_length=100_000)


class AppealDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["dismissed", "granted"]
    reason: str = Field(min_length=1, max_length=100_000)
    revised: FindingCreate | None = Field(
        default=None, description="The finding that replaces the appealed one, when granted."
    )

    @model_validator(mode="after")
    def _revised_when_granted(self) -> AppealDecision:
        if (self.decision == "granted") != (self.revised is not None):
            raise ValueError("give a revised finding exactly when the appeal is granted")
        return self


def file_appeal(*, writer: Writer, actor: Principal, finding_id: int, data: AppealCreate) -> Appeal:
    if actor.role is not Role.liaison or actor.party is None:
        raise Forbidden("Only a party's liaison files an appeal.")
    finding = get_finding(writer, finding_id)
    if finding.status != "decided":
        raise Conflict(
            f"Finding {finding.id} is {finding.status}; only decided findings are appealed."
        )
    incident = get_case(writer, finding.case_id).incident
    concerned = {finding.responsible_party, incident.accused_party, incident.complainant_party}
    if actor.party not in concerned:
        raise Forbidden(f"Finding {finding.id} does not concern {actor.party}.")
    if writer.session.query(Appeal.id).filter(Appeal.finding_id == finding.id).first():
        raise Duplicate(f"Finding {finding.id} has already been appealed; one appeal is allowed.")
    assert finding.decided_at is not None
    window = timedelta(hours=parsed(writer.agreement).appeal_window_hours)
    if writer.now > finding.decided_at + window:
        raise DeadlinePassed(
            f"The appeal window for finding {finding.id} closed at "
            f"{(finding.decided_at + window).isoformat()}."
        )
    assert actor.user_id is not None
    appeal = Appeal(
        finding_id=finding.id,
        party=actor.party,
        grounds=data.grounds,
        filed_by=actor.user_id,
        filed_at=writer.now,
        status="pending",
    )
    writer.add(appeal)
    writer.record("appeal.filed", appeal)
    return appeal


def get_appeal(writer: Writer, appeal_id: int) -> Appeal:
    appeal = writer.session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"Appeal {appeal_id} does not exist.")
    return appeal


def decide_appeal(
    *, writer: Writer, actor: Principal, appeal_id: int, data: AppealDecision
) -> Appeal:
    """Dismiss an appeal, or grant it with a revised finding that supersedes the old one."""
    if actor.role is not Role.guarantor:
        raise Forbidden("Only guarantors decide appeals.")
    appeal = get_appeal(writer, appeal_id)
    if appeal.status != "pending":
        raise Conflict(f"Appeal {appeal.id} was already {appeal.status}.")
    appeal.status = data.decision
    appeal.decision_reason = data.reason
    appeal.decided_by = actor.user_id
    appeal.decided_at = writer.now
    if data.revised is not None:
        old = get_finding(writer, appeal.finding_id)
        revised = build_finding(writer, get_case(writer, old.case_id), data.revised)
        revised.status = "decided"
        revised.decided_at = writer.now
        revised.decision_method = "appeal"
        revised.supersedes_id = old.id
        old.status = "superseded"
        writer.add(revised)
        writer.record("finding.revised_on_appeal", revised)
        writer.record("finding.superseded", old)
        appeal.revised_finding_id = revised.id
        writer.session.flush()
        withdraw_for(writer, old, f"finding {old.id} was superseded on appeal {appeal.id}")
        after_decision(writer, revised)
    writer.record("appeal.decided", appeal)
    return appeal
