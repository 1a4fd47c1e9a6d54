"""Benchmark: the transparency log at 1,000,000 entries, beside pymerkle 7.0.0, and `sulh audit`.

Part 1 builds Sulh's `Tree` and pymerkle's `InmemoryTree` and `SqliteTree` from the same
entries, each in a process of its own (ledger_worker.py), and times appends and proofs.
pymerkle is only a peer to compare with: it lives in its own virtualenv
(bench/.work/pymerkle-venv, made on first use), never in the project's.
Part 2 times `sulh checkpoint` and `sulh audit` over a record whose log holds as many
entries, built through `sulh import` (ledger_record.py) and kept for `--reuse`.

Usage:
    .venv/bin/python bench/ledger.py                   # trees at 100,000 and 1,000,000, audit
    .venv/bin/python bench/ledger.py --skip-audit
    .venv/bin/python bench/ledger.py --skip-trees --reuse --profile-audit
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import harness
import ledger_record
import ledger_worker

GOALS = {
    "append_entries_per_s": 50_000,
    "inclusion_median_us": 100,
    "consistency_median_us": 200,
    "tree_peak_rss_mb": 200,
    "audit_wall_s": 30,
}
PYMERKLE = "pymerkle==7.0.0"
PYMERKLE_VENV = harness.WORK / "pymerkle-venv"
WORKER = Path(ledger_worker.__file__).resolve()
SULH_TREES = ("sulh-extend", "sulh-append-hash")
PEERS = ("pymerkle-inmemory", "pymerkle-sqlite")


def pymerkle_python() -> Path:
    """The Python of a virtualenv holding pymerkle 7.0.0, made (from PyPI) if missing."""
    python = PYMERKLE_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PYMERKLE_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PYMERKLE], check=True)
    version = subprocess.run(
        [str(python), "-c", "import pymerkle; print(pymerkle.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if version != PYMERKLE.split("==")[1]:
        raise SystemExit(f"{PYMERKLE_VENV} holds pymerkle {version}, not {PYMERKLE}.")
    return python


def run_tree(tree: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Build one tree of `size` entries in its own process; its figures and its peak RSS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SULH_", "PYTHON"))}
    python = Path(sys.executable)
    if tree in PEERS:
        python, env["PYTHONPATH"] = args.pymerkle_python, str(harness.ROOT / "src")
    db = harness.WORK / "ledger-pymerkle.sqlite3"
    command = [str(python), str(WORKER), tree, str(size), str(args.samples), str(args.verify)]
    log = harness.WORK / f"ledger-{tree}.log"
    measured = harness.measure([*command, str(db)], env=env, log=log)
    db.unlink(missing_ok=True)
    if measured.returncode != 0:
        raise SystemExit(f"{tree} failed; see {log}:\n{log.read_text()[-2000:]}")
    result: dict[str, Any] = json.loads(log.read_text().splitlines()[-1])
    result.update(wall_s=measured.wall_s, cpu_s=measured.cpu_s, peak_rss_mb=measured.peak_rss_mb)
    print(
        f"  {tree:18} {size:>9,}: {result['entries_per_s']:>9,.0f} entries/s, inclusion "
        f"{result['inclusion']['median_us']:,.1f} µs, consistency "
        f"{result['consistency']['median_us']:,.1f} µs, peak RSS {measured.peak_rss_mb:,.0f} MB"
    )
    return result


def compare_trees(size: int, args: argparse.Namespace) -> dict[str, Any]:
    trees = {tree: run_tree(tree, size, args) for tree in (*SULH_TREES, *PEERS)}
    roots = {tree: result.pop("roots") for tree, result in trees.items()}
    if len({tuple(r.items()) for r in roots.values()}) != 1:
        raise SystemExit(f"The trees disagree on their roots at size {size}: {roots}")
    sulh = trees["sulh-extend"]
    ratios = {
        peer: {
            "entries_per_s": sulh["entries_per_s"] / trees[peer]["entries_per_s"],
            "inclusion_median": sulh["inclusion"]["median_us"]
            / trees[peer]["inclusion"]["median_us"],
            "consistency_median": sulh["consistency"]["median_us"]
            / trees[peer]["consistency"]["median_us"],
            "peak_rss": sulh["peak_rss_mb"] / trees[peer]["peak_rss_mb"],
        }
        for peer in PEERS
    }
    return {"size": size, "trees": trees, "roots_agree": roots["sulh-extend"], "ratios": ratios}


def tree_goals(compared: dict[str, Any]) -> dict[str, bool]:
    extend, hashes = compared["trees"]["sulh-extend"], compared["trees"]["sulh-append-hash"]
    return {
        "append_entries_per_s": min(extend["entries_per_s"], hashes["entries_per_s"])
        >= GOALS["append_entries_per_s"],
        "inclusion_median_us": extend["inclusion"]["median_us"] <= GOALS["inclusion_median_us"],
        "consistency_median_us": extend["consistency"]["median_us"]
        <= GOALS["consistency_median_us"],
        "tree_peak_rss_mb": max(extend["peak_rss_mb"], hashes["peak_rss_mb"])
        <= GOALS["tree_peak_rss_mb"],
    }


def sulh_command(name: str, record: harness.Target) -> list[str]:
    return [str(harness.SULH), name, "--data-dir", str(record.data_dir)]


def timed_sulh(name: str, record: harness.Target, *, prefix: list[str] | None = None) -> Any:
    log = harness.WORK / f"ledger-{name}.log"
    measured = harness.measure(
        [*(prefix or []), *sulh_command(name, record)], env=record.env(), log=log
    )
    output = log.read_text()
    if measured.returncode != 0:
        raise SystemExit(f"sulh {name} exited {measured.returncode}; see {log}:\n{output[-2000:]}")
    print(f"  sulh {name}: {measured.wall_s:.1f} s, peak RSS {measured.peak_rss_mb:.0f} MB")
    return {
        "wall_s": measured.wall_s,
        "cpu_s": measured.cpu_s,
        "peak_rss_mb": measured.peak_rss_mb,
        "output": output.strip().splitlines()[-1],
    }


def audit_record(size: int, args: argparse.Namespace) -> dict[str, Any]:
    record = ledger_record.target(size)
    built = ledger_record.reusable(record, size) if args.reuse else None
    if built is None:
        print(f"Building a record of {size:,} log entries through `sulh import` (slow)…")
        built = ledger_record.build(record, size, batch=args.batch)
    else:
        print(f"Reusing the record of {size:,} log entries in {record.data_dir}")
    result: dict[str, Any] = {"record": built, "checkpoint": timed_sulh("checkpoint", record)}
    result["audits"] = [timed_sulh("audit", record) for _ in range(args.audit_runs)]
    if args.profile_audit:
        profile = harness.WORK / "ledger-audit.prof"
        timed_sulh("audit", record, prefix=[sys.executable, "-m", "cProfile", "-o", str(profile)])
        stats = pstats.Stats(str(profile))
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
    return result


def print_comparison(compared: dict[str, Any]) -> None:
    print(f"\nSulh ÷ pymerkle at {compared['size']:,} entries (roots agree across all four):")
    for peer, ratio in compared["ratios"].items():
        print(
            f"  vs {peer:18} append {ratio['entries_per_s']:6.2f}×  inclusion "
            f"{ratio['inclusion_median']:.3f}×  consistency {ratio['consistency_median']:.3f}×  "
            f"peak RSS {ratio['peak_rss']:.2f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="log entries")
    parser.add_argument(
        "--compare-size", type=int, default=100_000, help="also compare the trees here (0: no)"
    )
    parser.add_argument("--samples", type=int, default=2000, help="proofs of each kind to time")
    parser.add_argument("--verify", type=int, default=200, help="proofs of each kind to verify")
    parser.add_argument("--skip-trees", action="store_true", help="only the audit")
    parser.add_argument("--skip-audit", action="store_true", help="only the trees")
    parser.add_argument("--reuse", action="store_true", help="audit the record built before")
    parser.add_argument("--batch", type=int, default=10_000, help="reports per `sulh import`")
    parser.add_argument("--audit-runs", type=int, default=1)
    parser.add_argument("--profile-audit", action="store_true", help="one more audit, cProfiled")
    args = parser.parse_args()

    machine = harness.machine(ledger_record.target(args.size))  # before the load we add
    result: dict[str, Any] = {
        "benchmark": "ledger",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": args.size,
        "goals": GOALS,
        "machine": machine,
    }
    if not args.skip_trees:
        args.pymerkle_python = pymerkle_python()
        sizes = sorted({s for s in (args.compare_size, args.size) if s > 0})
        result["comparisons"] = []
        for size in sizes:
            print(f"Trees of {size:,} entries of {ledger_worker.ENTRY_BYTES} bytes:")
            result["comparisons"].append(compare_trees(size, args))
            print_comparison(result["comparisons"][-1])
        result["tree_goals_met"] = tree_goals(result["comparisons"][-1])
        print(f"Goals at {args.size:,}: {result['tree_goals_met']}")
    if not args.skip_audit:
        result["audit"] = audit_record(args.size, args)
        wall = min(a["wall_s"] for a in result["audit"]["audits"])
        result["audit_goal_met"] = wall <= GOALS["audit_wall_s"]
        verdict = "met" if result["audit_goal_met"] else "MISSED"
        print(f"sulh audit: {wall:.1f} s (goal ≤ {GOALS['audit_wall_s']} s: {verdict})")
    parts = "trees-" if args.skip_audit else "audit-" if args.skip_trees else ""
    print(f"saved {harness.save(f'ledger-{parts}{args.size}', result)}")


if __name__ == "__main__":
    main()
