"""Benchmark: reading the news. Speed on one core, peak memory, load time, and the seed scores.

The corpus is the five seed articles (read from ../shared/seeds, never copied) cut at sentence
ends into pieces of about 2,000 characters, repeated to `--articles`. `sulh extract --jsonl`
runs pinned to one core (taskset) in its own process; its wall time, CPU time and peak RSS
are measured from outside. Load time is measured inside a fresh process: from before the
first import of the extractor to the end of the first (short) article. The seed articles are
then extracted whole and scored against tests/data/extract/gold.jsonl.

Usage:
    .venv/bin/python bench/extract.py                  # 500 articles
    .venv/bin/python bench/extract.py --articles 2000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import harness

SEEDS = harness.ROOT.parent / "shared" / "seeds"
GOLD = harness.ROOT / "tests" / "data" / "extract" / "gold.jsonl"
GOALS = {"articles_per_s": 10.0, "peak_rss_mb": 600.0, "load_s": 3.0}
PIECE = 2000
LOAD_PROBE = """
import json, sys, time
start = time.perf_counter()
from sulh.agreement import load_agreement, shipped_agreement_path
from sulh.extract.articles import Article
from sulh.extract.pipeline import extract_article
agreement = load_agreement(shipped_agreement_path())
article = Article(id="probe", text="Pakistani drone strikes hit Khost on Monday.")
extract_article(article, agreement=agreement)
print(json.dumps({"load_s": time.perf_counter() - start}))
"""


def seed_articles() -> list[dict[str, Any]]:
    index = json.loads((SEEDS / "index.json").read_text("utf-8"))["articles"]
    return [
        {
            "id": item["file"][:-4],
            "outlet": item["outlet"],
            "published": item["published"],
            "text": (SEEDS / item["file"]).read_text("utf-8"),
        }
        for item in index
    ]


def pieces(articles: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """Cut the articles at sentence ends into ~2,000-character pieces; repeat to `count`."""
    cut: list[dict[str, Any]] = []
    for article in articles:
        text, start = article["text"], 0
        while start < len(text):
            end = text.find(". ", start + PIECE)
            end = len(text) if end < 0 else end + 1
            cut.append({**article, "id": f"{article['id']}-{start}", "text": text[start:end]})
            start = end
    return [{**cut[i % len(cut)], "id": f"a{i}"} for i in range(count)]


def write_jsonl(path: Path, items: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def speed(count: int) -> dict[str, Any]:
    corpus = pieces(seed_articles(), count)
    source = harness.WORK / "extract-corpus.jsonl"
    write_jsonl(source, corpus)
    chars = sum(len(item["text"]) for item in corpus)
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    measured = harness.measure(
        [*pin, str(harness.SULH), "extract", "--jsonl", str(source)],
        env=dict(os.environ),
        log=harness.WORK / "extract-speed.log",
    )
    if measured.returncode != 0:
        raise SystemExit(f"sulh extract failed; see {harness.WORK / 'extract-speed.log'}")
    return {
        "articles": count,
        "mean_chars": round(chars / count),
        "one_core": bool(pin),
        "wall_s": round(measured.wall_s, 2),
        "cpu_s": round(measured.cpu_s, 2),
        "articles_per_s": round(count / measured.wall_s, 1),
        "peak_rss_mb": round(measured.peak_rss_mb, 1),
    }


def load_time(runs: int = 3) -> dict[str, Any]:
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", LOAD_PROBE], capture_output=True, text=True, check=True
        )
        times.append(json.loads(done.stdout)["load_s"])
    return {"runs": [round(t, 3) for t in times], "load_s": round(min(times), 3)}


def seed_scores() -> dict[str, Any]:
    source = harness.WORK / "extract-seeds.jsonl"
    predicted = harness.WORK / "extract-seeds-predicted.jsonl"
    write_jsonl(source, seed_articles())
    with predicted.open("w") as out:
        subprocess.run(
            [str(harness.SULH), "extract", "--jsonl", str(source)], stdout=out, check=True
        )
    from sulh.extract.score import score

    gold = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    lines = [json.loads(line) for line in predicted.read_text("utf-8").splitlines()]
    every = score(gold=gold, predicted=lines)
    news = score(gold=gold, predicted=lines, include_background=False)
    print(every.as_text())
    return {
        "all_events": every.as_json() | {"pairs": None},
        "news_only": news.as_json() | {"pairs": None},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    harness.WORK.mkdir(parents=True, exist_ok=True)
    result = {
        "machine": harness.machine(harness.Target("sqlite", harness.WORK)),
        "speed": speed(args.articles),
        "load": load_time(),
        "seeds": seed_scores(),
    }
    result["goals_met"] = {
        "articles_per_s": result["speed"]["articles_per_s"] >= GOALS["articles_per_s"],
        "peak_rss_mb": result["speed"]["peak_rss_mb"] <= GOALS["peak_rss_mb"],
        "load_s": result["load"]["load_s"] <= GOALS["load_s"],
    }
    print(json.dumps({k: v for k, v in result.items() if k != "seeds"}, indent=2))
    print(f"Saved {harness.save('extract', result)}")


if __name__ == "__main__":
    main()
