"""Controlled vocabularies shared by reports, incidents and findings."""

from __future__ import annotations

from typing import Literal

ReportKind = Literal["complaint", "observation", "statement", "media", "tip"]

EventType = Literal[
    "armed_clash",
    "air_or_drone_strike",
    "shelling_artillery",
    "remote_explosive_or_ied",
    "attack_on_civilians",
    "armed_attack_by_militants",
    "cross_border_raid",
    "troop_movement",
    "access_denial",
    "attack_on_monitors",
    "border_crossing_closed",
    "border_crossing_reopened",
    "hostile_rhetoric",
    "support_to_armed_group",
    "other",
]

TimePrecision = Literal["exact", "hour", "day", "week", "month"]
PlacePrecision = Literal["point", "town", "district", "province", "country"]
Target = Literal["security_forces", "civilians", "critical_infrastructure", "monitors", "other"]
CasualtyGroup = Literal["civilian", "security", "militant", "unknown"]
CasualtyOutcome = Literal["killed", "injured"]
Stance = Literal["alleges", "denies", "acknowledges", "neither_confirms_nor_denies"]
