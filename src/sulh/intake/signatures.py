"""Signed submissions: a party's complaint or reply and a monitor's observation are signed.

The signature is Ed25519 over the RFC 8785 canonical JSON of the object submitted, which
carries a `nonce` and a `signed_at` time. The server checks it against the filer's registered
key, refuses a nonce seen before or a time outside the window, and keeps the signature in the
record, so a party cannot later deny what it filed.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import sha256
from typing import Any

from sqlalchemy import select

from sulh.access.keys import active_keys
from sulh.access.roles import Principal, Role
from sulh.canonical import canonical_json
from sulh.errors import Duplicate, Forbidden, Invalid
from sulh.ledger.note import ED25519, Verifier
from sulh.store.tables import Base, SubmissionSignature
from sulh.store.writer import Writer

WINDOW = timedelta(minutes=5)


class BadSignature(Forbidden):
    code = "bad_signature"


@dataclass(frozen=True)
class Signed:
    """The object as submitted, and the base64 signature that came with it."""

    body: dict[str, Any]
    signature: str


def must_sign(actor: Principal, kind: str) -> bool:
    return (actor.role is Role.liaison and kind in ("complaint", "reply")) or (
        actor.role is Role.monitor and kind == "observation"
    )


def check_signed(
    *, writer: Writer, actor: Principal, kind: str, signed: Signed | None
) -> SubmissionSignature | None:
    """Verify the signature if one came (or is required); return the row to attach, unsaved."""
    if signed is None:
        if must_sign(actor, kind):
            raise BadSignature(
                f"A {kind} filed by a {actor.role} must be signed: send the base64 Ed25519 "
                "signature of its canonical JSON in the Sulh-Signature header."
            )
        return None
    try:
        signature = base64.b64decode(signed.signature, validate=True)
    except binascii.Error:
        raise BadSignature("The Sulh-Signature header is not base64.") from None
    nonce, signed_at = _nonce_and_time(signed.body)
    if abs(writer.now - signed_at) > WINDOW:
        raise BadSignature(
            f"The signature was made at {signed_at.isoformat()}, outside the "
            f"{int(WINDOW.total_seconds() // 60)}-minute window around the server's time."
        )
    message = canonical_json(signed.body)
    assert actor.user_id is not None
    key = next(
        (
            k
            for k in active_keys(writer, actor.user_id)
            if Verifier(actor.username, ED25519, bytes.fromhex(k.public_key)).verify(
                message, signature
            )
        ),
        None,
    )
    if key is None:
        raise BadSignature(
            f"The signature does not verify with any key registered for {actor.username!r} "
            "over the canonical JSON of this submission."
        )
    seen = writer.session.scalar(
        select(SubmissionSignature.id).where(
            SubmissionSignature.key_id == key.id, SubmissionSignature.nonce == nonce
        )
    )
    if seen is not None:
        raise Duplicate(f"Nonce {nonce!r} was already used: this submission is a replay.")
    return SubmissionSignature(
        record_type="",
        record_id=0,
        key_id=key.id,
        nonce=nonce,
        signed_at=signed_at,
        body_sha256=sha256(message).hexdigest(),
        signature=signed.signature,
    )


def _nonce_and_time(body: dict[str, Any]) -> tuple[str, datetime]:
    nonce, stamp = body.get("nonce"), body.get("signed_at")
    if not isinstance(nonce, str) or not 16 <= len(nonce) <= 64:
        raise Invalid("nonce: a signed submission carries a nonce of 16–64 characters.")
    try:
        signed_at = datetime.fromisoformat(str(stamp))
    except ValueError:
        raise Invalid("signed_at: a signed submission carries its signing time.") from None
    if signed_at.tzinfo is None:
        raise Invalid("signed_at: give a UTC offset.")
    return nonce, signed_at


def attach(writer: Writer, row: SubmissionSignature | None, subject: Base) -> None:
    """Keep the verified signature beside the record it signed, in the log."""
    if row is None:
        return
    row.record_type = subject.__tablename__
    row.record_id = int(getattr(subject, "id"))  # noqa: B009 - every signed table has an id
    writer.add(row)
    writer.record("submission.signed", row)
