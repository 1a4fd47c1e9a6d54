"""Raising alerts: each rule of the agreement in force is held against the record as it
stands, and what it finds is raised once, as a logged row, in the caller's write.

The clock-driven step runs this after `tick` in the same write (`clock_step`), so a measure
that goes overdue raises its alert in the same transaction; `sulh alerts run` runs it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.agreement import parsed
from sulh.agreement.alert_rules import AlertRule
from sulh.agreement.model import Agreement
from sulh.outputs.alerts.candidates import Candidate
from sulh.outputs.alerts.crossings import crossing_candidates
from sulh.outputs.alerts.deadlines import deadline_candidates
from sulh.outputs.alerts.findings import grave_candidates
from sulh.outputs.alerts.zones import zone_candidates
from sulh.penalties.tick import Ticked, tick
from sulh.store.tables import Alert
from sulh.store.writer import Writer

Finder = Callable[[Session, Agreement, Any, datetime], list[Candidate]]
FINDERS: dict[str, Finder] = {
    "zone_count": zone_candidates,
    "grave_finding": grave_candidates,
    "deadline_missed": deadline_candidates,
    "crossing_closed": crossing_candidates,
}


def raise_alerts(*, writer: Writer) -> list[Alert]:
    """Raise the alerts the rules find at `writer.now` that were not raised before."""
    writer.session.flush()  # what this write changed so far counts too
    agreement = parsed(writer.agreement)
    raised = []
    for rule in agreement.alerts:
        found = FINDERS[rule.kind](writer.session, agreement, rule, writer.now)
        known = _raised_keys(writer.session, [c.key for c in found])
        raised += [_raise(writer, rule, c) for c in found if c.key not in known]
    return raised


def clock_step(*, writer: Writer) -> tuple[Ticked, list[Alert]]:
    """The clock-driven step: deadlines and escalations (`tick`), then the alerts."""
    return tick(writer=writer), raise_alerts(writer=writer)


def _raised_keys(session: Session, keys: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        known.update(session.scalars(select(Alert.key).where(Alert.key.in_(chunk))))
    return known


def _raise(writer: Writer, rule: AlertRule, found: Candidate) -> Alert:
    alert = Alert(
        key=found.key,
        rule=rule.id,
        kind=rule.kind,
        subject=found.subject,
        tier=rule.tier,
        title=rule.title.format_map(found.values)[:300],
        description=found.description,
        event=rule.event(),
        category=rule.cap.category,
        severity=rule.cap.severity,
        urgency=rule.cap.urgency,
        certainty=rule.cap.certainty,
        area=found.area,
        raised_at=writer.now,
        agreement_version_id=writer.agreement.id,
    )
    writer.add(alert)
    writer.record("alert.raised", alert)
    return alert
