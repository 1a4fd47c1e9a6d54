"""Deadlines missed: a reply window closed without the accused party's reply, a ratified
measure gone overdue, an agreed commitment gone overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from sulh.agreement.alert_rules import DeadlineMissed
from sulh.agreement.model import Agreement
from sulh.outputs.alerts.candidates import Candidate, name_of, place_of, tiers_from, when
from sulh.store.tables import Case, CommitmentState, ComplianceEvent, Incident, Measure, Reply


def deadline_candidates(
    session: Session, agreement: Agreement, rule: DeadlineMissed, now: datetime
) -> list[Candidate]:
    found: list[Candidate] = []
    if "reply" in rule.deadlines:
        found += _replies(session, agreement, rule, now)
    if "measure" in rule.deadlines:
        found += _measures(session, agreement, rule)
    if "commitment" in rule.deadlines:
        found += _commitments(session, agreement, rule)
    return found


def _replies(
    session: Session, agreement: Agreement, rule: DeadlineMissed, now: datetime
) -> list[Candidate]:
    replied = exists().where(and_(Reply.case_id == Case.id, Reply.party == Incident.accused_party))
    rows = session.execute(
        select(Case, Incident)
        .join(Incident, Incident.id == Case.incident_id)
        .where(
            Case.reply_due_at.is_not(None),
            Case.reply_due_at < now,
            Case.reply_due_at >= now - timedelta(days=rule.lookback_days),
            Incident.tier.in_(tiers_from(rule.tier)),
            ~replied,
        )
        .order_by(Case.id)
    )
    found = []
    for case, incident in rows:
        assert case.reply_due_at is not None
        party = name_of(agreement, incident.accused_party)
        found.append(
            Candidate(
                key=f"{rule.id}:case:{case.id}",
                subject=f"case:{case.id}",
                values=_values("reply", f"case {case.id}", party, when(case.reply_due_at)),
                description=(
                    f"The reply window of case {case.id} (incident {incident.id}) closed at "
                    f"{when(case.reply_due_at)} with no reply from {party}."
                ),
                area=place_of(incident),
            )
        )
    return found


def _measures(session: Session, agreement: Agreement, rule: DeadlineMissed) -> list[Candidate]:
    # Ratified measures are public acts, so any tier may read that one went overdue; the
    # event stays when the measure is later closed, where its state would not.
    rows = session.execute(
        select(Measure, ComplianceEvent)
        .join(ComplianceEvent, ComplianceEvent.measure_id == Measure.id)
        .where(ComplianceEvent.kind == "overdue", Measure.status == "ratified")
        .order_by(Measure.id)
    )
    found = []
    for measure, event in rows:
        party = name_of(agreement, measure.party)
        due = when(measure.deadline or event.at)
        found.append(
            Candidate(
                key=f"{rule.id}:measure:{measure.id}",
                subject=f"measure:{measure.id}",
                values=_values("measure", f"measure {measure.id}", party, due),
                description=(
                    f"Measure {measure.id} against {party} went overdue: its deadline of "
                    f"{due} passed without compliance. The measure: {measure.text}"
                ),
            )
        )
    return found


def _commitments(session: Session, agreement: Agreement, rule: DeadlineMissed) -> list[Candidate]:
    agreed = {c.id: c for c in agreement.commitments if c.status == "agreed"}
    states = session.scalars(
        select(CommitmentState)
        .where(CommitmentState.status == "overdue")
        .order_by(CommitmentState.id)
    )
    found = []
    for state in states:
        commitment = agreed.get(state.commitment)
        if commitment is None or commitment.due is None:
            continue  # no longer in the agreement in force
        party = name_of(agreement, commitment.party)
        found.append(
            Candidate(
                key=f"{rule.id}:commitment:{commitment.id}",
                subject=f"commitment:{commitment.id}",
                values=_values(
                    "commitment", f"commitment {commitment.id}", party, when(commitment.due)
                ),
                description=(
                    f"{party} did not meet commitment {commitment.id!r} by {when(commitment.due)}"
                    f": {commitment.text}"
                ),
                area=_crossing_area(agreement, commitment.crossing),
            )
        )
    return found


def _values(what: str, ref: str, party: str, due: str) -> dict[str, str]:
    return {"what": what, "ref": ref, "party": party, "due": due}


def _crossing_area(agreement: Agreement, crossing: str | None) -> dict[str, object] | None:
    zone = next((z for z in agreement.zones if z.id == crossing), None)
    if zone is None or zone.geometry.type != "Point":
        return None
    lon, lat = zone.geometry.coordinates
    return {"desc": zone.name, "circles": [[lat, lon, 0.0]]}
