"""The extractor's readers one by one: sentences, language, actors, triggers and claims.

Every sentence here is written for these tests.
"""

from __future__ import annotations

import pytest

from sulh.agreement import load_agreement, shipped_agreement_path
from sulh.extract.actors import index_for
from sulh.extract.claims import find_claims
from sulh.extract.language import detect_language
from sulh.extract.text import plain, sentences
from sulh.extract.triggers import find_triggers, is_heading, status_of

ACTORS = index_for(load_agreement(shipped_agreement_path()))


def test_sentences_keep_offsets_and_do_not_split_abbreviations() -> None:
    text = (
        "Lt. Gen. Asim Malik met the T.T.P. envoy in Kabul. It ended at 5 p.m. on Friday!\n"
        "Clashes along the border\n"
        "Officials said: \u201cThe ceasefire holds.\u201d Then talks began."
    )
    found = sentences(plain(text))
    assert [s.text for s in found] == [
        "Lt. Gen. Asim Malik met the T.T.P. envoy in Kabul.",
        "It ended at 5 p.m. on Friday!",
        "Clashes along the border",
        'Officials said: "The ceasefire holds."',
        "Then talks began.",
    ]
    assert all(plain(text)[s.start : s.end] == s.text for s in found)
    assert len(plain(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Pakistani drone strikes hit two villages in Paktika on Tuesday, officials said.", "en"),
        ("پاکستان اور افغانستان کے درمیان مذاکرات جاری ہیں اور جنگ بندی برقرار ہے۔", "ur"),
        ("د پاکستان او افغانستان ترمنځ اوربند ټینګ دی او خبرې روانې دي", "ps"),
        ("آتش بس میان پاکستان و افغانستان برقرار است و گفتگوها ادامه دارد", "fa"),
        ("وقف إطلاق النار بين باكستان وأفغانستان مستمر منذ أسبوع", "ar"),
        (
            "Ateşkes pazar günü de sürdü ve taraflar bir araya geldi ama sonra anlaştı.",
            "tr",
        ),
        ("12 345 678", "und"),
    ],
)
def test_language(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    ("text", "actor", "party"),
    [
        ("Fitna al-Khawarij fighters attacked a post.", "ttp", None),
        ("The Pakistani Taliban claimed the attack.", "ttp", None),
        ("The Taliban said the border was calm.", None, "AF"),
        ("Pakistan's military said it struck hideouts.", "pk-army", "PK"),
        ("Afghan troops returned fire.", "af-forces", "AF"),
        ("Zabiullah Mujahid, the spokesman, said so.", "af-spokesperson", "AF"),
        ("Mediated by Qatar, the talks resumed.", None, "QA"),
        ("the isi said nothing", None, None),  # short acronyms match in their own case only
    ],
)
def test_actors(text: str, actor: str | None, party: str | None) -> None:
    found = ACTORS.find(text)
    if actor is None and party is None:
        assert found == []
        return
    assert (found[0].actor, found[0].party) == (actor, party)
    assert text[found[0].start : found[0].end] == found[0].text


def test_a_state_means_its_forces_when_it_fights_and_its_government_when_it_talks() -> None:
    assert ACTORS.for_party("PK", armed=True) == "pk-army"
    assert ACTORS.for_party("AF", armed=False) == "af-government"
    assert ACTORS.for_party("QA", armed=False) == "qatar-mofa"


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        ("Pakistani jets carried out air strikes on Khost.", ["air_or_drone_strike"]),
        ("Mortar shelling hit Chaman overnight.", ["shelling_artillery"]),
        ("Militants attacked a checkpoint in Bannu.", ["armed_attack_by_militants"]),
        ("The two sides agreed to a ceasefire in Doha.", ["ceasefire_agreed"]),
        ("Both sides agreed to extend the ceasefire.", ["ceasefire_extended"]),
        ("The talks in Istanbul ended without agreement.", ["talks_failed"]),
        ("Pakistan reopened the Torkham crossing to trade.", ["border_crossing_reopened"]),
        ("All crossings remain closed.", ["border_crossing_closed"]),
        ("A hunger strike entered its third day.", []),
        ("A truce was declared on Monday night.", ["ceasefire_agreed"]),
        ("Shelling went on until the truce.", ["shelling_artillery"]),  # not an extension
        (
            "Each side blamed the other for a breakdown in talks.",
            ["statement_or_accusation", "talks_failed"],
        ),
        ("The ministers held a trilateral meeting in Kabul.", ["talks_held"]),
        ("The movement returned to power in 2021.", ["other"]),
        ("It came during a visit by the foreign minister to Delhi.", ["other"]),
        ("Clashes along the border", []),  # a heading reports nothing
        ("The truce brought a pause in the hostilities.", []),  # ended, not reported
    ],
)
def test_triggers(sentence: str, types: list[str]) -> None:
    assert [t.type for t in find_triggers(sentence)] == types


def test_status_reads_the_tense() -> None:
    planned = "The delegations will meet for talks in Istanbul next week."
    [trigger] = find_triggers(planned)
    assert status_of(planned, trigger) == "planned"
    ongoing = "The border crossings remain closed to trade."
    [trigger] = find_triggers(ongoing)
    assert status_of(ongoing, trigger) == "ongoing"
    assert is_heading("Terms of the truce") and not is_heading("The truce held.")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Afghanistan accused Pakistan of striking a market in Khost.",
            [("AF", "alleges", ["PK"])],
        ),
        (
            "Afghanistan blamed the strikes on Pakistan, which it neither confirmed nor denied.",
            [("AF", "alleges", ["PK"]), ("PK", "neither_confirms_nor_denies", ["PK"])],
        ),
        ("Pakistan's military denied the allegation.", [("PK", "denies", ["PK"])]),
        (
            "The Pakistani Taliban claimed responsibility for the ambush.",
            [(None, "acknowledges", [None])],
        ),
        ("The weather was calm along the border.", []),
    ],
)
def test_claims(sentence: str, expected: list[tuple[str | None, str, list[str | None]]]) -> None:
    mentions = ACTORS.find(sentence)
    found = find_claims(sentence, mentions)
    assert [
        (
            c.claimant.party if c.claimant else None,
            c.stance,
            [a.party for a in c.accused],
        )
        for c in found
    ] == expected
