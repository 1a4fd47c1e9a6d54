"""Deterministic, made-up report bodies for the benchmarks.

Every value is drawn from a seeded `random.Random`, so a seed always gives the same
reports. The words are invented for the benchmark; none of it describes a real event.
Each body is a valid `ReportCreate` an analyst may file (kinds media and statement).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

PKT = timezone(timedelta(hours=5))
# Reports fall between shortly after the ceasefire took effect and a fixed, past end.
FIRST_EVENT = datetime(2025, 10, 19, 6, 0, tzinfo=PKT)
LAST_EVENT = datetime(2026, 10, 31, 23, 0, tzinfo=PKT)

EVENT_TYPES = (
    "armed_clash",
    "air_or_drone_strike",
    "shelling_artillery",
    "remote_explosive_or_ied",
    "attack_on_civilians",
    "armed_attack_by_militants",
    "cross_border_raid",
    "troop_movement",
    "access_denial",
    "border_crossing_closed",
    "border_crossing_reopened",
    "hostile_rhetoric",
    "other",
)
# Actor and party ids of agreements/af-pk-2025.yaml, with the party each answers to.
PERPETRATORS = {
    "pk-army": "PK",
    "pk-frontier-corps": "PK",
    "pk-air-force": "PK",
    "af-forces": "AF",
    "af-government": "AF",
    "ttp": None,
    "hafiz-gul-bahadur": None,
    "iskp": None,
    "PK": "PK",
    "AF": "AF",
}
# (name, lat, lon): rough positions of border towns and districts.
PLACES = (
    ("Torkham", 34.11, 71.09),
    ("Chaman", 30.92, 66.45),
    ("Spin Boldak", 31.01, 66.40),
    ("Angoor Adda", 32.33, 69.31),
    ("Ghulam Khan", 33.17, 70.10),
    ("Kharlachi", 33.87, 70.03),
    ("Bajaur", 34.78, 71.53),
    ("Kurram", 33.73, 70.10),
    ("Khost", 33.34, 69.92),
    ("Paktika", 32.26, 68.52),
    ("Kunar", 34.85, 71.10),
    ("Nangarhar", 34.17, 70.62),
    ("North Waziristan", 32.98, 70.10),
    ("South Waziristan", 32.30, 69.60),
    ("Zhob", 31.34, 69.45),
)
TARGETS = ("security_forces", "civilians", "critical_infrastructure", "monitors", "other")
CASUALTIES = [
    (g, o) for g in ("civilian", "security", "militant", "unknown") for o in ("killed", "injured")
]
PRECISIONS = ("exact", "hour", "day", "day", "day", "week")
LANGUAGES = ("en", "en", "en", "en", "ps", "ur", "fa")
OUTLETS = ("Courier", "Herald", "Observer", "Bulletin", "Dispatch", "Chronicle", "Wire", "Radio")
REGIONS = ("Frontier", "Valley", "Border", "Highland", "Pass", "River", "Eastern", "Southern")

SUBJECTS = (
    "Residents",
    "Local elders",
    "A district official",
    "Shopkeepers",
    "Witnesses",
    "A hospital spokesperson",
    "Drivers at the crossing",
    "A village council",
)
VERBS = ("described", "reported", "said they heard", "counted", "photographed", "recalled")
OBJECTS = (
    "heavy gunfire near the ridge",
    "two explosions after dusk",
    "a convoy on the road",
    "damage to a market",
    "shells landing near fields",
    "a closed gate at the crossing",
    "drones circling for an hour",
    "families leaving the area",
    "smoke over the hills",
)
TAILS = (
    "before dawn.",
    "late in the evening.",
    "for most of the afternoon.",
    "according to several accounts.",
    "though details remain unclear.",
    "on two days.",
)


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"


def source_names(count: int = 300) -> list[str]:
    """A fixed pool of invented outlet names that reports cite as their source."""
    return [
        f"{REGIONS[i % len(REGIONS)]} {OUTLETS[(i // len(REGIONS)) % len(OUTLETS)]} {i:03d}"
        for i in range(count)
    ]


def report_body(rng: random.Random, number: int, *, key_prefix: str) -> dict[str, Any]:
    """One valid report body, as the API and `sulh import` take it."""
    span = (LAST_EVENT - FIRST_EVENT).total_seconds()
    start = FIRST_EVENT + timedelta(seconds=int(rng.random() * span))
    kind = "statement" if rng.random() < 0.25 else "media"
    event_type = "hostile_rhetoric" if kind == "statement" else rng.choice(EVENT_TYPES)
    body: dict[str, Any] = {
        "kind": kind,
        "event_time": start.isoformat(),
        "time_precision": rng.choice(PRECISIONS),
        "event_type": event_type,
        "text": " ".join(_sentence(rng) for _ in range(rng.randint(2, 12))),
        "language": rng.choice(LANGUAGES),
    }
    if rng.random() < 0.3:
        body["event_end"] = (start + timedelta(hours=rng.randint(1, 6))).isoformat()
    if rng.random() < 0.6:
        body["source"] = rng.choice(source_names())
    if rng.random() < 0.8:
        name, lat, lon = rng.choice(PLACES)
        body["place"] = {
            "name": name,
            "lat": round(lat + rng.uniform(-0.05, 0.05), 4),
            "lon": round(lon + rng.uniform(-0.05, 0.05), 4),
            "precision": "town",
        }
    if rng.random() < 0.85:
        body["alleged_perpetrator"] = rng.choice(list(PERPETRATORS))
    if kind == "media":
        body["targets"] = rng.sample(TARGETS, rng.randint(0, 2))
        body["casualties"] = [
            _casualty(rng, group, outcome)
            for group, outcome in rng.sample(CASUALTIES, rng.randint(0, 3))
        ]
    if rng.random() < 0.5:
        body["credibility"] = rng.randint(1, 6)
    if rng.random() < 0.5:
        body["idempotency_key"] = f"{key_prefix}-{number:08d}"
    return body


def _casualty(rng: random.Random, group: str, outcome: str) -> dict[str, Any]:
    best = rng.randint(0, 12)
    return {
        "group": group,
        "outcome": outcome,
        "low": max(0, best - rng.randint(0, 2)),
        "best": best,
        "high": best + rng.randint(0, 4),
    }


def report_bodies(count: int, *, seed: int, key_prefix: str = "bench") -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for number in range(count):
        yield report_body(rng, number, key_prefix=f"{key_prefix}-{seed}")


def write_jsonl(path: Path, count: int, *, seed: int) -> Path:
    """Write `count` report bodies to `path`, one JSON object per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for body in report_bodies(count, seed=seed):
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
    return path
