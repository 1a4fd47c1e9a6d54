"""Score a fused timeline against a gold timeline: one row per real event, no more, no fewer.

A row matches a gold event when their types are compatible (equal, both violent, both talks,
or both a ceasefire), their days meet give or take a day, and, when both name places, they
share a place or one of them names only countries. Pairs are one to one, taken greedily:
exact type first, then the closest dates. Fragmentation counts the rows left over that would
have matched an event already taken (one event told as several incidents); merged counts the
events left over that a taken row would have matched (several events fused into one).

    python -m sulh.fusion.score GOLD.jsonl TIMELINE.json [--from 2025-01-01] [--to 2025-12-31]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sulh.errors import Invalid
from sulh.extract.score import date_span, fold_place

VIOLENT = frozenset(
    "armed_clash air_or_drone_strike shelling_artillery remote_explosive_or_ied"
    " attack_on_civilians armed_attack_by_militants".split()
)
COMPATIBLE = (
    VIOLENT,
    frozenset({"talks_held", "talks_failed"}),
    frozenset({"ceasefire_agreed", "ceasefire_extended"}),
)
# A country locates nothing finer: it agrees with any place.
COUNTRIES = frozenset({"afghanistan", "pakistan", "qatar", "turkey", "turkiye", "india", "china"})
SLACK = timedelta(days=1)  # reports straddle midnight and time zones
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


@dataclass(frozen=True, slots=True)
class Item:
    """One gold event or one timeline row, as matching sees it."""

    key: str
    type: str
    day: str
    first: date
    last: date
    places: frozenset[str]

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "date": self.day, "type": self.type, "places": sorted(self.places)}


@dataclass(frozen=True, slots=True)
class TimelineScore:
    pairs: tuple[tuple[Item, Item], ...]  # (gold, row)
    unmatched_gold: tuple[Item, ...]
    unmatched_rows: tuple[Item, ...]
    fragments: dict[str, list[str]]  # gold key: leftover rows that would have matched it
    merged: dict[str, list[str]]  # row key: leftover gold events it would have matched

    @property
    def precision(self) -> float | None:
        return _ratio(len(self.pairs), len(self.pairs) + len(self.unmatched_rows))

    @property
    def recall(self) -> float | None:
        return _ratio(len(self.pairs), len(self.pairs) + len(self.unmatched_gold))

    @property
    def f1(self) -> float | None:
        tp = len(self.pairs)
        return _ratio(2 * tp, 2 * tp + len(self.unmatched_rows) + len(self.unmatched_gold))

    def as_json(self) -> dict[str, Any]:
        return {
            "gold": len(self.pairs) + len(self.unmatched_gold),
            "rows": len(self.pairs) + len(self.unmatched_rows),
            "matched": len(self.pairs),
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "fragmentation": sum(len(v) for v in self.fragments.values()),
            "merged": sum(len(v) for v in self.merged.values()),
            "pairs": [{"gold": g.key, "row": r.key} for g, r in self.pairs],
            "unmatched_gold": [g.as_json() for g in self.unmatched_gold],
            "unmatched_rows": [r.as_json() for r in self.unmatched_rows],
            "fragments": self.fragments,
            "merged_into": self.merged,
        }


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def compatible(a: str, b: str) -> bool:
    """Whether two event types may name one happening."""
    return a == b or any(a in group and b in group for group in COMPATIBLE)


def matches(gold: Item, row: Item) -> bool:
    """Whether a timeline row may stand for a gold event."""
    if not compatible(gold.type, row.type):
        return False
    if row.first > gold.last + SLACK or gold.first > row.last + SLACK:
        return False
    if not (gold.places and row.places):
        return True
    if gold.places <= COUNTRIES or row.places <= COUNTRIES:
        return True
    return bool(gold.places & row.places)


def _rank(gold: Item, row: Item) -> tuple[bool, int]:
    gap = abs((gold.first - row.first).days) + abs((gold.last - row.last).days)
    return gold.type != row.type, gap


def item(raw: Mapping[str, Any], *, key: str) -> Item:
    """Read a gold event or a timeline row; the message names the row when it is malformed."""
    try:
        first, last = date_span(str(raw["date"]))
        places = frozenset(fold_place(str(p)) for p in raw.get("places") or ())
        return Item(key, str(raw["type"]), str(raw["date"]), first, last, places)
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid(f"Row '{key}' has no valid date and type ({exc}).") from None


def score_timeline(
    *,
    gold: Sequence[Mapping[str, Any]],
    rows: Sequence[Mapping[str, Any]],
    first: date = YEAR_2025[0],
    last: date = YEAR_2025[1],
) -> TimelineScore:
    """Match rows to gold events one to one, both kept to those meeting [first, last]."""
    golds = [item(g, key=str(g.get("id", n))) for n, g in enumerate(gold, 1)]
    found = [item(r, key=str(r.get("incident", n))) for n, r in enumerate(rows, 1)]
    golds = [g for g in golds if g.last >= first and g.first <= last]
    found = [r for r in found if r.last >= first and r.first <= last]
    candidates = sorted(
        ((i, j) for i, g in enumerate(golds) for j, r in enumerate(found) if matches(g, r)),
        key=lambda ij: (_rank(golds[ij[0]], found[ij[1]]), ij),
    )
    paired: dict[int, int] = {}  # gold index: row index
    best_gold: dict[int, int] = {}  # row index: the gold event it would match best
    best_row: dict[int, int] = {}
    for i, j in candidates:
        if i not in paired and j not in paired.values():
            paired[i] = j
        best_gold.setdefault(j, i)
        best_row.setdefault(i, j)
    taken = set(paired.values())
    # A leftover's best candidate is always taken: had it been free, greedy would have paired them.
    fragments = [
        (golds[i].key, found[j].key) for j, i in sorted(best_gold.items()) if j not in taken
    ]
    merged = [(found[j].key, golds[i].key) for i, j in sorted(best_row.items()) if i not in paired]
    return TimelineScore(
        pairs=tuple((golds[i], found[j]) for i, j in sorted(paired.items())),
        unmatched_gold=tuple(g for i, g in enumerate(golds) if i not in paired),
        unmatched_rows=tuple(r for j, r in enumerate(found) if j not in taken),
        fragments=_grouped(fragments),
        merged=_grouped(merged),
    )


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Read a JSON list of objects, or JSON Lines (blank lines skipped)."""
    text = path.read_text("utf-8")
    listed = text.lstrip().startswith("[")
    chunks = [(1, text)] if listed else [(n, t) for n, t in enumerate(text.splitlines(), 1)]
    rows: list[Any] = []
    for number, chunk in (c for c in chunks if c[1].strip()):
        try:
            value = json.loads(chunk)
        except json.JSONDecodeError as exc:
            raise Invalid(
                f"{path}:{number + exc.lineno - 1}: not valid JSON ({exc.msg})."
            ) from None
        rows.extend(value if listed and isinstance(value, list) else [value])
    if not all(isinstance(r, dict) for r in rows):
        raise Invalid(f"{path}: every row must be a JSON object.")
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line: score TIMELINE against GOLD and print a JSON summary; 0 on success."""
    parser = argparse.ArgumentParser(
        prog="python -m sulh.fusion.score",
        description="Score a timeline (sulh timeline --format json) against a gold timeline.",
        epilog="Example: python -m sulh.fusion.score timeline-gold.jsonl timeline.json",
    )
    parser.add_argument("gold", type=Path, help="gold timeline, one JSON object per line")
    parser.add_argument("timeline", type=Path, help="timeline rows, a JSON list or JSON Lines")
    day = date.fromisoformat
    parser.add_argument("--from", dest="first", type=day, default=YEAR_2025[0], help="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", type=day, default=YEAR_2025[1], help="YYYY-MM-DD")
    args = parser.parse_args(argv)
    try:
        result = score_timeline(
            gold=read_rows(args.gold),
            rows=read_rows(args.timeline),
            first=args.first,
            last=args.last,
        )
    except OSError as exc:
        sys.stderr.write(f"error: cannot read {exc.filename}: {exc.strerror}\n")
        return 2
    except Invalid as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        return 2
    sys.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
