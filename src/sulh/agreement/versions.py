"""Agreement versions in the record: amendments are new versions, never edits."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.agreement.model import Agreement
from sulh.canonical import canonical_json
from sulh.errors import Conflict
from sulh.store.tables import AgreementVersion
from sulh.store.writer import Writer, agreement_in_force


def content_hash(agreement: Agreement) -> str:
    return hashlib.sha256(canonical_json(agreement.to_data())).hexdigest()


def add_agreement_version(*, writer: Writer, agreement: Agreement) -> tuple[AgreementVersion, bool]:
    """Store `agreement` as a new version; return (version, created).

    Loading a version that is already stored with the same content changes nothing.
    """
    digest = content_hash(agreement)
    session = writer.session
    existing = session.scalars(
        select(AgreementVersion).where(
            AgreementVersion.slug == agreement.id, AgreementVersion.version == agreement.version
        )
    ).first()
    if existing is not None:
        if existing.sha256 == digest:
            return existing, False
        raise Conflict(
            f"Version {agreement.version} of agreement {agreement.id!r} is already loaded with "
            "different content; an amendment needs a new version number."
        )
    latest = session.scalars(
        select(AgreementVersion).order_by(AgreementVersion.id.desc()).limit(1)
    ).first()
    if latest is not None and latest.slug != agreement.id:
        raise Conflict(
            f"This record holds agreement {latest.slug!r}; it cannot also hold {agreement.id!r}. "
            "Use a separate data folder or database for another agreement."
        )
    if latest is not None and latest.version > agreement.version:
        raise Conflict(
            f"Agreement {agreement.id!r} is at version {latest.version}; "
            f"version {agreement.version} would go backwards."
        )
    row = AgreementVersion(
        slug=agreement.id,
        version=agreement.version,
        title=agreement.title,
        effective=agreement.effective,
        content=agreement.to_data(),
        sha256=digest,
        loaded_at=writer.now,
    )
    writer.add(row)
    writer.record("agreement.version_added", row)
    return row, True


def current_agreement(session: Session) -> tuple[AgreementVersion, Agreement]:
    """The version in force and its parsed content."""
    row = agreement_in_force(session)
    return row, parsed(row)


_PARSED: dict[str, Agreement] = {}


def parsed(row: AgreementVersion) -> Agreement:
    """The Agreement model for a stored version (cached by content hash)."""
    cached = _PARSED.get(row.sha256)
    if cached is None:
        cached = Agreement.model_validate(row.content)
        _PARSED[row.sha256] = cached
    return cached
