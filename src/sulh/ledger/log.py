"""The server's side of the transparency log: tree, entries, proofs, checkpoints, cosignatures."""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from sulh.agreement.model import Agreement
from sulh.errors import Conflict, Invalid, NotFound
from sulh.ledger.checkpoints import CheckpointBody, parse_checkpoint
from sulh.ledger.merkle import ProofError, Tree, verify_consistency
from sulh.ledger.note import (
    COSIGNATURE_V1,
    NoteError,
    Signer,
    Verifier,
    parse_note,
    sign_note,
    verify_cosignature,
)
from sulh.store.tables import Checkpoint, Cosignature, Key, LogEntry
from sulh.store.writer import Store

MAX_ENTRIES = 1000
FUTURE_SKEW = 300


class LogDiverged(Conflict):
    """The stored log no longer extends a checkpoint it signed: refuse to sign again."""

    code = "log_diverged"


@dataclass(frozen=True)
class Quorum:
    cosigners: list[str]
    routine: bool
    cited: bool


def quorum(agreement: Agreement, cosigners: list[str]) -> Quorum:
    """Routine: any `routine_quorum` witnesses. Cited: every party's and one guarantor's."""
    policy = agreement.witnesses
    if policy is None:
        return Quorum(cosigners, False, False)
    members = {w.name: w.member for w in policy.members}
    signed = {members[name] for name in cosigners if name in members}
    guarantors = {g.id for g in agreement.guarantors}
    routine = len([n for n in cosigners if n in members]) >= policy.routine_quorum
    cited = set(agreement.party_ids()) <= signed and bool(signed & guarantors)
    return Quorum(cosigners, routine, cited)


class Log:
    """The tree kept in step with the store, and the log key that signs checkpoints."""

    def __init__(self, store: Store, signer: Signer | None) -> None:
        self.store = store
        self.signer = signer
        self._tree = Tree()
        self._lock = threading.Lock()

    @property
    def origin(self) -> str:
        if self.signer is None:
            raise NotFound("This server has no log key, so it signs no checkpoints.")
        return self.signer.name

    def tree(self) -> Tree:
        """The tree over every committed entry, brought up to date."""
        with self._lock, self.store.read() as session:
            hashes = session.execute(
                select(LogEntry.idx, LogEntry.leaf_hash)
                .where(LogEntry.idx >= self._tree.size)
                .order_by(LogEntry.idx)
                .execution_options(yield_per=10_000)
            )
            for index, leaf in hashes:
                if index != self._tree.size:
                    raise LogDiverged(f"Log entry {self._tree.size} is missing from the store.")
                self._tree.append_hash(leaf)
            return self._tree

    def entries(self, start: int, end: int) -> list[tuple[int, bytes]]:
        size = self.tree().size
        if not 0 <= start < end:
            raise Invalid(f"Ask for entries with 0 ≤ start < end (got start={start}, end={end}).")
        if end - start > MAX_ENTRIES:
            raise Invalid(f"At most {MAX_ENTRIES} entries per call (asked for {end - start}).")
        if end > size:
            raise ProofError(f"The log holds {size} entries; end={end} is past its end.")
        with self.store.read() as session:
            rows = session.execute(
                select(LogEntry.idx, LogEntry.data)
                .where(LogEntry.idx >= start, LogEntry.idx < end)
                .order_by(LogEntry.idx)
            )
            return [(index, bytes(data)) for index, data in rows]

    def latest(self, *, sign: bool = True) -> Checkpoint | None:
        """The newest checkpoint, signing a new one first if the log has grown."""
        size = self.tree().size
        with self.store.read() as session:
            last = session.scalars(select(Checkpoint).order_by(Checkpoint.size.desc())).first()
        if not sign or self.signer is None or size == 0 or (last and last.size >= size):
            return last
        return self._sign(size, last)

    def _sign(self, size: int, last: Checkpoint | None) -> Checkpoint:
        assert self.signer is not None
        tree = self.tree()
        root = tree.root(size)
        if last is not None:
            # Never sign a head that does not extend the last one signed.
            try:
                verify_consistency(
                    old_size=last.size,
                    new_size=size,
                    old_root=bytes(last.root),
                    new_root=root,
                    proof=tree.consistency_proof(last.size, size),
                )
            except ProofError as exc:
                raise LogDiverged(
                    f"The stored log no longer extends checkpoint {last.size}: {exc.message}"
                ) from None
        note = sign_note(CheckpointBody(self.origin, size, root).text(), self.signer)
        row = Checkpoint(size=size, root=root, note=note.render(), signed_at=self.store.clock())
        with self.store.write_log() as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()  # another process signed this size first
                found = session.get(Checkpoint, size)
                assert found is not None
                return found
        return row

    def checkpoint(self, size: int) -> Checkpoint:
        with self.store.read() as session:
            row = session.get(Checkpoint, size)
        if row is None:
            raise NotFound(f"There is no checkpoint of size {size}.")
        return row

    def cosigned_note(self, checkpoint: Checkpoint) -> str:
        """The checkpoint's signed note with every cosignature gathered so far."""
        with self.store.read() as session:
            lines = session.scalars(
                select(Cosignature.line)
                .where(Cosignature.checkpoint_size == checkpoint.size)
                .order_by(Cosignature.id)
            )
            return checkpoint.note + "".join(lines)

    def latest_cosigned(self) -> Checkpoint | None:
        """The newest checkpoint any witness has cosigned."""
        with self.store.read() as session:
            size = session.scalar(select(func.max(Cosignature.checkpoint_size)))
            return None if size is None else session.get(Checkpoint, size)

    def cosigners(self, size: int) -> list[str]:
        with self.store.read() as session:
            return list(
                session.scalars(
                    select(Cosignature.witness)
                    .where(Cosignature.checkpoint_size == size)
                    .order_by(Cosignature.id)
                )
            )

    def add_cosignature(self, *, size: int, line: str) -> str:
        """Verify a witness's cosignature line for checkpoint `size`; store it; return the name."""
        checkpoint = self.checkpoint(size)
        text = checkpoint.note.split("\n\n", 1)[0] + "\n"
        parsed = parse_note(text + "\n" + line.rstrip("\n") + "\n").signatures
        if len(parsed) != 1:
            raise NoteError("Post exactly one cosignature line.")
        (signature,) = parsed
        verifier = self._witness(signature.name)
        stamp = verify_cosignature(text, signature, verifier)
        if stamp > time.time() + FUTURE_SKEW:
            raise NoteError("The cosignature's timestamp is in the future.")
        row = Cosignature(
            checkpoint_size=size,
            witness=signature.name,
            line=signature.render(),
            timestamp=stamp,
            received_at=self.store.clock(),
        )
        with self.store.write_log() as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                raise Conflict(
                    f"{signature.name} has already cosigned checkpoint {size}."
                ) from None
        return signature.name

    def _witness(self, name: str) -> Verifier:
        with self.store.read() as session:
            key = session.scalars(
                select(Key).where(
                    Key.purpose == "witness", Key.name == name, Key.revoked_at.is_(None)
                )
            ).first()
        if key is None:
            raise NoteError(f"{name!r} is not a registered witness of this log.")
        return Verifier(name, COSIGNATURE_V1, bytes.fromhex(key.public_key))


def public_view(checkpoint: Checkpoint) -> dict[str, Any]:
    """The checkpoint's origin, size and root hash (in standard base64, as the note has it)."""
    body = parse_checkpoint(checkpoint.note.split("\n\n", 1)[0] + "\n")
    return {"origin": body.origin, "size": body.size, "root": base64.b64encode(body.root).decode()}
