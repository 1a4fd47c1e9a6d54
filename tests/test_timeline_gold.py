"""The gold timeline of the seed articles, its scorer, and the fused timeline scored against it."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sulh.cli import cli
from sulh.extract.score import EVENT_TYPES, date_span
from sulh.fusion.score import main, read_rows, score_timeline
from tests.test_extract_schema import SEEDS

GOLD_PATH = Path(__file__).with_name("data") / "fusion" / "timeline-gold.jsonl"
GOLD = read_rows(GOLD_PATH)
INDEX = json.loads((SEEDS / "index.json").read_text("utf-8"))["articles"]
ROW_KEYS = {
    "incident",
    "date",
    "type",
    "types",
    "places",
    "actors",
    "confidence",
    "confidence_rule",
    "casualties",
    "reports",
}
CONFIDENCE = {"confirmed", "fair", "weak", "contested", "discounted"}


def row(day: str, kind: str = "armed_clash", *places: str, key: int = 1) -> dict[str, Any]:
    return {"incident": key, "date": day, "type": kind, "places": list(places)}


def event(key: str, day: str, kind: str = "armed_clash", *places: str) -> dict[str, Any]:
    return {"id": key, "date": day, "type": kind, "places": list(places)}


def one(gold: dict[str, Any], found: dict[str, Any]) -> bool:
    return len(score_timeline(gold=[gold], rows=[found]).pairs) == 1


# The scorer, on examples small enough to work out by hand.


def test_the_gold_scored_against_itself_is_perfect() -> None:
    result = score_timeline(gold=GOLD, rows=GOLD).as_json()
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert result["fragmentation"] == result["merged"] == 0
    assert result["unmatched_gold"] == result["unmatched_rows"] == []


@pytest.mark.parametrize(
    ("gold_type", "row_type", "expected"),
    [
        ("armed_clash", "armed_clash", True),
        ("armed_clash", "air_or_drone_strike", True),
        ("shelling_artillery", "armed_attack_by_militants", True),
        ("talks_held", "talks_failed", True),
        ("ceasefire_agreed", "ceasefire_extended", True),
        ("ceasefire_agreed", "talks_held", False),
        ("armed_clash", "ceasefire_agreed", False),
        ("border_crossing_closed", "border_crossing_reopened", False),
        ("armed_clash", "statement_or_accusation", False),
    ],
)
def test_types_match_when_equal_or_of_one_kind(
    gold_type: str, row_type: str, expected: bool
) -> None:
    assert one(event("e", "2025-10-11", gold_type), row("2025-10-11", row_type)) is expected


@pytest.mark.parametrize(
    ("gold_day", "row_day", "expected"),
    [
        ("2025-10-11", "2025-10-12", True),
        ("2025-10-11", "2025-10-13", False),
        ("2025-10-17/2025-10-18", "2025-10-19", True),
        ("2025-10-17/2025-10-18", "2025-10-20/2025-10-30", False),
        ("2025-10-12/2025-10-19", "2025-10-01/2025-10-31", True),
    ],
)
def test_days_must_meet_give_or_take_one(gold_day: str, row_day: str, expected: bool) -> None:
    assert one(event("e", gold_day), row(row_day)) is expected


@pytest.mark.parametrize(
    ("gold_places", "row_places", "expected"),
    [
        (["Kabul"], ["Kabul", "Kandahar"], True),
        (["Kabul"], ["Kandahar"], False),
        (["Kandahar Province"], ["kandahar"], True),
        (["Paktika"], ["Pakistan", "Afghanistan"], True),
        (["Pakistan"], ["Paktika", "Doha"], True),
        (["Paktika"], [], True),
        (["Doha"], ["Istanbul", "Pakistan"], False),
    ],
)
def test_places_agree_when_shared_or_only_countries(
    gold_places: list[str], row_places: list[str], expected: bool
) -> None:
    gold = event("e", "2025-10-15", "air_or_drone_strike", *gold_places)
    assert one(gold, row("2025-10-15", "air_or_drone_strike", *row_places)) is expected


def test_pairs_prefer_the_same_type_then_the_closest_days() -> None:
    gold = [
        event("strike", "2025-10-15", "air_or_drone_strike", "Kabul"),
        event("clash", "2025-10-15", "armed_clash", "Kabul"),
        event("talks-1", "2025-10-18", "talks_held"),
        event("talks-2", "2025-10-19", "talks_held"),
    ]
    rows = [
        row("2025-10-15", "armed_clash", "Kabul", key=1),
        row("2025-10-15", "air_or_drone_strike", "Kabul", key=2),
        row("2025-10-19", "talks_held", key=3),
    ]
    result = score_timeline(gold=gold, rows=rows)
    assert {(g.key, r.key) for g, r in result.pairs} == {
        ("strike", "2"),
        ("clash", "1"),
        ("talks-2", "3"),
    }
    assert [g.key for g in result.unmatched_gold] == ["talks-1"]
    # The row was taken by the event of its own day; the other would have matched it too.
    assert result.merged == {"3": ["talks-1"]}
    assert result.precision == 1.0 and result.recall == 0.75
    assert result.f1 == round(6 / 7, 4)


def test_one_event_told_as_three_rows_is_one_hit_and_two_fragments() -> None:
    gold = [event("doha", "2025-10-19", "ceasefire_agreed", "Doha")]
    rows = [
        row("2025-10-19", "ceasefire_agreed", "Doha", key=7),
        row("2025-10-18/2025-10-20", "ceasefire_extended", key=8),
        row("2025-10-20", "ceasefire_agreed", "Pakistan", key=9),
        row("2025-10-19", "talks_held", "Doha", key=10),
    ]
    result = score_timeline(gold=gold, rows=rows).as_json()
    assert result["pairs"] == [{"gold": "doha", "row": "7"}]
    assert (result["matched"], result["rows"], result["gold"]) == (1, 4, 1)
    assert result["fragmentation"] == 2 and result["fragments"] == {"doha": ["8", "9"]}
    assert [r["key"] for r in result["unmatched_rows"]] == ["8", "9", "10"]
    assert result["precision"] == 0.25 and result["recall"] == 1.0 and result["f1"] == 0.4


def test_the_window_keeps_both_sides_to_its_days() -> None:
    gold = [event("old", "2014-12-16"), event("new", "2025-10-11")]
    rows = [row("2014-01-01/2014-12-31", key=1), row("2025-10-11", key=2), row("2026-01-02", key=3)]
    result = score_timeline(gold=gold, rows=rows)
    assert (len(result.pairs), result.precision, result.recall) == (1, 1.0, 1.0)
    narrow = score_timeline(gold=gold, rows=rows, first=date(2014, 1, 1), last=date(2014, 12, 31))
    assert [(g.key, r.key) for g, r in narrow.pairs] == [("old", "1")]


def test_nothing_to_score_gives_no_ratio_rather_than_zero() -> None:
    result = score_timeline(gold=[], rows=[])
    assert (result.precision, result.recall, result.f1) == (None, None, None)
    assert score_timeline(gold=[event("e", "2025-10-11")], rows=[]).recall == 0.0


def test_the_command_reads_a_json_list_or_lines_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed, lines = tmp_path / "timeline.json", tmp_path / "timeline.jsonl"
    rows = [row("2025-10-11", key=1), row("2025-10-30", "ceasefire_extended", "Istanbul", key=2)]
    listed.write_text(json.dumps(rows, indent=2), "utf-8")
    lines.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", "utf-8")
    for path in (listed, lines):
        assert main([str(GOLD_PATH), str(path), "--from", "2025-10-01", "--to", "2025-10-31"]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["matched"] == 2 and result["rows"] == 2
        october = [e for e in GOLD if date_span(e["date"])[1] >= date(2025, 10, 1)]
        assert result["gold"] == sum(date_span(e["date"])[0] <= date(2025, 10, 31) for e in october)


def test_the_command_refuses_a_bad_file_with_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"incident": 1, "type": "armed_clash", "date": "Oct 11"}]', "utf-8")
    assert main([str(GOLD_PATH), str(bad)]) == 2
    assert "Row '1' has no valid date" in capsys.readouterr().err
    bad.write_text(json.dumps(row("2025-10-11")) + "\n{not json\n", "utf-8")
    assert main([str(GOLD_PATH), str(bad)]) == 2
    assert "bad.json:2: not valid JSON" in capsys.readouterr().err
    assert main([str(GOLD_PATH), str(tmp_path / "missing.json")]) == 2


# The gold timeline itself.


def test_the_gold_is_well_formed() -> None:
    seeds = {item["file"][:-4] for item in INDEX}
    agreement = (Path(__file__).parents[1] / "agreements" / "af-pk-2025.yaml").read_text("utf-8")
    actors = set(re.findall(r"^  - id: (\S+)$", agreement, re.MULTILINE))
    keys = {"id", "date", "type", "places", "actors", "mentioned_in", "note"}
    assert len({e["id"] for e in GOLD}) == len(GOLD)
    for gold in GOLD:
        assert set(gold) == keys, gold["id"]
        first, last = date_span(gold["date"])
        assert date(2025, 1, 1) <= first <= last <= date(2025, 12, 31), gold["id"]
        assert gold["type"] in EVENT_TYPES, gold["id"]
        assert set(gold["actors"]) <= actors and gold["actors"], gold["id"]
        assert set(gold["mentioned_in"]) <= seeds and gold["mentioned_in"], gold["id"]
        assert all(isinstance(p, str) and p for p in gold["places"]), gold["id"]


def test_the_gold_copies_no_article_text() -> None:
    texts = [(SEEDS / item["file"]).read_text("utf-8").casefold() for item in INDEX]
    for gold in GOLD:
        words = gold["note"].casefold().split()
        for start in range(len(words) - 5):
            phrase = " ".join(words[start : start + 6])
            assert not any(phrase in text for text in texts), (gold["id"], phrase)


# End to end: the seed articles through ingest and fusion, scored against the gold.


def _seeds_jsonl(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for item in INDEX:
            text = (SEEDS / item["file"]).read_text("utf-8")
            record = {"id": item["file"][:-4], "outlet": item["outlet"], "text": text}
            out.write(json.dumps({**record, "published": item["published"]}) + "\n")
    return path


@pytest.mark.slow
def test_the_seed_timeline_has_the_promised_rows_and_scores_above_its_floor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env; empty settings mean SQLite in the data folder
    env = {"SULH_DATABASE_URL": "", "SULH_LOG_KEY": "", "SULH_DATA_DIR": ""}
    data = ["--data-dir", str(tmp_path / "data")]
    runner = CliRunner()
    for args in (["init"], ["ingest", str(_seeds_jsonl(tmp_path / "seeds.jsonl"))]):
        result = runner.invoke(cli, [*args, *data], env=env)
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["timeline", *data, "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows
    for found in rows:
        assert set(found) == ROW_KEYS, found
        date_span(found["date"])
        assert found["type"] in EVENT_TYPES and found["type"] in found["types"], found
        assert set(found["types"]) <= set(EVENT_TYPES), found
        assert all(isinstance(p, str) and p for p in found["places"]), found
        assert all(isinstance(a, str) and a for a in found["actors"]), found
        assert found["confidence"] in CONFIDENCE and found["confidence_rule"], found
        assert isinstance(found["casualties"], list), found
        assert found["reports"] and set(found["reports"]) <= set(range(1, len(INDEX) + 1))
    firsts = [date_span(found["date"])[0] for found in rows]
    assert firsts == sorted(firsts)
    scores = score_timeline(gold=GOLD, rows=rows)
    # Measured 2026-11-22: F1 0.743 with ATTACH 0.62 (16 rows in 2025, 13 of 19 matched:
    # undated accounts join incidents but open none, dated by the article's one dated event
    # of their kind; an article's violent events stay apart; talks span the days their
    # accounts give); F1 0.778 with ATTACH 0.80.
    assert scores.f1 is not None and scores.f1 >= 0.75, scores.as_json()
    assert scores.recall is not None and scores.recall >= 0.65, scores.as_json()
