"""The cut an output is made from: the record as of its first N log entries, and a signed
checkpoint that covers them.

Every output (a situation report, an export, an alert) reads its rows in one read
transaction, and counts the log in the same transaction, so the rows it shows are exactly
those that the first N entries made. It then cites the newest signed checkpoint, whose tree
of size M ≥ N contains those N entries as a prefix; anyone holding the log can check both
the numbers and that the log has not been rewritten since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from sulh.ledger.log import Log
from sulh.outputs.listings import log_size

UNSIGNED = "(a record without a log key)"


@dataclass(frozen=True)
class Cut:
    log_size: int  # the output reflects log entries 0 … log_size - 1
    checkpoint_size: int | None  # the signed checkpoint cited, of size ≥ log_size
    checkpoint_note: str | None  # that checkpoint as a C2SP signed note
    origin: str
    cut_at: datetime

    def describe(self) -> str:
        """One line for people: what the output was cut from."""
        if self.checkpoint_size is None:
            return f"Cut from the first {self.log_size} entries of {self.origin}; not yet signed."
        return (
            f"Cut from the first {self.log_size} entries of {self.origin}, within the signed "
            f"checkpoint of size {self.checkpoint_size}."
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "origin": self.origin,
            "log_size": self.log_size,
            "checkpoint_size": self.checkpoint_size,
            "checkpoint": self.checkpoint_note,
            "cut_at": self.cut_at.isoformat(),
        }


def cut_from(session: Session, log: Log) -> Cut:
    """The cut for what `session` reads: call it inside the read, before or after the rows."""
    size = log_size(session)
    checkpoint = log.latest() if size else None
    if checkpoint is not None and checkpoint.size < size:  # no key to sign a newer one
        checkpoint = None
    return Cut(
        log_size=size,
        checkpoint_size=checkpoint.size if checkpoint else None,
        checkpoint_note=checkpoint.note if checkpoint else None,
        origin=log.signer.name if log.signer else UNSIGNED,
        cut_at=log.store.clock(),
    )
