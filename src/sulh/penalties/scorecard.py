"""Each party's record over a period: what it alleged and faced, what was ruled, how it
answered, what it was made to do and whether it did."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from sulh.agreement.model import Agreement
from sulh.errors import UnknownReference
from sulh.store.tables import (
    Case,
    CommitmentState,
    ComplianceEvent,
    Finding,
    Incident,
    Measure,
    Reply,
    Report,
)


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def scorecard(
    session: Session, agreement: Agreement, *, party: str, start: datetime, end: datetime
) -> dict[str, Any]:
    """The scorecard of `party` for the period [start, end)."""

    def during(column: Any) -> ColumnElement[bool]:
        return and_(column >= start, column < end)

    complaints_filed = _count(
        session,
        select(Report.id).where(
            Report.kind == "complaint", Report.filed_for_party == party, during(Report.received_at)
        ),
    )
    faced = select(Incident.id).where(Incident.accused_party == party, during(Incident.opened_at))
    findings = list(
        session.execute(
            select(Finding.outcome, Finding.clauses).where(
                Finding.responsible_party == party,
                Finding.status == "decided",
                during(Finding.decided_at),
            )
        )
    )
    violations = [(o, c) for o, c in findings if o.startswith("violation") or o == "non_compliance"]
    due = list(
        session.execute(
            select(Case.id, Case.reply_due_at)
            .join(Incident, Incident.id == Case.incident_id)
            .where(Incident.accused_party == party, during(Case.reply_due_at))
        )
    )
    replied = {
        case: filed
        for case, filed in session.execute(
            select(Reply.case_id, Reply.filed_at).where(
                Reply.party == party, Reply.case_id.in_([c for c, _ in due])
            )
        )
    }
    in_time = sum(
        1 for case, deadline in due if case in replied and deadline and replied[case] <= deadline
    )
    measures = list(
        session.execute(
            select(Measure.compliance).where(
                Measure.party == party, Measure.status == "ratified", during(Measure.decided_at)
            )
        ).scalars()
    )
    commitments = [c for c in agreement.commitments if c.party == party and c.status == "agreed"]
    states = {
        s.commitment: s.status
        for s in session.scalars(select(CommitmentState).where(CommitmentState.party == party))
    }
    return {
        "party": party,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "complaints_filed": complaints_filed,
        "complaints_faced": _count(session, faced),
        "violations_by_grade": dict(Counter(o for o, _ in violations)),
        "violations_by_clause": dict(Counter(c for _, clauses in violations for c in clauses)),
        "findings_without_violation": len(findings) - len(violations),
        "replies_due": len(due),
        "replies_in_time": in_time,
        "access_denials_caused": _count(
            session, faced.where(Incident.event_type == "access_denial")
        ),
        "measures_imposed": len(measures),
        "measures_complied": measures.count("complied"),
        "measures_not_complied": measures.count("not_complied") + measures.count("overdue"),
        "measures_pending": measures.count("pending"),
        "commitments": len(commitments),
        "commitments_met": sum(states.get(c.id) == "met" for c in commitments),
        "commitments_not_met": sum(states.get(c.id) in ("not_met", "overdue") for c in commitments),
        "evidence_offered": _count(
            session,
            select(ComplianceEvent.id).where(
                ComplianceEvent.party == party,
                ComplianceEvent.kind == "evidence",
                during(ComplianceEvent.at),
            ),
        ),
    }


def scorecards(
    session: Session,
    agreement: Agreement,
    *,
    start: datetime,
    end: datetime,
    party: str | None = None,
) -> list[dict[str, Any]]:
    if party is not None and party not in agreement.party_ids():
        raise UnknownReference(
            f"{party!r} is not a party of the agreement ({', '.join(agreement.party_ids())})."
        )
    parties = [party] if party else agreement.party_ids()
    return [scorecard(session, agreement, party=p, start=start, end=end) for p in parties]
