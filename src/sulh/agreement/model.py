"""The agreement as data: the shape every agreement file must have."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, field_validator

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    due: AwareDatetime | None = None


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


class LadderStep(Strict):
    threshold: int = Field(ge=1, description="Points within the window that trigger this step.")
    measure: str
    deadline_days: int | None = Field(default=None, ge=1)


class PenaltyLadder(Strict):
    status: Literal["proposal", "agreed"]
    note: str = ""
    points: dict[Outcome, int]
    window_days: int = Field(ge=1)
    steps: list[LadderStep] = Field(min_length=1)
    ratification: Literal["one_guarantor", "all_guarantors", "consensus"]

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
        return self.model_dump(mode="json")
