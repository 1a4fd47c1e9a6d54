"""A grave violation found: raised for a tier only once the finding is released to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.agreement.alert_rules import GraveFinding
from sulh.agreement.model import Agreement, Outcome
from sulh.outputs.alerts.candidates import Candidate, name_of, place_of, tiers_from, when
from sulh.store.tables import Case, Finding, Incident


def grave_candidates(
    session: Session, agreement: Agreement, rule: GraveFinding, now: datetime
) -> list[Candidate]:
    tiers = tiers_from(rule.tier)
    rows = session.execute(
        select(Finding, Incident)
        .join(Case, Case.id == Finding.case_id)
        .join(Incident, Incident.id == Case.incident_id)
        .where(
            Finding.outcome == str(Outcome.violation_grave),
            Finding.status == "decided",
            Finding.tier.in_(tiers),
        )
        .order_by(Finding.id)
    )
    return [_candidate(agreement, rule, f, i, i.tier in tiers) for f, i in rows]


def _candidate(
    agreement: Agreement, rule: GraveFinding, finding: Finding, incident: Incident, placed: bool
) -> Candidate:
    party = name_of(agreement, finding.responsible_party or finding.attributed_to)
    clauses = ", ".join(finding.clauses)
    decided = when(finding.decided_at) if finding.decided_at else "on a date not recorded"
    description = (
        f"Finding {finding.id} on case {finding.case_id} was decided on {decided} "
        f"(by {finding.decision_method or 'the guarantors'}): a grave violation of "
        f"clause(s) {clauses}, attributed to {party}."
    )
    # The incident's place only when the tier may read the incident as well.
    area = place_of(incident) if placed else None
    if area is not None:
        description += f" Place: {area['desc']} (incident {incident.id})."
    return Candidate(
        key=f"{rule.id}:finding:{finding.id}",
        subject=f"finding:{finding.id}",
        values={
            "finding": str(finding.id),
            "case": str(finding.case_id),
            "party": party,
            "clauses": clauses,
        },
        description=description,
        area=area,
    )
