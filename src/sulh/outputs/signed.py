"""Signing what the mechanism publishes, so a reader can prove where its numbers came from.

An output (a situation report) carries its data as JSON and a signed note by the log's key
over the SHA-256 of that data's canonical form (RFC 8785), with the log size the data was
cut at. The data also carries the checkpoint it was cut from. A reader with the log's
verifier key checks the note, recomputes the hash, checks the checkpoint's signature, and
can then hold the numbers against the log's first `log_size` entries.

The note's text cannot be mistaken for a checkpoint: its second line is the log's origin,
never the decimal size a checkpoint has there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sulh.canonical import canonical_json
from sulh.errors import Invalid
from sulh.ledger.checkpoints import parse_checkpoint
from sulh.ledger.note import NoteError, Signer, Verifier, open_note, sign_note

HEADER = "sulh-output/v1"


@dataclass(frozen=True)
class Verified:
    kind: str
    origin: str
    log_size: int
    checkpoint_size: int | None
    sha256: str


def digest_of(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def sign_output(*, data: dict[str, Any], kind: str, signer: Signer) -> str:
    """The signed note over `data` (which must carry its `cut`)."""
    cut = data["cut"]
    text = f"{HEADER}\n{cut['origin']}\n{kind}\n{cut['log_size']}\n{digest_of(data)}\n"
    return sign_note(text, signer).render()


def verify_output(*, data: dict[str, Any], note: str, verifier: Verifier) -> Verified:
    """Check an output's signature and data; raise Invalid naming what does not hold."""
    try:
        opened = open_note(note, verifier)
    except NoteError as exc:
        raise Invalid(f"The output's signature does not hold: {exc}") from None
    lines = opened.text.rstrip("\n").split("\n")
    if len(lines) != 5 or lines[0] != HEADER or not lines[3].isdigit():
        raise Invalid(f"The signed note is not a {HEADER} note.")
    header, origin, kind, size, sha256 = lines
    if digest_of(data) != sha256:
        raise Invalid(
            "The output's data does not match what was signed: its numbers were changed "
            "after signing."
        )
    cut = data.get("cut") or {}
    if cut.get("origin") != origin or cut.get("log_size") != int(size):
        raise Invalid("The output's cut does not match the signed note.")
    return Verified(kind, origin, int(size), _checkpoint(cut, verifier, int(size)), sha256)


def _checkpoint(cut: dict[str, Any], verifier: Verifier, size: int) -> int | None:
    note = cut.get("checkpoint")
    if not note:
        return None
    try:
        body = parse_checkpoint(open_note(note, verifier).text)
    except NoteError as exc:
        raise Invalid(f"The checkpoint the output cites does not hold: {exc}") from None
    if body.size < size or body.size != cut.get("checkpoint_size"):
        raise Invalid(
            f"The checkpoint cited (size {body.size}) does not cover the {size} entries "
            "the output was cut from."
        )
    return body.size
