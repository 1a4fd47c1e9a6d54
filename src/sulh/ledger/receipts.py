"""Receipts: an entry, a signed checkpoint covering it, and the inclusion proof, checked offline."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from sulh.errors import Invalid
from sulh.ledger.checkpoints import parse_checkpoint
from sulh.ledger.merkle import leaf_hash, verify_inclusion
from sulh.ledger.note import Verifier, open_note


def verify_receipt(receipt: dict[str, Any], *, log_key: Verifier) -> dict[str, Any]:
    """Check a receipt against the log's key; return the entry it proves. Raise on any failure."""
    try:
        entry = base64.b64decode(receipt["entry"], validate=True)
        proof = [base64.b64decode(p, validate=True) for p in receipt["proof"]]
        index, size, note_text = int(receipt["index"]), int(receipt["size"]), receipt["checkpoint"]
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise Invalid(f"The receipt is malformed: {exc}.") from None
    note = open_note(note_text, log_key)
    checkpoint = parse_checkpoint(note.text)
    if checkpoint.size != size:
        raise Invalid(f"The receipt's size {size} is not its checkpoint's size {checkpoint.size}.")
    verify_inclusion(
        index=index, size=size, leaf=leaf_hash(entry), proof=proof, root=checkpoint.root
    )
    parsed: dict[str, Any] = json.loads(entry)
    if parsed.get("index") != index:
        raise Invalid(f"The entry says it is entry {parsed.get('index')}, not {index}.")
    return parsed
