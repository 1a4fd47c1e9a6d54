"""Analysts' marks: a file judged unsafe to show beyond the internal tier (a face, a name
on a document) is kept there, whatever its report's tier. Marks are rows, never edits, so
a file can be marked, cleared and marked again, each with its reason in the log."""

from __future__ import annotations

from sqlalchemy import select

from sulh.access.roles import Principal, Role
from sulh.errors import Conflict, Forbidden, Invalid, NotFound
from sulh.store.tables import Evidence, EvidenceMark
from sulh.store.writer import Writer

MARKERS = frozenset({Role.analyst, Role.admin})
MAX_REASON = 2000


def mark_evidence(
    *, writer: Writer, actor: Principal, evidence_id: int, internal_only: bool, reason: str
) -> EvidenceMark:
    """Keep a file inside the internal tier (or let it out again), with the reason why."""
    if actor.role not in MARKERS:
        raise Forbidden("Only analysts and admins mark evidence as internal only.")
    evidence = writer.session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(f"Evidence {evidence_id} does not exist.")
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise Invalid(f"reason: say why, in 1 to {MAX_REASON} characters.")
    if is_internal_only(writer, evidence_id) == internal_only:
        state = "already internal only" if internal_only else "not marked internal only"
        raise Conflict(f"Evidence {evidence_id} is {state}.")
    row = EvidenceMark(
        evidence_id=evidence_id,
        internal_only=internal_only,
        reason=reason,
        marked_by=actor.user_id,
        marked_at=writer.now,
    )
    writer.add(row)
    writer.record("evidence.marked", row)
    return row


def is_internal_only(writer: Writer, evidence_id: int) -> bool:
    newest = writer.session.scalar(
        select(EvidenceMark.internal_only)
        .where(EvidenceMark.evidence_id == evidence_id)
        .order_by(EvidenceMark.id.desc())
        .limit(1)
    )
    return bool(newest)
