"""Clusters: what fusion knows of an incident while matching, and the blocks it is filed under.

An incident takes its time and place from its most precise account: a report dated to the day
outranks one dated to the week, a village outranks a province. Its text vector is the sum of
its accounts' unit vectors, so similarity to it is similarity to their mean direction.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sulh.fusion.match import WILDCARD, family

if TYPE_CHECKING:
    import numpy as np

    from sulh.fusion.accounts import Account

CELL_DEGREES = 1.0  # blocking grid: about 110 km north-south
# The widest window an incident keeps (a month); blocking looks this far back for overlaps.
MAX_SPAN_DAYS = 31
LARGEST_RADIUS_KM = 150.0


@dataclass(slots=True)
class Cluster:
    key: int
    first_day: int
    last_day: int
    precise: bool
    dated: bool
    lat: float | None
    lon: float | None
    radius_km: float | None
    types: Counter[str] = field(default_factory=Counter)
    parties: set[str] = field(default_factory=set)
    places: list[str] = field(default_factory=list)
    vector_sum: np.ndarray | None = field(default=None, repr=False)
    vectors: int = 0
    reports: set[int] = field(default_factory=set)  # whose accounts it holds

    @property
    def located(self) -> bool:
        return self.radius_km is not None

    @property
    def type(self) -> str:
        """The type most of its accounts give, preferring what happened over what was said."""
        ranked = sorted(self.types.items(), key=lambda kv: (family(kv[0]) in WILDCARD, -kv[1]))
        return ranked[0][0] if ranked else "other"

    @property
    def family(self) -> str:
        return family(self.type)

    @property
    def cell(self) -> int | None:
        return cell_of(self.lat, self.lon) if self.located else None


def start(key: int, account: Account) -> Cluster:
    cluster = Cluster(
        key=key,
        first_day=account.first_day,
        last_day=min(account.last_day, account.first_day + MAX_SPAN_DAYS - 1),
        precise=account.precise,
        dated=account.dated,
        lat=account.lat,
        lon=account.lon,
        radius_km=account.radius_km,
    )
    absorb(cluster, account)
    return cluster


def absorb(cluster: Cluster, account: Account) -> None:
    """Add an account; take its time or place when they are more precise than the cluster's."""
    if account.dated and family(account.type) == "talks" and cluster.dated:
        # A round of talks lasts days, and accounts tell of different days of it.
        first = min(cluster.first_day, account.first_day)
        last = min(max(cluster.last_day, account.last_day), first + MAX_SPAN_DAYS - 1)
        cluster.first_day, cluster.last_day = first, last
        cluster.precise = cluster.precise and account.precise and last - first <= 1
    elif account.dated and (not cluster.dated or _narrower(account, cluster)):
        cluster.first_day, cluster.last_day = account.first_day, account.last_day
        cluster.precise, cluster.dated = account.precise, True
    if account.located and (
        not cluster.located or (account.radius_km or 0) < (cluster.radius_km or 0)
    ):
        cluster.lat, cluster.lon, cluster.radius_km = account.lat, account.lon, account.radius_km
    cluster.reports.add(account.report_id)
    cluster.types[account.type] += 1
    cluster.parties |= account.parties
    cluster.places.extend(p for p in account.places if p not in cluster.places)
    if account.vector is not None:
        vector = account.vector.astype("float32")
        cluster.vector_sum = vector if cluster.vector_sum is None else cluster.vector_sum + vector
        cluster.vectors += 1


def _narrower(account: Account, cluster: Cluster) -> bool:
    return account.last_day - account.first_day < cluster.last_day - cluster.first_day


def cell_of(lat: float | None, lon: float | None) -> int | None:
    if lat is None or lon is None:
        return None
    return _cell(math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES))


def nearby_cells(account: Account) -> list[int]:
    """The grid cells whose incidents could lie within reach of a located account."""
    assert account.lat is not None and account.lon is not None
    from sulh.fusion.match import EXTRA_KM

    reach = (account.radius_km or 0) + LARGEST_RADIUS_KM + EXTRA_KM
    dlat = reach / 111.0
    dlon = reach / (111.0 * max(0.2, math.cos(math.radians(account.lat))))
    rows = range(
        math.floor((account.lat - dlat) / CELL_DEGREES),
        math.floor((account.lat + dlat) / CELL_DEGREES) + 1,
    )
    cols = range(
        math.floor((account.lon - dlon) / CELL_DEGREES),
        math.floor((account.lon + dlon) / CELL_DEGREES) + 1,
    )
    return [_cell(r, c) for r in rows for c in cols]


def _cell(row: int, col: int) -> int:
    return (row + 90) * 1000 + (col + 180) % 360
