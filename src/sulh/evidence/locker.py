"""The evidence locker: files kept under their SHA-256, each whole or absent, never rewritten.

A file arrives in the locker's spool (see spool.py), is checked, and only then kept. On disk,
keeping is a rename into place, so a reader never sees part of a file; the same bytes have
one name, so they are stored once however often they are added; files are made read-only.
S3-compatible object storage is the other place a locker can keep files (see s3.py).
"""

from __future__ import annotations

import hashlib
import os
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sulh.config import Settings
from sulh.errors import SulhError
from sulh.evidence.spool import CHUNK, Received, Spool, release

_SHA256 = re.compile(r"[0-9a-f]{64}")


class LockerDamaged(SulhError):
    """A file the record refers to is missing from the locker or no longer matches its hash."""

    status = 500
    code = "locker_damaged"


@dataclass(frozen=True, slots=True)
class Stored:
    sha256: str
    created: bool  # False when the same bytes were already in the locker


@dataclass(frozen=True, slots=True)
class Local:
    """A stored file's checked bytes at a local path; `temporary` copies are the reader's
    to delete when done."""

    path: Path
    temporary: bool

    def done(self) -> None:
        if self.temporary:
            self.path.unlink(missing_ok=True)


class Locker(ABC):
    """Where evidence files are kept; each backend keeps, checks and hands back files."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool

    @property
    def max_bytes(self) -> int:
        return self.spool.max_bytes

    def receive(
        self, stream: BinaryIO, filename: str | None, *, client_sha256: str | None = None
    ) -> Received:
        return self.spool.receive(stream, filename, client_sha256=client_sha256)

    @abstractmethod
    def keep(self, received: Received) -> Stored:
        """Keep a received file under its hash (once), and take it out of the spool."""

    @abstractmethod
    def discard(self, stored: Stored) -> None:
        """Take back a file `keep` just added, when the write that wanted it did not commit."""

    @abstractmethod
    def problem(self, sha256: str) -> str | None:
        """Why the stored file is not as it was kept (missing, altered), or None."""

    @abstractmethod
    def verified(self, sha256: str) -> Local:
        """The stored file's bytes at a local path, after checking them against the hash."""


def check_sha256(sha256: str) -> str:
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"{sha256!r} is not a SHA-256 in lowercase hex.")
    return sha256


def fanned(sha256: str) -> str:
    # Two levels of fan-out keep each folder small: ab/cd/abcd….
    check_sha256(sha256)
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def hash_stream(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


class DiskLocker(Locker):
    """Files under `root`, with the spool inside it so that keeping is one rename."""

    def __init__(self, root: Path, *, max_bytes: int) -> None:
        super().__init__(Spool(root / ".spool", max_bytes=max_bytes))
        self.root = root

    def __repr__(self) -> str:
        return f"DiskLocker({str(self.root)!r}, max_bytes={self.max_bytes})"

    def path_of(self, sha256: str) -> Path:
        return self.root / fanned(sha256)

    def keep(self, received: Received) -> Stored:
        path = self.path_of(received.sha256)
        if path.is_file():
            release(received)
            return Stored(received.sha256, created=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(received.path, 0o440)
        os.replace(received.path, path)
        _sync_folder(path.parent)
        return Stored(received.sha256, created=True)

    def discard(self, stored: Stored) -> None:
        if stored.created:
            self.path_of(stored.sha256).unlink(missing_ok=True)

    def problem(self, sha256: str) -> str | None:
        path = self.path_of(sha256)
        if not path.is_file():
            return "missing from the locker"
        with path.open("rb") as stored:
            if hash_stream(stored) != sha256:
                return "altered on disk: its bytes no longer match the hash"
        return None

    def verified(self, sha256: str) -> Local:
        problem = self.problem(sha256)
        if problem:
            raise LockerDamaged(f"The locker's file {sha256} is {problem}.")
        return Local(self.path_of(sha256), temporary=False)


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk too (POSIX only).
    if not hasattr(os, "O_DIRECTORY"):
        return
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def open_locker(*, folder: Path, store_url: str, endpoint_url: str, max_bytes: int) -> Locker:
    """The locker the settings name: files under `folder`, or in an S3 bucket when
    `store_url` is s3://bucket/prefix (the spool stays under `folder` either way)."""
    if not store_url:
        return DiskLocker(folder, max_bytes=max_bytes)
    from sulh.evidence.s3 import s3_locker

    spool = Spool(folder / ".spool", max_bytes=max_bytes)
    return s3_locker(store_url, endpoint_url=endpoint_url, spool=spool)


def locker_for(settings: Settings) -> Locker:
    return open_locker(
        folder=settings.locker_dir,
        store_url=settings.evidence_store,
        endpoint_url=settings.s3_endpoint_url,
        max_bytes=settings.max_evidence_bytes,
    )
