"""The evidence locker: files on disk under their SHA-256, each whole or absent.

A file is written to a temporary name in its final folder, flushed to disk, then renamed
into place, so a reader never sees part of one. The same bytes have one name, so they are
stored once however often they are added. Files are made read-only once in place.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sulh.errors import SulhError

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class LockerDamaged(SulhError):
    """A file the record refers to is missing from the locker or no longer matches its hash."""

    status = 500
    code = "locker_damaged"


@dataclass(frozen=True, slots=True)
class Stored:
    sha256: str
    path: Path
    created: bool  # False when the same bytes were already in the locker


class Locker:
    """Files by SHA-256 under `root`, each at most `max_bytes` long."""

    def __init__(self, root: Path, *, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def __repr__(self) -> str:
        return f"Locker({str(self.root)!r}, max_bytes={self.max_bytes})"

    def path_of(self, sha256: str) -> Path:
        # Two levels of fan-out keep each folder small: ab/cd/abcd….
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"{sha256!r} is not a SHA-256 in lowercase hex.")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> Stored:
        """Store `data` under its SHA-256, unless the same bytes are there already."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_of(sha256)
        if path.is_file():
            return Stored(sha256, path, created=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o440)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)
        return Stored(sha256, path, created=True)

    def discard(self, stored: Stored) -> None:
        """Take back a file `put` just added, when the write that wanted it did not commit."""
        if stored.created:
            stored.path.unlink(missing_ok=True)

    def verified(self, sha256: str) -> Path:
        """The path of a stored file, after checking that its bytes still match the hash."""
        path = self.path_of(sha256)
        if not path.is_file():
            raise LockerDamaged(f"The locker has no file {sha256}.")
        digest = hashlib.sha256()
        with path.open("rb") as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise LockerDamaged(
                f"The locker's file {sha256} no longer matches its hash: it was altered on disk."
            )
        return path


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk too (POSIX only).
    if not hasattr(os, "O_DIRECTORY"):
        return
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
