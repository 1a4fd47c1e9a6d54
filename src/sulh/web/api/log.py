"""The transparency log over HTTP, in the exact shapes independent tools rely on.

Hashes and entries are standard base64. Every tier may read the log: entries carry only
public fields and commitments.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from sulh.agreement import current_agreement
from sulh.errors import NotFound
from sulh.ledger.log import quorum
from sulh.web.deps import LogDep, StoreDep

router = APIRouter(prefix="/log", tags=["transparency log"])
TEXT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {"schema": {"type": "string"}}}}
}
Size = Annotated[int, Query(ge=0)]


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


@router.get("/checkpoint", response_class=PlainTextResponse, responses=TEXT)
def get_checkpoint(log: LogDep) -> PlainTextResponse:
    """The latest checkpoint as a C2SP signed note, with the cosignatures gathered so far."""
    checkpoint = log.latest()
    if checkpoint is None:
        raise NotFound("The log has no checkpoint yet.")
    return PlainTextResponse(log.cosigned_note(checkpoint))


@router.get("/key", response_class=PlainTextResponse, responses=TEXT)
def get_key(log: LogDep) -> PlainTextResponse:
    """The log's verifier key: name+keyid+base64(0x01 || Ed25519 public key)."""
    if log.signer is None:
        raise NotFound("This server has no log key.")
    return PlainTextResponse(log.signer.verifier.vkey() + "\n")


class EntryOut(BaseModel):
    index: int
    data: str


class EntriesOut(BaseModel):
    entries: list[EntryOut]


@router.get("/entries", response_model=EntriesOut)
def get_entries(log: LogDep, start: Size, end: Size) -> EntriesOut:
    """Entries start ≤ index < end (at most 1,000), as base64 of their exact bytes."""
    rows = log.entries(start, end)
    return EntriesOut(entries=[EntryOut(index=i, data=_b64(data)) for i, data in rows])


class InclusionOut(BaseModel):
    index: int
    size: int
    leaf_hash: str
    proof: list[str]


@router.get("/proof/inclusion", response_model=InclusionOut)
def get_inclusion(log: LogDep, index: Size, size: Size) -> InclusionOut:
    tree = log.tree()
    proof = tree.inclusion_proof(index, size)
    return InclusionOut(
        index=index, size=size, leaf_hash=_b64(tree.leaf(index)), proof=[_b64(p) for p in proof]
    )


class ConsistencyOut(BaseModel):
    old: int
    new: int
    proof: list[str]


@router.get("/proof/consistency", response_model=ConsistencyOut)
def get_consistency(log: LogDep, old: Size, new: Size) -> ConsistencyOut:
    proof = log.tree().consistency_proof(old, new)
    return ConsistencyOut(old=old, new=new, proof=[_b64(p) for p in proof])


class CosignatureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    size: int = Field(ge=1, description="Size of the checkpoint cosigned.")
    cosignature: str = Field(max_length=1000, description="The witness's signature line.")


class CosignatureOut(BaseModel):
    size: int
    witness: str
    cosigners: list[str]
    routine_quorum_met: bool
    cited_quorum_met: bool


@router.post("/cosignatures", response_model=CosignatureOut, status_code=201)
def post_cosignature(body: CosignatureIn, log: LogDep, store: StoreDep) -> CosignatureOut:
    """A witness's tlog-cosignature/v1 line for a checkpoint; verified, stored, republished."""
    witness = log.add_cosignature(size=body.size, line=body.cosignature)
    with store.read() as session:
        _, agreement = current_agreement(session)
    met = quorum(agreement, log.cosigners(body.size))
    return CosignatureOut(
        size=body.size,
        witness=witness,
        cosigners=met.cosigners,
        routine_quorum_met=met.routine,
        cited_quorum_met=met.cited,
    )


class ReceiptOut(BaseModel):
    index: int
    entry: str = Field(description="base64 of the entry bytes")
    size: int
    proof: list[str]
    checkpoint: str = Field(description="The signed checkpoint note the proof leads to.")
    log_key: str


@router.get("/receipt", response_model=ReceiptOut)
def get_receipt(log: LogDep, index: Size) -> ReceiptOut:
    """An offline-checkable receipt: the entry, a checkpoint covering it, and the proof."""
    checkpoint = log.latest()
    if checkpoint is None or index >= checkpoint.size:
        raise NotFound(f"No checkpoint covers entry {index} yet.")
    ((_, data),) = log.entries(index, index + 1)
    proof = log.tree().inclusion_proof(index, checkpoint.size)
    assert log.signer is not None
    return ReceiptOut(
        index=index,
        entry=_b64(data),
        size=checkpoint.size,
        proof=[_b64(p) for p in proof],
        checkpoint=log.cosigned_note(checkpoint),
        log_key=log.signer.verifier.vkey(),
    )
