"""The scorer: ACLED-style matching, one-to-one pairs, and every metric it reports."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sulh.errors import Invalid
from sulh.extract.score import Scores, date_span, fold_place, main, read_lines, score

GOLD = Path(__file__).with_name("data") / "extract" / "gold.jsonl"
KABUL = {
    "name": "Kabul",
    "country": "AF",
    "admin1": "Kabul",
    "lat": 34.555,
    "lon": 69.207,
    "precision": "town",
}


def place(name: str, lat: float | None = None, lon: float | None = None) -> dict[str, Any]:
    precision = "country" if lat is None else "town"
    return {
        "name": name,
        "country": "AF",
        "admin1": None,
        "lat": lat,
        "lon": lon,
        "precision": precision,
    }


def figure(
    whose: str, low: int | None, high: int | None, qualifier: str, **more: Any
) -> dict[str, Any]:
    return {
        "whose": whose,
        "side": None,
        "low": low,
        "high": high,
        "qualifier": qualifier,
        "reported_by": None,
        **more,
    }


def claim(claimant: str, stance: str, *accused: str) -> dict[str, Any]:
    return {"claimant": claimant, "accused": list(accused) or ["pk-army"], "stance": stance}


def make_event(**overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "air_or_drone_strike",
        "status": "occurred",
        "date": "2025-10-09",
        "date_text": "Oct. 9",
        "background": False,
        "places": [KABUL],
        "actor1": "pk-army",
        "actor2": None,
        "other_actors": [],
        "fatalities": [],
        "injured": [],
        "claims": [],
        "evidence": [{"start": 0, "end": 10}],
        "confidence": 1.0,
    }
    event.update(overrides)
    return event


def line(key: str, *events: dict[str, Any]) -> dict[str, Any]:
    return {"id": key, "events": list(events)}


def one(gold: dict[str, Any], predicted: dict[str, Any], **options: Any) -> Scores:
    return score(gold=[line("a", gold)], predicted=[line("a", predicted)], **options)


def matched(gold: dict[str, Any], predicted: dict[str, Any]) -> bool:
    return one(gold, predicted).events.tp == 1


def test_the_lines_made_here_follow_the_schema() -> None:
    schema = json.loads(files("sulh.extract").joinpath("events.schema.json").read_text("utf-8"))
    example = make_event(
        fatalities=[figure("civilians", 3, None, "at_least", side="AF")],
        claims=[claim("af-government", "alleges")],
        other_actors=["qatar-mofa"],
    )
    Draft202012Validator(schema).validate(line("a", make_event(), example))


def test_a_perfect_prediction_scores_one() -> None:
    events = [make_event(), make_event(type="talks_held", places=[], actor1="pk-government")]
    result = score(gold=[line("a", *events)], predicted=[line("a", *events)])
    assert (result.events.tp, result.events.fp, result.events.fn) == (2, 0, 0)
    assert result.events.precision == result.events.recall == result.events.f1 == 1.0
    assert result.by_type["talks_held"].f1 == 1.0
    assert result.dates.rate == 1.0


def test_a_different_type_never_matches() -> None:
    result = one(make_event(), make_event(type="shelling_artillery"))
    assert (result.events.tp, result.events.fp, result.events.fn) == (0, 1, 1)
    assert result.events.f1 == 0.0
    assert result.by_type["air_or_drone_strike"].recall == 0.0
    assert result.by_type["shelling_artillery"].precision == 0.0


def test_dates_that_do_not_overlap_never_match() -> None:
    assert not matched(make_event(date="2025-10-09"), make_event(date="2025-10-10"))
    assert not matched(
        make_event(date="2025-10-01/2025-10-08"), make_event(date="2025-10-09/2025-10-19")
    )


def test_a_null_date_matches_only_a_null_date() -> None:
    undated = make_event(date=None, date_text=None)
    assert matched(undated, undated)
    assert not matched(undated, make_event())
    assert not matched(make_event(), undated)


def test_overlapping_periods_match_but_are_not_exact() -> None:
    result = one(make_event(date="2025-10-12/2025-10-19"), make_event(date="2025-10-19"))
    assert result.events.tp == 1
    assert (result.dates.hits, result.dates.total) == (0, 1)
    assert matched(
        make_event(date="2025-10-01/2025-10-31"), make_event(date="2025-10-15/2025-11-02")
    )


def test_without_a_shared_place_or_actor_nothing_matches() -> None:
    gold = make_event(places=[KABUL], actor1="pk-army")
    assert not matched(gold, make_event(places=[place("Paktika", 32.26, 68.52)], actor1="ttp"))
    assert not matched(gold, make_event(places=[], actor1=None))


def test_one_shared_actor_is_enough() -> None:
    gold = make_event(places=[], actor1="pk-army", other_actors=["qatar-mofa"])
    assert matched(gold, make_event(places=[], actor1="af-forces", actor2="qatar-mofa"))


def test_places_agree_by_folded_name_or_within_50_km() -> None:
    gold = make_event(places=[place("Kandahar Province")], actor1="pk-army")
    assert matched(gold, make_event(places=[place("kandahār")], actor1=None))
    assert matched(
        make_event(places=[place("North-Waziristan district")], actor1=None),
        make_event(places=[place("north waziristan")], actor1=None),
    )
    near = place("Kabul airport", 34.566, 69.212)  # about 1 km from the centre
    far = place("Jalalabad", 34.43, 70.45)  # about 115 km away
    assert matched(make_event(actor1=None), make_event(places=[near], actor1=None))
    assert not matched(make_event(actor1=None), make_event(places=[far], actor1=None))
    assert not matched(
        make_event(actor1=None), make_event(places=[place("Kabul river")], actor1=None)
    )


def test_fold_place_and_date_span() -> None:
    assert fold_place("Paktika Province") == fold_place("paktika") == "paktika"
    assert fold_place("Spin-Boldak District") == "spin boldak"
    assert fold_place("Province") == "province"
    assert date_span("2025-10-09")[0] == date_span("2025-10-09")[1]
    with pytest.raises(ValueError, match="ends before it starts"):
        date_span("2025-10-19/2025-10-09")


def test_pairs_are_one_to_one() -> None:
    result = score(
        gold=[line("a", make_event())], predicted=[line("a", make_event(), make_event())]
    )
    assert (result.events.tp, result.events.fp, result.events.fn) == (1, 1, 0)
    assert result.events.precision == 0.5


def test_the_assignment_finds_the_largest_number_of_pairs() -> None:
    # Greedily, gold 0 takes prediction 0 (its best); gold 1 can only use prediction 0,
    # so an augmenting path moves gold 0 to prediction 1.
    gold = [make_event(), make_event(date="2025-10-09/2025-10-10", actor1="af-forces")]
    predicted = [make_event(), make_event(places=[])]
    result = score(gold=[line("a", *gold)], predicted=[line("a", *predicted)])
    assert result.events.tp == 2
    assert [(p.gold, p.predicted) for p in result.pairs] == [(0, 1), (1, 0)]


def test_the_best_of_several_candidates_is_paired() -> None:
    gold = [make_event(date="2025-10-15")]
    predicted = [make_event(date="2025-10-01/2025-10-19"), make_event(date="2025-10-15")]
    result = score(gold=[line("a", *gold)], predicted=[line("a", *predicted)])
    assert [(p.gold, p.predicted) for p in result.pairs] == [(0, 1)]
    assert result.dates.rate == 1.0


def test_figures_are_matched_on_list_whose_low_high_and_qualifier() -> None:
    gold = make_event(
        fatalities=[figure("security_forces", 11, 11, "exact", side="PK")],
        injured=[figure("unknown", 200, None, "at_least")],
    )
    predicted = make_event(
        fatalities=[figure("security_forces", 11, 11, "exact", reported_by="pk-ispr")],
        injured=[figure("unknown", 200, 200, "about")],
    )
    missed = make_event(type="armed_clash", fatalities=[figure("civilians", 3, None, "at_least")])
    result = score(gold=[line("a", gold, missed)], predicted=[line("a", predicted)])
    assert (result.figures.hits, result.figures.total) == (1, 2)
    assert (result.figures_overall.hits, result.figures_overall.total) == (1, 3)
    swapped = make_event(injured=[figure("security_forces", 11, 11, "exact")])
    assert one(gold, swapped).figures.hits == 0


def test_claims_are_judged_on_claimant_and_stance() -> None:
    gold = make_event(
        claims=[
            claim("af-government", "alleges"),
            claim("pk-government", "neither_confirms_nor_denies"),
        ]
    )
    predicted = make_event(
        claims=[claim("af-government", "alleges", "pk-air-force"), claim("pk-government", "denies")]
    )
    missed = make_event(type="armed_clash", claims=[claim("ttp", "acknowledges", "ttp")])
    result = score(gold=[line("a", gold, missed)], predicted=[line("a", predicted)])
    assert (result.stances.hits, result.stances.total) == (1, 2)
    assert (result.claimants.hits, result.claimants.total) == (2, 2)
    assert (result.claims_overall.hits, result.claims_overall.total) == (1, 3)


def test_background_events_can_be_left_out_on_both_sides() -> None:
    news = make_event()
    background = make_event(type="other", date="2021-01-01/2021-12-31", background=True)
    flagged = make_event(type="talks_held", background=True)
    gold, predicted = [line("a", news, background)], [line("a", news, flagged)]
    everything = score(gold=gold, predicted=predicted)
    assert (everything.events.tp, everything.events.fp, everything.events.fn) == (1, 1, 1)
    news_only = score(gold=gold, predicted=predicted, include_background=False)
    assert (news_only.events.tp, news_only.events.fp, news_only.events.fn) == (1, 0, 0)
    assert "other" not in news_only.by_type


def test_missing_and_unknown_predicted_lines() -> None:
    gold = [line("a", make_event()), line("b", make_event())]
    result = score(gold=gold, predicted=[line("a", make_event()), line("z", make_event())])
    assert (result.events.tp, result.events.fp, result.events.fn) == (1, 0, 1)
    assert (result.articles, result.missing, result.unknown) == (2, 1, 1)


def test_empty_denominators_are_null_not_zero() -> None:
    result = score(gold=[line("a")], predicted=[line("a")])
    assert result.events.precision is None and result.events.f1 is None
    assert result.as_json()["figures"]["exact"]["rate"] is None
    assert "n/a" in result.as_text()


@pytest.mark.parametrize(
    ("gold", "predicted", "message"),
    [
        ([line("a"), line("a")], [], "appears on more than one line"),
        ([{"events": []}], [], "has no string 'id'"),
        ([{"id": "a"}], [], "has no 'events' list"),
        ([line("a", make_event(date="9 Oct"))], [], "bad date"),
        ([line("a")], [line("a", make_event(date="2025-10-19/2025-10-09"))], "ends before"),
        ([line("a", {"date": None})], [], "string 'type'"),
        ([line("a", make_event(places="Kabul"))], [], "'places' that is not a list"),
    ],
)
def test_bad_input_is_refused_with_a_sentence(
    gold: list[dict[str, Any]], predicted: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        score(gold=gold, predicted=predicted)


def write_lines(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in lines) + "\n", "utf-8")
    return path


def test_main_prints_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = write_lines(tmp_path / "gold.jsonl", [line("a", make_event(), make_event(type="other"))])
    predicted = write_lines(tmp_path / "predicted.jsonl", [line("a", make_event())])
    assert main([str(gold), str(predicted)]) == 0
    text = capsys.readouterr().out
    assert "Events: 2 gold, 1 predicted, 1 matched" in text
    assert "precision 1.000  recall 0.500  F1 0.667" in text
    assert "air_or_drone_strike" in text and "Dates exact:" in text
    assert main([str(gold), str(predicted), "--json", "--no-background"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["events"]["recall"] == 0.5
    assert report["include_background"] is False
    assert report["pairs"] == [{"id": "a", "gold": 0, "predicted": 0}]


def test_main_reports_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "events": []}\n{not json\n', "utf-8")
    assert main([str(broken), str(broken)]) == 2
    assert f"{broken}:2: not valid JSON" in capsys.readouterr().err
    assert main([str(tmp_path / "absent.jsonl"), str(broken)]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("include_background", [True, False])
def test_gold_scored_against_itself_is_perfect(include_background: bool) -> None:
    gold = read_lines(GOLD)
    result = score(gold=gold, predicted=gold, include_background=include_background)
    rates = [
        result.events.precision,
        result.events.recall,
        result.events.f1,
        result.dates.rate,
        result.figures.rate,
        result.figures_overall.rate,
        result.stances.rate,
        result.claimants.rate,
        result.claims_overall.rate,
    ]
    assert rates == [1.0] * len(rates)
    assert all(t.f1 == 1.0 for t in result.by_type.values())
    assert all(p.gold == p.predicted for p in result.pairs)
    assert result.events.tp == sum(
        1 for item in gold for e in item["events"] if include_background or not e["background"]
    )
