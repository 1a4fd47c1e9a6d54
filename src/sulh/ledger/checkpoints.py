"""Checkpoints in the C2SP tlog-checkpoint format: origin, size, base64 root."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from sulh.ledger.merkle import HASH_SIZE
from sulh.ledger.note import NoteError

DECIMAL = re.compile(r"^(0|[1-9][0-9]{0,19})$")


@dataclass(frozen=True)
class CheckpointBody:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint(text: str) -> CheckpointBody:
    """Read a checkpoint's note text; refuse anything that is not origin, size and root."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("A checkpoint is an origin, a size and a root hash, each on its own line.")
    origin, size, root = lines[0], lines[1], lines[2]
    if not origin:
        raise NoteError("The checkpoint's origin line is empty.")
    if not DECIMAL.match(size):
        raise NoteError(f"The checkpoint size {size[:30]!r} is not a plain decimal number.")
    try:
        digest = base64.b64decode(root, validate=True)
    except binascii.Error:
        raise NoteError("The checkpoint root is not base64.") from None
    if len(digest) != HASH_SIZE:
        raise NoteError(f"The checkpoint root is {len(digest)} bytes, not {HASH_SIZE}.")
    return CheckpointBody(origin, int(size), digest)
