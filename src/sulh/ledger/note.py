"""C2SP signed notes and tlog-cosignatures with Ed25519 keys.

A note is UTF-8 text ending in a newline, a blank line, then signature lines
`— <name> base64(key ID || signature)`. Key IDs bind a key to its name and type.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass
from hashlib import sha256

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sulh.errors import Invalid

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014"
MAX_NOTE_BYTES = 1 << 20
NAME = re.compile(r"^[^\s+]+$")


class NoteError(Invalid):
    """A note, key or signature that does not verify; the message says which check failed."""

    code = "note_invalid"


def key_id(name: str, kind: int, public: bytes) -> bytes:
    return sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4]


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    """A named public key of a given signature type (signed note or cosignature)."""

    name: str
    kind: int
    public: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.kind, self.public)

    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([self.kind]) + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        """Read `name+keyid+base64(type||key)`; refuse a key ID that does not match."""
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3 or not NAME.match(parts[0]):
            raise NoteError("A verifier key is name+keyid+key, with a name free of spaces and '+'.")
        name, hex_id, encoded = parts
        try:
            material = base64.b64decode(encoded, validate=True)
            claimed = bytes.fromhex(hex_id)
        except (binascii.Error, ValueError):
            raise NoteError("The verifier key is not hex and base64 where it should be.") from None
        if len(material) != 33 or material[0] not in (ED25519, COSIGNATURE_V1):
            raise NoteError("Only Ed25519 verifier keys (types 0x01 and 0x04) are supported.")
        verifier = cls(name, material[0], material[1:])
        if verifier.key_id != claimed:
            raise NoteError(f"The key ID in verifier key {name!r} does not match its key.")
        return verifier

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    kind: int
    private: Ed25519PrivateKey

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, self.kind, raw_public(self.private.public_key()))

    @classmethod
    def generate(cls, name: str, kind: int = ED25519) -> Signer:
        if not NAME.match(name):
            raise NoteError(f"Key name {name!r} must be free of spaces and '+'.")
        return cls(name, kind, Ed25519PrivateKey.generate())


@dataclass(frozen=True)
class SignatureLine:
    name: str
    key_id: bytes
    signature: bytes  # everything after the key ID

    def render(self) -> str:
        return f"{DASH} {self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


@dataclass(frozen=True)
class Note:
    text: str
    signatures: tuple[SignatureLine, ...]

    def render(self) -> str:
        return self.text + "\n" + "".join(line.render() for line in self.signatures)


def sign_note(text: str, signer: Signer) -> Note:
    if not text.endswith("\n"):
        raise NoteError("Note text must end with a newline.")
    signature = signer.private.sign(text.encode())
    return Note(text, (SignatureLine(signer.name, signer.verifier.key_id, signature),))


def parse_note(raw: str) -> Note:
    """Split a signed note into its text and signature lines, refusing malformed ones."""
    if len(raw.encode()) > MAX_NOTE_BYTES:
        raise NoteError("The note is larger than 1 MiB.")
    head, sep, tail = raw.rpartition("\n\n")
    if not sep or not tail.endswith("\n"):
        raise NoteError("A signed note is text, a blank line, and newline-ended signature lines.")
    lines = []
    for line in tail[:-1].split("\n"):
        match = re.fullmatch(DASH + r" (\S+) (\S+)", line)
        if not match:
            raise NoteError(f"Malformed signature line {line[:60]!r}.")
        try:
            blob = base64.b64decode(match.group(2), validate=True)
        except binascii.Error:
            raise NoteError(f"Signature of {match.group(1)!r} is not base64.") from None
        if len(blob) < 5:
            raise NoteError(f"Signature of {match.group(1)!r} is too short.")
        lines.append(SignatureLine(match.group(1), blob[:4], blob[4:]))
    return Note(head + "\n", tuple(lines))


def open_note(raw: str, verifier: Verifier) -> Note:
    """Return the note if `verifier` signed it; raise NoteError otherwise."""
    note = parse_note(raw)
    for line in note.signatures:
        if line.name == verifier.name and line.key_id == verifier.key_id:
            if verifier.verify(note.text.encode(), line.signature):
                return note
            raise NoteError(f"The signature of {verifier.name!r} does not match the note text.")
    raise NoteError(f"The note carries no signature by {verifier.name!r}.")


def cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + checkpoint_text.encode()


def cosign(checkpoint_text: str, signer: Signer, timestamp: int) -> SignatureLine:
    """A tlog-cosignature/v1 line over a checkpoint's text."""
    if signer.kind != COSIGNATURE_V1:
        raise NoteError("Cosignatures need a cosigner key (type 0x04).")
    signature = signer.private.sign(cosigned_message(checkpoint_text, timestamp))
    return SignatureLine(
        signer.name, signer.verifier.key_id, struct.pack(">Q", timestamp) + signature
    )


def verify_cosignature(checkpoint_text: str, line: SignatureLine, verifier: Verifier) -> int:
    """Check a cosignature line; return its timestamp."""
    if line.name != verifier.name or line.key_id != verifier.key_id:
        raise NoteError(f"The cosignature is not by key {verifier.name!r}.")
    if len(line.signature) != 8 + 64:
        raise NoteError("A cosignature is a timestamp and a 64-byte Ed25519 signature.")
    (timestamp,) = struct.unpack(">Q", line.signature[:8])
    if timestamp >= 1 << 63:
        raise NoteError("The cosignature's timestamp is out of range.")
    if not verifier.verify(cosigned_message(checkpoint_text, timestamp), line.signature[8:]):
        raise NoteError(f"The cosignature of {verifier.name!r} does not match this checkpoint.")
    return int(timestamp)
