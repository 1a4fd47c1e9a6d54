"""Candidate events: what the reader fills in, how mentions of one happening are merged, and
the output form (docs/extract.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sulh.extract.dates import DateSpan
from sulh.extract.figures import Figure
from sulh.extract.places import PlaceMention
from sulh.extract.triggers import VIOLENT


@dataclass
class Candidate:
    type: str
    status: str
    span: DateSpan | None
    date_text: str | None
    background: bool
    places: list[PlaceMention]
    actor1: str | None
    actor2: str | None
    others: list[str]
    figures: list[tuple[Figure, str | None, str | None]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[tuple[int, int]] = field(default_factory=list)
    sentence: int = 0
    at: int = 0  # where in its first sentence the event is told


def unique_places(places: list[PlaceMention]) -> list[PlaceMention]:
    seen: set[str] = set()
    kept = []
    for mention in places:
        if mention.place.id not in seen:
            seen.add(mention.place.id)
            kept.append(mention)
    return kept


def unique(ids: Any) -> list[str]:
    seen: list[str] = []
    for item in ids:
        if item is not None and item not in seen:
            seen.append(item)
    return seen


def merged(events: list[Candidate], *, party_of: Callable[[str], str | None]) -> list[Candidate]:
    """One event per happening, each typed by what the article as a whole says of it."""
    kept: list[Candidate] = []
    for event in events:
        same = next((k for k in kept if _same_happening(k, event)), None)
        if same is None:
            kept.append(event)
        else:
            _absorb(same, event)
    return [_retyped(e, party_of) for e in kept if not _campaign(e)]


def _campaign(event: Candidate) -> bool:
    # "TTP attacks have risen since 2021": militancy in general, not one attack. One attack
    # is told with a day, a place finer than a country, a toll or someone's claim about it.
    places = [p for p in event.places if p.place.precision != "country"]
    return event.type == "armed_attack_by_militants" and not (
        event.span or places or event.figures or event.claims
    )


def _retyped(event: Candidate, party_of: Callable[[str], str | None]) -> Candidate:
    # Blasts blamed on a state's forces are its remote strikes: states bomb from the air.
    blamed = [
        party_of(accused)
        for claim in event.claims
        if claim["stance"] == "alleges"
        for accused in claim["accused"]
    ]
    if event.type == "remote_explosive_or_ied" and any(blamed):
        event.type = "air_or_drone_strike"
    return event


def _same_happening(a: Candidate, b: Candidate) -> bool:
    if a.type != b.type or a.background != b.background or a.status != b.status:
        return False
    if a.span and b.span and (a.span.last < b.span.first or b.span.last < a.span.first):
        return False
    ids_a = {p.place.id for p in a.places} | {p.place.admin1 or "" for p in a.places}
    ids_b = {p.place.id for p in b.places} | {p.place.admin1 or "" for p in b.places}
    if ids_a and ids_b and not ids_a & ids_b:
        return False
    if a.type not in VIOLENT:
        return True
    # Fighting is told many times over; without a date or a place in common, only mentions
    # close together are taken to be one happening.
    return bool(a.span and b.span) or bool(ids_a & ids_b) or b.sentence - a.sentence <= 2


def _absorb(into: Candidate, event: Candidate) -> None:
    # A date is carried over only between mentions that share a place: nearby sentences
    # may tell two happenings, and a borrowed date would misdate one of them.
    shared = {p.place.id for p in into.places} & {p.place.id for p in event.places}
    if into.span is None and event.span is not None and (shared or into.type not in VIOLENT):
        into.span, into.date_text = event.span, event.date_text
    into.places = unique_places([*into.places, *event.places])
    into.actor1 = into.actor1 or event.actor1
    into.actor2 = into.actor2 or (event.actor2 if event.actor2 != into.actor1 else None)
    into.others = unique([*into.others, *event.others])
    into.figures.extend(f for f in event.figures if f not in into.figures)
    into.claims.extend(c for c in event.claims if c not in into.claims)
    into.evidence.extend(e for e in event.evidence if e not in into.evidence)


def as_json(event: Candidate) -> dict[str, Any]:
    actors = {event.actor1, event.actor2}
    fatalities: list[dict[str, object]] = []
    injured: list[dict[str, object]] = []
    for figure, side, reporter in event.figures:
        (fatalities if figure.kind == "fatalities" else injured).append(
            figure.as_json(side=side, reported_by=reporter)
        )
    confidence = (
        0.4
        + 0.2 * bool(event.span)
        + 0.2 * bool(event.places)
        + 0.1 * bool(event.actor1)
        + 0.05 * (len(event.evidence) > 1)
    )
    return {
        "type": event.type,
        "status": event.status,
        "date": event.span.as_text() if event.span else None,
        "date_text": event.date_text if event.span else None,
        "background": event.background,
        "places": [p.place.as_json() for p in event.places],
        "actor1": event.actor1,
        "actor2": event.actor2 if event.actor2 != event.actor1 else None,
        "other_actors": [a for a in event.others if a not in actors],
        "fatalities": fatalities,
        "injured": injured,
        "claims": event.claims,
        "evidence": [{"start": s, "end": e} for s, e in sorted(event.evidence)],
        "confidence": round(min(confidence, 0.95), 2),
    }
