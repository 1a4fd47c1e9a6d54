"""The one write path: every change to the record goes through `Store.write`.

Domain code changes rows inside a write and calls `Writer.record` for each row it touched.
Before the transaction commits, each recorded row becomes one entry of the transparency
log, at the next gapless index, in the same transaction. Session hooks refuse a flush
outside a write, an update or delete of an immutable row, and a commit that touched a
logged row without recording it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, func, insert, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from sulh.clock import Clock, system_clock
from sulh.errors import Conflict, NotFound
from sulh.ledger.entries import entry_bytes, row_digest, snapshot, split
from sulh.ledger.merkle import leaf_hash
from sulh.store.engine import WRITE_OPTION
from sulh.store.tables import AgreementVersion, Base, LogEntry, LogHead

if TYPE_CHECKING:
    from sulh.access.roles import Principal


class RecordIntegrityError(RuntimeError):
    """A programming error: something tried to bypass the write path."""


@dataclass
class _Pending:
    change_type: str
    row: Base
    new: bool
    index: int | None = None


class Writer:
    """The handle domain code gets inside `Store.write`."""

    def __init__(
        self, session: Session, actor: Principal, clock: Clock, *, fuse_inline: bool = True
    ) -> None:
        self.session = session
        self.actor = actor
        self.now = clock()
        self.fuse_inline = fuse_inline  # False: new reports are queued for fusion
        self._agreement: AgreementVersion | None = None
        self._pending: list[_Pending] = []

    @property
    def agreement(self) -> AgreementVersion:
        """The agreement version in force when this write began."""
        if self._agreement is None:
            self._agreement = agreement_in_force(self.session)
        return self._agreement

    def _agreement_id(self) -> int | None:
        if self._agreement is None:
            self._agreement = self.session.scalars(
                select(AgreementVersion).order_by(AgreementVersion.id.desc()).limit(1)
            ).first()
        return self._agreement.id if self._agreement else None

    def add(self, row: Base) -> Base:
        """Add a row and flush, so that its id is known at once."""
        self.session.add(row)
        self.session.flush()
        return row

    def record(self, change_type: str, row: Base) -> None:
        """Enter the change to `row` in the log when this write commits."""
        new = inspect(row).identity is None
        self._pending.append(_Pending(change_type, row, new))

    def index_of(self, row: Base) -> int:
        """The log index of the last entry written for `row` (after the write committed)."""
        indexes = [p.index for p in self._pending if p.row is row and p.index is not None]
        if not indexes:
            raise RecordIntegrityError(f"No entry was written for {row!r}.")
        return indexes[-1]

    def _write_entries(self) -> None:
        self.session.flush()
        if not self._pending:
            return
        head = self.session.scalars(select(LogHead).where(LogHead.id == 1).with_for_update()).one()
        version = self._agreement_id()
        entries: list[dict[str, Any]] = []
        salts: list[dict[str, Any]] = []
        for pending in self._pending:
            pending.index = head.size
            head.size += 1
            entry, salt = self._entry(pending, version)
            entries.append(entry)
            salts.append(salt)
        self.session.flush()
        # Plain executemany: one short statement, however many entries the write makes.
        connection = self.session.connection()
        connection.execute(insert(Base.metadata.tables["log_entries"]), entries)
        connection.execute(insert(Base.metadata.tables["log_salts"]), salts)

    def _entry(
        self, pending: _Pending, version: int | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        row, table = pending.row, pending.row.__tablename__
        identity = inspect(row).identity
        assert identity is not None and pending.index is not None
        record_id = int(identity[0])
        supersedes = None
        if not pending.new and id(row) not in self.session.info["inserted"]:
            supersedes = self.session.scalar(
                select(func.max(LogEntry.idx)).where(
                    LogEntry.record_type == table, LogEntry.record_id == record_id
                )
            )
        salt = os.urandom(16)
        values = snapshot(row)
        public, sealed = split(table, values, salt)
        data = entry_bytes(
            index=pending.index,
            change_type=pending.change_type,
            time=self.now,
            actor=self.actor.username,
            agreement_version=version,
            table=table,
            record_id=record_id,
            supersedes=supersedes,
            public=public,
            sealed=sealed,
            digest=row_digest(salt, values),
        )
        entry = {
            "idx": pending.index,
            "record_type": table,
            "record_id": record_id,
            "data": data,
            "leaf_hash": leaf_hash(data),
        }
        return entry, {"idx": pending.index, "salt": salt}

    def _check_everything_recorded(self) -> None:
        recorded = {id(p.row) for p in self._pending}
        missed = [r for r in self.session.info.get("touched", []) if id(r) not in recorded]
        if missed:
            names = ", ".join(sorted({type(r).__name__ for r in missed}))
            raise RecordIntegrityError(f"A write changed {names} rows without recording them.")


def agreement_in_force(session: Session) -> AgreementVersion:
    version = session.scalars(
        select(AgreementVersion).order_by(AgreementVersion.id.desc()).limit(1)
    ).first()
    if version is None:
        raise NotFound("No agreement is loaded: run `sulh init` first.")
    return version


class Store:
    """The record: read sessions, and the single write path."""

    def __init__(self, engine: Engine, *, clock: Clock = system_clock) -> None:
        self.engine = engine
        self.clock = clock
        # "inline": reports are fused in the transaction that files them; "queued": they are
        # queued for a worker (fusion/queue.py), and `on_queued` is called after each commit.
        self.fusion = "inline"
        self.on_queued: Callable[[], None] | None = None
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)
        self._write_sessions = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}),
            expire_on_commit=False,
            autoflush=False,
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read that sees one moment of the record throughout, however long it takes:
        what outputs cut from the log use (SQLite's reads already do; PostgreSQL needs
        REPEATABLE READ, where each statement would otherwise see newer commits)."""
        with self._sessions() as session:
            if self.engine.dialect.name == "postgresql":
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session

    @contextmanager
    def write_log(self) -> Iterator[Session]:
        """A session for the log's own tables (checkpoints, cosignatures), which are not entries.

        The caller commits; any logged row touched here is refused.
        """
        with self._write_sessions() as session:
            session.info.update(writable=True, touched=[], inserted=set(), log_only=True)
            yield session

    @contextmanager
    def write(self, actor: Principal) -> Iterator[Writer]:
        """A transaction in which rows change and every change enters the log."""
        with self._write_sessions() as session:
            session.info["writable"] = True
            session.info["touched"] = []
            session.info["inserted"] = set()
            writer = Writer(session, actor, self.clock, fuse_inline=self.fusion == "inline")
            try:
                yield writer
                writer._write_entries()
                writer._check_everything_recorded()
                session.commit()
                if not writer.fuse_inline and self.on_queued is not None:
                    self.on_queued()
            except IntegrityError:
                session.rollback()
                # A uniqueness rule caught a concurrent duplicate that the checks could not see.
                raise Conflict(
                    "The record changed while this was being written (a concurrent duplicate); "
                    "nothing was written. Read it again and retry if still needed."
                ) from None
            except BaseException:
                session.rollback()
                raise


@event.listens_for(Session, "before_flush")
def _guard_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    if not (session.new or session.dirty or session.deleted):
        return
    if not session.info.get("writable"):
        raise RecordIntegrityError("Rows may only change inside Store.write().")
    for row in session.deleted:
        if getattr(row, "__immutable__", False) or getattr(row, "__logged__", True):
            raise RecordIntegrityError(f"{type(row).__name__} rows are never deleted.")
    touched = session.info["touched"]
    for row in session.dirty:
        if not session.is_modified(row, include_collections=False):
            continue
        if getattr(row, "__immutable__", False):
            raise RecordIntegrityError(f"{type(row).__name__} rows are never changed.")
        if getattr(row, "__logged__", True):
            touched.append(row)
    for row in session.new:
        if getattr(row, "__logged__", True):
            if session.info.get("log_only"):
                raise RecordIntegrityError(f"{type(row).__name__} rows need Store.write().")
            touched.append(row)
            session.info["inserted"].add(id(row))
