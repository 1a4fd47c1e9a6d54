"""What a rule found in the record: one would-be alert, with only what its tier may read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sulh.access.roles import TIER_ORDER, Tier
from sulh.agreement.model import Agreement
from sulh.clock import as_utc
from sulh.errors import Invalid
from sulh.store.tables import Incident


@dataclass(frozen=True)
class Candidate:
    """An alert a rule would raise. `key` names the rule and the subject (and, for counts,
    the incident that tipped it), so that the same alert is never raised twice."""

    key: str
    subject: str
    values: dict[str, str]  # what the rule's title template may use
    description: str
    area: dict[str, Any] | None = None


def tiers_from(tier: str) -> list[str]:
    """`tier` and every wider one: what a reader (or subscriber) of `tier` may see."""
    try:
        start = TIER_ORDER.index(Tier(tier))
    except ValueError:
        names = ", ".join(str(t) for t in TIER_ORDER)
        raise Invalid(f"tier: one of {names}, not {tier!r}.") from None
    return [str(t) for t in TIER_ORDER[start:]]


def when(moment: datetime) -> str:
    return f"{as_utc(moment):%Y-%m-%d %H:%M} UTC"


def name_of(agreement: Agreement, ref: str | None) -> str:
    """A party's or actor's name as the agreement gives it; what a finding names otherwise."""
    if ref is None:
        return "no one named"
    for party in (*agreement.parties, *agreement.guarantors):
        if party.id == ref:
            return party.name
    actor = agreement.actor(ref)
    return actor.name if actor is not None else ref


def place_of(incident: Incident) -> dict[str, Any] | None:
    """The incident's place as a CAP area (a point), when it has one."""
    if incident.latitude is None or incident.longitude is None:
        return None
    desc = incident.place_name or f"{incident.latitude:.3f}, {incident.longitude:.3f}"
    return {"desc": desc, "circles": [[incident.latitude, incident.longitude, 0.0]]}
