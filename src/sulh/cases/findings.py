"""Findings: the ruling on an incident, decided by the guarantors with dissent kept."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select

from sulh.access.roles import TIER_ORDER, Principal, Role, Tier
from sulh.agreement import Agreement, Outcome, parsed
from sulh.cases.workflow import get_case, move_case
from sulh.errors import Conflict, Forbidden, Invalid, NotFound, UnknownReference
from sulh.penalties.proposals import after_decision
from sulh.store.tables import Case, Finding, Vote
from sulh.store.writer import Writer

VIOLATIONS = frozenset(
    {
        Outcome.violation_minor,
        Outcome.violation_serious,
        Outcome.violation_grave,
        Outcome.non_compliance,
    }
)
NO_ATTRIBUTION = ("unattributable", "unknown")


class FindingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    outcome: Outcome
    clauses: list[str] = Field(default_factory=list, max_length=20)
    attributed_to: str | None = Field(
        default=None,
        description="A party id, an actor id, 'unattributable' or 'unknown'.",
    )
    rationale: str = Field(min_length=1, max_length=100_000)
    tier: Tier = Tier.joint

    @model_validator(mode="after")
    def _violation_needs_clause(self) -> FindingCreate:
        if self.outcome in VIOLATIONS:
            if not self.clauses:
                raise ValueError("a violation or non-compliance names the clause(s) concerned")
            if self.attributed_to is None:
                raise ValueError(
                    "a violation is attributed to a party, an actor, 'unattributable' or 'unknown'"
                )
        return self


class VoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vote: Literal["concur", "dissent", "abstain"]
    statement: str = Field(default="", max_length=100_000)


def _attribution(agreement: Agreement, data: FindingCreate) -> tuple[str, str | None]:
    """Return (attribution kind, responsible party) or refuse an unknown id."""
    ref = data.attributed_to
    if ref is None:
        return "none", None
    if ref in NO_ATTRIBUTION:
        return ref, None
    if ref in agreement.party_ids():
        return "party", ref
    actor = agreement.actor(ref)
    if actor is None:
        raise UnknownReference(
            f"attributed_to: {ref!r} is neither a party nor an actor of {agreement.id!r} "
            f"v{agreement.version}.",
            details={"field": "attributed_to"},
        )
    return ("actor" if actor.answerable else "group"), actor.answerable


def _check_clauses(agreement: Agreement, data: FindingCreate, party: str | None) -> None:
    known = {c.id: c for c in agreement.clauses}
    for clause_id in data.clauses:
        clause = known.get(clause_id)
        if clause is None:
            raise UnknownReference(
                f"Clause {clause_id!r} is not in agreement {agreement.id!r} v{agreement.version} "
                f"(clauses: {', '.join(known)}).",
                details={"field": "clauses"},
            )
        if party is not None and data.outcome in VIOLATIONS and party not in clause.binds:
            raise Invalid(
                f"Clause {clause_id!r} binds {', '.join(clause.binds)}, not {party}.",
                details={"field": "clauses"},
            )


def build_finding(writer: Writer, case: Case, data: FindingCreate) -> Finding:
    agreement = parsed(writer.agreement)
    kind, party = _attribution(agreement, data)
    _check_clauses(agreement, data, party)
    return Finding(
        case_id=case.id,
        status="draft",
        outcome=str(data.outcome),
        clauses=list(data.clauses),
        attribution_kind=kind,
        attributed_to=data.attributed_to,
        responsible_party=party,
        rationale=data.rationale,
        tier=str(data.tier),
        drafted_by=writer.actor.user_id,
        drafted_at=writer.now,
        agreement_version_id=writer.agreement.id,
    )


def draft_finding(
    *, writer: Writer, actor: Principal, case_id: int, data: FindingCreate
) -> Finding:
    """Draft the finding of a case; a new draft supersedes the previous one."""
    if actor.role is not Role.analyst:
        raise Forbidden("Only analysts draft findings.")
    case = get_case(writer, case_id)
    if case.state != "draft_finding":
        raise Conflict(
            f"Case {case.id} is {case.state!r}; findings are drafted in state 'draft_finding'."
        )
    previous = writer.session.scalars(
        select(Finding).where(Finding.case_id == case.id, Finding.status == "draft")
    ).first()
    finding = build_finding(writer, case, data)
    if previous is not None:
        previous.status = "superseded"
        finding.supersedes_id = previous.id
    writer.add(finding)
    writer.record("finding.drafted", finding)
    if previous is not None:
        writer.record("finding.superseded", previous)
    return finding


def get_finding(writer: Writer, finding_id: int) -> Finding:
    finding = writer.session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(f"Finding {finding_id} does not exist.")
    return finding


def _require_guarantor(actor: Principal, act: str) -> None:
    if actor.role is not Role.guarantor:
        raise Forbidden(f"Only guarantors {act}.")


def cast_vote(*, writer: Writer, actor: Principal, finding_id: int, data: VoteCreate) -> Vote:
    """A guarantor's vote on a draft under review, with any statement kept verbatim."""
    _require_guarantor(actor, "vote on findings")
    finding = get_finding(writer, finding_id)
    case = get_case(writer, finding.case_id)
    if finding.status != "draft" or case.state != "review":
        raise Conflict(f"Finding {finding.id} is not under review; votes are closed.")
    if any(v.member_id == actor.user_id for v in finding.votes):
        raise Conflict(f"{actor.username} has already voted on finding {finding.id}.")
    assert actor.user_id is not None
    vote = Vote(
        finding_id=finding.id,
        member_id=actor.user_id,
        member_name=actor.username,
        vote=data.vote,
        statement=data.statement,
        cast_at=writer.now,
    )
    finding.votes.append(vote)
    writer.add(vote)
    writer.record("finding.vote", vote)
    return vote


def decide_finding(*, writer: Writer, actor: Principal, finding_id: int) -> Finding:
    """Close the vote: by consensus, or by majority where the agreement allows it."""
    _require_guarantor(actor, "decide findings")
    finding = get_finding(writer, finding_id)
    case = get_case(writer, finding.case_id)
    if finding.status != "draft" or case.state != "review":
        raise Conflict(f"Finding {finding.id} is not under review.")
    rule = parsed(writer.agreement).decision
    votes = finding.votes
    if len(votes) < rule.quorum:
        raise Conflict(f"Finding {finding.id} has {len(votes)} vote(s); {rule.quorum} are needed.")
    concur = sum(v.vote == "concur" for v in votes)
    dissent = sum(v.vote == "dissent" for v in votes)
    if dissent == 0 and concur > 0:
        method = "consensus"
    elif rule.rule == "majority" and concur > dissent:
        method = "vote"
    else:
        raise Conflict(
            f"Finding {finding.id} is not carried ({concur} concur, {dissent} dissent, "
            f"rule {rule.rule}); revise the draft."
        )
    finding.status = "decided"
    finding.decided_at = writer.now
    finding.decision_method = method
    writer.record("finding.decided", finding)
    move_case(writer, case, "decided", note=f"finding {finding.id} decided by {method}")
    writer.session.flush()
    after_decision(writer, finding)
    return finding


def release_finding(*, writer: Writer, actor: Principal, finding_id: int, tier: Tier) -> Finding:
    """Widen who may read a decided finding; a release is never narrowed."""
    _require_guarantor(actor, "release findings")
    finding = get_finding(writer, finding_id)
    if finding.status != "decided":
        raise Conflict(
            f"Finding {finding.id} is {finding.status}; only decided findings are released."
        )
    if TIER_ORDER.index(tier) <= TIER_ORDER.index(Tier(finding.tier)):
        raise Conflict(
            f"Finding {finding.id} is already at tier {finding.tier}; releases only widen."
        )
    finding.tier = str(tier)
    writer.record("finding.released", finding)
    return finding
