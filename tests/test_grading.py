"""The written rules of docs/grading.md, held to the pure fusion modules (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sulh.agreement.loader import load_agreement
from sulh.agreement.model import Agreement
from sulh.fusion import clusters
from sulh.fusion.accounts import RADIUS_KM, Account, Claim, Figure, window
from sulh.fusion.casualties import Sourced, partisan, reconcile
from sulh.fusion.engine import ATTACHED, HELD, OPENS, fuse, opens_incident
from sulh.fusion.grading import (
    CREDIBILITY,
    DEFAULT_GRADE,
    RELIABILITY,
    RULES,
    Facts,
    Stance,
    Voice,
    grade,
    independent,
    proposed_credibility,
)
from sulh.fusion.independence import credited_wire, default_group, origin
from sulh.fusion.match import ATTACH, compare

DAY = date(2025, 10, 15).toordinal()
KHOST = (33.339, 69.920)  # a town: reach 10 km
DOHA = (25.286, 51.533)
PARTIES = ["PK", "AF"]


@cache
def agreement() -> Agreement:
    return load_agreement(Path(__file__).parents[1] / "agreements" / "af-pk-2025.yaml")


def make_account(**overrides: Any) -> Account:
    """An air strike at Khost on 15 October 2025, told by a media report."""
    fields: dict[str, Any] = {
        "report_id": 1,
        "event": 0,
        "kind": "media",
        "type": "air_or_drone_strike",
        "first_day": DAY,
        "last_day": DAY,
        "precise": True,
        "dated": True,
        "lat": KHOST[0],
        "lon": KHOST[1],
        "radius_km": RADIUS_KM["town"],
        "places": ("Khost",),
    }
    fields.update(overrides)
    return Account(**fields)


def unplaced(**overrides: Any) -> Account:
    return make_account(lat=None, lon=None, radius_km=None, places=(), **overrides)


def unit(similarity: float) -> np.ndarray:
    """A unit vector whose cosine with `unit(1.0)` is `similarity`."""
    vector = np.zeros(384, dtype=np.float32)
    vector[0], vector[1] = similarity, np.sqrt(1.0 - similarity**2)
    return vector


def make_voice(**overrides: Any) -> Voice:
    fields: dict[str, Any] = {
        "report_id": 1,
        "kind": "media",
        "origin": "Dawn",
        "grade": "F",
        "credibility": None,
    }
    fields.update(overrides)
    return Voice(**fields)


def voices(*origins: str, grade: str = "F") -> list[Voice]:
    return [make_voice(report_id=n, origin=o, grade=grade) for n, o in enumerate(origins, 1)]


def make_figure(**overrides: Any) -> Figure:
    fields: dict[str, Any] = {
        "group": "civilian",
        "outcome": "killed",
        "low": 10,
        "best": 10,
        "high": 10,
    }
    fields.update(overrides)
    return Figure(**fields)


def sourced(origin: str, figure: Figure, report_id: int = 1) -> Sourced:
    return Sourced(report_id, origin, origin, figure, partisan(origin, figure, PARTIES))


ALLEGED = Stance("alleges", "AF", frozenset({"PK"}))
DENIED = Stance("denies", "PK", frozenset({"PK"}))


# --- the grades themselves ------------------------------------------------------------


def test_scales_and_defaults_are_as_documented() -> None:
    assert list(RELIABILITY) == list("ABCDEF")
    assert list(CREDIBILITY) == [1, 2, 3, 4, 5, 6]
    assert DEFAULT_GRADE == {"observation": "B"}
    assert [rule for rule, _, _ in RULES] == [
        "D1-discounted",
        "C1-monitor-observed",
        "C2-evidence",
        "X1-allegation-denied",
        "C3-corroborated",
        "F1-two-sources",
        "W1-uncorroborated",
    ]


# --- incident confidence: each rule on its documented example -------------------------


def test_d1_only_unreliable_sources_discount_an_incident() -> None:
    result = grade(Facts(voices("Dawn", "Tolo News", grade="E"), []))
    assert (result.confidence, result.rule) == ("discounted", "D1-discounted")
    assert result.reason == "every account is graded improbable or comes from an unreliable source"


def test_d1_improbable_reports_count_like_unreliable_sources() -> None:
    graded = [make_voice(report_id=1, credibility=5), make_voice(report_id=2, grade="E")]
    assert grade(Facts(graded, [])).rule == "D1-discounted"


def test_d1_comes_before_a_monitor_observation() -> None:
    monitor = make_voice(kind="observation", origin="user:monitor1", grade="E")
    assert grade(Facts([monitor], [])).rule == "D1-discounted"


def test_d1_needs_every_account_unreliable() -> None:
    mixed = [make_voice(report_id=1, grade="E"), make_voice(report_id=2, origin="Tolo News")]
    result = grade(Facts(mixed, []))
    assert (result.rule, result.reason) == ("W1-uncorroborated", "1 independent source")


def test_c1_a_monitor_observation_confirms() -> None:
    monitor = make_voice(report_id=7, kind="observation", origin="user:monitor1", grade="B")
    result = grade(Facts([monitor], []))
    assert (result.confidence, result.rule) == ("confirmed", "C1-monitor-observed")
    assert result.reason == "observed by the mechanism's own monitors"


def test_c1_a_monitor_observation_beats_a_denial() -> None:
    monitor = make_voice(report_id=3, kind="observation", origin="user:monitor1", grade="B")
    parties = voices("party:AF", "party:PK")
    result = grade(Facts([*parties, monitor], [ALLEGED, DENIED]))
    assert result.rule == "C1-monitor-observed"


def test_c1_not_when_the_observation_is_graded_doubtful() -> None:
    monitor = make_voice(kind="observation", origin="user:monitor1", grade="B", credibility=4)
    assert grade(Facts([monitor], [])).rule == "W1-uncorroborated"


def test_c2_evidence_and_two_independent_sources_confirm() -> None:
    result = grade(Facts(voices("Dawn", "wire:reuters"), [], evidence_files=2))
    assert (result.confidence, result.rule) == ("confirmed", "C2-evidence")
    assert result.reason == "2 evidence file(s) and 2 independent sources"


def test_c2_evidence_beats_a_denial_but_needs_two_sources() -> None:
    told = voices("party:AF", "party:PK")
    assert grade(Facts(told, [ALLEGED, DENIED], evidence_files=1)).rule == "C2-evidence"
    assert grade(Facts(voices("Dawn"), [], evidence_files=3)).rule == "W1-uncorroborated"


def test_x1_an_allegation_denied_is_contested() -> None:
    result = grade(Facts(voices("party:AF", "party:PK"), [ALLEGED, DENIED]))
    assert (result.confidence, result.rule) == ("contested", "X1-allegation-denied")
    assert result.reason == "AF alleges and PK denies; no monitor or evidence has decided it"


def test_x1_a_denial_beats_three_corroborating_sources() -> None:
    told = voices("wire:reuters", "Dawn", "Tolo News", grade="B")
    assert grade(Facts(told, [])).rule == "C3-corroborated"
    assert grade(Facts(told, [ALLEGED, DENIED])).rule == "X1-allegation-denied"


def test_x1_needs_the_denial_to_answer_the_allegation() -> None:
    told = voices("party:AF", "party:PK")
    own_word = Stance("denies", "AF", frozenset({"PK"}))  # the accuser cannot contest itself
    silent = Stance("neither_confirms_nor_denies", "PK", frozenset({"PK"}))
    admitted = Stance("acknowledges", "PK", frozenset({"PK"}))
    for answer in (own_word, silent, admitted):
        assert grade(Facts(told, [ALLEGED, answer])).rule == "F1-two-sources"
    anonymous = Stance("alleges", None, frozenset({"PK"}))
    assert grade(Facts(told, [anonymous, DENIED])).rule == "F1-two-sources"


def test_c3_three_independent_sources_one_graded_a_or_b_confirm() -> None:
    told = [*voices("Dawn", "Tolo News"), make_voice(report_id=3, origin="wire:ap", grade="B")]
    result = grade(Facts(told, []))
    assert (result.confidence, result.rule) == ("confirmed", "C3-corroborated")
    assert result.reason == "3 independent sources, 1 of them graded A or B"


def test_c3_not_without_a_good_source() -> None:
    result = grade(Facts(voices("Dawn", "Tolo News", "wire:ap", grade="C"), []))
    assert (result.confidence, result.rule, result.reason) == (
        "fair",
        "F1-two-sources",
        "3 independent sources",
    )


def test_f1_two_independent_sources_are_fair() -> None:
    result = grade(Facts(voices("Dawn", "Tolo News"), []))
    assert (result.confidence, result.rule, result.reason) == (
        "fair",
        "F1-two-sources",
        "2 independent sources",
    )


def test_f1_one_good_source_graded_credible_is_fair() -> None:
    strong = make_voice(grade="B", credibility=2)
    result = grade(Facts([strong], []))
    assert (result.rule, result.reason) == (
        "F1-two-sources",
        "one source graded B and credibility 2",
    )
    assert grade(Facts([replace(strong, credibility=3)], [])).rule == "W1-uncorroborated"
    assert grade(Facts([replace(strong, grade="C")], [])).rule == "W1-uncorroborated"


def test_w1_one_source_is_weak() -> None:
    result = grade(Facts(voices("Dawn"), []))
    assert (result.confidence, result.rule, result.reason) == (
        "weak",
        "W1-uncorroborated",
        "1 independent source",
    )


def test_w1_background_mentions_do_not_count() -> None:
    told = [
        make_voice(report_id=1, origin="Dawn"),
        make_voice(report_id=2, origin="Tolo News", background=True),
        make_voice(report_id=3, origin="wire:ap", grade="A", background=True),
    ]
    assert independent(Facts(told, [])) == {"Dawn": "F"}
    assert grade(Facts(told, [])).reason == "1 independent source"


def test_w1_only_background_mentions_give_no_independent_source() -> None:
    told = [make_voice(origin="Dawn", grade="E", background=True)]
    result = grade(Facts(told, []))
    assert (result.rule, result.reason) == ("W1-uncorroborated", "no independent sources")


def test_wire_copies_sharing_an_origin_count_once() -> None:
    copies = voices("wire:reuters", "wire:reuters", "wire:reuters")
    copies[0] = replace(copies[0], grade="B")
    assert independent(Facts(copies, [])) == {"wire:reuters": "B"}
    result = grade(Facts(copies, []))
    assert (result.rule, result.reason) == ("W1-uncorroborated", "1 independent source")


def test_improbable_and_unjudged_reports_are_not_independent_sources() -> None:
    told = [
        make_voice(report_id=1, origin="Dawn", credibility=5),
        make_voice(report_id=2, origin="Tolo News", credibility=6),
        make_voice(report_id=3, origin="Khaama", grade="E"),
        make_voice(report_id=4, origin="wire:ap", credibility=4),
    ]
    assert independent(Facts(told, [])) == {"wire:ap": "F"}


# --- proposed report credibility ------------------------------------------------------


def test_credibility_1_when_two_other_sources_confirm() -> None:
    told = voices("Dawn", "Tolo News", "wire:ap")
    assert proposed_credibility(told[0], Facts(told, [])) == (
        1,
        "confirmed by 2 other independent sources",
    )


def test_credibility_2_when_one_other_source_corroborates() -> None:
    told = voices("Dawn", "Tolo News")
    assert proposed_credibility(told[0], Facts(told, [])) == (
        2,
        "corroborated by one other independent source",
    )


def test_copies_of_the_same_origin_do_not_corroborate() -> None:
    told = voices("wire:reuters", "wire:reuters", "wire:reuters")
    assert proposed_credibility(told[0], Facts(told, []))[0] == 6


@pytest.mark.parametrize(
    ("grade_", "value"), [("A", 3), ("B", 3), ("C", 3), ("D", 4), ("E", 4), ("F", 6)]
)
def test_uncorroborated_credibility_follows_the_source_grade(grade_: str, value: int) -> None:
    alone = make_voice(grade=grade_)
    proposed, reason = proposed_credibility(alone, Facts([alone], []))
    assert proposed == value
    expected = (
        "uncorroborated, from a source not yet graded"
        if grade_ == "F"
        else f"uncorroborated, from a source graded {grade_}"
    )
    assert reason == expected


def test_credibility_5_is_never_proposed() -> None:
    told = voices("Dawn", "Tolo News", "wire:ap", grade="E")
    proposals = {proposed_credibility(v, Facts(told[:n], []))[0] for v in told for n in (1, 3)}
    assert 5 not in proposals


# --- casualties -----------------------------------------------------------------------


def test_one_figure_per_origin_prefers_a_best_estimate_then_the_higher_floor() -> None:
    rows = reconcile(
        [
            sourced("wire:reuters", make_figure(low=30, best=None, high=None), 1),
            sourced("wire:reuters", make_figure(low=12, best=12, high=12), 2),
            sourced("wire:reuters", make_figure(low=9, best=9, high=9), 3),
        ]
    )
    (row,) = rows
    assert (row["low"], row["best"], row["high"]) == (12, 12, 12)
    assert len(row["figures"]) == 3  # every figure is shown beside the estimate


def test_reconciled_estimates_on_the_worked_example() -> None:
    rows = reconcile(
        [
            sourced("wire:reuters", make_figure(low=12, best=12, high=12), 1),
            sourced("wire:reuters", make_figure(low=10, best=None, high=None), 2),  # a reprint
            sourced("Tolo News", make_figure(low=15, best=None, high=20), 3),
            sourced("UNAMA", make_figure(low=14, best=14, high=14), 4),
            sourced("party:AF", make_figure(low=40, best=40, high=40), 5),
            sourced("Dawn", make_figure(outcome="injured", low=30, best=None, high=None), 6),
        ]
    )
    injured, killed = rows  # ordered by group, then outcome
    assert (killed["group"], killed["outcome"]) == ("civilian", "killed")
    assert (killed["low"], killed["best"], killed["high"]) == (12, 12, 20)
    assert killed["partisan_only"] is False
    assert [f["partisan"] for f in killed["figures"]] == [False, False, False, False, True]
    # "At least 30" is a floor: it gives a low, no best, and the least the high can be.
    assert (injured["low"], injured["best"], injured["high"]) == (30, None, 30)


def test_partisan_figures_are_used_only_when_nothing_else_is() -> None:
    party_only = reconcile(
        [
            sourced("party:AF", make_figure(low=40, best=40, high=40), 1),
            sourced("party:PK", make_figure(low=5, best=5, high=5), 2),
        ]
    )
    (row,) = party_only
    assert (row["low"], row["best"], row["high"], row["partisan_only"]) == (5, 5, 40, True)
    with_neutral = reconcile(
        [
            sourced("party:AF", make_figure(low=40, best=40, high=40), 1),
            sourced("UNAMA", make_figure(low=14, best=14, high=14), 2),
        ]
    )
    (row,) = with_neutral
    assert (row["low"], row["best"], row["high"], row["partisan_only"]) == (14, 14, 14, False)


def test_figures_are_never_added_across_groups_or_sources() -> None:
    rows = reconcile(
        [
            sourced("Dawn", make_figure(group="security", low=11, best=11, high=11), 1),
            sourced("Tolo News", make_figure(group="security", low=23, best=23, high=23), 2),
            sourced("Dawn", make_figure(group="civilian", low=4, best=4, high=4), 1),
        ]
    )
    assert [(r["group"], r["low"], r["best"], r["high"]) for r in rows] == [
        ("civilian", 4, 4, 4),
        ("security", 11, 11, 23),
    ]


def test_the_best_estimate_is_the_lower_median() -> None:
    rows = reconcile(
        [sourced(o, make_figure(low=n, best=n, high=n)) for o, n in [("a", 3), ("b", 9), ("c", 5)]]
    )
    assert rows[0]["best"] == 5
    rows = reconcile(
        [sourced(o, make_figure(low=n, best=n, high=n)) for o, n in [("a", 3), ("b", 9)]]
    )
    assert rows[0]["best"] == 3


def test_partisan_means_a_party_origin_or_a_figure_credited_to_a_party() -> None:
    plain = make_figure()
    assert partisan("party:AF", plain, PARTIES)
    assert partisan("Dawn", make_figure(reported_by="AF"), PARTIES)
    assert not partisan("Dawn", plain, PARTIES)
    assert not partisan("Dawn", make_figure(reported_by="UNAMA"), PARTIES)


# --- independence ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "group"),
    [
        ("party:PK", "complaint", "party:PK"),
        ("Reuters", "media", "wire:reuters"),
        ("Associated Press", "media", "wire:ap"),
        ("ISPR (press release)", "statement", "party:PK"),
        ("ISPR", "media", "party:PK"),
        ("Radio Pakistan", "media", "party:PK"),
        ("Bakhtar News Agency", "media", "party:AF"),
        ("ISPR (press release)", "media", "ISPR (press release)"),
        ("Dawn", "media", "Dawn"),
    ],
)
def test_default_group(name: str, kind: str, group: str) -> None:
    assert default_group(name=name, kind=kind, agreement=agreement()) == group


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("Five people were killed, according to the Associated Press.", "ap"),
        ("KHOST (AFP) - Drones struck a house overnight.", "afp"),
        ("A police official told Reuters that the strike hit a house.", "reuters"),
        ("Xinhua contributed to this report.", "xinhua"),
        ("A drone struck a house in Khost overnight, residents said.", None),
    ],
)
def test_credited_wire(text: str, agency: str | None) -> None:
    assert credited_wire(text) == agency


def test_the_first_credit_in_the_text_decides() -> None:
    assert credited_wire("An official told Reuters, and later AFP reported ...") == "reuters"


def test_origin_a_copy_then_a_party_then_a_credited_wire_then_the_group() -> None:
    credit = "an official told Reuters"
    assert origin(group="Dawn", text=credit, copied_from="wire:ap") == "wire:ap"
    assert origin(group="party:AF", text=credit) == "party:AF"
    assert origin(group="Dawn", text=credit) == "wire:reuters"
    assert origin(group="Dawn", text="residents said") == "Dawn"


# --- matching -------------------------------------------------------------------------


def test_window_at_each_precision() -> None:
    at = datetime(2025, 10, 15, 6, 0, tzinfo=UTC)
    assert window(at, None, "day") == (DAY, DAY, True)
    assert window(at, None, "week") == (DAY - 3, DAY + 3, False)
    october = (date(2025, 10, 1).toordinal(), date(2025, 10, 31).toordinal(), False)
    assert window(at, None, "month") == october
    later = datetime(2025, 10, 17, tzinfo=UTC)
    assert window(at, later, "day") == (DAY, DAY + 2, False)


def test_same_day_place_and_type_attach_with_a_reason() -> None:
    cluster = clusters.start(1, make_account())
    match = compare(make_account(report_id=2), cluster)
    assert match is not None and match.score == 1.0
    assert match.reason == "same day, both air strikes, same place"
    nearby = compare(make_account(report_id=2, lat=KHOST[0] + 0.036), cluster)
    assert nearby is not None and nearby.score >= ATTACH
    assert nearby.reason == "same day, both air strikes, 4 km apart"


def test_the_reason_names_every_part_compared() -> None:
    first = make_account(vector=unit(1.0), parties=frozenset({"PK"}))
    cluster = clusters.start(1, first)
    second = make_account(
        report_id=2, lat=KHOST[0] + 0.036, vector=unit(0.82), parties=frozenset({"PK"})
    )
    match = compare(second, cluster)
    assert match is not None
    assert (
        match.reason == "same day, both air strikes, 4 km apart, same side accused, similarity 0.82"
    )


def test_a_day_apart_matches_two_days_apart_does_not() -> None:
    cluster = clusters.start(1, make_account())
    match = compare(make_account(report_id=2, first_day=DAY + 1, last_day=DAY + 1), cluster)
    assert match is not None and match.reason.startswith("a day apart")
    assert match.score == 0.85
    assert compare(make_account(report_id=2, first_day=DAY + 2, last_day=DAY + 2), cluster) is None


def test_an_imprecise_window_scores_lower() -> None:
    cluster = clusters.start(1, make_account())
    week = make_account(report_id=2, first_day=DAY - 3, last_day=DAY + 3, precise=False)
    match = compare(week, cluster)
    assert match is not None and match.reason.startswith("within the same period")
    assert match.score == 0.887


def test_places_beyond_their_reach_score_lower_and_far_apart_never_match() -> None:
    cluster = clusters.start(1, make_account())
    near = compare(make_account(report_id=2, lat=KHOST[0] + 0.5), cluster)  # 56 km
    assert near is not None and near.reason.endswith("56 km apart") and near.score == 0.733
    far = make_account(report_id=2, lat=KHOST[0] + 2.7)  # about 300 km
    assert compare(far, cluster) is None


def test_types_of_another_family_rule_a_match_out() -> None:
    cluster = clusters.start(1, make_account())
    assert compare(make_account(report_id=2, type="talks_held"), cluster) is None
    assert compare(make_account(report_id=2, type="border_crossing_closed"), cluster) is None


def test_violent_types_of_other_families_may_match_at_a_lower_score() -> None:
    cluster = clusters.start(1, make_account())
    same_family = compare(make_account(report_id=2, type="remote_explosive_or_ied"), cluster)
    other_family = compare(make_account(report_id=2, type="armed_clash"), cluster)
    assert same_family is not None and same_family.score == 0.9
    assert other_family is not None and other_family.score == 0.838
    assert "armed clash beside air or drone strike" in other_family.reason


def test_statements_and_denials_go_with_any_type() -> None:
    cluster = clusters.start(1, make_account())
    match = compare(make_account(report_id=2, type="denial"), cluster)
    assert match is not None and match.reason == "same day, same place"


def test_an_account_without_a_place_needs_close_wording() -> None:
    cluster = clusters.start(1, make_account(vector=unit(1.0)))
    assert compare(unplaced(report_id=2), cluster) is None
    assert compare(unplaced(report_id=2, vector=unit(0.50)), cluster) is None
    close = compare(unplaced(report_id=2, vector=unit(0.82)), cluster)
    assert close is not None
    assert close.reason == "same day, both air strikes, place unknown, similarity 0.82"


def test_an_account_without_place_or_vector_is_not_matched() -> None:
    cluster = clusters.start(1, make_account())
    assert compare(unplaced(report_id=2), cluster) is None


def test_the_cluster_takes_the_most_precise_time_and_place() -> None:
    week = make_account(first_day=DAY - 3, last_day=DAY + 3, precise=False, radius_km=150.0)
    cluster = clusters.start(1, week)
    clusters.absorb(cluster, make_account(report_id=2, lat=33.4, radius_km=RADIUS_KM["point"]))
    assert (cluster.first_day, cluster.last_day, cluster.precise) == (DAY, DAY, True)
    assert (cluster.lat, cluster.radius_km) == (33.4, 3.0)


# --- the engine -----------------------------------------------------------------------


def test_fuse_builds_incidents_and_holds_what_has_too_little() -> None:
    accounts = [
        make_account(report_id=1),  # opens incident 1
        make_account(report_id=2, lat=KHOST[0] + 0.036),  # 4 km away: incident 1
        make_account(report_id=3, first_day=DAY + 2, last_day=DAY + 2),  # two days on: 2
        make_account(report_id=4, type="talks_held", lat=DOHA[0], lon=DOHA[1]),  # 3
        make_account(report_id=5, lat=KHOST[0] + 2.7),  # 300 km away: incident 4
        unplaced(report_id=6, dated=False, precise=False, first_day=DAY - 7),  # held
        make_account(report_id=7, type="statement_or_accusation", lat=DOHA[0] + 5),  # held
        make_account(report_id=8, event=1, type="denial"),  # a denial at Khost: incident 1
    ]
    fuser = fuse(accounts)
    assert {key: list(members) for key, members in fuser.members.items()} == {
        1: [(1, 0), (2, 0), (8, 1)],
        2: [(3, 0)],
        3: [(4, 0)],
        4: [(5, 0)],
    }


def test_engine_decisions_and_the_reasons_for_holding() -> None:
    fuser = fuse([make_account(report_id=1)])
    attached = fuser.add(make_account(report_id=2))
    assert (attached.outcome, attached.incident) == (ATTACHED, 1)
    assert attached.match is not None and attached.match.reason.startswith("same day")
    lost = unplaced(report_id=3, dated=False, precise=False, first_day=DAY - 7)
    held = fuser.add(lost)
    assert (held.outcome, held.incident) == (HELD, None)
    assert held.reason == "gives no date of its own: it may join an incident, not open one"
    talk = fuser.add(make_account(report_id=4, type="hostile_rhetoric", lat=DOHA[0]))
    assert talk.outcome == HELD
    assert talk.reason.startswith("tells of no happening of its own")
    dated_only = fuser.add(unplaced(report_id=5, first_day=DAY + 9, last_day=DAY + 9))
    assert (dated_only.outcome, dated_only.incident) == (OPENS, 2)


def test_what_may_open_an_incident() -> None:
    assert opens_incident(make_account()) is None
    assert opens_incident(unplaced()) is None
    assert opens_incident(make_account(dated=False)) is not None
    assert opens_incident(unplaced(dated=False)) is not None
    assert opens_incident(make_account(type="other")) is not None
    vague = make_account(first_day=DAY - 40, last_day=DAY, precise=False)
    assert "no closer than 31 days" in (opens_incident(vague) or "")


def test_two_violent_events_of_one_article_stay_apart() -> None:
    fuser = fuse([make_account(report_id=1, event=0)])
    second = fuser.add(make_account(report_id=1, event=1))
    assert second.outcome == OPENS
    other_paper = fuser.add(make_account(report_id=2))
    assert other_paper.outcome == ATTACHED


def test_talks_take_every_day_their_accounts_give() -> None:
    talks = make_account(type="talks_held", first_day=DAY, last_day=DAY)
    fuser = fuse([talks])
    later = fuser.add(
        make_account(report_id=2, type="talks_held", first_day=DAY + 1, last_day=DAY + 1)
    )
    assert later.outcome == ATTACHED
    cluster = fuser.clusters[1]
    assert (cluster.first_day, cluster.last_day) == (DAY, DAY + 1)


def test_ties_go_to_the_oldest_incident() -> None:
    fuser = fuse(
        [
            make_account(report_id=1, lat=KHOST[0] - 0.2),
            make_account(report_id=2, lat=KHOST[0] + 0.2, type="talks_held"),
        ]
    )
    assert len(fuser.clusters) == 2
    decision = fuser.add(make_account(report_id=3, type="other"))
    assert decision.incident == 1


def test_two_descriptions_worded_apart_tell_of_two_happenings() -> None:
    cluster = clusters.start(1, make_account(vector=unit(1.0)))
    assert compare(make_account(report_id=2, vector=unit(0.30)), cluster) is None
    assert compare(make_account(report_id=2, vector=unit(0.40)), cluster) is not None
    # A complaint or a denial pleads rather than describes: its wording is no test.
    pleading = make_account(report_id=3, kind="complaint", vector=unit(0.10))
    assert compare(pleading, cluster) is not None
    denial = make_account(
        report_id=4,
        kind="media",
        vector=unit(0.10),
        claims=(Claim("denies", "PK", frozenset({"PK"})),),
    )
    assert compare(denial, cluster) is not None
