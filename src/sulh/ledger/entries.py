"""Log entries: what each change to a row looks like in the public log.

An entry records the row as it stands after the change. Columns that anyone may see go in
`public`; every other column goes in `sealed` as a salted SHA-256 commitment, so the log can
be published while the content stays behind its tier. A field's salt is derived from the
entry's salt, so one field can be revealed without exposing the others. `row_digest` commits
to the whole row at once (public and sealed columns): the audit checks a row with one hash,
and turns to the per-field commitments only to name what changed.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from hashlib import sha256
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect

from sulh.canonical import MAX_SAFE_INTEGER, canonical_json, canonical_row
from sulh.clock import as_utc

if TYPE_CHECKING:
    from sulh.store.tables import Base

ALL = frozenset({"*"})
NONE: frozenset[str] = frozenset()
# Columns of each logged table that enter the log in clear.
PUBLIC_COLUMNS: dict[str, frozenset[str]] = {
    "agreement_versions": ALL,
    "users": frozenset(
        {"id", "username", "display_name", "role", "party", "disabled", "created_at"}
    ),
    "api_tokens": frozenset({"id", "user_id", "created_at", "expires_at"}),
    "user_preferences": frozenset({"user_id", "language", "updated_at"}),
    # Measures, commitments and crossings are the mechanism's public acts; a guarantor's
    # reasons and a party's evidence stay sealed until released through their pages.
    "report_releases": ALL,
    # What a file's metadata says (GPS, device) and its hash stay sealed, like the file's own.
    "evidence_metadata": frozenset({"id", "evidence_id", "extracted_at"}),
    "custody_events": frozenset({"id", "evidence_id", "kind", "actor_name", "at"}),
    "evidence_copies": frozenset({"id", "evidence_id", "kind", "media_type", "made_at"}),
    "evidence_marks": frozenset({"id", "evidence_id", "internal_only", "marked_by", "marked_at"}),
    "measures": ALL,
    "measure_decisions": frozenset({"id", "measure_id", "guarantor", "decision", "at"}),
    "compliance_events": frozenset(
        {"id", "measure_id", "commitment", "kind", "outcome", "party", "at"}
    ),
    "commitment_states": ALL,
    "crossing_statuses": ALL,
    # An alert's rule, tier and words say what it is about (a grave finding not yet public,
    # say), so only that one was raised, and when, is in clear. A webhook's address and
    # secret stay sealed: the secret signs what is sent, and the address may carry a token.
    "alerts": frozenset({"id", "raised_at", "agreement_version_id"}),
    "webhooks": frozenset({"id", "tier", "created_at", "removed_at"}),
    "sources": frozenset({"id", "kind"}),
    "reports": frozenset(
        {
            "id",
            "kind",
            "received_at",
            "tier",
            "supersedes_id",
            "filed_for_party",
            "agreement_version_id",
        }
    ),
    "articles": frozenset(
        {"id", "report_id", "published", "language", "content_sha256", "copy_of_id", "copy_kind"}
    ),
    # A file's hash stays sealed: in clear, anyone holding a photo could confirm it was filed.
    "evidence": frozenset({"id", "report_id", "added_at", "tier"}),
    "incidents": frozenset({"id", "opened_at", "tier", "agreement_version_id"}),
    "incident_reports": ALL,
    "incident_changes": frozenset({"id", "kind", "incident_id", "other_id", "moved", "at"}),
    "source_grades": frozenset({"id", "source_id", "at"}),
    "source_groups": frozenset({"id", "source_id", "at"}),
    "report_grades": frozenset({"id", "report_id", "at"}),
    "cases": frozenset({"id", "incident_id", "state", "triaged_at", "reply_due_at", "updated_at"}),
    "case_transitions": frozenset({"id", "case_id", "from_state", "to_state", "at", "by_user"}),
    "replies": frozenset({"id", "case_id", "party", "filed_at", "agreement_version_id"}),
    "findings": frozenset(
        {
            "id",
            "case_id",
            "status",
            "tier",
            "drafted_at",
            "decided_at",
            "decision_method",
            "supersedes_id",
            "agreement_version_id",
        }
    ),
    "finding_votes": frozenset({"id", "finding_id", "cast_at"}),
    "appeals": frozenset(
        {"id", "finding_id", "party", "status", "filed_at", "decided_at", "revised_finding_id"}
    ),
    "keys": ALL,
    "submission_signatures": frozenset(
        {"id", "record_type", "record_id", "key_id", "signed_at", "body_sha256", "signature"}
    ),
}


def plain(value: Any) -> Any:
    """A column value as JSON: datetimes in UTC ISO 8601, dates in ISO 8601, bytes in base64."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def snapshot(row: Base) -> dict[str, Any]:
    """Every column of `row`, as JSON values."""
    return {attr.key: plain(getattr(row, attr.key)) for attr in inspect(type(row)).column_attrs}


def field_salt(salt: bytes, field: str) -> bytes:
    return sha256(salt + b"\x00" + field.encode()).digest()


def _value_bytes(value: Any) -> bytes:
    # Most columns are strings or small integers: skip the general encoder for them.
    kind = type(value)
    if kind is str:
        return bytes(encode_basestring(value), "utf-8")
    if kind is int and abs(value) <= MAX_SAFE_INTEGER:
        return str(value).encode()
    if value is None:
        return b"null"
    return canonical_json(value)


def row_digest(salt: bytes, values: dict[str, Any], *, scalar: frozenset[str] = NONE) -> str:
    """The salted SHA-256 commitment to a whole row snapshot, in hex. `scalar` names columns
    whose types allow only strings, booleans, nulls and integers (see `canonical_row`)."""
    # "*" is no column's name, so this salt is never a field's.
    return sha256(field_salt(salt, "*") + canonical_row(values, scalar=scalar)).hexdigest()


def commitment(salt: bytes, field: str, value: Any) -> str:
    """The salted SHA-256 commitment to one field's value, in hex."""
    return sha256(field_salt(salt, field) + _value_bytes(value)).hexdigest()


def split(table: str, values: dict[str, Any], salt: bytes) -> tuple[dict[str, Any], dict[str, str]]:
    """Divide a row snapshot into its public fields and sealed commitments."""
    public_columns = PUBLIC_COLUMNS[table]
    public: dict[str, Any] = {}
    sealed: dict[str, str] = {}
    for field, value in values.items():
        if public_columns is ALL or field in public_columns:
            public[field] = value
        else:
            sealed[field] = commitment(salt, field, value)
    return public, sealed


def entry_bytes(
    *,
    index: int,
    change_type: str,
    time: datetime,
    actor: str,
    agreement_version: int | None,
    table: str,
    record_id: int,
    supersedes: int | None,
    public: dict[str, Any],
    sealed: dict[str, str],
    digest: str,
) -> bytes:
    return canonical_json(
        {
            "index": index,
            "type": change_type,
            "time": as_utc(time).isoformat(),
            "actor": actor,
            "agreement_version": agreement_version,
            "record": {"type": table, "id": record_id},
            "row_digest": digest,
            "supersedes": supersedes,
            "public": public,
            "sealed": sealed,
        }
    )
