"""Score extracted events against gold annotations, matching events the way ACLED does.

Both sides are output lines (see events.schema.json) keyed by "id". A predicted event matches
a gold one when the types are equal, the dates overlap and a place or an actor agrees; pairs
are one-to-one. The rule and every metric are documented in docs/extract.md ("Scoring").
It needs nothing but the standard library (and sulh.errors), so it runs unchanged on a
held-out set of real articles:

    python -m sulh.extract.score GOLD.jsonl PREDICTED.jsonl [--no-background] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sulh.errors import Invalid

# In the order of the schema's enum; reports list types in this order.
EVENT_TYPES = tuple(
    "armed_clash air_or_drone_strike shelling_artillery remote_explosive_or_ied"
    " attack_on_civilians armed_attack_by_militants ceasefire_agreed ceasefire_extended"
    " talks_held talks_failed border_crossing_closed border_crossing_reopened"
    " statement_or_accusation denial other".split()
)
PLACE_RADIUS_KM = 50.0
EARTH_RADIUS_KM = 6371.0088
_PLACE_SUFFIXES = frozenset({"province", "district"})
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:/(\d{4}-\d{2}-\d{2}))?$")


def _ratio(hits: int, total: int) -> float | None:
    return hits / total if total else None


@dataclass(frozen=True)
class Tally:
    """Matched (tp), unmatched predicted (fp) and unmatched gold (fn) events."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def as_json(self) -> dict[str, Any]:
        gold, predicted = self.tp + self.fn, self.tp + self.fp
        return {
            "gold": gold,
            "predicted": predicted,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Rate:
    """`hits` out of `total`: a rate that stays honest about its denominator."""

    hits: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return _ratio(self.hits, self.total)

    def as_json(self) -> dict[str, Any]:
        return {"hits": self.hits, "total": self.total, "rate": self.rate}


@dataclass(frozen=True)
class Pair:
    """A matched pair: positions of the events in their lines' "events" lists."""

    id: str
    gold: int
    predicted: int


@dataclass(frozen=True)
class Scores:
    """Everything `score` measures; `as_json` and `as_text` render it."""

    events: Tally
    by_type: dict[str, Tally]
    dates: Rate  # matched pairs whose date strings are equal
    figures: Rate  # gold figures in matched events, found exactly
    figures_overall: Rate  # the same hits over every gold figure
    stances: Rate  # gold claims in matched events with the same claimant and stance
    claimants: Rate  # gold claims in matched events whose claimant is found at all
    claims_overall: Rate  # stance hits over every gold claim
    articles: int
    missing: int  # gold ids with no predicted line (scored as no events)
    unknown: int  # predicted ids not in gold (ignored)
    include_background: bool
    pairs: tuple[Pair, ...]

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready report; ratios with an empty denominator are null."""
        return {
            "include_background": self.include_background,
            "articles": {
                "gold": self.articles,
                "missing_predictions": self.missing,
                "unknown_predicted_ids": self.unknown,
            },
            "events": self.events.as_json(),
            "by_type": {kind: tally.as_json() for kind, tally in self.by_type.items()},
            "dates_exact": self.dates.as_json(),
            "figures": {"exact": self.figures.as_json(), "recall": self.figures_overall.as_json()},
            "claims": {
                "stance_accuracy": self.stances.as_json(),
                "claimant_recall": self.claimants.as_json(),
                "recall": self.claims_overall.as_json(),
            },
            "pairs": [{"id": p.id, "gold": p.gold, "predicted": p.predicted} for p in self.pairs],
        }

    def as_text(self) -> str:
        """A report for people, one metric per line and a table by event type."""
        e = self.events
        scope = "background included" if self.include_background else "news only"
        lines = [
            f"Articles: {self.articles} gold ({self.missing} without predictions, "
            f"{self.unknown} predicted ids not in gold); {scope}",
            f"Events: {e.tp + e.fn} gold, {e.tp + e.fp} predicted, {e.tp} matched",
            f"  precision {_fmt(e.precision)}  recall {_fmt(e.recall)}  F1 {_fmt(e.f1)}",
            f"{'type':<26}{'gold':>6}{'pred':>6}{'match':>7}{'prec':>8}{'rec':>8}{'F1':>8}",
        ]
        for kind, t in self.by_type.items():
            lines.append(
                f"{kind:<26}{t.tp + t.fn:>6}{t.tp + t.fp:>6}{t.tp:>7}"
                f"{_fmt(t.precision):>8}{_fmt(t.recall):>8}{_fmt(t.f1):>8}"
            )
        lines += [
            _rate_line("Dates exact", self.dates, "matched pairs"),
            _rate_line("Figures exact", self.figures, "gold figures in matched events"),
            _rate_line("Figures recall", self.figures_overall, "gold figures"),
            _rate_line("Claim stance", self.stances, "gold claims in matched events"),
            _rate_line("Claimant found", self.claimants, "gold claims in matched events"),
            _rate_line("Claims recall", self.claims_overall, "gold claims"),
        ]
        return "\n".join(lines) + "\n"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _rate_line(label: str, rate: Rate, of: str) -> str:
    return f"{label + ':':<16}{rate.hits} of {rate.total} {of} ({_fmt(rate.rate)})"


@dataclass(frozen=True)
class _Place:
    name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class _Event:
    index: int
    type: str
    when: str | None  # the date string as written, compared exactly for the date metric
    span: tuple[date, date] | None
    places: tuple[_Place, ...]
    actors: frozenset[str]
    figures: frozenset[tuple[Any, ...]]
    claims: frozenset[tuple[Any, Any]]
    status: Any


def fold_place(name: str) -> str:
    """Fold a place name for comparison: case, diacritics, hyphens, province/district."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[\W_]+", " ", text).split()
    while len(words) > 1 and words[-1] in _PLACE_SUFFIXES:
        words.pop()
    return " ".join(words)


def date_span(value: str) -> tuple[date, date]:
    """Read "YYYY-MM-DD" or "YYYY-MM-DD/YYYY-MM-DD" as an inclusive (start, end) pair."""
    found = _DATE.match(value)
    if not found:
        raise ValueError(f"'{value}' is not YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD")
    start = date.fromisoformat(found[1])
    end = date.fromisoformat(found[2]) if found[2] else start
    if end < start:
        raise ValueError(f"'{value}' ends before it starts")
    return start, end


def _km(a: _Place, b: _Place) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _place_agrees(a: _Place, b: _Place) -> bool:
    if a.name and a.name == b.name:
        return True
    located = None not in (a.lat, a.lon, b.lat, b.lon)
    return located and bool(_km(a, b) <= PLACE_RADIUS_KM)


def _dates_overlap(g: _Event, p: _Event) -> bool:
    # A null date says "undated"; it can only stand for the same thing as another null.
    if g.span is None or p.span is None:
        return g.span is None and p.span is None
    return g.span[0] <= p.span[1] and p.span[0] <= g.span[1]


def _matches(g: _Event, p: _Event) -> bool:
    if g.type != p.type or not _dates_overlap(g, p):
        return False
    if g.actors & p.actors:
        return True
    return any(_place_agrees(a, b) for a in g.places for b in p.places)


def _quality(g: _Event, p: _Event) -> tuple[int, ...]:
    return (
        int(g.when == p.when),
        sum(any(_place_agrees(a, b) for b in p.places) for a in g.places),
        len(g.actors & p.actors),
        len(g.figures & p.figures),
        len(g.claims & p.claims),
        int(g.status == p.status),
    )


def _assign(golds: Sequence[_Event], preds: Sequence[_Event]) -> list[tuple[int, int]]:
    """Greedy by quality, then augmenting paths, so the number of pairs is the maximum."""
    options: dict[int, list[int]] = {}
    ranked: list[tuple[tuple[int, ...], int, int]] = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if _matches(g, p):
                ranked.append((_quality(g, p), gi, pi))
    ranked.sort(key=lambda r: (tuple(-q for q in r[0]), r[1], r[2]))
    partner: dict[int, int] = {}  # predicted position -> gold position
    taken: set[int] = set()
    for _, gi, pi in ranked:
        options.setdefault(gi, []).append(pi)
        if gi not in taken and pi not in partner:
            partner[pi] = gi
            taken.add(gi)

    def augment(gi: int, seen: set[int]) -> bool:
        for pi in options.get(gi, []):
            if pi not in seen:
                seen.add(pi)
                if pi not in partner or augment(partner[pi], seen):
                    partner[pi] = gi
                    return True
        return False

    for gi in range(len(golds)):
        if gi not in taken and augment(gi, set()):
            taken.add(gi)
    return sorted((gi, pi) for pi, gi in partner.items())


def _items(raw: Mapping[str, Any], key: str, *, where: str) -> list[Mapping[str, Any]]:
    items = raw.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise Invalid(f"{where} has a '{key}' that is not a list of objects.")
    return items


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _atom(value: Any) -> Any:
    # Hashable and exact: 24 and 24.0 are the same figure, a stray list is just text.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if value is None or isinstance(value, str | int | float) else repr(value)


def _event(raw: Any, *, index: int, where: str) -> _Event:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("type"), str):
        raise Invalid(f"{where} is not an object with a string 'type'.")
    value = raw.get("date")
    try:
        span = date_span(value) if value is not None else None
    except (TypeError, ValueError) as exc:
        raise Invalid(f"{where} has a bad date: {exc}.") from None
    places = tuple(
        _Place(fold_place(str(p.get("name") or "")), _number(p.get("lat")), _number(p.get("lon")))
        for p in _items(raw, "places", where=where)
    )
    actors = [raw.get("actor1"), raw.get("actor2"), *(raw.get("other_actors") or ())]
    figures = {
        (kind, *(_atom(f.get(k)) for k in ("whose", "low", "high", "qualifier")))
        for kind in ("fatalities", "injured")
        for f in _items(raw, kind, where=where)
    }
    claims = {
        (_atom(c.get("claimant")), _atom(c.get("stance")))
        for c in _items(raw, "claims", where=where)
    }
    return _Event(
        index=index,
        type=raw["type"],
        when=value,
        span=span,
        places=places,
        actors=frozenset(a for a in actors if isinstance(a, str)),
        figures=frozenset(figures),
        claims=frozenset(claims),
        status=raw.get("status"),
    )


def _by_id(lines: Iterable[Mapping[str, Any]], *, side: str) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for number, line in enumerate(lines, start=1):
        key = line.get("id") if isinstance(line, Mapping) else None
        if not isinstance(key, str) or not key:
            raise Invalid(f"The {side} line {number} has no string 'id'.")
        if key in found:
            raise Invalid(f"The {side} id '{key}' appears on more than one line.")
        events = line.get("events")
        if not isinstance(events, list):
            raise Invalid(f"The {side} line '{key}' has no 'events' list.")
        found[key] = events
    return found


def _events(raw: list[Any], *, key: str, side: str, background: bool) -> list[_Event]:
    return [
        _event(event, index=index, where=f"Event {index} of {side} line '{key}'")
        for index, event in enumerate(raw)
        if background or not (isinstance(event, Mapping) and event.get("background") is True)
    ]


def score(
    *,
    gold: Iterable[Mapping[str, Any]],
    predicted: Iterable[Mapping[str, Any]],
    include_background: bool = True,
) -> Scores:
    """Match predicted events to gold events article by article and measure the result.

    With include_background=False, events flagged background are dropped from both sides
    before matching, so only news is scored. A gold id with no predicted line counts as an
    article with no predicted events; predicted ids absent from gold are ignored and counted.
    Raises Invalid for a line without an id or events list, a repeated id, or a bad date.
    """
    gold_lines = _by_id(gold, side="gold")
    pred_lines = _by_id(predicted, side="predicted")
    gold_n: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    tp_n: Counter[str] = Counter()
    m = Counter[str]()  # the numerators and denominators of the rates, by name
    pairs: list[Pair] = []
    for key, raw_gold in gold_lines.items():
        golds = _events(raw_gold, key=key, side="gold", background=include_background)
        preds = _events(
            pred_lines.get(key, []), key=key, side="predicted", background=include_background
        )
        gold_n.update(g.type for g in golds)
        pred_n.update(p.type for p in preds)
        m["figures_all"] += sum(len(g.figures) for g in golds)
        m["claims_all"] += sum(len(g.claims) for g in golds)
        for gi, pi in _assign(golds, preds):
            g, p = golds[gi], preds[pi]
            tp_n[g.type] += 1
            pairs.append(Pair(key, g.index, p.index))
            found = {claimant for claimant, _ in p.claims}
            m["dates_hit"] += g.when == p.when
            m["pairs"] += 1
            m["figures_hit"] += len(g.figures & p.figures)
            m["figures"] += len(g.figures)
            m["stances_hit"] += len(g.claims & p.claims)
            m["claimants_hit"] += sum(claimant in found for claimant, _ in g.claims)
            m["claims"] += len(g.claims)
    kinds = [k for k in EVENT_TYPES if k in gold_n or k in pred_n]
    kinds += sorted((set(gold_n) | set(pred_n)) - set(kinds))  # types outside the list
    by_type = {k: Tally(tp_n[k], pred_n[k] - tp_n[k], gold_n[k] - tp_n[k]) for k in kinds}
    tp = sum(tp_n.values())
    return Scores(
        events=Tally(tp, sum(pred_n.values()) - tp, sum(gold_n.values()) - tp),
        by_type=by_type,
        dates=Rate(m["dates_hit"], m["pairs"]),
        figures=Rate(m["figures_hit"], m["figures"]),
        figures_overall=Rate(m["figures_hit"], m["figures_all"]),
        stances=Rate(m["stances_hit"], m["claims"]),
        claimants=Rate(m["claimants_hit"], m["claims"]),
        claims_overall=Rate(m["stances_hit"], m["claims_all"]),
        articles=len(gold_lines),
        missing=sum(k not in pred_lines for k in gold_lines),
        unknown=sum(k not in gold_lines for k in pred_lines),
        include_background=include_background,
        pairs=tuple(pairs),
    )


def read_lines(path: Path) -> list[Any]:
    """Read a JSON Lines file of output lines; blank lines are skipped."""
    lines: list[Any] = []
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                lines.append(json.loads(text))
            except json.JSONDecodeError as exc:
                raise Invalid(f"{path}:{number}: not valid JSON ({exc.msg}).") from None
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command line: score PREDICTED against GOLD and print the report; 0 on success."""
    parser = argparse.ArgumentParser(
        prog="python -m sulh.extract.score",
        description="Score extracted events against gold annotations (docs/extract.md).",
        epilog="Example: python -m sulh.extract.score gold.jsonl predicted.jsonl --json",
    )
    parser.add_argument("gold", type=Path, help="gold annotations, one JSON line per article")
    parser.add_argument("predicted", type=Path, help="extractor output, one JSON line per article")
    parser.add_argument(
        "--no-background",
        action="store_true",
        help="drop events flagged background on both sides (score news only)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        result = score(
            gold=read_lines(args.gold),
            predicted=read_lines(args.predicted),
            include_background=not args.no_background,
        )
    except OSError as exc:
        sys.stderr.write(f"error: cannot read {exc.filename}: {exc.strerror}\n")
        return 2
    except Invalid as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps(result.as_json(), indent=2) + "\n")
    else:
        sys.stdout.write(result.as_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
