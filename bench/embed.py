"""Benchmark: sentence embeddings. Model load time, texts per second, peak memory.

512 news-like texts of about 60 words (`--texts`), made up from seeded templates, are
embedded by `sulh.fusion.embed` at batch 32 (`--batch`), each configuration in a fresh
process of its own so that its peak RSS (`resource.getrusage`) is its own:

- one thread: pinned to core 0 (taskset) with OpenBLAS, OpenMP and the tokenizer's
  thread pool limited to one thread;
- default threads: whatever NumPy's BLAS and the tokenizer choose (here, one per core).

Each process times the load (from before the import to the end of building the Embedder,
weights read from the page cache after the first run), one warm-up pass over 32 texts,
then `--runs` timed passes over all the texts; the best pass gives texts/s.

Usage:
    .venv/bin/python bench/embed.py
    .venv/bin/python bench/embed.py --texts 2048 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from typing import Any

import harness

ONE_THREAD = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "RAYON_NUM_THREADS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}
WORKER = """
import json, resource, sys, time
start = time.perf_counter()
from sulh.fusion.embed import Embedder
embedder = Embedder()
load_s = time.perf_counter() - start
texts, batch, runs = json.loads(sys.stdin.read())
embedder.embed(texts[:32], batch=batch)
passes = []
for _ in range(runs):
    start = time.perf_counter()
    embedder.embed(texts, batch=batch)
    passes.append(time.perf_counter() - start)
import numpy
blas = numpy.__config__.CONFIG["Build Dependencies"]["blas"]
print(json.dumps({
    "load_s": round(load_s, 3),
    "passes_s": [round(p, 3) for p in passes],
    "texts_per_s": round(len(texts) / min(passes), 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6, 1),
    "blas": f"{blas['name']} {blas['version']}",
}))
"""

WHO = (
    "Local officials",
    "Residents",
    "A police spokesman",
    "Two witnesses",
    "Hospital staff",
    "A district elder",
    "The provincial governor",
    "Security sources",
    "A monitoring team",
)
ACTOR = (
    "soldiers",
    "border guards",
    "militants",
    "an armed drone",
    "artillery units",
    "unidentified gunmen",
    "fighter jets",
    "a patrol",
)
ACT = (
    "opened fire on",
    "shelled",
    "struck",
    "attacked",
    "raided",
    "fired rockets at",
    "surrounded",
    "blocked the road to",
)
TARGET = (
    "a checkpoint",
    "a village compound",
    "a market",
    "a border post",
    "a fuel depot",
    "a school building",
    "a convoy of trucks",
    "farmland",
    "a mosque",
    "a police station",
)
WHEN = (
    "late on Tuesday",
    "shortly before dawn",
    "on Friday evening",
    "overnight",
    "during morning prayers",
    "early on Sunday",
    "in the afternoon",
)
AFTER = ("Three people were killed and five wounded, according to the hospital.",
         "No casualties were reported, but several houses were damaged.",
         "The crossing was closed to traffic for the rest of the day.",
         "Families began leaving the area in cars and on foot.",
         "The army said it had responded to fire from across the line.",
         "A spokesman for the other side denied any involvement.",
         "Talks due to resume in the capital next week may now be delayed.",
         "Observers asked both sides to respect the terms of the truce.",
         "Traders said the market would stay shut until security improved.",
         "Officials promised an investigation and compensation for the victims.")  # fmt: skip


def news_texts(count: int, *, seed: int = 7) -> list[str]:
    """`count` made-up news leads of about 60 words each, the same for a given seed."""
    rng = random.Random(seed)
    places = [place[0] for place in _places()]
    texts = []
    for _ in range(count):
        words = [
            f"{rng.choice(WHO)} said {rng.choice(ACTOR)} {rng.choice(ACT)} {rng.choice(TARGET)}"
            f" near {rng.choice(places)} {rng.choice(WHEN)}."
        ]
        while sum(len(part.split()) for part in words) < rng.randint(52, 66):
            words.append(rng.choice(AFTER))
        texts.append(" ".join(words))
    return texts


def _places() -> tuple[tuple[str, float, float], ...]:
    import datagen

    return datagen.PLACES


def run(texts: list[str], *, batch: int, runs: int, one_thread: bool) -> dict[str, Any]:
    env = dict(os.environ, **(ONE_THREAD if one_thread else {}))
    pin = ["taskset", "-c", "0"] if one_thread and shutil.which("taskset") else []
    done = subprocess.run(
        [*pin, sys.executable, "-c", WORKER],
        input=json.dumps([texts, batch, runs]),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return {"one_thread": one_thread, "pinned": bool(pin), **json.loads(done.stdout)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=512)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    harness.WORK.mkdir(parents=True, exist_ok=True)
    texts = news_texts(args.texts)
    from sulh.fusion.embed import MAX_TOKENS, embedder

    tokens = [len(e.ids) for e in embedder()._tokenizer.encode_batch(texts)]
    result: dict[str, Any] = {
        "machine": harness.machine(harness.Target("sqlite", harness.WORK)),
        "texts": args.texts,
        "batch": args.batch,
        "mean_words": round(sum(len(t.split()) for t in texts) / len(texts), 1),
        "mean_tokens": round(sum(tokens) / len(tokens), 1),
        "truncated": sum(t >= MAX_TOKENS for t in tokens),
        "configurations": [
            run(texts, batch=args.batch, runs=args.runs, one_thread=one) for one in (True, False)
        ],
    }
    print(f"{args.texts} texts, {result['mean_words']} words and {result['mean_tokens']} "
          f"tokens on average, batch {args.batch}")  # fmt: skip
    print(f"{'threads':<16}{'load s':>8}{'texts/s':>10}{'peak MB':>10}  passes s")
    for c in result["configurations"]:
        name = "one (core 0)" if c["one_thread"] else "default"
        print(f"{name:<16}{c['load_s']:>8}{c['texts_per_s']:>10}{c['peak_rss_mb']:>10}  "
              f"{c['passes_s']}")  # fmt: skip
    print(json.dumps(result))
    print(f"Saved {harness.save('embed', result)}")


if __name__ == "__main__":
    main()
