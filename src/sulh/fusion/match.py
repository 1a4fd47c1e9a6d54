"""Does an account tell of an incident already known? A score, its parts, and the reason in words.

Each part is a number from 0 to 1; a part the two sides cannot be compared on (no place on
one side, no text vector, an actor left unnamed) is left out rather than guessed, so an
account is matched only on what it has. Some differences rule a match out whatever the rest
says: days apart, far apart, a strike against a round of talks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sulh.fusion.accounts import Account
    from sulh.fusion.clusters import Cluster

ATTACH = 0.80  # the lowest score that attaches an account to an incident
# Without a place on both sides, only close wording tells two accounts apart.
UNPLACED_TEXT = 0.55
TEXT_FLOOR, TEXT_SPAN = 0.2, 0.6  # similarity 0.2 scores nothing, 0.8 and above scores 1
# Two descriptions of one happening share its facts; below this similarity they do not.
TEXT_VETO = 0.35
DESCRIPTIVE = frozenset({"media", "observation", "tip"})
TOLERANCE_DAYS = 1  # reports straddle midnight and time zones
EXTRA_KM = 40.0  # beyond both places' own uncertainty, decaying to nothing
WEIGHTS = {"time": 3.0, "place": 3.0, "type": 2.0, "actors": 1.0, "text": 2.0}

# Types that may be told of one happening in different words.
FAMILIES = {
    "armed_clash": "fighting",
    "shelling_artillery": "fighting",
    "cross_border_raid": "fighting",
    "armed_attack_by_militants": "fighting",
    "troop_movement": "fighting",
    "air_or_drone_strike": "strike",
    "remote_explosive_or_ied": "strike",
    "attack_on_civilians": "violence",
    "attack_on_monitors": "violence",
    "access_denial": "access",
    "border_crossing_closed": "crossing_closed",
    "border_crossing_reopened": "crossing_reopened",
    "ceasefire_agreed": "ceasefire",
    "ceasefire_extended": "ceasefire",
    "talks_held": "talks",
    "talks_failed": "talks",
    "hostile_rhetoric": "speech",
    "statement_or_accusation": "speech",
    "denial": "speech",
    "support_to_armed_group": "support",
    "other": "other",
}
VIOLENT_FAMILIES = frozenset({"fighting", "strike", "violence"})
AGREED = frozenset({"talks", "ceasefire"})
# Families that describe another happening rather than being one: they go with anything.
WILDCARD = frozenset({"speech", "other"})
LABELS = {
    "air_or_drone_strike": "air strikes",
    "armed_clash": "clashes",
    "shelling_artillery": "shelling",
    "border_crossing_closed": "crossing closures",
    "talks_held": "talks",
}


@dataclass(frozen=True, slots=True)
class Match:
    score: float
    reason: str


def family(event_type: str) -> str:
    return FAMILIES.get(event_type, "other")


def kindred(event_type: str) -> frozenset[str]:
    """The families an account of this type may be matched with (see `_type`)."""
    mine = family(event_type)
    if mine in WILDCARD:
        return frozenset(FAMILIES.values())
    return (VIOLENT_FAMILIES if mine in VIOLENT_FAMILIES else frozenset({mine})) | WILDCARD


def compare(account: Account, cluster: Cluster) -> Match | None:
    """The score and reason for attaching `account` to `cluster`, or None when ruled out."""
    if account.report_id in cluster.reports and family(account.type) in VIOLENT_FAMILIES:
        return None  # one article's two violent events: the extractor already told them apart
    parts: dict[str, float] = {}
    words: list[str] = []
    if not (_time(account, cluster, parts, words) and _type(account, cluster, parts, words)):
        return None
    if not _place(account, cluster, parts, words):
        return None
    _actors(account, cluster, parts, words)
    _text(account, cluster, parts, words)
    if "place" not in parts and parts.get("text", 0.0) < UNPLACED_TEXT:
        return None  # never forced into an incident on time and type alone
    if parts.pop("veto", None):
        return None
    total = sum(WEIGHTS[k] * v for k, v in parts.items()) / sum(WEIGHTS[k] for k in parts)
    return Match(round(total, 3), ", ".join(words))


def _time(account: Account, cluster: Cluster, parts: dict[str, float], words: list[str]) -> bool:
    gap = max(account.first_day - cluster.last_day, cluster.first_day - account.last_day, 0)
    if gap > TOLERANCE_DAYS:
        return False
    if not account.dated:
        words.append("undated")
        return True
    if gap:
        parts["time"] = 0.6
        words.append("a day apart")
    elif account.precise and cluster.precise:
        same = account.first_day == cluster.first_day and account.last_day == cluster.last_day
        parts["time"] = 1.0 if same else 0.85
        words.append("same day" if same else "overlapping days")
    else:
        parts["time"] = 0.7
        words.append("within the same period")
    return True


def _type(account: Account, cluster: Cluster, parts: dict[str, float], words: list[str]) -> bool:
    mine, theirs = family(account.type), cluster.family
    if mine in WILDCARD or theirs in WILDCARD:
        return True
    if account.type in cluster.types:
        parts["type"] = 1.0
        words.append(f"both {LABELS.get(account.type, account.type.replace('_', ' '))}")
        return True
    if mine == theirs or {mine, theirs} <= VIOLENT_FAMILIES:
        parts["type"] = 0.6 if mine == theirs else 0.35
        words.append(f"{account.type.replace('_', ' ')} beside {cluster.type.replace('_', ' ')}")
        return True
    return False


def _place(account: Account, cluster: Cluster, parts: dict[str, float], words: list[str]) -> bool:
    if not (account.located and cluster.located):
        words.append("place unknown" if not account.located else "incident has no place")
        return True
    assert account.lat is not None and account.lon is not None and account.radius_km is not None
    assert cluster.lat is not None and cluster.lon is not None and cluster.radius_km is not None
    distance = kilometres(account.lat, account.lon, cluster.lat, cluster.lon)
    reach = account.radius_km + cluster.radius_km
    if distance > reach + EXTRA_KM:
        return False
    parts["place"] = 1.0 if distance <= reach else 1.0 - 0.8 * (distance - reach) / EXTRA_KM
    words.append("same place" if distance < 1 else f"{distance:.0f} km apart")
    return True


def _actors(account: Account, cluster: Cluster, parts: dict[str, float], words: list[str]) -> None:
    if not (account.parties and cluster.parties) or family(account.type) in AGREED:
        return  # talks and ceasefires are between the parties: no side acts alone
    if account.parties & cluster.parties:
        parts["actors"] = 1.0
        words.append("same side accused")
    else:
        # Each side often blames the other for one exchange of fire.
        parts["actors"] = 0.4
        words.append("each side blamed")


def _text(account: Account, cluster: Cluster, parts: dict[str, float], words: list[str]) -> None:
    if account.vector is None or cluster.vector_sum is None or not cluster.vectors:
        return
    norm = float(np.linalg.norm(cluster.vector_sum))
    if norm == 0.0:
        return
    similarity = float(np.dot(account.vector, cluster.vector_sum)) / norm
    if similarity < TEXT_VETO and describes(account):
        parts["veto"] = 1.0
    parts["text"] = min(1.0, max(0.0, (similarity - TEXT_FLOOR) / TEXT_SPAN))
    words.append(f"similarity {similarity:.2f}")


def describes(account: Account) -> bool:
    """An account that describes rather than argues: a press report, a monitor's observation
    or a tip that takes no side. Complaints, denials and statements are worded as pleading,
    not as description, so their wording is no test of which happening they speak of."""
    return account.kind in DESCRIPTIVE and not account.claims


def kilometres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))
