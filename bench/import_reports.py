"""Benchmark: `sulh import FILE.jsonl` of 10,000 reports, wall time and peak memory.

Each run starts from a fresh record (`sulh init`, one analyst), then times the real CLI
in a subprocess and takes its peak RSS from the kernel. A one-report import is timed the
same way, as the fixed cost of starting the CLI.

Usage:
    .venv/bin/python bench/import_reports.py --db sqlite
    .venv/bin/python bench/import_reports.py --db postgresql --runs 5
    .venv/bin/python bench/import_reports.py --db sqlite --profile   # cProfile, one run
"""

from __future__ import annotations

import argparse
import pstats
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

import datagen
import harness

GOAL_S = 10.0
GOAL_MB = 300.0


def import_command(file: Path, target: harness.Target, profile: Path | None) -> list[str]:
    command = [
        str(harness.SULH),
        "import",
        str(file),
        "--data-dir",
        str(target.data_dir),
        "--as",
        harness.ANALYST,
    ]
    if profile is not None:
        return [sys.executable, "-m", "cProfile", "-o", str(profile), *command]
    return command


def timed_import(
    file: Path, target: harness.Target, profile: Path | None = None
) -> harness.Measured:
    log = harness.WORK / f"import-{target.db}.log"
    measured = harness.measure(import_command(file, target, profile), env=target.env(), log=log)
    if measured.returncode != 0:
        raise SystemExit(f"sulh import failed; see {log}:\n{log.read_text()[-2000:]}")
    return measured


def run_once(file: Path, single: Path, target: harness.Target) -> dict[str, float]:
    target.prepare()
    startup = timed_import(single, target)
    bulk = timed_import(file, target)
    return {
        "wall_s": bulk.wall_s,
        "cpu_s": bulk.cpu_s,
        "peak_rss_mb": bulk.peak_rss_mb,
        "startup_wall_s": startup.wall_s,
        "startup_peak_rss_mb": startup.peak_rss_mb,
    }


def profile(file: Path, single: Path, target: harness.Target) -> None:
    target.prepare()
    timed_import(single, target)
    out = harness.WORK / f"import-{target.db}.prof"
    measured = timed_import(file, target, profile=out)
    print(f"Profiled import: {measured.wall_s:.2f} s wall (with cProfile); {out}")
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--count", type=int, default=10_000, help="reports in the file")
    parser.add_argument("--runs", type=int, default=3, help="fresh-record runs to time")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--profile", action="store_true", help="one run under cProfile")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    target = harness.Target.named(args.db, "import")
    machine = harness.machine(target)  # before the load we add
    file = datagen.write_jsonl(
        harness.WORK / f"reports-{args.count}-{args.seed}.jsonl", args.count, seed=args.seed
    )
    single = datagen.write_jsonl(harness.WORK / "reports-1.jsonl", 1, seed=args.seed + 1)
    print(f"{args.count} reports, {file.stat().st_size / 2**20:.1f} MiB: {file}")
    try:
        if args.profile:
            profile(file, single, target)
            return
        runs = []
        for number in range(1, args.runs + 1):
            runs.append(run_once(file, single, target))
            print(
                f"run {number}: {runs[-1]['wall_s']:.2f} s, {runs[-1]['peak_rss_mb']:.0f} MB "
                f"peak RSS (CLI start-up alone {runs[-1]['startup_wall_s']:.2f} s)"
            )
    finally:
        if not args.keep:
            target.drop()
    wall = statistics.median(r["wall_s"] for r in runs)
    peak = max(r["peak_rss_mb"] for r in runs)
    result = {
        "benchmark": "import_reports",
        "db": args.db,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "reports": args.count,
        "file_mib": round(file.stat().st_size / 2**20, 2),
        "median_wall_s": wall,
        "max_peak_rss_mb": peak,
        "wall_goal_met": wall < GOAL_S,
        "memory_goal_met": peak < GOAL_MB,
        "runs": runs,
        "machine": machine,
    }
    print(
        f"median {wall:.2f} s (goal < {GOAL_S:.0f} s: {'met' if wall < GOAL_S else 'MISSED'}); "
        f"peak RSS {peak:.0f} MB (goal < {GOAL_MB:.0f} MB: "
        f"{'met' if peak < GOAL_MB else 'MISSED'})"
    )
    print(f"saved {harness.save(f'import_reports-{args.db}-{args.count}', result)}")


if __name__ == "__main__":
    main()
