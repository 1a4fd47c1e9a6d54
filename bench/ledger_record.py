"""A record whose log holds N entries, built through Sulh's own write path, for `sulh audit`.

`sulh init`, one analyst, then `sulh import` of generated report files in batches (each
report is one log entry, each new source one more) until the log holds exactly N entries.
The record lives in bench/.work/ledger-N-sqlite/ with a `built.json` in it, so that a
later run can reuse it instead of spending ten minutes or more building it again.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import datagen
import harness

SEED = 20261200  # batch b uses SEED + b, so idempotency keys never repeat across batches


def target(entries: int) -> harness.Target:
    """Each size has its own folder, so that a small trial run leaves the big record alone."""
    return harness.Target.named("sqlite", f"ledger-{entries}")


def log_size(data_dir: Path) -> int:
    uri = f"file:{data_dir / 'sulh.sqlite3'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        (size,) = db.execute("SELECT size FROM log_head WHERE id = 1").fetchone()
    return int(size)


def reusable(record: harness.Target, entries: int) -> dict[str, Any] | None:
    """The build notes of an existing record of exactly `entries` entries, if there is one."""
    notes = record.data_dir / "built.json"
    if not notes.is_file():
        return None
    built: dict[str, Any] = json.loads(notes.read_text())
    if built.get("entries") != entries or log_size(record.data_dir) != entries:
        return None
    return built


def build(record: harness.Target, entries: int, *, batch: int) -> dict[str, Any]:
    """A fresh record, filled by `sulh import --as bench.analyst` until it holds `entries`."""
    record.reset()
    record.sulh("init")
    record.sulh(
        "user", "add", harness.ANALYST, "--role", "analyst", "--password-stdin",
        stdin=harness.PASSWORD + "\n",
    )  # fmt: skip
    file = record.data_dir.with_name(record.data_dir.name + "-batch.jsonl")
    at_start = _version(record)
    started, imports, size = time.perf_counter(), [], log_size(record.data_dir)
    while size < entries:
        count = min(batch, entries - size)
        datagen.write_jsonl(file, count, seed=SEED + len(imports))
        measured = _import(record, file)
        size = log_size(record.data_dir)
        imports.append(
            {"reports": count, "wall_s": measured.wall_s, "rss_mb": measured.peak_rss_mb}
        )
        if len(imports) % 10 == 0 or size >= entries:
            print(f"  {size:,} entries after {len(imports)} imports, {_elapsed(started)}")
    file.unlink()
    built = {
        "entries": size,
        "reports": sum(i["reports"] for i in imports),
        "imports": len(imports),
        "build_wall_s": round(time.perf_counter() - started, 1),
        "import_wall_s": [round(i["wall_s"], 2) for i in imports],
        "import_max_rss_mb": round(max(i["rss_mb"] for i in imports), 1),
        "database_mb": round((record.data_dir / "sulh.sqlite3").stat().st_size / 1e6, 1),
        "sulh_at_start": at_start,
        "sulh_at_end": _version(record),
    }
    (record.data_dir / "built.json").write_text(json.dumps(built, indent=2) + "\n")
    return built


def _import(record: harness.Target, file: Path) -> harness.Measured:
    log = record.data_dir.with_name(record.data_dir.name + "-import.log")
    command = [
        str(harness.SULH), "import", str(file), "--data-dir", str(record.data_dir),
        "--as", harness.ANALYST,
    ]  # fmt: skip
    measured = harness.measure(command, env=record.env(), log=log)
    if measured.returncode != 0:
        raise SystemExit(f"sulh import failed; see {log}:\n{log.read_text()[-2000:]}")
    return measured


def _version(record: harness.Target) -> dict[str, Any]:
    """The commit of src/, and whether src/ had uncommitted changes (the lead works there)."""
    machine = harness.machine(record)
    return {key: machine[key] for key in ("sulh_commit", "src_uncommitted_changes")}


def _elapsed(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"
