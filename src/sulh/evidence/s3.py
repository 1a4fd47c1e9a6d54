"""A locker in S3-compatible object storage (AWS S3, MinIO, Ceph, Garage…).

Objects are named by the file's SHA-256 under an optional prefix. A file is received whole
into a local spool first, because its name is its hash and the hash is known only at the
end; it is then uploaded once, and never overwritten. Reading a file back to serve it
downloads it to the spool and checks its hash on the way. Needs the `s3` extra (boto3);
credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID…, ~/.aws, instance roles).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sulh.errors import Invalid
from sulh.evidence.locker import Local, Locker, LockerDamaged, Stored, fanned, hash_stream
from sulh.evidence.spool import Received, Spool, release


class S3Locker(Locker):
    """Files as objects `prefix/ab/cd/abcd…` in `bucket`."""

    def __init__(self, client: Any, *, bucket: str, prefix: str, spool: Spool) -> None:
        super().__init__(spool)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def __repr__(self) -> str:
        return f"S3Locker(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def key_of(self, sha256: str) -> str:
        return f"{self.prefix}/{fanned(sha256)}" if self.prefix else fanned(sha256)

    def keep(self, received: Received) -> Stored:
        key = self.key_of(received.sha256)
        try:
            if self._exists(key):
                return Stored(received.sha256, created=False)
            self.client.upload_file(
                str(received.path),
                self.bucket,
                key,
                ExtraArgs={"ContentType": "application/octet-stream"},
            )
        finally:
            release(received)
        return Stored(received.sha256, created=True)

    def discard(self, stored: Stored) -> None:
        if stored.created:
            self.client.delete_object(Bucket=self.bucket, Key=self.key_of(stored.sha256))

    def problem(self, sha256: str) -> str | None:
        key = self.key_of(sha256)
        if not self._exists(key):
            return "missing from the object store"
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        try:
            if hash_stream(body) != sha256:
                return "altered in the object store: its bytes no longer match the hash"
        finally:
            body.close()
        return None

    def verified(self, sha256: str) -> Local:
        key = self.key_of(sha256)
        if not self._exists(key):
            raise LockerDamaged(f"The object store has no file {sha256}.")
        self.spool.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.spool.folder, delete=False) as copy:
            self.client.download_fileobj(self.bucket, key, copy)
        local = Local(Path(copy.name), temporary=True)
        with local.path.open("rb") as fetched:
            if hash_stream(fetched) != sha256:
                local.done()
                raise LockerDamaged(
                    f"The object store's file {sha256} no longer matches its hash: it was altered."
                )
        return local

    def _exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError  # type: ignore[import-untyped]

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def s3_locker(url: str, *, endpoint_url: str, spool: Spool) -> S3Locker:
    """A locker for `s3://bucket/prefix`, at `endpoint_url` when the store is not AWS."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise Invalid(
            f"Setting 'SULH_EVIDENCE_STORE' must be empty (files on disk) or "
            f"s3://bucket/prefix, not {url!r}."
        )
    try:
        import boto3  # type: ignore[import-untyped]
    except ImportError:
        raise Invalid(
            "Setting 'SULH_EVIDENCE_STORE' names an S3 bucket, but boto3 is not installed: "
            "install Sulh with the s3 extra (pip install 'sulh[s3]')."
        ) from None
    client = boto3.client("s3", endpoint_url=endpoint_url or None)
    return S3Locker(client, bucket=parts.netloc, prefix=parts.path, spool=spool)
