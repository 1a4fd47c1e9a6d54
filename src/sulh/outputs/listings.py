"""Lists the dashboard and the role pages show: newest first, through the tier filters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.store.tables import Case, Finding, Incident, LogEntry, LogHead
from sulh.store.visible import DECIDED, finding_filter, incident_filter


def recent_incidents(session: Session, reader: Principal, *, limit: int = 20) -> list[Incident]:
    """The incidents most recently happened that `reader` may see (merged ones left out)."""
    return list(
        session.scalars(
            select(Incident)
            .join(Case, Case.incident_id == Incident.id)
            .where(Incident.status == "open", incident_filter(reader, Case))
            .order_by(Incident.event_time.desc(), Incident.id.desc())
            .limit(limit)
        )
    )


CLOSED_INCIDENTS = ("merged", "emptied")  # incidents whose accounts went elsewhere
FINISHED_STATES = ("decided", "referred", "closed")


def triage_queue(session: Session, *, page: int = 0, size: int = 50) -> list[tuple[Incident, Case]]:
    """Open cases for the secretariat: those with a reply deadline, the nearest first; then
    those still waiting for triage, the oldest first.

    Each part walks the cases by its own order and leaves out the few incidents merged away,
    rather than filtering every incident by status, so the plan needs no table statistics."""
    gone = select(Incident.id).where(Incident.status.in_(CLOSED_INCIDENTS)).scalar_subquery()
    # "Not finished" rather than "one of the open states": an IN list would tempt the
    # planner onto the state index and a sort of every open case.
    live = and_(Case.state.not_in(FINISHED_STATES), Case.incident_id.not_in(gone))
    due = select(Case).where(live, Case.reply_due_at.is_not(None))
    start = page * size
    cases = list(
        session.scalars(due.order_by(Case.reply_due_at, Case.id).offset(start).limit(size))
    )
    if len(cases) < size:
        with_due = session.scalar(select(func.count()).select_from(due.subquery())) or 0
        waiting = select(Case).where(live, Case.reply_due_at.is_(None)).order_by(Case.id)
        offset = max(start - with_due, 0)
        cases += session.scalars(waiting.offset(offset).limit(size - len(cases)))
    incidents = {
        i.id: i
        for i in session.scalars(
            select(Incident).where(Incident.id.in_([c.incident_id for c in cases]))
        )
    }
    return [(incidents[c.incident_id], c) for c in cases]


def case_findings(session: Session, reader: Principal, case_id: int) -> list[int]:
    """The findings on a case that `reader` may see."""
    return list(
        session.scalars(
            select(Finding.id)
            .where(Finding.case_id == case_id, finding_filter(reader))
            .order_by(Finding.id)
        )
    )


def map_points(session: Session, reader: Principal) -> list[list[Any]]:
    """[id, lat, lon, type, confidence] of every placed incident `reader` may see."""
    rows = session.execute(
        select(
            Incident.id,
            Incident.latitude,
            Incident.longitude,
            Incident.event_type,
            Incident.confidence,
        )
        .join(Case, Case.incident_id == Incident.id)
        .where(
            Incident.status == "open",
            Incident.latitude.is_not(None),
            Incident.longitude.is_not(None),
            incident_filter(reader, Case),
        )
        .order_by(Incident.id)
    )
    return [
        [i, round(lat or 0, 4), round(lon or 0, 4), kind, conf] for i, lat, lon, kind, conf in rows
    ]


def latest_findings(session: Session, reader: Principal, *, limit: int = 5) -> list[Finding]:
    """Decided findings `reader` may see, most recently decided first."""
    return list(
        session.scalars(
            select(Finding)
            .where(Finding.status.in_(DECIDED), finding_filter(reader))
            .order_by(Finding.decided_at.desc(), Finding.id.desc())
            .limit(limit)
        )
    )


def log_size(session: Session) -> int:
    """The log's size: it grows with every change, so it versions anything derived."""
    return session.scalar(select(LogHead.size)) or 0


def log_indexes(session: Session, table: str, ids: list[int]) -> dict[int, int]:
    """The log index of the entry that created each row: where anyone can check it."""
    if not ids:
        return {}
    rows = session.execute(
        select(LogEntry.record_id, func.min(LogEntry.idx))
        .where(LogEntry.record_type == table, LogEntry.record_id.in_(ids))
        .group_by(LogEntry.record_id)
    )
    return {record_id: index for record_id, index in rows}
