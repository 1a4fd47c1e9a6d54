"""The agreement as data: the shape every agreement file must have."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    Field,
    StrictInt,
    field_validator,
    model_validator,
)

from sulh.agreement.alert_rules import AlertRule
from sulh.agreement.base import Id, Strict


class Party(Strict):
    id: Id
    name: str
    names: dict[str, str] = Field(default_factory=dict, description="Name by language code.")


class ActorKind(StrEnum):
    government = "government"
    armed_force = "armed_force"
    ministry = "ministry"
    spokesperson = "spokesperson"
    official = "official"
    armed_group = "armed_group"
    international_org = "international_org"
    media = "media"


class Actor(Strict):
    id: Id
    name: str
    kind: ActorKind
    answerable: Id | None = Field(
        description="The party answerable for this actor, or null for a non-signatory."
    )
    aliases: list[str] = Field(default_factory=list)


class Clause(Strict):
    id: Id
    title: str
    text: str
    binds: list[Id] = Field(min_length=1, description="Parties the clause obliges.")
    category: Literal["hostilities", "targeting", "proxies", "airspace", "access", "other"]


class Point(Strict):
    type: Literal["Point"]
    coordinates: tuple[float, float]

    @field_validator("coordinates")
    @classmethod
    def _in_range(cls, value: tuple[float, float]) -> tuple[float, float]:
        lon, lat = value
        if not -180 <= lon <= 180 or not -90 <= lat <= 90:
            raise ValueError("coordinates must be [longitude, latitude] within range")
        return value


class LineString(Strict):
    type: Literal["LineString"]
    coordinates: list[tuple[float, float]] = Field(min_length=2)

    @field_validator("coordinates")
    @classmethod
    def _in_range(cls, value: list[tuple[float, float]]) -> list[tuple[float, float]]:
        for lon, lat in value:
            if not -180 <= lon <= 180 or not -90 <= lat <= 90:
                raise ValueError("coordinates must be [longitude, latitude] within range")
        return value


class Zone(Strict):
    id: Id
    name: str
    kind: Literal["crossing", "border", "buffer", "area"]
    parties: list[Id] = Field(default_factory=list, description="Parties on whose sides it lies.")
    aliases: list[str] = Field(default_factory=list)
    geometry: Point | LineString = Field(discriminator="type")


class Commitment(Strict):
    id: Id
    party: Id
    text: str
    clause: Id | None = None
    status: Literal["agreed", "proposed"] = Field(
        default="agreed",
        description="agreed: owed, with a deadline, and tracked; proposed: under discussion.",
    )
    due: AwareDatetime | None = None
    crossing: Id | None = Field(default=None, description="The crossing it concerns, if any.")

    @model_validator(mode="after")
    def _agreed_has_deadline(self) -> Commitment:
        if self.status == "agreed" and self.due is None:
            raise ValueError(
                f"commitment {self.id!r} is agreed but has no deadline: give `due`, or mark "
                "it `status: proposed` while it is only under discussion"
            )
        return self


class DecisionRule(Strict):
    rule: Literal["consensus", "majority"]
    quorum: int = Field(ge=1, description="Votes needed before a finding can be decided.")


class Outcome(StrEnum):
    violation_minor = "violation_minor"
    violation_serious = "violation_serious"
    violation_grave = "violation_grave"
    non_compliance = "non_compliance"
    no_violation = "no_violation"
    not_verifiable = "not_verifiable"


class Measure(Strict):
    """A measure the ladder may impose, named once and cited by its steps."""

    id: Id
    text: str
    deadline_days: int | None = Field(
        default=None, ge=1, description="Days the party has to comply once it is ratified."
    )


class LadderStep(Strict):
    threshold: int = Field(ge=1, description="Points within the window that trigger this step.")
    measure: Id = Field(description="The id of one of the ladder's measures.")


class Escalation(Strict):
    """How repeat offences and non-compliance climb the ladder."""

    missed_deadline_points: int = Field(
        default=2,
        ge=0,
        description="Points a party earns when a measure's deadline passes unmet or the "
        "guarantors find it did not comply.",
    )
    repeat: Literal["next_step", "same_step"] = Field(
        default="next_step",
        description="When a step's measure is already in the window: impose the next step's.",
    )


class PenaltyLadder(Strict):
    status: Literal["proposal", "agreed"]
    note: str = ""
    points: dict[Outcome, int]
    window_days: int = Field(
        ge=1, description="Points lapse this many days after they were earned."
    )
    measures: list[Measure] = Field(min_length=1)
    steps: list[LadderStep] = Field(min_length=1)
    escalation: Escalation = Field(default_factory=Escalation)
    ratification: Literal["one_guarantor", "all_guarantors", "consensus"]

    @model_validator(mode="after")
    def _named_measures(self) -> PenaltyLadder:
        ids = [m.id for m in self.measures]
        if len(ids) != len(set(ids)):
            raise ValueError("each measure id must be used once")
        unknown = [s.measure for s in self.steps if s.measure not in ids]
        if unknown:
            raise ValueError(
                f"step measure(s) {', '.join(map(repr, unknown))} are not among the ladder's "
                f"measures ({', '.join(ids)})"
            )
        return self

    def measure(self, measure_id: str) -> Measure:
        return next(m for m in self.measures if m.id == measure_id)

    @field_validator("points")
    @classmethod
    def _every_outcome(cls, value: dict[Outcome, int]) -> dict[Outcome, int]:
        missing = [str(o) for o in Outcome if o not in value]
        if missing:
            raise ValueError(
                f"points must be given for every outcome; missing: {', '.join(missing)}"
            )
        if any(points < 0 for points in value.values()):
            raise ValueError("points cannot be negative")
        return value

    @field_validator("steps")
    @classmethod
    def _rising(cls, value: list[LadderStep]) -> list[LadderStep]:
        thresholds = [step.threshold for step in value]
        if thresholds != sorted(set(thresholds)):
            raise ValueError("step thresholds must rise strictly from one step to the next")
        return value


class Witness(Strict):
    name: str = Field(pattern=r"^[^\s+]{1,200}$", description="The witness's key name.")
    member: Id = Field(description="The party or guarantor that runs it.")


class WitnessPolicy(Strict):
    """Who cosigns the log's checkpoints, and how many cosignatures a checkpoint needs."""

    members: list[Witness] = Field(min_length=2)
    routine_quorum: int = Field(
        default=2, ge=1, description="Cosignatures a routine checkpoint needs (any witnesses)."
    )


class Agreement(Strict):
    """One version of a ceasefire agreement, as loaded from its YAML file."""

    id: Id
    version: StrictInt = Field(ge=1)
    title: str
    effective: AwareDatetime = Field(description="When the agreement took effect (with zone).")
    parties: list[Party] = Field(min_length=2)
    guarantors: list[Party] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    clauses: list[Clause] = Field(min_length=1)
    zones: list[Zone] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    reply_window_hours: int = Field(ge=1)
    appeal_window_hours: int = Field(ge=1)
    decision: DecisionRule
    penalty_ladder: PenaltyLadder
    witnesses: WitnessPolicy | None = None
    alerts: list[AlertRule] = Field(
        default_factory=list, description="What in the record raises an alert (docs/alerts.md)."
    )

    def party_ids(self) -> list[str]:
        return [p.id for p in self.parties]

    def clause_ids(self) -> list[str]:
        return [c.id for c in self.clauses]

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def answerable_party(self, ref: str) -> str | None:
        """The party a party id or an actor id answers to (None for non-signatories)."""
        if ref in self.party_ids():
            return ref
        actor = self.actor(ref)
        return actor.answerable if actor else None

    def is_known_actor_or_party(self, ref: str) -> bool:
        return ref in self.party_ids() or self.actor(ref) is not None

    def to_data(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        # A file without alert rules keeps the content hash it had before rules existed.
        if not data["alerts"]:
            del data["alerts"]
        return data
