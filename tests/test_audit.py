"""`sulh audit` catches every change made behind the application's back, on both databases."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine

from sulh.canonical import canonical_json
from sulh.cli import cli
from sulh.ledger.audit import audit
from sulh.ledger.entries import snapshot
from sulh.ledger.merkle import leaf_hash
from sulh.ledger.rows import stream_rows
from sulh.store.tables import Base
from sulh.store.writer import Store
from tests.conftest import Actors, SigningClient, make_report
from tests.flow import complaint_incident, ok

Tamper = Callable[[Connection], None]


@pytest.fixture
def record(client: SigningClient, actors: Actors) -> None:
    """Activity of every kind, and a checkpoint over it."""
    case = complaint_incident(client, actors, "triaged")["case"]
    ok(
        client.post(
            f"/api/v1/cases/{case['id']}/reply",
            headers=actors.headers("liaison_pk"),
            json={"text": "Denied."},
        ),
        201,
    )
    ok(client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201)
    assert client.get("/api/v1/log/checkpoint").status_code == 200


def _audit(engine: Engine, data_dir: Path) -> tuple[int, str]:
    url = engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli, ["audit"], env={"SULH_DATABASE_URL": url, "SULH_DATA_DIR": str(data_dir)}
    )
    return result.exit_code, result.output


def test_an_untouched_record_audits_clean(record: None, engine: Engine, tmp_path: Path) -> None:
    code, output = _audit(engine, tmp_path)
    assert code == 0, output
    assert "clean" in output and "1 checkpoints" in output


def _rewrite_entry(
    conn: Connection, index: int, change: Callable[[dict[str, object]], None]
) -> None:
    data = conn.execute(
        text("SELECT data FROM log_entries WHERE idx = :i"), {"i": index}
    ).scalar_one()
    entry = json.loads(bytes(data))
    change(entry)
    new = canonical_json(entry)
    conn.execute(
        text("UPDATE log_entries SET data = :d, leaf_hash = :h WHERE idx = :i"),
        {"d": new, "h": leaf_hash(new), "i": index},
    )


def _swap(conn: Connection) -> None:
    rows = conn.execute(
        text("SELECT idx, data, leaf_hash FROM log_entries WHERE idx IN (2, 3)")
    ).all()
    for (idx, _, _), (_, data, leaf) in zip(rows, reversed(rows), strict=True):
        conn.execute(
            text("UPDATE log_entries SET data = :d, leaf_hash = :h WHERE idx = :i"),
            {"d": data, "h": leaf, "i": idx},
        )


def _report_entry(conn: Connection) -> int:
    return int(
        conn.execute(
            text("SELECT min(idx) FROM log_entries WHERE record_type = 'reports'")
        ).scalar_one()
    )


TAMPERING: dict[str, tuple[Tamper, str]] = {
    "sealed column edited": (
        lambda c: c.execute(text("UPDATE reports SET text = 'edited' WHERE id = 1")),
        "reports row 1 differs from log entry",
    ),
    "public column edited": (
        lambda c: c.execute(text("UPDATE cases SET state = 'tampered' WHERE id = 1")),
        "cases row 1 differs from log entry",
    ),
    "number made unrepresentable": (
        lambda c: c.execute(text("UPDATE reports SET latitude = 'NaN' WHERE id = 1")),
        "reports row 1 differs from log entry",
    ),
    "row deleted": (
        lambda c: c.execute(text("DELETE FROM replies")),
        "records replies row 1, which is missing",
    ),
    "row inserted": (
        lambda c: c.execute(
            text(
                "INSERT INTO sources (id, name, kind, reliability, "
                "independence_group) VALUES (99, 'ghost', 'media', 'A', 'g')"
            )
        ),
        "sources row 99 has no log entry",
    ),
    "entry altered, hash recomputed": (
        lambda c: _rewrite_entry(c, _report_entry(c), lambda e: e.update(actor="someone.else")),
        "no longer hash to checkpoint",
    ),
    "entry altered in place": (
        lambda c: c.execute(
            text("UPDATE log_entries SET leaf_hash = :h WHERE idx = 0"), {"h": b"\x00" * 32}
        ),
        "Log entry 0 does not match its stored leaf hash",
    ),
    "entries reordered": (_swap, "(entries reordered)"),
    "entry removed": (
        lambda c: (
            c.execute(text("DELETE FROM log_salts WHERE idx = 4")),
            c.execute(text("DELETE FROM log_entries WHERE idx = 4")),
        ),
        "Log entries 4–4 are missing",
    ),
    "log rolled back": (
        lambda c: (
            c.execute(text("DELETE FROM log_salts WHERE idx >= 6")),
            c.execute(text("DELETE FROM log_entries WHERE idx >= 6")),
        ),
        "(rolled back)",
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_audit_names_the_divergence(
    record: None, engine: Engine, tmp_path: Path, case: str
) -> None:
    tamper, expected = TAMPERING[case]
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        tamper(conn)
    code, output = _audit(engine, tmp_path)
    assert code == 1, output
    assert expected in output, output


@pytest.mark.parametrize("case", ["sealed column edited", "row deleted", "row inserted"])
def test_an_audit_split_across_processes_finds_the_same(
    record: None, engine: Engine, case: str
) -> None:
    tamper, expected = TAMPERING[case]
    with engine.begin() as conn:
        tamper(conn)
    store = Store(engine)
    alone = audit(store, log_key=None, workers=1)
    split = audit(store, log_key=None, workers=3)
    assert any(expected in problem for problem in split.problems), split.problems
    assert split.problems == alone.problems
    assert (split.rows, split.entries, split.checkpoints) == (
        alone.rows,
        alone.entries,
        alone.checkpoints,
    )


def test_the_audit_reads_rows_exactly_as_the_log_recorded_them(record: None, store: Store) -> None:
    seen: set[str] = set()
    with store.read() as session:
        for model in Base.registry.mappers:
            table = model.class_.__table__
            if not getattr(model.class_, "__logged__", True):
                continue
            key = next(iter(table.primary_key.columns)).key
            rows = {snapshot(r)[key]: snapshot(r) for r in session.scalars(select(model.class_))}
            streamed = {v[key]: v for v in stream_rows(session, table, [])}
            assert streamed == rows, table.name
            assert all(canonical_json(streamed[i]) == canonical_json(rows[i]) for i in rows)
            seen |= {table.name} if rows else set()
    assert {"reports", "cases", "replies", "users", "keys", "submission_signatures"} <= seen
