"""Fusion in memory: accounts in, incidents out, comparing each account only with its block.

The same `compare` decides here and in the record (fusion.record); this engine is what a
batch run uses, when a whole archive is fused from scratch. An account is compared only with
incidents on its days (give or take a day) in its own and the nearby grid cells, or, when it
has no place, with incidents of its kind on its days. That blocking is what keeps a million
reports to minutes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sulh.fusion.accounts import Account
from sulh.fusion.clusters import MAX_SPAN_DAYS, Cluster, absorb, nearby_cells, start
from sulh.fusion.match import ATTACH, TOLERANCE_DAYS, WILDCARD, Match, compare, family, kindred

OPENS = "opened"
ATTACHED = "attached"
HELD = "held"


@dataclass(frozen=True, slots=True)
class Decision:
    """What became of one account."""

    outcome: str  # opened, attached or held
    incident: int | None
    match: Match | None = None
    reason: str = ""


def opens_incident(account: Account) -> str | None:
    """Why an account that matched nothing may not open an incident of its own, if it may not."""
    if family(account.type) in WILDCARD:
        return (
            "tells of no happening of its own kind (a statement, a denial, or an event of "
            "no known type) and matched none"
        )
    if not account.dated:
        return "gives no date of its own: it may join an incident, not open one"
    if account.last_day - account.first_day >= MAX_SPAN_DAYS:
        return (
            f"is dated no closer than {MAX_SPAN_DAYS} days: it may join an incident, not open one"
        )
    return None


def best_match(account: Account, candidates: Iterable[Cluster]) -> tuple[Cluster, Match] | None:
    """The highest-scoring candidate at or above the attach threshold; ties go to the oldest."""
    best: tuple[Cluster, Match] | None = None
    for cluster in candidates:
        match = compare(account, cluster)
        if match is None or match.score < ATTACH:
            continue
        if best is None or (match.score, -cluster.key) > (best[1].score, -best[0].key):
            best = (cluster, match)
    return best


class Fuser:
    """Incidents built from accounts as they come, with a day-by-cell blocking index."""

    def __init__(self) -> None:
        self.clusters: dict[int, Cluster] = {}
        self.members: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._by_place: dict[int, dict[int | None, set[int]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self._by_family: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))

    def add(self, account: Account) -> Decision:
        found = best_match(account, self.candidates(account))
        if found is not None:
            cluster, match = found
            self._unindex(cluster)
            absorb(cluster, account)
            self._index(cluster)
            self.members[cluster.key].append((account.report_id, account.event))
            return Decision(ATTACHED, cluster.key, match)
        refusal = opens_incident(account)
        if refusal is not None:
            return Decision(HELD, None, reason=refusal)
        cluster = start(len(self.clusters) + 1, account)
        self.clusters[cluster.key] = cluster
        self._index(cluster)
        self.members[cluster.key].append((account.report_id, account.event))
        return Decision(OPENS, cluster.key)

    def candidates(self, account: Account) -> Iterator[Cluster]:
        seen: set[int] = set()
        days = range(account.first_day - TOLERANCE_DAYS, account.last_day + TOLERANCE_DAYS + 1)
        for day in days:
            for key in self._block(account, day):
                if key not in seen:
                    seen.add(key)
                    yield self.clusters[key]

    def _block(self, account: Account, day: int) -> Iterator[int]:
        if account.located:
            cells = self._by_place.get(day)
            if cells:
                for cell in (*nearby_cells(account), None):
                    yield from cells.get(cell, ())
            return
        families = self._by_family.get(day)
        if not families:
            return
        for kin in kindred(account.type):
            yield from families.get(kin, ())

    def _index(self, cluster: Cluster) -> None:
        for day in range(cluster.first_day, cluster.last_day + 1):
            self._by_place[day][cluster.cell].add(cluster.key)
            self._by_family[day][cluster.family].add(cluster.key)

    def _unindex(self, cluster: Cluster) -> None:
        for day in range(cluster.first_day, cluster.last_day + 1):
            self._by_place[day][cluster.cell].discard(cluster.key)
            self._by_family[day][cluster.family].discard(cluster.key)


def fuse(accounts: Iterable[Account]) -> Fuser:
    """Fuse accounts from scratch, in the order given."""
    fuser = Fuser()
    for account in accounts:
        fuser.add(account)
    return fuser
