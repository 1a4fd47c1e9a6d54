"""What the benchmarks share: a fresh database, the real CLI, statistics, the machine.

Every command runs as `.venv/bin/sulh` in a subprocess with the working directory set to
bench/.work, so a developer's `.env` cannot change what is measured.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RESULTS = WORK / "results"
SULH = Path(sys.executable).parent / "sulh"
PG_ADMIN = ("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1")
PG_DATABASE = "sulh_bench"  # never the test suite's database `test`
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DATABASE}"
ANALYST = "bench.analyst"
LIAISON = "bench.liaison"
PASSWORD = "benchmark passphrase"


@dataclass(frozen=True)
class Target:
    """One database under test: SQLite in a data folder, or the sulh_bench PostgreSQL."""

    db: str
    data_dir: Path

    @classmethod
    def named(cls, db: str, label: str) -> Target:
        return cls(db=db, data_dir=WORK / f"{label}-{db}")

    @property
    def url(self) -> str:
        if self.db == "postgresql":
            return PG_URL
        return f"sqlite:///{self.data_dir / 'sulh.sqlite3'}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SULH_")}
        env["SULH_DATABASE_URL"] = PG_URL if self.db == "postgresql" else ""
        return env

    def reset(self) -> None:
        """Start from nothing: an empty data folder and, for PostgreSQL, a new database."""
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir.mkdir(parents=True)
        if self.db == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            psql(f"CREATE DATABASE {PG_DATABASE}")

    def drop(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)
        if self.db == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")

    def sulh(self, *args: str, stdin: str | None = None) -> str:
        """Run `sulh ARGS --data-dir D` and return its output; stop on failure."""
        command = [str(SULH), *args, "--data-dir", str(self.data_dir)]
        done = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env(),
            cwd=WORK,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command[:3])} failed:\n{done.stderr}")
        return done.stdout

    def prepare(self) -> dict[str, str]:
        """A fresh record: schema and agreement, an analyst and a liaison, and their tokens."""
        self.reset()
        self.sulh("init")
        self.sulh(
            "user", "add", ANALYST, "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n"
        )
        self.sulh(
            "user",
            "add",
            LIAISON,
            "--role",
            "liaison",
            "--party",
            "PK",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        return {name: self.sulh("user", "token", name).strip() for name in (ANALYST, LIAISON)}


def psql(sql: str) -> None:
    subprocess.run([*PG_ADMIN, "-q", "-c", sql], check=True, capture_output=True, text=True)


@dataclass(frozen=True)
class Measured:
    """Wall time and resource use of one child process, from wait4()."""

    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float


def measure(command: list[str], *, env: dict[str, str], log: Path) -> Measured:
    """Run `command` to completion; its own peak RSS comes from the kernel via wait4()."""
    with log.open("w") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=WORK)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        returncode=child.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss * 1024 / 1e6,  # ru_maxrss is in KiB on Linux
    )


def summarise(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "n": len(samples_ms),
        "median_ms": statistics.median(samples_ms),
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "mean_ms": statistics.fmean(samples_ms),
        "min_ms": min(samples_ms),
        "max_ms": max(samples_ms),
    }


def machine(target: Target) -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _lines("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = next(
        (int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0
    )
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": os.getloadavg(),
        "sulh_commit": _git("rev-parse", "--short", "HEAD"),
        "src_uncommitted_changes": bool(_git("status", "--porcelain", "--", "src")),
    }
    if target.db == "postgresql":
        info["postgresql"] = subprocess.run(
            [*PG_ADMIN, "-Atc", "SHOW server_version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    return info


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, check=False)
    return done.stdout.strip()


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def save(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path
