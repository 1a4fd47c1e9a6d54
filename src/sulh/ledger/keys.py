"""Key files: an Ed25519 private key with its name, in the signed-note signer format.

`PRIVATE+KEY+<name>+<key ID hex>+<base64(type || 32-byte seed)>`, one line, kept by its owner.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from sulh.ledger.note import COSIGNATURE_V1, ED25519, NoteError, Signer

PREFIX = "PRIVATE+KEY+"


def render_signer(signer: Signer) -> str:
    seed = signer.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    encoded = base64.b64encode(bytes([signer.kind]) + seed).decode()
    return f"{PREFIX}{signer.name}+{signer.verifier.key_id.hex()}+{encoded}\n"


def parse_signer(text: str) -> Signer:
    if not text.startswith(PREFIX):
        raise NoteError("A key file starts with PRIVATE+KEY+.")
    parts = text.strip()[len(PREFIX) :].split("+", 2)
    if len(parts) != 3:
        raise NoteError("A key file is PRIVATE+KEY+name+keyid+key.")
    name, hex_id, encoded = parts
    try:
        material = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise NoteError("The key in the key file is not base64.") from None
    if len(material) != 33 or material[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteError("Only Ed25519 keys (types 0x01 and 0x04) are supported.")
    signer = Signer(name, material[0], Ed25519PrivateKey.from_private_bytes(material[1:]))
    if signer.verifier.key_id.hex() != hex_id:
        raise NoteError(f"The key ID in key file {name!r} does not match its key.")
    return signer


def write_key_file(path: Path, signer: Signer) -> None:
    """Write a private key readable by its owner only; never overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(render_signer(signer))


def read_key_file(path: Path) -> Signer:
    try:
        return parse_signer(path.read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError) as exc:
        raise NoteError(f"Cannot read key file {path}: {exc}.") from None
