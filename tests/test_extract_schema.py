"""The extractor's output contract: the schema, and the gold annotations held to it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sulh.agreement import load_agreement, shipped_agreement_path
from sulh.extract.score import EVENT_TYPES, date_span

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
GOLD = Path(__file__).with_name("data") / "extract" / "gold.jsonl"
SCHEMA = json.loads(files("sulh.extract").joinpath("events.schema.json").read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
AGREEMENT = load_agreement(shipped_agreement_path())
ACTORS = {actor.id for actor in AGREEMENT.actors}
PARTIES = {party.id for party in AGREEMENT.parties}
SENTENCE_END = '.!?”"'


def gold_lines() -> list[dict[str, Any]]:
    return [json.loads(text) for text in GOLD.read_text("utf-8").splitlines() if text.strip()]


def seed_text(stem: str) -> str:
    return (SEEDS / f"{stem}.txt").read_text("utf-8")


def gold_events() -> Iterator[tuple[str, int, dict[str, Any]]]:
    for line in gold_lines():
        for index, event in enumerate(line["events"]):
            yield line["id"], index, event


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def make_event(**overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "air_or_drone_strike",
        "status": "occurred",
        "date": "2025-10-15",
        "date_text": "last Wednesday",
        "background": False,
        "places": [
            {
                "name": "Kabul",
                "country": "AF",
                "admin1": "Kabul",
                "lat": 34.55,
                "lon": 69.21,
                "precision": "town",
            }
        ],
        "actor1": "pk-army",
        "actor2": None,
        "other_actors": [],
        "fatalities": [
            {
                "whose": "civilians",
                "side": "AF",
                "low": 24,
                "high": None,
                "qualifier": "at_least",
                "reported_by": "af-government",
            }
        ],
        "injured": [],
        "claims": [{"claimant": "af-government", "accused": ["pk-army"], "stance": "alleges"}],
        "evidence": [{"start": 0, "end": 80}],
        "confidence": 0.9,
    }
    event.update(overrides)
    return event


def make_line(**overrides: Any) -> dict[str, Any]:
    line: dict[str, Any] = {"id": "a1", "published": "2025-10-19", "events": [make_event()]}
    line.update(overrides)
    return line


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)


def test_the_scorer_knows_the_schemas_event_types() -> None:
    assert list(EVENT_TYPES) == SCHEMA["$defs"]["event"]["properties"]["type"]["enum"]


def test_gold_has_one_line_per_seed_article_with_its_publication_date() -> None:
    index = json.loads((SEEDS / "index.json").read_text("utf-8"))
    expected = {Path(a["file"]).stem: a["published"] for a in index["articles"]}
    lines = gold_lines()
    assert [line["id"] for line in lines] == sorted(expected)
    assert {line["id"]: line["published"] for line in lines} == expected
    assert all(line["events"] for line in lines)


@pytest.mark.parametrize("line", gold_lines(), ids=lambda line: line["id"])
def test_every_gold_line_validates(line: dict[str, Any]) -> None:
    VALIDATOR.validate(line)


@pytest.mark.parametrize("line", gold_lines(), ids=lambda line: line["id"])
def test_evidence_spans_are_sentences_of_the_seed_text(line: dict[str, Any]) -> None:
    text = seed_text(line["id"])
    for event in line["events"]:
        for span in event["evidence"]:
            start, end = span["start"], span["end"]
            assert 0 <= start < end <= len(text), span
            assert start == 0 or text[start - 1].isspace(), span
            assert end == len(text) or text[end].isspace() or text[end - 1] in SENTENCE_END, span
            assert not text[start].isspace() and not text[end - 1].isspace(), span


def test_gold_values_are_consistent_with_the_agreement_and_the_text() -> None:
    texts = {line["id"]: seed_text(line["id"]) for line in gold_lines()}
    for key, index, event in gold_events():
        where = f"{key} event {index}"
        actors = [event["actor1"], event["actor2"], *event["other_actors"]]
        assert {a for a in actors if a is not None} <= ACTORS, where
        for claim in event["claims"]:
            assert {claim["claimant"], *claim["accused"]} <= ACTORS, where
        for figure in event["fatalities"] + event["injured"]:
            assert figure["side"] is None or figure["side"] in PARTIES, where
            assert figure["reported_by"] is None or figure["reported_by"] in ACTORS, where
            if figure["low"] is not None and figure["high"] is not None:
                assert figure["low"] <= figure["high"], where
        if event["date"] is not None:
            date_span(event["date"])
            evidence = " ".join(texts[key][s["start"] : s["end"]] for s in event["evidence"])
            assert event["date_text"].casefold() in evidence.casefold(), where
        assert event["confidence"] == 1.0, where


def test_gold_copies_no_article_text() -> None:
    for line in gold_lines():
        text = seed_text(line["id"])
        for value in strings(line):
            assert len(value) < 40 or value not in text, value
        for event in line["events"]:
            assert event["date_text"] is None or len(event["date_text"].split()) <= 6


def test_a_complete_line_and_an_empty_one_validate() -> None:
    VALIDATOR.validate(make_line())
    VALIDATOR.validate({"id": "a2", "events": [], "language": "ur"})


def _set(path: str, value: Any) -> dict[str, Any]:
    line = make_line()
    target: Any = line
    *parents, last = path.split(".")
    for step in parents:
        target = target[int(step)] if step.isdigit() else target[step]
    target[last] = value
    return line


def _without(path: str) -> dict[str, Any]:
    line = make_line()
    *parents, last = path.split(".")
    target: Any = line
    for step in parents:
        target = target[int(step)] if step.isdigit() else target[step]
    del target[last]
    return line


INVALID = {
    "bad type": _set("events.0.type", "airstrike"),
    "bad status": _set("events.0.status", "happened"),
    "bad date": _set("events.0.date", "2025-10-9"),
    "date with slashes": _set("events.0.date", "2025/10/09"),
    "open period": _set("events.0.date", "2025-10-09/"),
    "bad published": _set("published", "19 October 2025"),
    "confidence 2": _set("events.0.confidence", 2),
    "negative confidence": _set("events.0.confidence", -0.1),
    "extra field on the line": _set("source", "npr"),
    "extra field on the event": _set("events.0.weapon", "drone"),
    "extra field on a place": _set("events.0.places.0.district", "Kabul"),
    "missing field": _without("events.0.claims"),
    "missing id": _without("id"),
    "date text without a date": _set("events.0.date", None),
    "lat without lon": _set("events.0.places.0.lon", None),
    "lowercase country": _set("events.0.places.0.country", "af"),
    "bad precision": _set("events.0.places.0.precision", "city"),
    "bad whose": _set("events.0.fatalities.0.whose", "soldiers"),
    "at_least with a high": _set("events.0.fatalities.0.high", 30),
    "exact without numbers": _set("events.0.fatalities.0.qualifier", "exact"),
    "negative figure": _set("events.0.fatalities.0.low", -1),
    "bad stance": _set("events.0.claims.0.stance", "confirms"),
    "accused not a list": _set("events.0.claims.0.accused", "pk-army"),
    "negative offset": _set("events.0.evidence.0.start", -1),
    "fractional offset": _set("events.0.evidence.0.end", 80.5),
    "no evidence": _set("events.0.evidence", []),
    "actor with a space": _set("events.0.actor1", "pk army"),
}


@pytest.mark.parametrize("line", INVALID.values(), ids=INVALID.keys())
def test_invalid_lines_fail(line: dict[str, Any]) -> None:
    # Exactly one error: each case breaks the valid line in one place and nowhere else.
    assert len(list(VALIDATOR.iter_errors(line))) == 1
