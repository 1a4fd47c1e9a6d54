"""What readers get back: the public shapes of the record's nouns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    next_cursor: int | None = None


class PlaceView(BaseModel):
    name: str | None
    lat: float | None
    lon: float | None
    precision: str | None


class ArticleView(BaseModel):
    """What `sulh ingest` read from a news article or statement (docs/extract.md)."""

    outlet: str | None
    url: str | None
    title: str | None
    published: date | None
    copy_of_report: int | None = Field(
        description="The report of the first copy of this text, when this is a copy."
    )
    copy_kind: str | None = Field(description="exact, or near (a reprint with small edits).")
    similarity: float | None
    extractor: str
    events: list[dict[str, Any]] = Field(description="Extracted events; offsets index `text`.")


class ReportPublic(BaseModel):
    id: int
    kind: str
    source: str | None
    source_reliability: str | None
    source_protected: bool
    submitted_by: str | None
    filed_for_party: str | None
    received_at: datetime
    event_time: datetime
    event_end: datetime | None
    time_precision: str
    place: PlaceView | None
    event_type: str
    alleged_perpetrator: str | None
    accused_party: str | None
    targets: list[str]
    casualties: list[dict[str, Any]]
    text: str
    language: str
    credibility: int | None
    stance: str | None = None
    tier: str
    supersedes: int | None
    incident_id: int | None
    agreement_version_id: int
    log_index: int | None = None
    article: ArticleView | None = None


class CaseSummary(BaseModel):
    id: int
    state: str
    triaged_at: datetime | None
    reply_due_at: datetime | None
    reply_overdue: bool
    allowed_transitions: list[str]


class IncidentPublic(BaseModel):
    id: int
    title: str
    event_type: str
    event_time: datetime
    time_precision: str
    place: PlaceView | None
    accused_party: str | None
    complainant_party: str | None
    tier: str
    opened_at: datetime
    case: CaseSummary
    agreement_version_id: int
    status: str = Field(description="open; merged (into `merged_into`); emptied.")
    merged_into: int | None
    confidence: str | None = Field(
        description="confirmed, fair, weak, contested or discounted (docs/grading.md)."
    )
    confidence_rule: str | None = Field(description="The rule of docs/grading.md that held.")
    confidence_reason: str | None


class AccountView(BaseModel):
    """One report's account of the incident, as it stands beside the others."""

    report_id: int
    event: int = Field(description="Which event of the report (0 unless an article told several).")
    kind: str
    source: str | None
    source_reliability: str | None
    origin: str | None = Field(description="The independence group it counts in.")
    type: str
    date: str = Field(description="ISO date or interval the account gives.")
    dated: bool
    places: list[str]
    parties: list[str]
    background: bool
    score: float | None = Field(description="Match score when fusion attached it; null otherwise.")
    reason: str
    credibility: int
    credibility_proposed: bool
    credibility_reason: str
    figures: list[dict[str, Any]]
    claims: list[dict[str, Any]]


class CasualtyEstimate(BaseModel):
    group: str
    outcome: str
    low: int | None
    best: int | None
    high: int | None
    partisan_only: bool
    figures: list[dict[str, Any]]


class IncidentChangeView(BaseModel):
    id: int
    kind: str
    incident_id: int
    other_id: int
    moved: list[list[int]]
    reason: str
    reverts: int | None
    at: datetime


class IncidentDetail(IncidentPublic):
    report_ids: list[int]
    accounts: list[AccountView] = Field(default_factory=list)
    casualties: list[CasualtyEstimate] = Field(default_factory=list)
    changes: list[IncidentChangeView] = Field(default_factory=list)


class ReplyPublic(BaseModel):
    id: int
    case_id: int
    party: str
    text: str
    language: str
    filed_at: datetime
    log_index: int | None = None


class TransitionPublic(BaseModel):
    from_state: str
    to_state: str
    at: datetime
    by: str | None
    note: str


class CaseDetail(CaseSummary):
    incident_id: int
    replies: list[ReplyPublic]
    history: list[TransitionPublic] | None
    finding_ids: list[int]


class VotePublic(BaseModel):
    member: str
    vote: str
    statement: str
    cast_at: datetime


class AppealPublic(BaseModel):
    id: int
    finding_id: int
    party: str
    grounds: str
    filed_at: datetime
    status: str
    decision_reason: str | None
    decided_at: datetime | None
    revised_finding_id: int | None


class CitedCheckpoint(BaseModel):
    """The first checkpoint that covers a decided finding, and who has cosigned it."""

    size: int
    cosigners: list[str]
    cited_quorum_met: bool


class FindingPublic(BaseModel):
    id: int
    case_id: int
    status: str
    outcome: str
    clauses: list[str]
    attribution_kind: str
    attributed_to: str | None
    responsible_party: str | None
    rationale: str
    tier: str
    drafted_at: datetime
    decided_at: datetime | None
    decision_method: str | None
    votes: list[VotePublic]
    supersedes: int | None
    appeal: AppealPublic | None
    agreement_version_id: int
    cited_checkpoint: CitedCheckpoint | None = None


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    party: str | None
    disabled: bool
    created_at: datetime


class AgreementVersionPublic(BaseModel):
    id: int
    slug: str
    version: int
    title: str
    effective: datetime
    sha256: str
    loaded_at: datetime
