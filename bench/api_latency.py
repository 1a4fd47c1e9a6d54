"""Benchmark: API latency with 100,000 incidents stored, against a real `sulh serve`.

Set-up (not measured): a fresh record (`sulh init`, an analyst and a PK liaison with
tokens), then 100,000 incidents, each with one report and a case, bulk-inserted by
seed.py. Then `sulh serve` starts in its own process, and this process sends sequential
requests over loopback with httpx2 (one keep-alive connection): a warm-up, then the
measured requests, timed from send to the last byte of the response.

Usage:
    .venv/bin/python bench/api_latency.py --db sqlite
    .venv/bin/python bench/api_latency.py --db postgresql --requests 1000
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import datagen
import harness
import httpx2
import seed

GOAL_MS = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(target: harness.Target) -> Iterator[tuple[str, int]]:
    """Run `sulh serve` for the benchmark's record; yield its base URL and process id."""
    port = free_port()
    log = harness.WORK / f"serve-{target.db}.log"
    command = [str(harness.SULH), "serve", "--port", str(port), "--data-dir", str(target.data_dir)]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=target.env(), cwd=harness.WORK
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"sulh serve exited early; see {log}:\n{log.read_text()[-2000:]}")
        try:
            if httpx2.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"sulh serve did not answer within 60 s; see {log}")


def peak_rss_mb(pid: int) -> float:
    """The server's high-water resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    return 0.0


Send = Callable[[httpx2.Client, int], httpx2.Response]


def timed(
    client: httpx2.Client, send: Send, *, warmup: int, requests: int, expect: int
) -> list[float]:
    """Send `warmup` untimed then `requests` timed requests, one after another."""
    samples = []
    for number in range(warmup + requests):
        started = time.perf_counter()
        response = send(client, number)
        elapsed = time.perf_counter() - started
        if response.status_code != expect:
            raise SystemExit(
                f"{response.request.method} {response.request.url} answered "
                f"{response.status_code}: {response.text[:500]}"
            )
        if number >= warmup:
            samples.append(elapsed * 1000)
    return samples


def scenarios(args: argparse.Namespace) -> list[tuple[str, str, Send, int]]:
    """(name, user, request, expected status) for each measured request kind."""
    bodies = list(
        datagen.report_bodies(args.warmup + args.requests, seed=args.seed + 1, key_prefix="post")
    )
    cursors = random.Random(args.seed).choices(range(2, args.incidents), k=len(bodies))
    page = {"limit": 50}
    return [
        (
            "GET /api/v1/incidents?limit=50",
            harness.ANALYST,
            lambda c, _n: c.get("/api/v1/incidents", params=page),
            200,
        ),
        (
            "GET /api/v1/incidents?limit=50&cursor=<random>",
            harness.ANALYST,
            lambda c, n: c.get("/api/v1/incidents", params={**page, "cursor": cursors[n]}),
            200,
        ),
        (
            "GET /api/v1/incidents?limit=50 (as PK liaison)",
            harness.LIAISON,
            lambda c, _n: c.get("/api/v1/incidents", params=page),
            200,
        ),
        (
            "POST /api/v1/reports",
            harness.ANALYST,
            lambda c, n: c.post("/api/v1/reports", json=bodies[n]),
            201,
        ),
    ]


def check_list(client: httpx2.Client) -> None:
    """Make sure the list really pages over the seeded incidents before timing it."""
    page = client.get("/api/v1/incidents", params={"limit": 50}).json()
    if len(page.get("items", [])) != 50 or page.get("next_cursor") is None:
        raise SystemExit(f"The incident list did not return a full page: {str(page)[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=500, help="timed requests per kind")
    parser.add_argument("--warmup", type=int, default=50, help="untimed requests first")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    target = harness.Target.named(args.db, "api")
    machine = harness.machine(target)  # before the load we add
    tokens = target.prepare()
    started = time.perf_counter()
    seed.seed_incidents(target.url, count=args.incidents, seed=args.seed, username=harness.ANALYST)
    print(f"seeded {args.incidents} incidents in {time.perf_counter() - started:.1f} s")
    results: dict[str, Any] = {}
    try:
        with server(target) as (base, pid):
            for name, user, send, expect in scenarios(args):
                headers = {"Authorization": f"Bearer {tokens[user]}"}
                with httpx2.Client(base_url=base, headers=headers, timeout=30) as client:
                    check_list(client)
                    samples = timed(
                        client, send, warmup=args.warmup, requests=args.requests, expect=expect
                    )
                results[name] = harness.summarise(samples)
                stats = results[name]
                print(
                    f"{name}: median {stats['median_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms, "
                    f"p99 {stats['p99_ms']:.1f} ms"
                )
            server_peak = peak_rss_mb(pid)
    finally:
        if not args.keep:
            target.drop()
    result = {
        "benchmark": "api_latency",
        "db": args.db,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "incidents": args.incidents,
        "warmup": args.warmup,
        "requests": args.requests,
        "goal_ms": GOAL_MS,
        "endpoints": {
            name: {**stats, "goal_met": stats["median_ms"] < GOAL_MS}
            for name, stats in results.items()
        },
        "server_peak_rss_mb": server_peak,
        "machine": machine,
    }
    print(f"saved {harness.save(f'api_latency-{args.db}-{args.incidents}', result)}")


if __name__ == "__main__":
    main()
