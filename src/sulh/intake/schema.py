"""What a report looks like on the way in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sulh.access.roles import Tier
from sulh.vocabulary import (
    CasualtyGroup,
    CasualtyOutcome,
    EventType,
    PlacePrecision,
    ReportKind,
    Stance,
    Target,
    TimePrecision,
)

MAX_TEXT = 100_000


class StrictInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Place(StrictInput):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    precision: PlacePrecision = "town"

    @model_validator(mode="after")
    def _both_or_neither(self) -> Place:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class Casualty(StrictInput):
    group: CasualtyGroup
    outcome: CasualtyOutcome
    low: Annotated[int, Field(ge=0)] | None = None
    best: Annotated[int, Field(ge=0)]
    high: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Casualty:
        low = self.best if self.low is None else self.low
        high = self.best if self.high is None else self.high
        if not low <= self.best <= high:
            raise ValueError("casualty figures must satisfy low ≤ best ≤ high")
        return self


class ReportCreate(StrictInput):
    """One account of an event, from one source."""

    kind: ReportKind
    event_time: datetime
    event_end: datetime | None = None
    time_precision: TimePrecision = "day"
    event_type: EventType
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    source: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    source_protected: bool = False
    on_behalf_of: str | None = Field(
        default=None, description="Party a complaint is filed for; liaisons file for their own."
    )
    place: Place | None = None
    alleged_perpetrator: str | None = Field(
        default=None, description="Agreement actor or party id alleged to be responsible."
    )
    targets: list[Target] = Field(default_factory=list, max_length=10)
    casualties: list[Casualty] = Field(default_factory=list, max_length=12)
    tier: Tier | None = None
    credibility: Annotated[int, Field(ge=1, le=6)] | None = None
    stance: Stance | None = Field(
        default=None,
        description="Statements: the speaker's stance toward the event (docs/grading.md).",
    )
    supersedes: int | None = None
    idempotency_key: Annotated[str, Field(min_length=8, max_length=200)] | None = None
    nonce: Annotated[str, Field(min_length=16, max_length=64)] | None = Field(
        default=None, description="Signed submissions: a fresh random string."
    )
    signed_at: datetime | None = Field(
        default=None, description="Signed submissions: when the filer signed it."
    )

    @field_validator("event_time", "event_end")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a UTC offset, e.g. 2025-10-20T14:30:00+05:00")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ReportCreate:
        if self.event_end is not None and self.event_end < self.event_time:
            raise ValueError("event_end is before event_time")
        if self.stance is not None and self.kind != "statement":
            raise ValueError("only statements carry a stance; a complaint alleges by itself")
        keys = [(c.group, c.outcome) for c in self.casualties]
        if len(keys) != len(set(keys)):
            raise ValueError("casualties list the same group and outcome twice")
        return self
