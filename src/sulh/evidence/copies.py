"""Working copies derived from an original: redacted copies, previews and thumbnails.

The original is kept as it came and never changes. Readers beyond the internal tier are
served the redacted copy instead (see redact.py), and pages show previews and thumbnails.
Each copy is a file of its own in the locker, recorded with what it was made from and how,
and its making is a link in the original's chain of custody.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps
from PIL import __version__ as pillow_version
from sqlalchemy import event
from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.errors import Invalid
from sulh.evidence.custody import record_custody
from sulh.evidence.locker import Locker, Stored
from sulh.evidence.redact import redact
from sulh.evidence.spool import Received, Spool, release
from sulh.store.tables import Evidence, EvidenceCopy
from sulh.store.writer import Writer

SIZES = {"thumbnail": 320, "preview": 1280}
_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


@dataclass(frozen=True, slots=True)
class Copy:
    kind: str  # redacted, preview or thumbnail
    media_type: str
    method: str
    received: Received


def derive_copies(source: Path, media_type: str, spool: Spool) -> list[Copy]:
    """The copies of a checked original, written to the spool; none is kept yet."""
    copies: list[Copy] = []
    try:
        redacted = _redacted(source, media_type, spool)
        if redacted is not None:
            copies.append(redacted)
        if media_type in _IMAGES:
            copies.extend(_scaled(source, spool))
    except BaseException:
        for copy in copies:
            release(copy.received)
        raise
    return copies


def _redacted(source: Path, media_type: str, spool: Spool) -> Copy | None:
    target = spool.scratch()
    try:
        method = redact(source=source, target=target, media_type=media_type)
    except Invalid:
        # No safe copy can be made; beyond the internal tier the file is then withheld.
        target.unlink(missing_ok=True)
        return None
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if method is None:
        target.unlink(missing_ok=True)
        return None
    return Copy("redacted", media_type, method, spool.adopt(target, "redacted"))


def _scaled(source: Path, spool: Spool) -> list[Copy]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(source) as image:
            image.seek(0)
            upright = ImageOps.exif_transpose(image).convert("RGB")
    copies = []
    for kind, edge in SIZES.items():
        if kind == "preview" and max(upright.size) <= SIZES["thumbnail"]:
            continue
        scaled = upright.copy()
        scaled.thumbnail((edge, edge))
        target = spool.scratch(".jpg")
        scaled.save(target, format="JPEG", quality=85)
        method = (
            f"first frame turned upright, scaled to fit {edge}×{edge} px and saved as JPEG "
            f"(quality 85) by Pillow {pillow_version}, with no metadata"
        )
        copies.append(Copy(kind, "image/jpeg", method, spool.adopt(target, kind)))
    return copies


def keep(session: Session, locker: Locker, received: Received) -> Stored:
    """Keep a file in the locker, to be taken back out if the write does not commit."""
    stored = locker.keep(received)
    if stored.created:
        event.listen(session, "after_rollback", lambda _session: locker.discard(stored), once=True)
    return stored


def record_copies(
    *, writer: Writer, actor: Principal, locker: Locker, evidence: Evidence, copies: list[Copy]
) -> list[EvidenceCopy]:
    """Keep the copies in the locker and record each, with a custody link, in this write."""
    rows = []
    for copy in copies:
        stored = keep(writer.session, locker, copy.received)
        row = EvidenceCopy(
            evidence_id=evidence.id,
            kind=copy.kind,
            sha256=stored.sha256,
            media_type=copy.media_type,
            size=copy.received.size,
            method=copy.method,
            made_at=writer.now,
        )
        writer.add(row)
        writer.record("evidence.derived", row)
        record_custody(
            writer=writer,
            actor=actor,
            evidence=evidence,
            kind="derived",
            reason=f"{copy.kind} copy {stored.sha256} made: {copy.method}",
        )
        rows.append(row)
    return rows
