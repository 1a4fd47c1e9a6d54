"""Casualty tolls for one row of an export: killed and injured, low, best and high.

Fusion reconciles each group's figures (fusion/casualties.py: one figure per origin,
partisan figures only when no one else gave one, never added across sources). An export
needs one number per outcome, as ACLED gives, so the groups are then combined here.
"""

from __future__ import annotations

from typing import NamedTuple

from sulh.fusion.casualties import Sourced, estimate


class Toll(NamedTuple):
    """People killed or injured: the reconciled low, best and high, summed over groups."""

    low: int | None = None
    best: int | None = None
    high: int | None = None


NO_TOLL = Toll()


# Groups that name who the people were; "unknown" may count people of any group.
_NAMED_GROUPS = frozenset({"civilian", "security", "militant"})


def tolls(figures: list[Sourced]) -> tuple[Toll, Toll]:
    """Killed and injured: each group's figures reconciled (fusion/casualties.py), then
    summed over the named groups. A figure for people of unknown group may count some of
    the same people, so it stands instead of that sum when larger, never beside it."""
    told: dict[tuple[str, str], list[Sourced]] = {}
    for sourced in figures:
        key = (sourced.figure.group, sourced.figure.outcome)
        if key in told:
            told[key].append(sourced)
        else:
            told[key] = [sourced]
    sums: dict[tuple[bool, str], Toll] = {}
    for (group, outcome), same in told.items():
        low, best, high, _ = estimate(same)
        named = group in _NAMED_GROUPS
        held = sums.get((named, outcome))
        if held is None:
            sums[named, outcome] = Toll(low, best, high)
        else:
            fold = _sum if named else _max
            sums[named, outcome] = Toll(
                fold(held[0], low), fold(held[1], best), fold(held[2], high)
            )
    return _toll(sums, "killed"), _toll(sums, "injured")


def _toll(sums: dict[tuple[bool, str], Toll], outcome: str) -> Toll:
    named, unknown = sums.get((True, outcome)), sums.get((False, outcome))
    if named is None or unknown is None:
        return named or unknown or NO_TOLL
    return Toll(_max(named[0], unknown[0]), _max(named[1], unknown[1]), _max(named[2], unknown[2]))


def _sum(a: int | None, b: int | None) -> int | None:
    return a if b is None else b if a is None else a + b


def _max(a: int | None, b: int | None) -> int | None:
    return a if b is None else b if a is None else max(a, b)
