"""Bench set-up: store many incidents fast, with SQLAlchemy Core bulk inserts.

This deliberately bypasses `Store.write` and its journal: it fills the tables a list
reads (sources, reports, incidents, cases, incident_reports) so that the latency
benchmark has a large record to read; it is not itself measured. Run it after `sulh init`
so the schema, the agreement and the users exist.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import datagen
from sqlalchemy import Connection, func, select, text

from sulh.fusion.accounts import RADIUS_KM, window
from sulh.fusion.clusters import cell_of
from sulh.fusion.match import family
from sulh.store import make_engine
from sulh.store.tables import (
    AgreementVersion,
    Case,
    Incident,
    IncidentReport,
    Report,
    Source,
    User,
)

BATCH = 5_000
TIERS = ("internal",) * 6 + ("joint", "parties", "parties", "public")
STATES = (
    "received",
    "triaged",
    "inquiry",
    "field_investigation",
    "awaiting_party_information",
    "draft_finding",
    "review",
    "closed",
)


def seed_incidents(url: str, *, count: int, seed: int, username: str) -> None:
    """Store `count` incidents, each with one report and a case, all filed by `username`."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            version = conn.scalar(select(func.max(AgreementVersion.id)))
            user_id = conn.scalar(select(User.id).where(User.username == username))
            sources = _seed_sources(conn)
            start = (conn.scalar(select(func.max(Report.id))) or 0) + 1
            bodies = datagen.report_bodies(count, seed=seed, key_prefix="seed")
            rows = _rows(bodies, start=start, sources=sources, user_id=user_id, version=version)
            for batch in _batches(rows):
                for table in (Report, Incident, Case, IncidentReport):
                    conn.execute(table.__table__.insert(), batch[table.__tablename__])
            if conn.dialect.name == "postgresql":
                _advance_sequences(conn)
        if engine.dialect.name == "postgresql":
            # Autovacuum would soon do the same; without it the planner guesses row counts.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def _seed_sources(conn: Connection) -> dict[str, int]:
    known = {name: id_ for name, id_ in conn.execute(select(Source.name, Source.id))}
    new = [
        {"name": name, "kind": "media", "reliability": "C", "independence_group": name}
        for name in datagen.source_names()
        if name not in known
    ]
    if new:
        conn.execute(Source.__table__.insert(), new)
    return {name: id_ for name, id_ in conn.execute(select(Source.name, Source.id))}


def _rows(
    bodies: Iterator[dict[str, Any]],
    *,
    start: int,
    sources: dict[str, int],
    user_id: int,
    version: int,
) -> Iterator[dict[str, dict[str, Any]]]:
    rng = random.Random(start)
    fallback = next(iter(sources.values()))
    for number, body in enumerate(bodies, start=start):
        report = _report_row(
            body, number, sources.get(body.get("source", ""), fallback), user_id, version
        )
        opened = report["received_at"]
        tier = rng.choice(TIERS)
        state = rng.choice(STATES)
        triaged = None if state == "received" else opened + timedelta(hours=rng.randint(1, 48))
        yield {
            "reports": report,
            "incidents": {
                "id": number,
                "title": f"{body['event_type'].replace('_', ' ')} near "
                f"{report['place_name'] or 'the border'} (bench {number})",
                "event_type": body["event_type"],
                "event_time": report["event_time"],
                "time_precision": report["time_precision"],
                "place_name": report["place_name"],
                "latitude": report["latitude"],
                "longitude": report["longitude"],
                "accused_party": report["accused_party"],
                "complainant_party": None,
                "tier": tier,
                "opened_at": opened,
                "opened_by": user_id,
                "agreement_version_id": version,
                **fusion_columns(report, body["event_type"]),
            },
            "cases": {
                "id": number,
                "incident_id": number,
                "state": state,
                "assigned_to": None,
                "triaged_at": triaged,
                "reply_due_at": triaged + timedelta(days=7) if triaged else None,
                "updated_at": triaged or opened,
            },
            "incident_reports": {
                "id": number,
                "report_id": number,
                "event": 0,
                "incident_id": number,
                "score": None,
                "reason": "opened the incident",
                "origin": body.get("source", ""),
                "attached_at": opened,
                "attached_by": user_id,
            },
        }


def fusion_columns(report: dict[str, Any], event_type: str) -> dict[str, Any]:
    """What fusion matches on, as it would have stored it for a one-report incident."""
    first, last, _ = window(report["event_time"], report["event_end"], report["time_precision"])
    radius = RADIUS_KM.get(report["place_precision"] or "")
    located = report["latitude"] is not None and radius is not None
    return {
        "status": "open",
        "first_day": first,
        "last_day": min(last, first + 30),
        "dated": True,
        "radius_km": radius if located else None,
        "cell": cell_of(report["latitude"], report["longitude"]) if located else None,
        "family": family(event_type),
        "types": {event_type: 1},
        "parties": [report["accused_party"]] if report["accused_party"] else [],
        "places": [report["place_name"]] if report["place_name"] else [],
        "confidence": "weak",
        "confidence_rule": "W1-uncorroborated",
        "confidence_reason": "1 independent source",
    }


def _report_row(
    body: dict[str, Any], number: int, source_id: int, user_id: int, version: int
) -> dict[str, Any]:
    event_time = datetime.fromisoformat(body["event_time"])
    end = body.get("event_end")
    place = body.get("place") or {}
    perpetrator = body.get("alleged_perpetrator")
    return {
        "id": number,
        "kind": body["kind"],
        "source_id": source_id,
        "source_protected": False,
        "submitted_by": user_id,
        "filed_for_party": None,
        "received_at": (event_time + timedelta(hours=6)).astimezone(UTC),
        "event_time": event_time,
        "event_end": datetime.fromisoformat(end) if end else None,
        "time_precision": body["time_precision"],
        "place_name": place.get("name"),
        "latitude": place.get("lat"),
        "longitude": place.get("lon"),
        "place_precision": place.get("precision"),
        "event_type": body["event_type"],
        "alleged_perpetrator": perpetrator,
        "accused_party": datagen.PERPETRATORS[perpetrator] if perpetrator else None,
        "targets": body.get("targets", []),
        "casualties": body.get("casualties", []),
        "text": body["text"],
        "language": body["language"],
        "credibility": body.get("credibility"),
        "tier": "public",
        "supersedes_id": None,
        "idempotency_key": body.get("idempotency_key"),
        "agreement_version_id": version,
    }


def _batches(rows: Iterator[dict[str, dict[str, Any]]]) -> Iterator[dict[str, list[Any]]]:
    batch: dict[str, list[Any]] = {}
    for row in rows:
        for table, values in row.items():
            batch.setdefault(table, []).append(values)
        if len(batch["reports"]) >= BATCH:
            yield batch
            batch = {}
    if batch:
        yield batch


def _advance_sequences(conn: Connection) -> None:
    # Explicit ids do not move PostgreSQL's sequences; the next POST would collide.
    for table in ("sources", "reports", "incidents", "cases"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )
