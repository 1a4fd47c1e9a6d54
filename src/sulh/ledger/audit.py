"""`sulh audit`: recompute the log and hold every row of the record against it.

Pass 1 reads every entry in order: no index missing or out of place, each entry's bytes
matching its stored leaf hash and its own claims, and the recomputed tree matching every
signed checkpoint. Pass 2 walks each logged table beside the latest entry for each row:
a row changed, added or deleted behind the application's back shows up as a difference.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from sulh.ledger.checkpoints import parse_checkpoint
from sulh.ledger.entries import PUBLIC_COLUMNS, commitment, plain
from sulh.ledger.merkle import Tree, leaf_hash
from sulh.ledger.note import NoteError, Verifier, open_note
from sulh.store.tables import Base, Checkpoint, LogEntry, LogSalt
from sulh.store.writer import Store

BATCH = 5000


@dataclass
class AuditReport:
    entries: int = 0
    rows: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def audit(store: Store, *, log_key: Verifier | None) -> AuditReport:
    """Check the whole record; every divergence found is named in the report's problems."""
    report = AuditReport()
    with store.read() as session:
        tree = _check_entries(session, report)
        _check_checkpoints(session, tree, log_key, report)
        for table in _logged_tables():
            _check_table(session, table, tree, report)
    return report


def _logged_tables() -> list[type[Base]]:
    return [
        mapper.class_
        for mapper in Base.registry.mappers
        if getattr(mapper.class_, "__logged__", True)
    ]


def _check_entries(session: Session, report: AuditReport) -> Tree:
    tree = Tree()
    rows = session.execute(
        select(
            LogEntry.idx,
            LogEntry.record_type,
            LogEntry.record_id,
            LogEntry.data,
            LogEntry.leaf_hash,
        )
        .order_by(LogEntry.idx)
        .execution_options(yield_per=BATCH)
    )
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


def _latest_entries(session: Session, table: str) -> Iterator[tuple[int, int]]:
    query = (
        select(LogEntry.record_id, func.max(LogEntry.idx))
        .where(LogEntry.record_type == table)
        .group_by(LogEntry.record_id)
        .order_by(LogEntry.record_id)
        .execution_options(yield_per=BATCH)
    )
    for record_id, idx in session.execute(query):
        yield int(record_id), int(idx)


def _check_table(session: Session, model: type[Base], tree: Tree, report: AuditReport) -> None:
    table = Base.metadata.tables[model.__tablename__]
    key = inspect(model).primary_key[0]
    # Plain rows, not ORM objects: no identity map, no eager joins, a fraction of the cost.
    rows = session.execute(select(table).order_by(key).execution_options(yield_per=BATCH))
    names = [column.key for column in table.columns]
    latest = _latest_entries(session, table.name)
    pending: list[tuple[dict[str, Any], int]] = []
    entry = next(latest, None)
    for row in rows:
        report.rows += 1
        values = {name: plain(value) for name, value in zip(names, row, strict=True)}
        row_id = int(values[str(key.key)])
        while entry is not None and entry[0] < row_id:
            report.problems.append(
                f"Log entry {entry[1]} records {table.name} row {entry[0]}, which is missing "
                "(deleted outside Sulh)."
            )
            entry = next(latest, None)
        if entry is None or entry[0] != row_id:
            report.problems.append(
                f"{table.name} row {row_id} has no log entry (added outside Sulh)."
            )
            continue
        pending.append((values, entry[1]))
        entry = next(latest, None)
        if len(pending) >= 500:
            _compare(session, table.name, pending, tree, report)
            pending = []
    _compare(session, table.name, pending, tree, report)
    while entry is not None:
        report.problems.append(
            f"Log entry {entry[1]} records {table.name} row {entry[0]}, which is missing "
            "(deleted outside Sulh)."
        )
        entry = next(latest, None)


def _compare(
    session: Session,
    table: str,
    pending: list[tuple[dict[str, Any], int]],
    tree: Tree,
    report: AuditReport,
) -> None:
    if not pending:
        return
    indexes = [idx for _, idx in pending]
    data = dict(
        session.execute(select(LogEntry.idx, LogEntry.data).where(LogEntry.idx.in_(indexes))).all()
    )
    salts = dict(
        session.execute(select(LogSalt.idx, LogSalt.salt).where(LogSalt.idx.in_(indexes))).all()
    )
    for row, idx in pending:
        raw = bytes(data[idx])
        if idx >= tree.size or leaf_hash(raw) != tree.leaf(idx):
            continue  # already reported in pass 1
        salt = salts.get(idx)
        if salt is None:
            report.problems.append(f"The salt of log entry {idx} is missing.")
            continue
        entry = json.loads(raw)
        changed = _differences(table, row, entry, bytes(salt))
        if changed:
            row_id = entry["record"]["id"]
            report.problems.append(
                f"{table} row {row_id} differs from log entry {idx} in {', '.join(changed)} "
                "(changed outside Sulh)."
            )


def _differences(
    table: str, values: dict[str, Any], entry: dict[str, Any], salt: bytes
) -> list[str]:
    public, sealed = entry.get("public", {}), entry.get("sealed", {})
    if set(values) != set(public) | set(sealed):
        return sorted(set(values) ^ (set(public) | set(sealed)))
    changed = []
    for name, value in values.items():
        if name in public:
            if public[name] != value:
                changed.append(name)
        elif sealed[name] != commitment(salt, name, value):
            changed.append(name)
    assert table in PUBLIC_COLUMNS
    return changed
