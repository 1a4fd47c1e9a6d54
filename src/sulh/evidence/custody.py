"""The chain of custody: who did what with a file, when and why, each link in the log.

A file enters custody when it is uploaded; each download (through the API or a page) adds a
link. The chain is kept per SHA-256, so the same photo filed twice shows one history, and it
exports as W3C PROV-JSON for tools outside Sulh.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.errors import Invalid, NotFound
from sulh.evidence.read import evidence_filter
from sulh.store.tables import CustodyEvent, Evidence
from sulh.store.writer import Writer

Kind = Literal["collected", "uploaded", "viewed", "downloaded", "derived", "exported", "shared"]
KINDS: tuple[str, ...] = (
    *("collected", "uploaded", "viewed", "downloaded", "derived", "exported", "shared"),
)


class CustodyLink(BaseModel):
    evidence_id: int
    kind: str
    by: str
    reason: str
    at: str
    log_index: int | None = None


class Custody(BaseModel):
    sha256: str
    files: list[int]
    events: list[CustodyLink]


def record_custody(
    *, writer: Writer, actor: Principal, evidence: Evidence, kind: str, reason: str
) -> CustodyEvent:
    """Add a link to the file's chain, in the same write as what it records."""
    if kind not in KINDS:
        raise Invalid(f"kind: one of {', '.join(KINDS)}, not {kind!r}.")
    row = CustodyEvent(
        evidence_id=evidence.id,
        sha256=evidence.sha256,
        kind=kind,
        actor_id=actor.user_id,
        actor_name=actor.username,
        reason=reason,
        at=writer.now,
    )
    writer.add(row)
    writer.record(f"custody.{kind}", row)
    return row


def custody_of(session: Session, reader: Principal, sha256: str) -> Custody:
    """The chain of a file `reader` may see at least one copy of, oldest first."""
    files = list(
        session.scalars(
            select(Evidence.id).where(Evidence.sha256 == sha256, evidence_filter(reader))
        )
    )
    if not files:
        raise NotFound(f"No evidence file {sha256} is visible to you.")
    rows = session.scalars(
        select(CustodyEvent)
        .where(CustodyEvent.sha256 == sha256, CustodyEvent.evidence_id.in_(files))
        .order_by(CustodyEvent.at, CustodyEvent.id)
    )
    events = [
        CustodyLink(
            evidence_id=r.evidence_id,
            kind=r.kind,
            by=r.actor_name,
            reason=r.reason,
            at=r.at.isoformat(),
        )
        for r in rows
    ]
    return Custody(sha256=sha256, files=files, events=events)


def prov_json(custody: Custody) -> dict[str, Any]:
    """The chain as W3C PROV-JSON: the file is an entity, each link an activity that used
    (or generated, for its collection) it, associated with the person who acted."""
    prefix = "sulh"
    entity = f"{prefix}:sha256-{custody.sha256}"
    document: dict[str, Any] = {
        "prefix": {prefix: "urn:sulh:", "prov": "http://www.w3.org/ns/prov#"},
        "entity": {entity: {"prov:type": "sulh:evidence-file", "sulh:sha256": custody.sha256}},
        "agent": {},
        "activity": {},
        "wasGeneratedBy": {},
        "used": {},
        "wasAssociatedWith": {},
    }
    for number, link in enumerate(custody.events, start=1):
        activity, agent = f"{prefix}:custody-{number}", f"{prefix}:user-{link.by}"
        document["agent"][agent] = {"prov:label": link.by}
        document["activity"][activity] = {
            "prov:type": f"sulh:{link.kind}",
            "prov:startTime": link.at,
            "prov:endTime": link.at,
            "sulh:reason": link.reason,
            "sulh:evidence": link.evidence_id,
        }
        if link.kind == "collected":
            document["wasGeneratedBy"][f"_:gen{number}"] = {
                "prov:entity": entity,
                "prov:activity": activity,
                "prov:time": link.at,
            }
        else:
            document["used"][f"_:use{number}"] = {
                "prov:activity": activity,
                "prov:entity": entity,
                "prov:time": link.at,
            }
        document["wasAssociatedWith"][f"_:assoc{number}"] = {
            "prov:activity": activity,
            "prov:agent": agent,
        }
    return {k: v for k, v in document.items() if v}
