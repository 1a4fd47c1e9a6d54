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
from typing import Any, NamedTuple

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
        found = estimate(told)
        rows.append(
            {
                "group": group,
                "outcome": outcome,
                "low": found.low,
                "best": found.best,
                "high": found.high,
                "partisan_only": found.partisan_only,
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


class Estimate(NamedTuple):
    low: int | None
    best: int | None
    high: int | None
    partisan_only: bool


def estimate(told: list[Sourced]) -> Estimate:
    """The estimates from the figures of one group and outcome (see the module's rule)."""
    if len(told) == 1:  # most often; what the general rule gives for one figure, faster
        low, best, high = _value(told[0].figure)
        return Estimate(low, best, high or low, told[0].partisan)
    per_origin = _one_per_origin(told)
    neutral = [s for s in per_origin if not s.partisan] or per_origin
    values = [_value(s.figure) for s in neutral]
    lows = [low for low, _, _ in values if low is not None]
    bests = [best for _, best, _ in values if best is not None]
    # A floor ("at least 50") is also the least the high estimate can be.
    highs = [v for low, _, high in values if (v := high or low) is not None]
    return Estimate(
        min(lows) if lows else None,
        int(statistics.median_low(bests)) if bests else None,
        max(highs) if highs else None,
        all(s.partisan for s in per_origin),
    )


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
