"""Receiving a file: streamed to a temporary file, hashed and counted as it arrives.

Nothing is held whole in memory, however large the file. A file over the limit is refused
at the first byte too many, and a file that breaks off, or whose sender's hash disagrees
with the bytes that came, is deleted before anything else sees it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from sulh.errors import Invalid, TooLarge
from sulh.evidence.names import clean_filename

CHUNK = 1024 * 1024
_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Received:
    """A file taken in whole and fsynced, at `path`, not yet kept in the locker."""

    path: Path
    name: str
    sha256: str
    size: int
    client_sha256: str | None  # what the sender said the hash is, when it said


class Incoming:
    """One file arriving: `write` its chunks, then `finish`; leaving early discards it."""

    def __init__(self, folder: Path, *, name: str, limit: int, client_sha256: str | None) -> None:
        self.name = name  # "" when the sender gave none
        self.shown = repr(name) if name else "(unnamed)"
        self.limit = limit
        self.client_sha256 = client_sha256
        self.size = 0
        self._digest = hashlib.sha256()
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        self.path = Path(temporary)
        self._out: BinaryIO | None = os.fdopen(handle, "wb")

    def __enter__(self) -> Incoming:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is not None:
            self.abandon()

    def write(self, chunk: bytes) -> None:
        if self._out is None:
            raise RuntimeError("This file has already been finished or abandoned.")
        self.size += len(chunk)
        if self.size > self.limit:
            self.abandon()
            raise TooLarge(
                f"File {self.shown} is larger than the {self.limit} bytes allowed "
                "(SULH_MAX_EVIDENCE_BYTES).",
                details={"file": self.name, "limit": self.limit},
            )
        self._digest.update(chunk)
        self._out.write(chunk)

    def finish(self) -> Received:
        """The file as received, on disk; refused if empty or not what the sender hashed."""
        if self._out is None:
            raise RuntimeError("This file has already been finished or abandoned.")
        out, self._out = self._out, None
        try:
            out.flush()
            os.fsync(out.fileno())
        finally:
            out.close()
        sha256 = self._digest.hexdigest()
        try:
            self._check(sha256)
        except Invalid:
            self.path.unlink(missing_ok=True)
            raise
        return Received(self.path, self.name, sha256, self.size, self.client_sha256)

    def abandon(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        self.path.unlink(missing_ok=True)

    def _check(self, sha256: str) -> None:
        details = {"file": self.name}
        if self.size == 0:
            raise Invalid(f"File {self.shown} is empty.", details=details)
        if self.client_sha256 is not None and self.client_sha256 != sha256:
            raise Invalid(
                f"File {self.shown} arrived with SHA-256 {sha256}, not the "
                f"{self.client_sha256} its sender computed: it was changed or cut short on "
                "the way, and is refused.",
                details={**details, "sha256": sha256, "client_sha256": self.client_sha256},
            )


class Spool:
    """Where files wait, whole, between arriving and being kept (or refused)."""

    def __init__(self, folder: Path, *, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def __repr__(self) -> str:
        return f"Spool({str(self.folder)!r}, max_bytes={self.max_bytes})"

    def incoming(self, filename: str | None, *, client_sha256: str | None = None) -> Incoming:
        """Start receiving a file; the name is checked and the sender's hash read first."""
        return Incoming(
            self.folder,
            name=safe_name(filename),
            limit=self.max_bytes,
            client_sha256=client_hash(client_sha256, filename),
        )

    def receive(
        self, stream: BinaryIO, filename: str | None, *, client_sha256: str | None = None
    ) -> Received:
        """Copy a readable file object in, a chunk at a time."""
        with self.incoming(filename, client_sha256=client_sha256) as incoming:
            while chunk := stream.read(CHUNK):
                incoming.write(chunk)
            return incoming.finish()

    def scratch(self, suffix: str = "") -> Path:
        """A new empty file in the spool for Sulh to write a derived copy into."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, path = tempfile.mkstemp(dir=self.folder, prefix=".derived-", suffix=suffix)
        os.close(handle)
        return Path(path)

    def adopt(self, path: Path, filename: str) -> Received:
        """A file Sulh wrote into the spool itself, hashed and received like any other."""
        with path.open("rb") as made:
            digest, size = hashlib.sha256(), 0
            while chunk := made.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
            os.fsync(made.fileno())
        return Received(path, filename, digest.hexdigest(), size, None)


def release(received: Received) -> None:
    """Delete a received file that was not kept (keeping moves it away, so this is safe)."""
    received.path.unlink(missing_ok=True)


def safe_name(filename: str | None) -> str:
    """The sender's file name, cleaned for storing; a name that tries to point into folders
    is refused rather than trimmed, since no honest client sends one."""
    if filename and ("/" in filename or "\\" in filename or filename in (".", "..")):
        raise Invalid(
            f"File name {filename[:200]!r} contains a path; send the file's own name alone.",
            details={"file": filename[:200]},
        )
    return clean_filename(filename, fallback="")


def client_hash(value: str | None, filename: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    hashed = value.strip().lower()
    if not _HEX_SHA256.fullmatch(hashed):
        raise Invalid(
            f"The SHA-256 sent for file {filename!r} is not 64 hexadecimal digits: {value[:80]!r}.",
            details={"file": filename, "client_sha256": value[:80]},
        )
    return hashed


@contextmanager
def received_files() -> Iterator[list[Received]]:
    """A list to put received files in; whatever was not kept is deleted on the way out,
    whether the write that wanted them committed or not."""
    received: list[Received] = []
    try:
        yield received
    finally:
        for one in received:
            release(one)


def sha256_of_digest(header: str | None) -> str | None:
    """The SHA-256, in hex, from an RFC 9530 Content-Digest header (`sha-256=:base64:`);
    None when the header is absent or offers only other algorithms."""
    if header is None or not header.strip():
        return None
    for member in header.split(","):
        algorithm, _, value = member.strip().partition("=")
        if algorithm.strip().lower() != "sha-256":
            continue
        value = value.strip()
        try:
            if not (value.startswith(":") and value.endswith(":")):
                raise ValueError
            digest = base64.b64decode(value[1:-1], validate=True)
        except ValueError:
            digest = b""
        if len(digest) != 32:
            raise Invalid(
                f"Content-Digest: the sha-256 value must be 32 bytes in base64 between colons "
                f"(RFC 9530), not {value[:80]!r}."
            )
        return digest.hex()
    return None
