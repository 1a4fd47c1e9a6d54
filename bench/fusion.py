"""Benchmark: fusing accounts into incidents. B-cubed quality against known truth, speed, memory.

The accounts come from `fusion_data.Stream` (seeded; the Pakistan–Afghanistan border; see
its docstring for the noise and the decoys) and are fused from scratch by
`sulh.fusion.engine.fuse`, in arrival order, in this process. Quality is B-cubed precision,
recall and F1 over (report_id, event) items; an item the engine held (put in no incident)
counts as an incident of its own. The errors are then split into merges (items in an
incident whose main event is another) and splits (items away from their event's main
incident), each broken down by the noise the items carry.

With `--vectors model` the accounts are generated first, their texts embedded with
`sulh.fusion.embed` (cached in bench/.work by the texts' digest, so a rerun skips the
model), and the list fused. With `--vectors synthetic` or `calibrated` (stand-ins for the
model; see fusion_data) they are generated a day at a time while fusing, so memory holds
the engine's state and one day's accounts; the time spent generating is measured and taken
out of the fusion time. Peak RSS is the process's `ru_maxrss` just after fusion, before
scoring.

Usage:
    .venv/bin/python bench/fusion.py --reports 20000 --vectors model
    .venv/bin/python bench/fusion.py --reports 1000000 --vectors synthetic
    .venv/bin/python bench/fusion.py --reports 1000000 --vectors calibrated
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import fusion_data
import harness
import numpy as np

from sulh.fusion.accounts import Account
from sulh.fusion.engine import Fuser, fuse

GOALS = {"f1": 0.95, "seconds_for_a_million": 600.0, "peak_rss_mb": 2000.0}


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


def bcubed(predicted: Sequence[int] | np.ndarray, truth: Sequence[int] | np.ndarray) -> Scores:
    """B-cubed precision, recall and F1 of item labels: predicted incident, true event.

    For each item, precision is the share of its incident that tells of its event and
    recall the share of its event's items in its incident; both are averaged over items.
    """
    p_ids = np.unique(np.asarray(predicted, dtype=np.int64), return_inverse=True)[1]
    t_ids = np.unique(np.asarray(truth, dtype=np.int64), return_inverse=True)[1]
    if p_ids.size == 0:
        return Scores(1.0, 1.0, 1.0)
    pairs = p_ids * (int(t_ids.max()) + 1) + t_ids
    _, pair_ids, pair_sizes = np.unique(pairs, return_inverse=True, return_counts=True)
    overlap = pair_sizes[pair_ids]
    precision = float(np.mean(overlap / np.bincount(p_ids)[p_ids]))
    recall = float(np.mean(overlap / np.bincount(t_ids)[t_ids]))
    return Scores(precision, recall, 2 * precision * recall / (precision + recall))


def labels(fuser: Fuser, truth: fusion_data.Truth) -> np.ndarray:
    """Each item's incident key; a held item gets a negative label of its own."""
    predicted = np.zeros(len(truth), dtype=np.int64)
    for key, items in fuser.members.items():
        for report_id, event in items:
            predicted[truth.index(report_id, event)] = key
    held = predicted == 0
    predicted[held] = -np.arange(1, int(held.sum()) + 1)
    return predicted


# --- running ----------------------------------------------------------------------------------


def run(*, reports: int, vectors: str, seed: int, per_day: float) -> dict[str, Any]:
    clock = {"generate_s": 0.0, "embed_s": 0.0, "model_load_s": 0.0}
    stream = fusion_data.Stream(
        reports=reports,
        seed=seed,
        vectors="none" if vectors == "model" else vectors,
        per_day=per_day,
    )
    accounts: Sequence[Account] | Iterator[Account]
    streamed = vectors in ("synthetic", "calibrated")
    if streamed:
        accounts = _timed(stream, clock)
    else:
        started = time.perf_counter()
        accounts = list(stream.accounts())
        clock["generate_s"] = time.perf_counter() - started
        if vectors == "model":
            _embed(accounts, clock)
    rss_before = _peak_rss_mb()
    started = time.perf_counter()
    fuser = fuse(accounts)
    fusion_s = time.perf_counter() - started - (clock["generate_s"] if streamed else 0)
    peak = _peak_rss_mb()
    truth = stream.truth
    predicted = labels(fuser, truth)
    events = np.asarray(truth.event, dtype=np.int64)
    scores = bcubed(predicted, events)
    return {
        "reports": len(truth.first) - 1,
        "items": len(truth),
        "events": int(np.unique(events).size),
        "incidents": len(fuser.clusters),
        "held": int((predicted < 0).sum()),
        "days": int(truth.day[-1] - truth.day[0] + 1),
        "bcubed": {k: round(getattr(scores, k), 4) for k in ("precision", "recall", "f1")},
        "fusion_s": round(fusion_s, 2),
        "reports_per_s": round((len(truth.first) - 1) / fusion_s),
        "items_per_s": round(len(truth) / fusion_s),
        "generate_s": round(clock["generate_s"], 2),
        "embed_s": round(clock["embed_s"], 2),
        "model_load_s": round(clock["model_load_s"], 2),
        "peak_rss_mb_before_fusion": round(rss_before, 1),
        "peak_rss_mb": round(peak, 1),
        "errors": errors(predicted, events, truth),
    }


def _timed(stream: fusion_data.Stream, clock: dict[str, float]) -> Iterator[Account]:
    """The stream's accounts, a day at a time, adding the time spent making them to `clock`."""
    chunks = stream.chunks()
    while True:
        started = time.perf_counter()
        chunk = next(chunks, None)
        clock["generate_s"] += time.perf_counter() - started
        if chunk is None:
            return
        yield from chunk


def _embed(accounts: list[Account], clock: dict[str, float]) -> None:
    texts = [a.text for a in accounts]
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    cache = harness.WORK / f"fusion-vectors-{digest}.npy"
    if cache.exists():
        vectors = np.load(cache)
    else:
        started = time.perf_counter()
        from sulh.fusion.embed import embedder

        model = embedder()
        clock["model_load_s"] = time.perf_counter() - started
        started = time.perf_counter()
        vectors = model.embed(texts)
        clock["embed_s"] = time.perf_counter() - started
        harness.WORK.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors)
    for account, vector in zip(accounts, vectors, strict=True):
        account.vector = vector


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # KiB on Linux


# --- what went wrong --------------------------------------------------------------------------


def errors(predicted: np.ndarray, events: np.ndarray, truth: fusion_data.Truth) -> dict[str, Any]:
    """Merges and splits, and the noise the items in them carry.

    An event's main incident is the one holding most of its items; an item elsewhere is a
    split. An incident's main event is the one most of its items tell of; an item of
    another event in it is a merge, described by how its event stands to the main one.
    """
    tags = np.asarray(truth.tags, dtype=np.int64)
    home = _majority(events, predicted)  # each item's event's main incident
    main = _majority(predicted, events)  # each item's incident's main event
    split, merged = predicted != home, events != main
    incident_ids = np.unique(predicted, return_inverse=True)[1]
    alone = np.bincount(incident_ids)[incident_ids] == 1
    return {
        "split_items": int(split.sum()),
        "split_held": int((split & (predicted < 0)).sum()),
        "split_alone": int((split & (predicted > 0) & alone).sum()),
        "split_into_other_event": int((split & merged).sum()),
        "merged_items": int(merged.sum()),
        "merged_by_relation": _relations(events[merged], main[merged], truth),
        "by_tag": _by_tag(tags, split, merged),
    }


def _majority(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each item, the value most items with its key have (ties: the smallest value)."""
    key_set, key_ids = np.unique(keys, return_inverse=True)
    value_set, value_ids = np.unique(values, return_inverse=True)
    pairs, counts = np.unique(key_ids * value_set.size + value_ids, return_counts=True)
    pair_keys, pair_values = pairs // value_set.size, pairs % value_set.size
    order = np.lexsort((pair_values, -counts, pair_keys))
    ranked = pair_keys[order]
    first = order[np.r_[True, ranked[1:] != ranked[:-1]]]
    best = np.empty(key_set.size, dtype=np.int64)
    best[pair_keys[first]] = value_set[pair_values[first]]
    return best[key_ids]


def _relations(mine: np.ndarray, main: np.ndarray, truth: fusion_data.Truth) -> dict[str, int]:
    """How each merged item's event stands to the incident's main event."""
    group = np.asarray(truth.group)
    day = np.asarray(truth.day)
    kind = np.asarray(truth.type)
    lat, lon = np.asarray(truth.lat, dtype=np.float64), np.asarray(truth.lon, dtype=np.float64)
    km = np.hypot((lat[mine] - lat[main]) * 111.0,
                  (lon[mine] - lon[main]) * 111.0 * np.cos(np.radians(lat[main])))  # fmt: skip
    gap = np.abs(day[mine] - day[main])
    decoy = group[mine] == group[main]
    out: dict[str, int] = {"decoy pair": int(decoy.sum())}
    rest = ~decoy
    same_type = kind[mine] == kind[main]
    for label, mask in (
        ("other, same type", rest & same_type),
        ("other, another type", rest & ~same_type),
    ):
        for span, near in (("≤1 day", gap <= 1), (">1 day", gap > 1)):
            for reach, close in (("≤60 km", km <= 60), ("60–200 km", (km > 60) & (km <= 200)),
                                 (">200 km", km > 200)):  # fmt: skip
                count = int((mask & near & close).sum())
                if count:
                    out[f"{label}, {span}, {reach}"] = count
    return out


def _by_tag(tags: np.ndarray, split: np.ndarray, merged: np.ndarray) -> dict[str, dict[str, Any]]:
    out = {}
    for name, bit in fusion_data.TAG.items():
        has = (tags & bit) != 0
        count = int(has.sum())
        if count:
            out[name] = {
                "items": count,
                "split": int((has & split).sum()),
                "merged": int((has & merged).sum()),
            }
    return out


# --- output -----------------------------------------------------------------------------------


def table(result: dict[str, Any]) -> str:
    b = result["bcubed"]
    rows = [
        ("reports / items", f"{result['reports']:,} / {result['items']:,}"),
        ("true events / days", f"{result['events']:,} / {result['days']:,}"),
        ("incidents / held items", f"{result['incidents']:,} / {result['held']:,}"),
        ("B-cubed P / R / F1", f"{b['precision']:.4f} / {b['recall']:.4f} / {b['f1']:.4f}"),
        ("generation", f"{result['generate_s']:.1f} s"),
        ("embedding (model load)", f"{result['embed_s']:.1f} s ({result['model_load_s']:.1f} s)"),
        ("fusion", f"{result['fusion_s']:.1f} s: {result['reports_per_s']:,} reports/s, "
                   f"{result['items_per_s']:,} accounts/s"),
        ("peak RSS before / after fusion",
         f"{result['peak_rss_mb_before_fusion']:.0f} / {result['peak_rss_mb']:.0f} MB"),
    ]  # fmt: skip
    e = result["errors"]
    lines = [f"{name:<32} {value}" for name, value in rows]
    lines.append(
        f"\nsplit items: {e['split_items']:,} (held {e['split_held']:,}, alone "
        f"{e['split_alone']:,}, in another event's incident {e['split_into_other_event']:,}); "
        f"merged items: {e['merged_items']:,}"
    )
    lines.append("merged, by how the item's event stands to the incident's main event:")
    for relation, count in sorted(e["merged_by_relation"].items(), key=lambda kv: -kv[1]):
        lines.append(f"  {relation:<42} {count:>8,}")
    lines.append(f"{'noise':<16} {'items':>9} {'split':>8} {'rate':>6} {'merged':>8} {'rate':>6}")
    for name, c in e["by_tag"].items():
        lines.append(
            f"{name:<16} {c['items']:>9,} {c['split']:>8,} {c['split'] / c['items']:>6.1%}"
            f" {c['merged']:>8,} {c['merged'] / c['items']:>6.1%}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument(
        "--vectors", choices=("model", "synthetic", "calibrated", "none"), default="synthetic"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-day", type=float, default=fusion_data.PER_DAY,
                        help="true events a day in the region (default %(default)s)")  # fmt: skip
    args = parser.parse_args()
    machine = harness.machine(harness.Target("sqlite", harness.WORK))
    result = run(reports=args.reports, vectors=args.vectors, seed=args.seed, per_day=args.per_day)
    result = {"vectors": args.vectors, "seed": args.seed, "per_day": args.per_day, **result}
    result["goals_met"] = {
        "f1": result["bcubed"]["f1"] >= GOALS["f1"],
        "peak_rss_mb": result["peak_rss_mb"] <= GOALS["peak_rss_mb"],
    }
    if args.reports >= 1_000_000:
        result["goals_met"]["time"] = result["fusion_s"] <= GOALS["seconds_for_a_million"]
    result["machine"] = machine | {"fusion_digest": fusion_digest()}
    print(table(result))
    print(json.dumps({k: v for k, v in result.items() if k not in ("errors", "machine")}))
    name = f"fusion-{args.vectors}-{args.reports}"
    if args.per_day != fusion_data.PER_DAY or args.seed != 1:
        name += f"-{args.per_day:g}perday-seed{args.seed}"
    print(f"Saved {harness.save(name, result)}")


def fusion_digest() -> str:
    """Which matching code was measured: src/sulh/fusion changes while others work on it."""
    digest = hashlib.sha256()
    for path in sorted((harness.ROOT / "src" / "sulh" / "fusion").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


if __name__ == "__main__":
    main()
