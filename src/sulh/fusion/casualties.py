"""Casualties reconciled, not merged: low, best and high per group, every source's figure beside.

In the manner of the UCDP: each origin gives one figure per group and outcome (a wire story
reprinted ten times is one figure). The low estimate is the lowest and the high the highest
of the figures that are not partisan; the best is their median. A partisan figure (a party's
own account, its officials' or state media's) is kept and flagged, and decides the estimates
only when no one else gave a figure. Figures are never added across sources.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sulh.fusion.accounts import Figure

GROUPS = ("civilian", "security", "militant", "unknown")


@dataclass(frozen=True, slots=True)
class Sourced:
    """One source's figure, with where it came from."""

    report_id: int
    origin: str
    source: str
    figure: Figure
    partisan: bool


def partisan(
    origin: str,
    figure: Figure,
    parties: Iterable[str],
    party_of: Callable[[str], str | None] = lambda ref: None,
) -> bool:
    """A figure from a party's own mouth, or credited to a party or one of its actors."""
    if origin.startswith("party:"):
        return True
    credited = figure.reported_by or ""
    return credited in set(parties) or party_of(credited) is not None


def _value(figure: Figure) -> tuple[int | None, int | None, int | None]:
    low = figure.low if figure.low is not None else figure.best
    high = figure.high if figure.high is not None else figure.best
    return low, figure.best, high


def reconcile(figures: list[Sourced]) -> list[dict[str, Any]]:
    """One row per group and outcome told of, with the estimates and every figure beside."""
    rows: list[dict[str, Any]] = []
    keys = sorted(
        {(s.figure.group, s.figure.outcome) for s in figures},
        key=lambda k: (GROUPS.index(k[0]) if k[0] in GROUPS else 9, k[1]),
    )
    for group, outcome in keys:
        told = [s for s in figures if (s.figure.group, s.figure.outcome) == (group, outcome)]
        per_origin = _one_per_origin(told)
        neutral = [s for s in per_origin if not s.partisan] or per_origin
        lows = [v for s in neutral for v in [_value(s.figure)[0]] if v is not None]
        bests = [v for s in neutral for v in [_value(s.figure)[1]] if v is not None]
        # A floor ("at least 50") is also the least the high estimate can be.
        highs = [
            v
            for s in neutral
            for v in [_value(s.figure)[2] or _value(s.figure)[0]]
            if v is not None
        ]
        rows.append(
            {
                "group": group,
                "outcome": outcome,
                "low": min(lows) if lows else None,
                "best": int(statistics.median_low(bests)) if bests else None,
                "high": max(highs) if highs else None,
                "partisan_only": all(s.partisan for s in per_origin),
                "figures": [
                    {
                        "report": s.report_id,
                        "source": s.source,
                        "origin": s.origin,
                        "low": s.figure.low,
                        "best": s.figure.best,
                        "high": s.figure.high,
                        "side": s.figure.side,
                        "reported_by": s.figure.reported_by,
                        "partisan": s.partisan,
                    }
                    for s in told
                ],
            }
        )
    return rows


def _one_per_origin(told: list[Sourced]) -> list[Sourced]:
    """Each origin's figure: the one with a best estimate and the highest floor, if several."""
    chosen: dict[str, Sourced] = {}
    for sourced in told:
        held = chosen.get(sourced.origin)
        if held is None or _rank(sourced.figure) > _rank(held.figure):
            chosen[sourced.origin] = sourced
    return list(chosen.values())


def _rank(figure: Figure) -> tuple[bool, int]:
    low = figure.low if figure.low is not None else (figure.best or 0)
    return figure.best is not None, low
