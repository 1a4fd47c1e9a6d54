"""Export a large record: rows per second and peak memory of `sulh export`.

The record is seeded with `--incidents` incidents (bench/seed.py: one report each, with
its casualty figures and source; a tenth public, six tenths internal). Then
`sulh export --format F --tier T` runs as its own process, writing to /dev/null, for each
format and tier asked for; its wall time and peak RSS come from the kernel (wait4).

    .venv/bin/python bench/exports.py --db sqlite --incidents 1000000
    .venv/bin/python bench/exports.py --db postgresql --incidents 1000000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import harness
import seed
from sqlalchemy import func, select

from sulh.access.roles import reader_of_tier
from sulh.store import make_engine
from sulh.store.tables import Case, Incident
from sulh.store.visible import incident_filter

GOAL_ROWS_PER_S = 50_000
GOAL_PEAK_MB = 300
FORMATS = ("csv", "geojson", "hxl")
TIERS = ("internal", "public")


def visible_rows(url: str, tier: str) -> int:
    """How many rows the export should hold: the open incidents the tier may see."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = (
                select(func.count())
                .select_from(Incident)
                .join(Case, Case.incident_id == Incident.id)
                .where(Incident.status == "open", incident_filter(reader_of_tier(tier), Case))
            )
            return int(conn.scalar(query) or 0)
    finally:
        engine.dispose()


def run_export(target: harness.Target, fmt: str, tier: str) -> harness.Measured:
    """`sulh export` to /dev/null in its own process, measured by wait4()."""
    command = [str(harness.SULH), "export", "--format", fmt, "--tier", tier]
    command += ["--data-dir", str(target.data_dir)]
    log = harness.WORK / f"export-{target.db}-{fmt}-{tier}.log"
    with open(os.devnull, "wb") as null, log.open("w") as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=null, stderr=errors, env=target.env(), cwd=harness.WORK
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{log.read_text()}")
    return harness.Measured(
        returncode=code,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss * 1024 / 1e6,
    )


def seeded(target: harness.Target, args: argparse.Namespace) -> float | None:
    """Seed a fresh record, or reuse the one left by `--keep`; the seconds seeding took."""
    if args.reuse and Path(target.data_dir).exists():
        return None
    target.prepare()
    started = time.perf_counter()
    seed.seed_incidents(target.url, count=args.incidents, seed=args.seed, username=harness.ANALYST)
    took = time.perf_counter() - started
    print(f"seeded {args.incidents} incidents in {took:.1f} s", flush=True)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--tiers", nargs="+", choices=TIERS, default=list(TIERS))
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    args = parser.parse_args()

    target = harness.Target.named(args.db, "exports")
    seconds = seeded(target, args)
    result: dict[str, Any] = {
        "db": args.db,
        "incidents": args.incidents,
        "seeding_s": seconds,
        "machine": harness.machine(target),
        "runs": [],
    }
    try:
        for tier in args.tiers:
            rows = visible_rows(target.url, tier)
            for fmt in args.formats:
                measured = run_export(target, fmt, tier)
                run = {
                    "format": fmt,
                    "tier": tier,
                    "rows": rows,
                    "wall_s": round(measured.wall_s, 2),
                    "cpu_s": round(measured.cpu_s, 2),
                    "rows_per_s": round(rows / measured.wall_s),
                    "peak_rss_mb": round(measured.peak_rss_mb, 1),
                }
                result["runs"].append(run)
                print(
                    f"{fmt:8} {tier:9} {rows:>9} rows  {measured.wall_s:7.1f} s  "
                    f"{run['rows_per_s']:>8} rows/s  peak {run['peak_rss_mb']} MB",
                    flush=True,
                )
    finally:
        if not args.keep:
            target.drop()
    met = all(
        r["rows_per_s"] >= GOAL_ROWS_PER_S and r["peak_rss_mb"] < GOAL_PEAK_MB
        for r in result["runs"]
        if r["tier"] == "internal"
    )
    result["goal"] = {"rows_per_s": GOAL_ROWS_PER_S, "peak_mb": GOAL_PEAK_MB, "met": met}
    print(f"results: {harness.save(f'exports-{args.db}', result)}")


if __name__ == "__main__":
    main()
