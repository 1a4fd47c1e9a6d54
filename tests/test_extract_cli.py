"""`sulh extract` on every kind of input the issue names, good and bad, checked by the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from sulh.cli import cli
from tests.test_extract_schema import SCHEMA, SEEDS

VALIDATOR = Draft202012Validator(SCHEMA)
INDEX = json.loads((SEEDS / "index.json").read_text("utf-8"))["articles"]

# Written for these tests; not from any article.
STRIKE = (
    "Afghan officials said Pakistani drone strikes hit two villages in Paktika province "
    "late on Tuesday night, killing at least nine civilians, including four children. "
    "Pakistan's military denied the claim and said only militant hideouts were targeted."
)
PAGE = f"""<!doctype html><html><head><title>Border news</title>
<script>var tracker = "airstrike clash killed 500";</script></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Strikes reported near the border</h1><p>{STRIKE}</p>
<p>Residents said funerals were held on Wednesday morning in the district centre.</p></article>
<footer>Copyright. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""
FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Frontier Wire</title><link>https://wire.example</link>
<description>News</description>
<item><title>Strikes</title><link>https://wire.example/1</link><guid>wire-1</guid>
<pubDate>Thu, 23 Oct 2025 08:00:00 GMT</pubDate><description>{STRIKE}</description></item>
<item><title>Talks</title><link>https://wire.example/2</link><guid>wire-2</guid>
<pubDate>Fri, 24 Oct 2025 08:00:00 GMT</pubDate>
<description>Delegations of both countries met in Istanbul on Friday for a second round of
talks on the ceasefire.</description></item>
</channel></rss>"""


def run(*args: str) -> tuple[int, list[dict[str, Any]], str]:
    result = CliRunner().invoke(cli, ["extract", *args])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    for line in lines:
        VALIDATOR.validate(line)
    return result.exit_code, lines, result.stderr


def seeds_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "seeds.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for item in INDEX:
            text = (SEEDS / item["file"]).read_text("utf-8")
            record = {"id": item["file"][:-4], "outlet": item["outlet"], "text": text}
            out.write(json.dumps({**record, "published": item["published"]}) + "\n")
    return path


def test_the_seed_articles_come_out_valid_with_events_pointing_at_their_text(
    tmp_path: Path,
) -> None:
    code, lines, _ = run("--jsonl", str(seeds_jsonl(tmp_path)))
    assert code == 0
    assert [line["id"] for line in lines] == [item["file"][:-4] for item in INDEX]
    for line, item in zip(lines, INDEX, strict=True):
        text = (SEEDS / item["file"]).read_text("utf-8")
        assert line["language"] == "en" and line["events"], line["id"]
        for event in line["events"]:
            for span in event["evidence"]:
                assert 0 <= span["start"] < span["end"] <= len(text)
            if event["date_text"]:
                assert any(
                    event["date_text"] in text[s["start"] : s["end"]] for s in event["evidence"]
                )


def test_one_file_with_a_publication_date(tmp_path: Path) -> None:
    path = tmp_path / "strike.txt"
    path.write_text(STRIKE, encoding="utf-8")
    code, [line], _ = run(str(path), "--published", "2025-10-23")
    assert code == 0 and line["id"] == "strike"
    strike = next(e for e in line["events"] if e["type"] == "air_or_drone_strike")
    assert strike["date"] == "2025-10-21" and strike["date_text"]
    assert [p["name"] for p in strike["places"]] == ["Paktika"]
    assert strike["actor1"] == "pk-army"
    figure = strike["fatalities"][0]
    assert (figure["whose"], figure["low"], figure["qualifier"]) == ("civilians", 9, "at_least")
    assert {(c["claimant"], c["stance"]) for c in strike["claims"]} >= {("pk-army", "denies")}


def test_without_a_publication_date_nothing_is_dated_by_weekday(tmp_path: Path) -> None:
    path = tmp_path / "strike.txt"
    path.write_text(STRIKE, encoding="utf-8")
    code, [line], _ = run(str(path))
    assert code == 0 and line["events"]
    assert all(event["date"] is None for event in line["events"])


def test_html_loses_its_scripts_and_navigation(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    code, [line], _ = run(str(path), "--published", "2025-10-23")
    assert code == 0
    types = [event["type"] for event in line["events"]]
    assert "air_or_drone_strike" in types
    figures = [f["low"] for e in line["events"] for f in e["fatalities"]]
    assert 500 not in figures  # the number in the script is not news


def test_a_feed_gives_one_line_per_entry_with_its_own_date(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(FEED, encoding="utf-8")
    code, lines, _ = run(str(path))
    assert code == 0
    assert [(line["id"], line["published"]) for line in lines] == [
        ("wire-1", "2025-10-23"),
        ("wire-2", "2025-10-24"),
    ]
    talks = [e for e in lines[1]["events"] if e["type"] == "talks_held"]
    assert talks and talks[0]["date"] == "2025-10-24"


def test_other_languages_are_named_and_get_no_events(tmp_path: Path) -> None:
    path = tmp_path / "ur.txt"
    path.write_text(
        "پاکستان اور افغانستان کے درمیان سرحدی جھڑپوں میں کئی فوجی ہلاک ہو گئے "
        "اور مذاکرات جاری ہیں۔",
        encoding="utf-8",
    )
    code, [line], _ = run(str(path), "--published", "2025-10-23")
    assert code == 0 and line["language"] == "ur" and line["events"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("Kämpfe an der Grenze".encode("latin-1"), "not UTF-8"),
        (b"Clashes at the border. " * 450_000, "at most 100,000"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, lines, stderr = run(str(path))
    assert code == 1 and lines == []
    assert message in stderr and "bad.txt" in stderr


def test_bad_jsonl_lines_are_named_and_the_rest_still_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "a", "published": "2025-10-23", "text": STRIKE}),
        "{not json",
        json.dumps({"id": "b", "text": 42}),
        json.dumps({"id": "c", "published": "yesterday", "text": STRIKE}),
        json.dumps({"id": "d", "published": "2025-10-24", "text": "The ceasefire held."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, stderr = run("--jsonl", str(path))
    assert code == 1
    assert [line["id"] for line in out] == ["a", "d"]
    for number in (2, 3, 4):
        assert f"line {number}" in stderr
    assert '"published" must be a date' in stderr


def test_one_input_is_required(tmp_path: Path) -> None:
    code, _, stderr = run()
    assert code == 1 and "Give one FILE or --jsonl FILE" in stderr


def test_a_side_describing_its_own_strike_acknowledges_it(tmp_path: Path) -> None:
    path = tmp_path / "own.txt"
    path.write_text(
        "A Pakistani military official said the air strikes on Khost on Sunday had hit "
        "militant hideouts only.",
        encoding="utf-8",
    )
    code, [line], _ = run(str(path), "--published", "2025-10-21")
    strike = next(e for e in line["events"] if e["type"] == "air_or_drone_strike")
    assert strike["date"] == "2025-10-19" and strike["actor1"] == "pk-army"
    assert {(c["claimant"], c["stance"]) for c in strike["claims"]} == {("pk-army", "acknowledges")}


@pytest.mark.parametrize(
    ("text", "types"),
    [
        # Blasts a state is blamed for are its strikes from the air.
        (
            "Explosions hit a market in Khost on Monday, and Afghanistan blamed Pakistan.",
            ["air_or_drone_strike"],
        ),
        (
            "Explosions hit a market in Khost on Monday, and the TTP was blamed.",
            ["remote_explosive_or_ied"],
        ),
        # Militancy in general is not one attack.
        ("Militant attacks have risen sharply across the province.", []),
        (
            "Militants attacked a police post in Bannu on Monday, killing two.",
            ["armed_attack_by_militants"],
        ),
    ],
)
def test_what_the_whole_sentence_says_decides_the_type(
    tmp_path: Path, text: str, types: list[str]
) -> None:
    path = tmp_path / "one.txt"
    path.write_text(text, encoding="utf-8")
    code, [line], _ = run(str(path), "--published", "2025-10-22")
    assert code == 0 and [e["type"] for e in line["events"]] == types
