"""A daily situation report for a day with 1,000 incidents, rendered to PDF (goal: < 10 s).

The record is `--incidents` seeded incidents (bench/seed.py), all moved onto one day, at
every tier; the report is made at the internal tier, so it counts and lists all of them.
Each run is the whole command, `sulh sitrep … --format pdf`, in a fresh process: reading,
counting, drawing the charts and map, signing, and WeasyPrint's layout of every page.

    .venv/bin/python bench/sitrep.py --db sqlite --incidents 1000
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import harness
import pypdf
import seed
from sqlalchemy import select, update

from sulh.store import make_engine
from sulh.store.tables import Incident

DAY = datetime(2025, 10, 20, tzinfo=UTC)
GOAL_SECONDS = 10.0


def onto_one_day(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            ids = list(conn.scalars(select(Incident.id).order_by(Incident.id)))
            for n, incident_id in enumerate(ids):
                moment = DAY + timedelta(seconds=(n * 86_399) // max(1, len(ids)))
                conn.execute(
                    update(Incident).where(Incident.id == incident_id).values(event_time=moment)
                )
        return len(ids)
    finally:
        engine.dispose()


def run(target: harness.Target, fmt: str, runs: int) -> dict[str, Any]:
    out = harness.WORK / f"sitrep.{fmt}"
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        target.sulh(
            "sitrep",
            "--period",
            "daily",
            "--date",
            DAY.date().isoformat(),
            "--tier",
            "internal",
            "--format",
            fmt,
            "--out",
            str(out),
        )
        seconds.append(round(time.perf_counter() - started, 2))
    found: dict[str, Any] = {"seconds": seconds, "bytes": out.stat().st_size}
    if fmt == "pdf":
        found["pages"] = len(pypdf.PdfReader(out).pages)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    harness.WORK.mkdir(parents=True, exist_ok=True)
    target = harness.Target.named(args.db, "sitrep")
    target.prepare()
    seed.seed_incidents(target.url, count=args.incidents, seed=5, username=harness.LIAISON)
    moved = onto_one_day(target.url)
    result = {
        "machine": harness.machine(target),
        "incidents_on_the_day": moved,
        "pdf": run(target, "pdf", args.runs),
        "html": run(target, "html", args.runs),
        "goal_seconds": GOAL_SECONDS,
    }
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=2))
    print(harness.save(f"sitrep-{args.db}", result))
    target.drop()


if __name__ == "__main__":
    main()
