"""`sulh audit`: recompute the log and hold every row of the record against it.

Pass 1 reads every entry in order: no index missing or out of place, each entry's bytes
matching its stored leaf hash and its own claims, and the recomputed tree matching every
signed checkpoint. Pass 2 walks each logged table beside the latest entry for each row:
a row changed, added or deleted behind the application's back shows up as a difference.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from sulh.canonical import NotCanonical
from sulh.ledger.checkpoints import parse_checkpoint
from sulh.ledger.entries import commitment, row_digest
from sulh.ledger.merkle import Tree, leaf_hash
from sulh.ledger.note import NoteError, Verifier, open_note
from sulh.ledger.rows import driver_rows, scalar_columns, stream_rows
from sulh.store.engine import make_engine
from sulh.store.tables import Base, Checkpoint, LogEntry, LogHead, LogSalt
from sulh.store.writer import Store


@dataclass
class AuditReport:
    entries: int = 0
    rows: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def audit(store: Store, *, log_key: Verifier | None, workers: int | None = None) -> AuditReport:
    """Check the whole record; every divergence found is named in the report's problems.

    Large records are checked by `workers` processes (by default one per core) that split
    the rows between them while this process recomputes the tree.
    """
    report = AuditReport()
    url = store.engine.url.render_as_string(hide_password=False)
    with store.read() as session:
        _snapshot(session)
        workers = _worker_count(session, url) if workers is None else workers
        if workers <= 1:
            tree = _check_entries(session, report)
            _check_checkpoints(session, tree, log_key, report)
            _merge(report, [_check_rows(session, _spans(session, 1)[0])])
            return report
        spans = _spans(session, workers)
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        parts = [pool.submit(_check_rows_apart, url, span) for span in spans]
        with store.read() as session:
            _snapshot(session)
            tree = _check_entries(session, report)
            _check_checkpoints(session, tree, log_key, report)
        _merge(report, [part.result() for part in parts])
    return report


# Below this many entries, starting processes costs more than it saves.
PARALLEL_FROM = 100_000
Spans = dict[str, tuple[int | None, int | None]]
RowProblems = tuple[int, dict[str, list[str]]]


def _worker_count(session: Session, url: str) -> int:
    if make_url(url).database in (None, "", ":memory:"):
        return 1
    size = session.scalar(select(LogHead.size)) or 0
    return min(os.cpu_count() or 1, 8) if size >= PARALLEL_FROM else 1


def _snapshot(session: Session) -> None:
    # Every query of the audit must see one state of the record, even on a live server.
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        connection = session.connection()
        if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN")


def _spans(session: Session, parts: int) -> list[Spans]:
    """Split each logged table's ids into `parts` ranges; the outer ones are open-ended."""
    spans: list[Spans] = [{} for _ in range(parts)]
    for model in _logged_tables():
        key = inspect(model).primary_key[0]
        top = session.scalar(select(func.max(key))) or 0
        bounds = [None, *[top * k // parts for k in range(1, parts)], None]
        for part in range(parts):
            spans[part][model.__tablename__] = (bounds[part], bounds[part + 1])
    return spans


def _check_rows_apart(url: str, spans: Spans) -> RowProblems:
    engine = make_engine(url)
    try:
        with Store(engine).read() as session:
            _snapshot(session)
            return _check_rows(session, spans)
    finally:
        engine.dispose()


def _check_rows(session: Session, spans: Spans) -> RowProblems:
    rows, problems = 0, {}
    for model in _logged_tables():
        part = AuditReport()
        _check_table(session, model, part, spans[model.__tablename__])
        rows += part.rows
        problems[model.__tablename__] = part.problems
    return rows, problems


def _merge(report: AuditReport, parts: list[RowProblems]) -> None:
    for model in _logged_tables():
        for _, problems in parts:
            report.problems.extend(problems[model.__tablename__])
    report.rows += sum(rows for rows, _ in parts)


def _logged_tables() -> list[type[Base]]:
    return [
        mapper.class_
        for mapper in Base.registry.mappers
        if getattr(mapper.class_, "__logged__", True)
    ]


def _check_entries(session: Session, report: AuditReport) -> Tree:
    tree = Tree()
    query = select(
        LogEntry.idx, LogEntry.record_type, LogEntry.record_id, LogEntry.data, LogEntry.leaf_hash
    ).order_by(LogEntry.idx)
    rows = driver_rows(session, query, name="audit_log")
    try:
        _walk_entries(rows, tree, report)
    finally:
        rows.close()  # a gap stops the walk early; free the server-side cursor
    report.entries = tree.size
    return tree


def _walk_entries(rows: Any, tree: Tree, report: AuditReport) -> None:
    for idx, record_type, record_id, data, stored_hash in rows:
        if idx != tree.size:
            report.problems.append(
                f"Log entries {tree.size}–{idx - 1} are missing (removed from the store)."
                if idx > tree.size
                else f"Log entry {idx} appears twice."
            )
            break
        data = bytes(data)
        computed = leaf_hash(data)
        if computed != bytes(stored_hash):
            report.problems.append(
                f"Log entry {idx} does not match its stored leaf hash (entry altered)."
            )
        # Entries are canonical JSON with keys in a fixed order, so the top-level "index" is
        # its first occurrence and "record" its last: checked in place, without parsing.
        if not data.startswith(b'"index":%d,' % idx, max(data.find(b'"index":'), 0)):
            report.problems.append(
                f"Log entry {idx} says it is entry {_claimed_index(data)} (entries reordered)."
            )
        record = b'"record":{"id":%d,"type":%s}' % (record_id, json.dumps(record_type).encode())
        if not data.startswith(record, max(data.rfind(b'"record":{'), 0)):
            report.problems.append(f"Log entry {idx} is filed under the wrong record.")
        tree.append_hash(computed)


def _claimed_index(data: bytes) -> object:
    try:
        return json.loads(data).get("index")
    except (ValueError, AttributeError):
        return "nothing readable"


def _check_checkpoints(
    session: Session, tree: Tree, log_key: Verifier | None, report: AuditReport
) -> None:
    for checkpoint in session.scalars(select(Checkpoint).order_by(Checkpoint.size)):
        report.checkpoints += 1
        size = checkpoint.size
        if log_key is not None:
            try:
                note = open_note(checkpoint.note, log_key)
                body = parse_checkpoint(note.text)
            except NoteError as exc:
                report.problems.append(f"Checkpoint {size}: {exc.message}")
                continue
            if body.size != size or body.root != bytes(checkpoint.root):
                report.problems.append(
                    f"Checkpoint {size}'s stored size or root differs from its note."
                )
        if size > tree.size:
            report.problems.append(
                f"Checkpoint {size} was signed, but the log now holds only {tree.size} entries "
                "(rolled back)."
            )
        elif tree.root(size) != bytes(checkpoint.root):
            report.problems.append(
                f"The entries no longer hash to checkpoint {size}'s root (entries altered)."
            )


def _latest_entries(
    session: Session, table: str, span: tuple[int | None, int | None]
) -> Iterator[tuple[int, int, bytes, bytes | None]]:
    """Each row's latest entry with its salt, in record order."""
    latest = (
        select(func.max(LogEntry.idx).label("idx"))
        .where(LogEntry.record_type == table, *_within(LogEntry.record_id, span))
        .group_by(LogEntry.record_id)
        .subquery()
    )
    query = (
        select(LogEntry.record_id, LogEntry.idx, LogEntry.data, LogSalt.salt)
        .join(latest, latest.c.idx == LogEntry.idx)
        .outerjoin(LogSalt, LogSalt.idx == LogEntry.idx)
        .order_by(LogEntry.record_id)
    )
    for record_id, idx, data, salt in driver_rows(session, query, name=f"audit_log_{table}"):
        yield int(record_id), int(idx), bytes(data), None if salt is None else bytes(salt)


def _within(column: Any, span: tuple[int | None, int | None]) -> list[Any]:
    low, high = span
    return [
        *([] if low is None else [column > low]),
        *([] if high is None else [column <= high]),
    ]


def _check_table(
    session: Session,
    model: type[Base],
    report: AuditReport,
    span: tuple[int | None, int | None] = (None, None),
) -> None:
    table = Base.metadata.tables[model.__tablename__]
    key = inspect(model).primary_key[0]
    scalar = scalar_columns(table)
    latest = _latest_entries(session, table.name, span)
    entry = next(latest, None)
    for values in stream_rows(session, table, _within(key, span)):
        report.rows += 1
        row_id = int(values[key.name])
        while entry is not None and entry[0] < row_id:
            report.problems.append(_deleted(table.name, entry))
            entry = next(latest, None)
        if entry is None or entry[0] != row_id:
            report.problems.append(
                f"{table.name} row {row_id} has no log entry (added outside Sulh)."
            )
            continue
        _compare(table.name, values, entry, report, scalar)
        entry = next(latest, None)
    while entry is not None:
        report.problems.append(_deleted(table.name, entry))
        entry = next(latest, None)


def _deleted(table: str, entry: tuple[int, int, bytes, bytes | None]) -> str:
    return (
        f"Log entry {entry[1]} records {table} row {entry[0]}, which is missing "
        "(deleted outside Sulh)."
    )


def _compare(
    table: str,
    values: dict[str, Any],
    entry: tuple[int, int, bytes, bytes | None],
    report: AuditReport,
    scalar: frozenset[str],
) -> None:
    row_id, idx, data, salt = entry
    if salt is None:
        report.problems.append(f"The salt of log entry {idx} is missing.")
        return
    try:
        if _stated_digest(data, table, row_id) == row_digest(salt, values, scalar=scalar).encode():
            return
    except NotCanonical:
        pass  # a value no writer could have logged: named below
    try:
        changed = _differences(values, json.loads(data), salt)
    except ValueError:
        changed = []
    report.problems.append(
        f"{table} row {row_id} differs from log entry {idx} in {', '.join(changed)} "
        "(changed outside Sulh)."
        if changed
        else f"{table} row {row_id} does not match the digest in log entry {idx}."
    )


def _stated_digest(data: bytes, table: str, row_id: int) -> bytes:
    # Canonical key order puts "row_digest" straight after the top-level "record" object,
    # which pass 1 has already found in place: slice the digest out without parsing.
    record = b'"record":{"id":%d,"type":%s},"row_digest":"' % (row_id, json.dumps(table).encode())
    at = data.rfind(record)
    return data[at + len(record) : at + len(record) + 64] if at >= 0 else b""


def _differences(values: dict[str, Any], entry: dict[str, Any], salt: bytes) -> list[str]:
    public, sealed = entry.get("public", {}), entry.get("sealed", {})
    if set(values) != set(public) | set(sealed):
        return sorted(set(values) ^ (set(public) | set(sealed)))
    return [
        name
        for name, value in values.items()
        if (
            public[name] != value if name in public else not _seals(sealed[name], salt, name, value)
        )
    ]


def _seals(stated: str, salt: bytes, name: str, value: Any) -> bool:
    try:
        return stated == commitment(salt, name, value)
    except NotCanonical:  # NaN, a huge integer…: nothing Sulh could have logged
        return False
