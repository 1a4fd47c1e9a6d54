"""Incidents in ACLED's terms: its column names, event types and precision codes.

Tools built for ACLED's data (the Armed Conflict Location & Event Data project) read a CSV
by column name, so an export uses ACLED's name wherever a Sulh field means the same thing,
and maps Sulh's event types onto ACLED's types and sub-event types. Sulh's own columns
follow, named `sulh_…`, so nothing ACLED-shaped changes meaning. docs/exports.md explains
each column and the mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sulh.outputs.incident_rows import IncidentRow
from sulh.outputs.tolls import Toll

BATTLES, REMOTE, CIVILIANS, STRATEGIC = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
)
VIOLENCE = "Political violence"

# Sulh's event type → (ACLED event_type, sub_event_type). Types ACLED does not code as
# violence (statements, crossings, troop movements, talks) fall under its catch-all,
# Strategic developments / Other; the sulh_event_type column keeps the original.
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "armed_clash": (BATTLES, "Armed clash"),
    "armed_attack_by_militants": (BATTLES, "Armed clash"),
    "cross_border_raid": (BATTLES, "Armed clash"),
    "air_or_drone_strike": (REMOTE, "Air/drone strike"),
    "shelling_artillery": (REMOTE, "Shelling/artillery/missile attack"),
    "remote_explosive_or_ied": (REMOTE, "Remote explosive/landmine/IED"),
    "attack_on_civilians": (CIVILIANS, "Attack"),
    "attack_on_monitors": (CIVILIANS, "Attack"),
    "ceasefire_agreed": (STRATEGIC, "Agreement"),
    "ceasefire_extended": (STRATEGIC, "Agreement"),
}
OTHER = (STRATEGIC, "Other")

# ACLED's time_precision: 1 the day is known, 2 the week, 3 only the month.
TIME_PRECISION = {"exact": 1, "hour": 1, "day": 1, "week": 2, "month": 3}
# ACLED's geo_precision, from how far Sulh says the place may lie from its point
# (fusion's RADIUS_KM): 1 a town or closer, 2 a district, 3 a province.
TOWN_KM, DISTRICT_KM = 10.0, 35.0


def acled_type(event_type: str) -> tuple[str, str, str]:
    """(disorder_type, event_type, sub_event_type) for one of Sulh's event types."""
    kind, sub = EVENT_TYPES.get(event_type, OTHER)
    return (STRATEGIC if kind == STRATEGIC else VIOLENCE), kind, sub


def time_precision(row: IncidentRow) -> int:
    if not row.dated:
        return 3  # the source gave no date: the window is a guess
    return TIME_PRECISION.get(row.time_precision, 3)


def geo_precision(row: IncidentRow) -> int | None:
    if row.latitude is None or row.longitude is None:
        return None
    radius = row.radius_km
    if radius is None:
        return 3
    return 1 if radius <= TOWN_KM else 2 if radius <= DISTRICT_KM else 3


@dataclass(frozen=True)
class Area:
    country: str | None
    admin1: str | None


@lru_cache(maxsize=16384)
def area_of(place_name: str | None) -> Area:
    """The country and first-level division of a place, from the gazetteer: the place it
    knows by that name, else the first it finds named in it ("Kharlachi bazaar, Kurram")."""
    if not place_name:
        return Area(None, None)
    from sulh.extract.places import gazetteer  # 0.8 s to load: only when an export runs

    places = gazetteer()
    place = next(iter(places.lookup(place_name)), None)
    if place is None:
        place = next((m.place for m in places.find(place_name)), None)
    if place is None:
        return Area(None, None)
    return Area(_countries().get(place.country, place.country), place.admin1 or None)


@cache
def _countries() -> dict[str, str]:
    from sulh.extract.places import gazetteer

    return {p.country: p.name for p in gazetteer() if p.kind == "country"}


def fatalities(row: IncidentRow) -> int:
    """ACLED's fatalities: the reconciled best estimate, or the floor where the sources
    gave only one ("at least 5"), or 0 when none gave a figure, as ACLED codes it."""
    return _best(row.killed) or 0


def _best(estimate: Toll) -> int | None:
    return estimate.best if estimate.best is not None else estimate.low


def party_names(row: IncidentRow) -> dict[str, str]:
    """Party id → name in the incident's agreement version."""
    key = (row.agreement.id, row.agreement.version)
    names = _PARTY_NAMES.get(key)
    if names is None:
        names = _PARTY_NAMES[key] = {p.id: p.name for p in row.agreement.parties}
    return names


_PARTY_NAMES: dict[tuple[str, int], dict[str, str]] = {}


@dataclass(frozen=True)
class Column:
    name: str
    hxl: str  # its HXL hashtag and attributes
    text: bool = False  # may hold text from outside Sulh's vocabularies


COLUMNS: tuple[Column, ...] = (
    Column("event_id_cnty", "#event+id", text=True),
    Column("event_date", "#date+occurred"),
    Column("year", "#date+year"),
    Column("time_precision", "#meta+precision+time"),
    Column("disorder_type", "#event+type+disorder"),
    Column("event_type", "#event+type"),
    Column("sub_event_type", "#event+type+sub"),
    Column("actor1", "#actor+name+accused", text=True),
    Column("actor2", "#actor+name+complainant", text=True),
    Column("civilian_targeting", "#event+civilian_targeting"),
    Column("country", "#country+name", text=True),
    Column("admin1", "#adm1+name", text=True),
    Column("location", "#loc+name", text=True),
    Column("latitude", "#geo+lat"),
    Column("longitude", "#geo+lon"),
    Column("geo_precision", "#meta+precision+geo"),
    Column("source", "#meta+source", text=True),
    Column("notes", "#description+notes", text=True),
    Column("fatalities", "#affected+killed"),
    Column("timestamp", "#meta+timestamp+opened"),
    # Sulh's own, after ACLED's.
    Column("sulh_incident_id", "#event+id+sulh"),
    Column("sulh_event_type", "#event+type+sulh", text=True),
    Column("sulh_date_last", "#date+occurred+end"),
    Column("sulh_fatalities_low", "#affected+killed+min"),
    Column("sulh_fatalities_high", "#affected+killed+max"),
    Column("sulh_injured", "#affected+injured"),
    Column("sulh_confidence", "#status+confidence", text=True),
    Column("sulh_confidence_rule", "#status+confidence+rule", text=True),
    Column("sulh_tier", "#meta+tier", text=True),
    Column("sulh_case_state", "#status+case", text=True),
    Column("sulh_accused_party", "#actor+code+accused", text=True),
    Column("sulh_complainant_party", "#actor+code+complainant", text=True),
)
NAMES = tuple(c.name for c in COLUMNS)
HASHTAGS = tuple(c.hxl for c in COLUMNS)
TEXT = tuple(i for i, c in enumerate(COLUMNS) if c.text)


def cells(row: IncidentRow) -> list[Any]:
    """The row's values in COLUMNS order: numbers as numbers, None where unknown.

    One function rather than one per column: an export calls it a million times."""
    disorder, kind, sub = acled_type(row.event_type)
    area = area_of(row.place_name)
    parties = party_names(row)
    accused, complainant = row.accused_party, row.complainant_party
    first, last = row.first_day, row.last_day
    return [
        f"{row.agreement.id}-{row.id}",
        first.isoformat(),
        first.year,
        time_precision(row),
        disorder,
        kind,
        sub,
        parties.get(accused, accused) if accused else None,
        parties.get(complainant, complainant) if complainant else None,
        "Civilian targeting" if row.event_type == "attack_on_civilians" else None,
        area.country,
        area.admin1,
        row.place_name,
        _coordinate(row.latitude),
        _coordinate(row.longitude),
        geo_precision(row),
        "; ".join(row.sources) or None,
        row.title,
        fatalities(row),
        int(row.opened_at.timestamp()),
        row.id,
        row.event_type,
        last.isoformat() if last != first else None,
        row.killed.low,
        row.killed.high,
        _best(row.injured),
        row.confidence,
        row.confidence_rule,
        row.tier,
        row.case_state,
        accused,
        complainant,
    ]


def _coordinate(value: float | None) -> float | None:
    # Six decimals is about 10 cm: finer than any place Sulh records.
    return None if value is None else round(value, 6)
