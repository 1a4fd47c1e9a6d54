"""Alert rules as data: what in the record raises an alert, for which tier, in CAP's words.

The format is documented in docs/alerts.md; the evaluation is in src/sulh/outputs/alerts/.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sulh.agreement.base import Id, Strict

if TYPE_CHECKING:
    from sulh.agreement.model import Agreement

Tier = Literal["internal", "joint", "parties", "public"]

# The values each kind of rule offers its title template, as {name}.
TITLE_FIELDS: dict[str, tuple[str, ...]] = {
    "zone_count": ("count", "zone", "radius_km", "window_hours"),
    "grave_finding": ("finding", "case", "party", "clauses"),
    "deadline_missed": ("what", "ref", "party", "due"),
    "crossing_closed": ("crossing", "status", "since"),
}
# CAP's <event> when a rule does not name its own.
DEFAULT_EVENTS = {
    "zone_count": "Ceasefire incidents near a monitored place",
    "grave_finding": "Grave ceasefire violation found",
    "deadline_missed": "Ceasefire deadline missed",
    "crossing_closed": "Border crossing closed",
}


class Cap(Strict):
    """How a CAP 1.2 reader should weigh the alert (OASIS CAP 1.2, section 3.2.2)."""

    category: Literal[
        "Geo",
        "Met",
        "Safety",
        "Security",
        "Rescue",
        "Fire",
        "Health",
        "Env",
        "Transport",
        "Infra",
        "CBRNE",
        "Other",
    ]
    severity: Literal["Extreme", "Severe", "Moderate", "Minor", "Unknown"]
    urgency: Literal["Immediate", "Expected", "Future", "Past", "Unknown"]
    certainty: Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"]
    event: str = Field(default="", max_length=200, description="CAP <event>; empty: by kind.")


class _Rule(Strict):
    id: Id
    kind: str
    tier: Tier = Field(
        description="Who may see the alerts it raises; they hold only what this tier may read."
    )
    title: str = Field(min_length=1, max_length=160, description="A template: {count}, {zone}…")
    cap: Cap

    @model_validator(mode="after")
    def _title_uses_known_values(self) -> _Rule:
        offered = TITLE_FIELDS[self.kind]
        try:
            pieces = list(string.Formatter().parse(self.title))
        except ValueError as exc:
            raise ValueError(f"title is not a valid template: {exc}") from None
        for _, name, spec, conversion in pieces:
            if name is None:
                continue
            if name not in offered:
                raise ValueError(
                    f"title: {{{name}}} is not a value a {self.kind} rule offers "
                    f"(values: {', '.join('{' + o + '}' for o in offered)})"
                )
            if spec or conversion:
                raise ValueError(f"title: write {{{name}}} plainly, without a format or '!'")
        return self

    def event(self) -> str:
        return self.cap.event or DEFAULT_EVENTS[self.kind]


class ZoneCount(_Rule):
    """N incidents or more within `radius_km` of a zone within `window_hours`."""

    kind: Literal["zone_count"]
    zones: list[Id] = Field(min_length=1, description="Ids of the agreement's zones.")
    radius_km: float = Field(gt=0, le=500)
    count: int = Field(ge=1, le=100_000)
    window_hours: int = Field(ge=1, le=24 * 366)


class GraveFinding(_Rule):
    """A decided finding of grave violation, once released to the rule's tier."""

    kind: Literal["grave_finding"]


class DeadlineMissed(_Rule):
    """A reply window closed without the accused party's reply, a ratified measure gone
    overdue, or an agreed commitment gone overdue."""

    kind: Literal["deadline_missed"]
    deadlines: list[Literal["reply", "measure", "commitment"]] = Field(min_length=1)
    lookback_days: int = Field(
        default=30, ge=1, le=3660, description="Reply deadlines older than this are not raised."
    )

    @field_validator("deadlines")
    @classmethod
    def _once_each(cls, value: list[str]) -> list[str]:
        if len(value) != len(set(value)):
            raise ValueError("name each kind of deadline once")
        return value


Restricted = Literal["closed", "refugees_only", "trade_only"]


def _closed() -> list[Restricted]:
    return ["closed"]


class CrossingClosed(_Rule):
    """A crossing's status changed to one of `statuses` (closed, by default)."""

    kind: Literal["crossing_closed"]
    statuses: list[Restricted] = Field(default_factory=_closed, min_length=1)
    crossings: list[Id] = Field(default_factory=list, description="Empty: every crossing.")


AlertRule = Annotated[
    ZoneCount | GraveFinding | DeadlineMissed | CrossingClosed, Field(discriminator="kind")
]
RULE_KINDS = tuple(TITLE_FIELDS)


def alert_rule_problems(agreement: Agreement) -> list[tuple[tuple[str | int, ...], str]]:
    """Rules that name a zone or crossing the agreement lacks, and rule ids used twice."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    seen: set[str] = set()
    zones = {z.id: z for z in agreement.zones}
    crossings = sorted(z.id for z in agreement.zones if z.kind == "crossing")
    for i, rule in enumerate(agreement.alerts):
        if rule.id in seen:
            problems.append((("alerts", i, "id"), f"rule id {rule.id!r} is used more than once"))
        seen.add(rule.id)
        if isinstance(rule, ZoneCount):
            for j, zone in enumerate(rule.zones):
                if zone not in zones:
                    known = ", ".join(zones) or "none"
                    problems.append(
                        (("alerts", i, "zones", j), f"{zone!r} is not a zone (zones: {known})")
                    )
        if isinstance(rule, CrossingClosed):
            for j, crossing in enumerate(rule.crossings):
                if crossing not in crossings:
                    known = ", ".join(crossings) or "none"
                    problems.append(
                        (
                            ("alerts", i, "crossings", j),
                            f"{crossing!r} is not a crossing (crossings: {known})",
                        )
                    )
    return problems
