"""The one write path: every change to the record goes through `Store.write`.

A write opens a transaction, the domain code adds or changes rows, and each change is
entered in the `changes` journal by `Writer.record` before the transaction commits.
Session hooks refuse any flush outside a write, any update or delete of an immutable
row, and any commit that changed rows without journalling them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from sulh.canonical import canonical_json
from sulh.clock import Clock, system_clock
from sulh.errors import Conflict, NotFound
from sulh.store.engine import WRITE_OPTION
from sulh.store.tables import AgreementVersion, Base, Change

if TYPE_CHECKING:
    from sulh.access.roles import Principal


class RecordIntegrityError(RuntimeError):
    """A programming error: something tried to bypass the write path."""


class Writer:
    """The handle domain code gets inside `Store.write`."""

    def __init__(self, session: Session, actor: Principal, clock: Clock) -> None:
        self.session = session
        self.actor = actor
        self.now = clock()
        self._agreement: AgreementVersion | None = None

    @property
    def agreement(self) -> AgreementVersion:
        """The agreement version in force when this write began."""
        if self._agreement is None:
            self._agreement = agreement_in_force(self.session)
        return self._agreement

    def _version_id(self) -> int | None:
        if self._agreement is None:
            self._agreement = self.session.scalars(
                select(AgreementVersion).order_by(AgreementVersion.id.desc()).limit(1)
            ).first()
        return self._agreement.id if self._agreement else None

    def add(self, row: Base) -> Base:
        self.session.add(row)
        return row

    def record(
        self,
        change_type: str,
        subject: Base,
        payload: dict[str, Any],
        *,
        supersedes: int | None = None,
    ) -> Change:
        """Journal one change to `subject` in this transaction."""
        if inspect(subject).identity is None:
            self.session.flush()
        identity = inspect(subject).identity
        assert identity is not None
        record_id = int(identity[0])
        version = self._version_id()
        entry = {
            "type": change_type,
            "time": self.now.isoformat(),
            "actor": self.actor.username,
            "agreement_version": version,
            "record": {"type": subject.__tablename__, "id": record_id},
            "supersedes": supersedes,
            "payload": payload,
        }
        change = Change(
            at=self.now,
            type=change_type,
            actor_id=self.actor.user_id,
            agreement_version_id=version,
            record_type=subject.__tablename__,
            record_id=record_id,
            supersedes=supersedes,
            entry=canonical_json(entry).decode("utf-8"),
        )
        self.session.add(change)
        self.session.info["journalled"] = True
        return change


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
    def write(self, actor: Principal) -> Iterator[Writer]:
        """A transaction in which rows change and every change is journalled."""
        with self._write_sessions() as session:
            session.info["writable"] = True
            writer = Writer(session, actor, self.clock)
            try:
                yield writer
                session.flush()
                if session.info.get("touched") and not session.info.get("journalled"):
                    raise RecordIntegrityError("A write changed rows without journalling them.")
                session.commit()
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
        if getattr(row, "__immutable__", False):
            raise RecordIntegrityError(f"{type(row).__name__} rows are never deleted.")
    for row in session.dirty:
        if getattr(row, "__immutable__", False) and session.is_modified(row):
            raise RecordIntegrityError(f"{type(row).__name__} rows are never changed.")
    if any(not isinstance(row, Change) for row in (*session.new, *session.dirty)):
        session.info["touched"] = True
