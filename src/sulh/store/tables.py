"""The tables of the record. Rows are written only through `Store.write` (see writer.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from sulh.store.types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}

    # Rows of immutable tables may be inserted but never updated or deleted.
    __immutable__ = False
    # Every insert or update of a logged row gets an entry in the transparency log.
    __logged__ = True


class AgreementVersion(Base):
    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("slug", "version"),)
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    effective: Mapped[datetime]
    content: Mapped[dict[str, Any]]
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime]


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    party: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class UserPreference(Base):
    """The language and time zone a user chose for the web interface."""

    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    language: Mapped[str] = mapped_column(String(16))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    independence_group: Mapped[str] = mapped_column(String(200))


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("submitted_by", "idempotency_key"),)
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    source_protected: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_for_party: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime]
    event_time: Mapped[datetime]
    event_end: Mapped[datetime | None]
    time_precision: Mapped[str] = mapped_column(String(8))
    place_name: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    place_precision: Mapped[str | None] = mapped_column(String(16))
    event_type: Mapped[str] = mapped_column(String(40))
    alleged_perpetrator: Mapped[str | None] = mapped_column(String(64))
    accused_party: Mapped[str | None] = mapped_column(String(64))
    targets: Mapped[list[Any]]
    casualties: Mapped[list[Any]]
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    credibility: Mapped[int | None] = mapped_column(Integer)
    stance: Mapped[str | None] = mapped_column(String(32))  # a statement's, toward its event
    tier: Mapped[str] = mapped_column(String(16))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    agreement_version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))

    source: Mapped[Source] = relationship(lazy="joined")


class ReportRelease(Base):
    """A guarantor's release of a report to a wider tier than it was filed at. Reports are
    never edited, so a release is a row of its own; the widest release holds."""

    __tablename__ = "report_releases"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    tier: Mapped[str] = mapped_column(String(16))
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime]


class IngestedArticle(Base):
    """A news article or statement read by `sulh ingest`: the report it became and its events."""

    __tablename__ = "articles"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), unique=True)
    external_id: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    outlet: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(16))
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    # A copy (the same text again, or a reprint of a wire story) points at the first seen.
    copy_of_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    copy_kind: Mapped[str | None] = mapped_column(String(16))
    similarity: Mapped[float | None] = mapped_column(Float)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    events: Mapped[list[Any]]
    extractor: Mapped[str] = mapped_column(String(32))


class Evidence(Base):
    """A file attached to a report; its bytes live in the locker under their SHA-256."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("report_id", "sha256"),)
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(100))  # sniffed from the bytes
    declared_type: Mapped[str | None] = mapped_column(String(100))  # what the sender said
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime]
    tier: Mapped[str] = mapped_column(String(16))


# What fusion's blocking queries test, in the order they narrow (see fusion/record.py): each
# index holds every column its query reads, so finding the candidates reads no table row.
_PLACE_BLOCK = (
    "status",
    "cell",
    "first_day",
    "last_day",
    "latitude",
    "longitude",
    "radius_km",
    "agreement_version_id",
)
_FAMILY_BLOCK = ("status", "family", "first_day", "last_day", "agreement_version_id")


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_tier_id", "tier", "id"),
        Index("ix_incidents_status_time", "status", "event_time"),
        # Blocking: fusion looks up open incidents by grid cell (or kind) and first day; the
        # place index also holds what the reach test reads, so no row is fetched for it.
        Index("ix_incidents_block_place", *_PLACE_BLOCK),
        Index("ix_incidents_block_family", *_FAMILY_BLOCK),
        Index("ix_incidents_block_day", "status", "first_day", "last_day", "agreement_version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    event_type: Mapped[str] = mapped_column(String(40))
    event_time: Mapped[datetime]
    time_precision: Mapped[str] = mapped_column(String(8))
    place_name: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accused_party: Mapped[str | None] = mapped_column(String(64), index=True)
    complainant_party: Mapped[str | None] = mapped_column(String(64))
    tier: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime]
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agreement_version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    # What fusion matches on (docs/grading.md): days as date ordinals, place and its reach.
    status: Mapped[str] = mapped_column(String(16), default="open")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    first_day: Mapped[int] = mapped_column(Integer, default=0)
    last_day: Mapped[int] = mapped_column(Integer, default=0)
    dated: Mapped[bool] = mapped_column(Boolean, default=True)
    radius_km: Mapped[float | None] = mapped_column(Float)
    cell: Mapped[int | None] = mapped_column(Integer)
    family: Mapped[str] = mapped_column(String(20), default="other")
    types: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    parties: Mapped[list[Any]] = mapped_column(JSON, default=list)
    places: Mapped[list[Any]] = mapped_column(JSON, default=list)
    confidence: Mapped[str | None] = mapped_column(String(16))
    confidence_rule: Mapped[str | None] = mapped_column(String(40))
    confidence_reason: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="incident", lazy="joined")


class IncidentReport(Base):
    """An account's place in an incident: one report's telling of one event (docs/grading.md).

    A plain report tells of one event (`event` 0); an article may tell of several, each of
    which can belong to a different incident.
    """

    __tablename__ = "incident_reports"
    __table_args__ = (UniqueConstraint("report_id", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    event: Mapped[int] = mapped_column(Integer, default=0)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(200), default="")  # its independence group
    attached_at: Mapped[datetime]
    attached_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class IncidentChange(Base):
    """An analyst's merge or split of incidents, or the undoing of one, with the reason."""

    __tablename__ = "incident_changes"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # merge, split, revert
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))  # the one kept
    other_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))  # absorbed or split off
    moved: Mapped[list[Any]]  # [[report_id, event], …] that changed incident
    reason: Mapped[str] = mapped_column(Text)
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("incident_changes.id"))
    by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]


class _Correction:
    """Who made a change an analyst must explain, when, and why."""

    reason: Mapped[str] = mapped_column(Text)
    by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]


class SourceGrade(_Correction, Base):
    """A source's Admiralty reliability grade (A–F) from a point on, and why."""

    __tablename__ = "source_grades"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    grade: Mapped[str] = mapped_column(String(1))


class SourceGroup(_Correction, Base):
    """A source's independence group from a point on, and why (an analyst's correction)."""

    __tablename__ = "source_groups"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    group: Mapped[str] = mapped_column(String(200))


class ReportGrade(_Correction, Base):
    """An analyst's information credibility grade (1–6) for a report, replacing the proposal."""

    __tablename__ = "report_grades"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    credibility: Mapped[int] = mapped_column(Integer)


class AccountVector(Base):
    """The sentence embedding of an account's text: derived, rebuilt from the text at will."""

    __tablename__ = "account_vectors"
    __logged__ = False

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    event: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class FusionQueue(Base):
    """Reports filed but not yet fused (fusion/queue.py): work to do, not record."""

    __tablename__ = "fusion_queue"
    __logged__ = False

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id"), primary_key=True, autoincrement=False
    )
    queued_at: Mapped[datetime]


class IncidentVector(Base):
    """The sum of an incident's account vectors, for matching by text: derived data.

    Kept as its direction (float16, what matching reads) and its length, so that the
    vectors of hundreds of candidates are half the bytes to read.
    """

    __tablename__ = "incident_vectors"
    __logged__ = False

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    direction: Mapped[bytes] = mapped_column(LargeBinary)
    length: Mapped[float] = mapped_column(Float)
    vectors: Mapped[int] = mapped_column(Integer)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), unique=True)
    state: Mapped[str] = mapped_column(String(32), index=True)
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    triaged_at: Mapped[datetime | None]
    reply_due_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime]

    incident: Mapped[Incident] = relationship(back_populates="case")


class CaseTransition(Base):
    __tablename__ = "case_transitions"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")


class Reply(Base):
    __tablename__ = "replies"
    __table_args__ = (UniqueConstraint("case_id", "party"),)
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    party: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    filed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime]
    agreement_version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))


class Finding(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(32))
    clauses: Mapped[list[Any]]
    attribution_kind: Mapped[str] = mapped_column(String(16))
    attributed_to: Mapped[str | None] = mapped_column(String(64))
    responsible_party: Mapped[str | None] = mapped_column(String(64))
    rationale: Mapped[str] = mapped_column(Text)
    tier: Mapped[str] = mapped_column(String(16))
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drafted_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decision_method: Mapped[str | None] = mapped_column(String(16))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"))
    agreement_version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))

    votes: Mapped[list[Vote]] = relationship(order_by="Vote.id", lazy="selectin")


class Vote(Base):
    __tablename__ = "finding_votes"
    __table_args__ = (UniqueConstraint("finding_id", "member_id"),)
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    member_name: Mapped[str] = mapped_column(String(64))
    vote: Mapped[str] = mapped_column(String(16))
    statement: Mapped[str] = mapped_column(Text, default="")
    cast_at: Mapped[datetime]


class Appeal(Base):
    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), unique=True)
    party: Mapped[str] = mapped_column(String(64))
    grounds: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    revised_finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"))


class SubmissionSignature(Base):
    """A verified Ed25519 signature over what a party or monitor submitted."""

    __tablename__ = "submission_signatures"
    __table_args__ = (UniqueConstraint("key_id", "nonce"),)
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int]
    key_id: Mapped[int] = mapped_column(ForeignKey("keys.id"))
    nonce: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime]
    body_sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(100))


class Key(Base):
    """An Ed25519 public key: a user's signing key, or a witness's cosigning key."""

    __tablename__ = "keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    party: Mapped[str | None] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(16), unique=True)
    public_key: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


# The log itself. These tables are written by the write path; they are not log entries.


class LogEntry(Base):
    """One entry of the transparency log: canonical JSON bytes and their RFC 9162 leaf hash."""

    __tablename__ = "log_entries"
    __table_args__ = (Index("ix_log_entries_record", "record_type", "record_id"),)
    __immutable__ = True
    __logged__ = False

    idx: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LogSalt(Base):
    """The salt behind an entry's sealed fields; readable only by mechanism staff."""

    __tablename__ = "log_salts"
    __immutable__ = True
    __logged__ = False

    idx: Mapped[int] = mapped_column(ForeignKey("log_entries.idx"), primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary(16))


class LogHead(Base):
    """The log's size: one row, locked by every write so that indexes have no gaps."""

    __tablename__ = "log_head"
    __logged__ = False

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    size: Mapped[int]


class Checkpoint(Base):
    __tablename__ = "checkpoints"
    __immutable__ = True
    __logged__ = False

    size: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    root: Mapped[bytes] = mapped_column(LargeBinary(32))
    note: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime]


class Cosignature(Base):
    __tablename__ = "cosignatures"
    __table_args__ = (UniqueConstraint("checkpoint_size", "witness"),)
    __immutable__ = True
    __logged__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    checkpoint_size: Mapped[int] = mapped_column(ForeignKey("checkpoints.size"))
    witness: Mapped[str] = mapped_column(String(200))
    line: Mapped[str] = mapped_column(Text)
    timestamp: Mapped[int]
    received_at: Mapped[datetime]


# The penalties' tables are in their own module; importing them here registers them with the
# metadata wherever the record's tables are used, and keeps `sulh.store.tables.Measure` valid.
from sulh.store.alert_tables import Alert, Webhook, WebhookDelivery  # noqa: E402
from sulh.store.evidence_tables import (  # noqa: E402
    CustodyEvent,
    EvidenceCopy,
    EvidenceMark,
    EvidenceMetadata,
)
from sulh.store.penalty_tables import (  # noqa: E402
    CommitmentState,
    ComplianceEvent,
    CrossingStatus,
    Measure,
    MeasureDecision,
)

__all__ = [
    "Alert",
    "CommitmentState",
    "ComplianceEvent",
    "CrossingStatus",
    "CustodyEvent",
    "EvidenceCopy",
    "EvidenceMark",
    "EvidenceMetadata",
    "Measure",
    "MeasureDecision",
    "Webhook",
    "WebhookDelivery",
]
