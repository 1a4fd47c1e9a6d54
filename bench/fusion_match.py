"""Match one new report against a large record of stored incidents: latency per report.

The record is seeded with `--incidents` one-account incidents (the columns fusion matches
on, as it would have stored them, and a text vector each), spread over five years and the
border region: about 550 incidents a day at a million, already far more than any ceasefire
has seen. Then each of `--reports` new accounts, drawn from the same generator, is
matched the way intake matches it: the blocking query for its day and grid cells, the
candidates' text vectors, and the comparison (fusion.record.candidates and
fusion.engine.best_match). Nothing is written, so every report meets the same record.

    .venv/bin/python bench/fusion_match.py --db sqlite --incidents 1000000
    .venv/bin/python bench/fusion_match.py --db postgresql --incidents 1000000
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import datagen
import harness
import numpy as np
import seed
from sqlalchemy import func, select, text

from sulh.access.roles import Principal, Role
from sulh.fusion.accounts import RADIUS_KM, Account, window
from sulh.fusion.embed import DIMENSIONS
from sulh.fusion.engine import best_match
from sulh.fusion.match import WILDCARD, family
from sulh.fusion.record import candidates
from sulh.store import Store, make_engine
from sulh.store.tables import AgreementVersion, Incident, IncidentVector
from sulh.store.writer import Writer

GOAL_P95_MS = 50.0
FIRST_DAY = datetime(2025, 10, 19, tzinfo=UTC)
SPAN_DAYS = 5 * 365  # a five-year mission: about 550 incidents a day at a million
OPENING_TYPES = tuple(t for t in datagen.EVENT_TYPES if family(t) not in WILDCARD)
LATITUDES, LONGITUDES = (29.0, 36.5), (61.0, 75.0)  # the Pakistan-Afghanistan border region
BATCH = 5_000
READER = Principal(user_id=None, username="bench", role=Role.analyst)


def unit_vectors(rng: np.random.Generator, count: int) -> np.ndarray:
    vectors = rng.standard_normal((count, DIMENSIONS)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def spread_bodies(count: int, *, seed_value: int) -> list[dict[str, Any]]:
    """Report bodies spread as a long mission's record would be: over SPAN_DAYS and the
    whole border region, not piled on the handful of towns bench/datagen.py uses."""
    rng = random.Random(seed_value)
    bodies = []
    for number, body in enumerate(datagen.report_bodies(count, seed=seed_value, key_prefix="s")):
        day = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS), minutes=rng.randrange(1440))
        body["event_time"] = day.isoformat()
        body.pop("event_end", None)
        body["time_precision"] = rng.choices(("day", "hour", "week", "month"), (60, 30, 8, 2))[0]
        if family(body["event_type"]) in WILDCARD:
            # Statements and "other" join incidents but never open one: none is on record.
            body["event_type"] = rng.choice(OPENING_TYPES)
        if rng.random() < 0.9:
            precision = rng.choices(("point", "town", "district", "province"), (15, 50, 25, 10))[0]
            body["place"] = {
                "name": f"Place {number % 5000}",
                "precision": precision,
                "lat": round(rng.uniform(*LATITUDES), 4),
                "lon": round(rng.uniform(*LONGITUDES), 4),
            }
        else:
            body.pop("place", None)
        bodies.append(body)
    return bodies


def seed_record(url: str, *, count: int, seed_value: int) -> None:
    """`count` one-account incidents, with the columns fusion matches on and a text vector."""
    engine = make_engine(url)
    rng = np.random.default_rng(seed_value)
    try:
        with engine.begin() as conn:
            version = conn.scalar(select(func.max(AgreementVersion.id)))
            opened = datetime.now(UTC)
            for start in range(0, count, BATCH):
                bodies = spread_bodies(min(BATCH, count - start), seed_value=seed_value + start)
                rows = [
                    _incident_row(start + n + 1, b, version, opened) for n, b in enumerate(bodies)
                ]
                conn.execute(Incident.__table__.insert(), rows)
                vectors = unit_vectors(rng, len(rows))
                conn.execute(
                    IncidentVector.__table__.insert(),
                    [
                        {
                            "incident_id": r["id"],
                            "direction": v.astype(np.float16).tobytes(),
                            "length": 1.0,
                            "vectors": 1,
                        }
                        for r, v in zip(rows, vectors, strict=True)
                    ],
                )
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT setval('incidents_id_seq', :n)"), {"n": count})
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def _incident_row(
    number: int, body: dict[str, Any], version: int, opened: datetime
) -> dict[str, Any]:
    place = body.get("place") or {}
    perpetrator = body.get("alleged_perpetrator")
    report = {
        "event_time": datetime.fromisoformat(body["event_time"]),
        "event_end": None,
        "time_precision": body["time_precision"],
        "place_name": place.get("name"),
        "latitude": place.get("lat"),
        "longitude": place.get("lon"),
        "place_precision": place.get("precision"),
        "accused_party": datagen.PERPETRATORS[perpetrator] if perpetrator else None,
    }
    return {
        "id": number,
        "title": f"bench incident {number}",
        "event_type": body["event_type"],
        "event_time": report["event_time"],
        "time_precision": body["time_precision"],
        "place_name": report["place_name"],
        "latitude": report["latitude"],
        "longitude": report["longitude"],
        "accused_party": report["accused_party"],
        "complainant_party": None,
        "tier": "joint",
        "opened_at": opened,
        "opened_by": None,
        "agreement_version_id": version,
        **seed.fusion_columns(report, body["event_type"]),
    }


def account_of(body: dict[str, Any], number: int, vector: np.ndarray) -> Account:
    start = datetime.fromisoformat(body["event_time"])
    end = datetime.fromisoformat(body["event_end"]) if body.get("event_end") else None
    first, last, precise = window(start, end, body["time_precision"])
    place = body.get("place") or {}
    radius = RADIUS_KM.get(place.get("precision") or "")
    located = place.get("lat") is not None and radius is not None
    perpetrator = body.get("alleged_perpetrator")
    return Account(
        report_id=10_000_000 + number,
        event=0,
        kind=body["kind"],
        type=body["event_type"],
        first_day=first,
        last_day=last,
        precise=precise,
        dated=True,
        lat=place.get("lat") if located else None,
        lon=place.get("lon") if located else None,
        radius_km=radius if located else None,
        places=(place["name"],) if place.get("name") else (),
        parties=frozenset({datagen.PERPETRATORS[perpetrator]} if perpetrator else ()),
        origin=body.get("source", ""),
        vector=vector,
    )


def time_matches(
    url: str, accounts: list[Account], warmup: int, by_kind: dict[str, list[float]] | None = None
) -> tuple[list[float], int, int]:
    store = Store(make_engine(url))
    samples: list[float] = []
    attached = compared = 0
    try:
        with store.read() as session:
            writer = Writer(session, READER, lambda: datetime.now(UTC))
            for number, account in enumerate(accounts):
                began = time.perf_counter()
                found = candidates(writer, account)
                match = best_match(account, found)
                elapsed = (time.perf_counter() - began) * 1000
                session.expunge_all()  # each report meets the record afresh, as intake does
                if number >= warmup:
                    samples.append(elapsed)
                    if by_kind is not None:
                        by_kind.setdefault(_kind(account), []).append(elapsed)
                    compared += len(found)
                    attached += match is not None
    finally:
        store.engine.dispose()
    return samples, attached, compared


def _kind(account: Account) -> str:
    if not account.located:
        return "no place"
    return f"reach {account.radius_km:.0f} km"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=1_000, help="timed matches")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--years", type=float, default=5.0, help="the span the stored incidents cover"
    )
    args = parser.parse_args()

    target = harness.Target.named(args.db, "fusion-match")
    machine = harness.machine(target)
    target.prepare()
    started = time.perf_counter()
    global SPAN_DAYS
    SPAN_DAYS = int(args.years * 365)
    seed_record(target.url, count=args.incidents, seed_value=args.seed)
    seeded = time.perf_counter() - started
    print(f"seeded {args.incidents} incidents with vectors in {seeded:.1f} s")
    total = args.warmup + args.reports
    rng = np.random.default_rng(args.seed + 1)
    bodies = spread_bodies(total, seed_value=args.seed - 1)
    vectors = unit_vectors(rng, total)
    accounts = [account_of(b, n, vectors[n]) for n, b in enumerate(bodies)]
    random.Random(args.seed).shuffle(accounts)
    try:
        by_kind: dict[str, list[float]] = {}
        samples, attached, compared = time_matches(target.url, accounts, args.warmup, by_kind)
    finally:
        if not args.keep:
            target.drop()
    stats = harness.summarise(samples)
    kinds = {kind: harness.summarise(s) for kind, s in sorted(by_kind.items()) if len(s) > 2}
    for kind, kind_stats in kinds.items():
        print(
            f"  {kind}: n {kind_stats['n']}, median {kind_stats['median_ms']:.1f} ms, "
            f"p95 {kind_stats['p95_ms']:.1f} ms"
        )
    print(
        f"match against {args.incidents} incidents ({args.db}): median {stats['median_ms']:.1f} ms,"
        f" p95 {stats['p95_ms']:.1f} ms, p99 {stats['p99_ms']:.1f} ms; "
        f"{compared / len(samples):.1f} candidates compared per report, "
        f"{attached} of {len(samples)} attached"
    )
    harness.save(
        f"fusion-match-{args.db}",
        {
            "benchmark": "fusion_match",
            "db": args.db,
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "incidents": args.incidents,
            "reports": args.reports,
            "warmup": args.warmup,
            "seed_seconds": round(seeded, 1),
            "latency": stats,
            "goal_p95_ms": GOAL_P95_MS,
            "goal_met": stats["p95_ms"] <= GOAL_P95_MS,
            "candidates_per_report": round(compared / len(samples), 1),
            "by_place": kinds,
            "years": args.years,
            "attached": attached,
            "machine": machine,
        },
    )


if __name__ == "__main__":
    main()
