"""Counts of incidents and findings by party, clause and type, this period against the last.

Every count goes through the reader's tier filter, so the public dashboard counts only what
has been released and a liaison only what its party may see.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.store.tables import Case, Finding, Incident
from sulh.store.visible import DECIDED, finding_filter, incident_filter


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    # The period to compare with, when it is not simply as long and just before (a month).
    before: Period | None = field(default=None, compare=False)

    @property
    def previous(self) -> Period:
        return self.before or Period(self.start - (self.end - self.start), self.start)


@dataclass(frozen=True)
class Comparison:
    """One dimension's counts in a period and in the period before it."""

    dimension: str
    rows: list[tuple[str, int, int]]  # (value, this period, previous period), largest first

    @property
    def total(self) -> tuple[int, int]:
        return sum(r[1] for r in self.rows), sum(r[2] for r in self.rows)


def open_in(reader: Principal, period: Period) -> ColumnElement[bool]:
    """Open incidents of the period that `reader` may see (the query joins their cases)."""
    return and_(
        Incident.status == "open",
        Incident.event_time >= period.start,
        Incident.event_time < period.end,
        incident_filter(reader, Case),
    )


def latest_period(now: datetime, days: int) -> Period:
    return Period(now - timedelta(days=days), now)


def _incident_counts(
    session: Session, reader: Principal, period: Period, column: str
) -> Counter[str]:
    field = getattr(Incident, column)
    query = (
        select(field, func.count())
        .select_from(Incident)
        .join(Case, Case.incident_id == Incident.id)
        .where(open_in(reader, period))
        .group_by(field)
    )
    return Counter({str(value or "unattributed"): n for value, n in session.execute(query)})


def _clause_counts(session: Session, reader: Principal, period: Period) -> Counter[str]:
    """Clauses of the findings decided in the period that found a violation."""
    clauses = session.scalars(
        select(Finding.clauses).where(
            Finding.status.in_(DECIDED),
            Finding.outcome.like("violation%"),
            Finding.decided_at >= period.start,
            Finding.decided_at < period.end,
            finding_filter(reader),
        )
    )
    return Counter(str(c) for row in clauses for c in row)


def _counts(session: Session, reader: Principal, period: Period, dimension: str) -> Counter[str]:
    if dimension == "clause":
        return _clause_counts(session, reader, period)
    column = "accused_party" if dimension == "party" else "event_type"
    return _incident_counts(session, reader, period, column)


def compare_periods(session: Session, reader: Principal, *, period: Period) -> list[Comparison]:
    """Incidents by accused party and by type, and violations by clause: now against before."""
    found: list[Comparison] = []
    for dimension in ("party", "type", "clause"):
        now, before = (_counts(session, reader, p, dimension) for p in (period, period.previous))
        keys = sorted(set(now) | set(before), key=lambda k: (-now[k], -before[k], k))
        found.append(Comparison(dimension, [(k, now[k], before[k]) for k in keys]))
    return found
