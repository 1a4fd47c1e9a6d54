"""A party's points on the ladder: decided findings against it, and the deadlines it missed,
within the window. Each finding and each missed measure counts once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.agreement.model import Outcome, PenaltyLadder
from sulh.store.tables import ComplianceEvent, Finding, Measure

MISSED = ("overdue", "not_complied")


@dataclass(frozen=True)
class Tally:
    party: str
    start: datetime
    end: datetime
    findings: dict[int, int]  # finding id -> its points
    missed: dict[int, int]  # measure id -> the points its missed deadline earned

    @property
    def total(self) -> int:
        return sum(self.findings.values()) + sum(self.missed.values())

    def describe(self) -> str:
        parts = [f"finding {i}: {p}" for i, p in sorted(self.findings.items())]
        parts += [f"measure {i} not complied with: {p}" for i, p in sorted(self.missed.items())]
        return "; ".join(parts) or "nothing"


def tally(session: Session, *, party: str, at: datetime, ladder: PenaltyLadder) -> Tally:
    """What counts against `party` in the window that ends at `at`."""
    start = at - timedelta(days=ladder.window_days)
    findings = {
        finding_id: ladder.points[Outcome(outcome)]
        for finding_id, outcome in session.execute(
            select(Finding.id, Finding.outcome).where(
                Finding.responsible_party == party,
                Finding.status == "decided",
                Finding.decided_at > start,
                Finding.decided_at <= at,
            )
        )
        if ladder.points[Outcome(outcome)] > 0
    }
    missed_ids = session.scalars(
        select(ComplianceEvent.measure_id)
        .join(Measure, Measure.id == ComplianceEvent.measure_id)
        .where(
            Measure.party == party,
            ComplianceEvent.outcome.in_(MISSED),
            ComplianceEvent.at > start,
            ComplianceEvent.at <= at,
        )
        .distinct()
    )
    points = ladder.escalation.missed_deadline_points
    missed = {int(m): points for m in missed_ids if m is not None and points > 0}
    return Tally(party, start, at, findings, missed)
