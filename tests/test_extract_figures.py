"""Casualty figures: every rule of sulh.extract.figures, on sentences written for these tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sulh.extract.figures import Figure, find_figures, parse_number

Row = tuple[str, str, int | None, int | None, str, str | None, str]
FAT, INJ = "fatalities", "injured"
CIV, SF, MIL, UNK = "civilians", "security_forces", "militants", "unknown"


def row(figure: Figure) -> Row:
    f = figure
    return (f.kind, f.whose, f.low, f.high, f.qualifier, f.nationality, f.text)


NUMBERS: list[tuple[str, list[Row]]] = [
    (
        "Officials said 23 soldiers were killed in the raid.",
        [(FAT, SF, 23, 23, "exact", None, "23 soldiers")],
    ),
    (
        "1,200 people have been injured since the fighting began.",
        [(INJ, UNK, 1200, 1200, "exact", None, "1,200 people")],
    ),
    (
        "Eleven soldiers were killed near the border post.",
        [(FAT, SF, 11, 11, "exact", None, "Eleven soldiers")],
    ),
    (
        "Twenty-three labourers were injured in the blast.",
        [(INJ, CIV, 23, 23, "exact", None, "Twenty-three labourers")],
    ),
    ("TWENTY SOLDIERS WERE KILLED.", [(FAT, SF, 20, 20, "exact", None, "TWENTY SOLDIERS")]),
    (
        "A hundred and five people lost their lives.",
        [(FAT, UNK, 105, 105, "exact", None, "A hundred and five people")],
    ),
    (
        "Two thousand people were injured over the years.",
        [(INJ, UNK, 2000, 2000, "exact", None, "Two thousand people")],
    ),
    ("Two dozen fighters were killed.", [(FAT, MIL, 24, 24, "about", None, "Two dozen fighters")]),
    (
        "About a dozen Afghan border guards were killed.",
        [(FAT, SF, 12, 12, "about", "AF", "About a dozen Afghan border guards")],
    ),
    (
        "Dozens of civilians were killed in the shelling.",
        [(FAT, CIV, 24, None, "at_least", None, "Dozens of civilians")],
    ),
    (
        "Hundreds of residents were injured.",
        [(INJ, CIV, 200, None, "at_least", None, "Hundreds of residents")],
    ),
    (
        "Scores of people were wounded.",
        [(INJ, UNK, 40, None, "at_least", None, "Scores of people")],
    ),
    (
        "Several cricket players were killed.",
        [(FAT, CIV, 3, None, "at_least", None, "Several cricket players")],
    ),
    ("A few soldiers were injured.", [(INJ, SF, 2, None, "at_least", None, "A few soldiers")]),
    (
        "Several hundred people were wounded.",
        [(INJ, UNK, 300, None, "at_least", None, "Several hundred people")],
    ),
    ("A couple of guards were hurt.", [(INJ, SF, 2, 2, "about", None, "A couple of guards")]),
    (
        "Between 12 and 15 policemen were killed, the officer said.",
        [(FAT, SF, 12, 15, "range", None, "Between 12 and 15 policemen")],
    ),
    (
        "Local officials said 12 to 15 traders were hurt.",
        [(INJ, CIV, 12, 15, "range", None, "12 to 15 traders")],
    ),
    ("12-15 passengers were wounded.", [(INJ, CIV, 12, 15, "range", None, "12-15 passengers")]),
    (
        "Two or three children were killed.",
        [(FAT, CIV, 2, 3, "range", None, "Two or three children")],
    ),
    (
        "The ISPR said 200+ terrorists were killed.",
        [(FAT, MIL, 200, None, "more_than", None, "200+ terrorists")],
    ),
    ("No one was killed in the attack.", [(FAT, UNK, 0, 0, "exact", None, "No one")]),
    ("Nobody was hurt.", [(INJ, UNK, 0, 0, "exact", None, "Nobody")]),
    ("A policeman was killed at the gate.", [(FAT, SF, 1, 1, "exact", None, "A policeman")]),
    (
        "A 12-year-old boy was killed by a stray shell.",
        [(FAT, CIV, 1, 1, "exact", None, "A 12-year-old boy")],
    ),
]

QUALIFIERS: list[tuple[str, list[Row]]] = [
    (
        "At least 23 people died when the bus was hit.",
        [(FAT, UNK, 23, None, "at_least", None, "At least 23 people")],
    ),
    (
        "No fewer than eight guards were killed.",
        [(FAT, SF, 8, None, "at_least", None, "No fewer than eight guards")],
    ),
    (
        "More than 100 villagers were wounded.",
        [(INJ, CIV, 100, None, "more_than", None, "More than 100 villagers")],
    ),
    ("Over 30 people were injured.", [(INJ, UNK, 30, None, "more_than", None, "Over 30 people")]),
    (
        "Upwards of 50 insurgents were killed.",
        [(FAT, MIL, 50, None, "more_than", None, "Upwards of 50 insurgents")],
    ),
    (
        "The attack wounded more than a dozen passengers.",
        [(INJ, CIV, 12, None, "more_than", None, "more than a dozen passengers")],
    ),
    (
        "About 40 worshippers were wounded.",
        [(INJ, CIV, 40, 40, "about", None, "About 40 worshippers")],
    ),
    ("Some 60 villagers were slain.", [(FAT, CIV, 60, 60, "about", None, "Some 60 villagers")]),
    (
        "Nearly two dozen soldiers were martyred.",
        [(FAT, SF, 24, 24, "about", None, "Nearly two dozen soldiers")],
    ),
    (
        "An estimated 300 people were killed.",
        [(FAT, UNK, 300, 300, "about", None, "An estimated 300 people")],
    ),
    (
        "Up to 30 militants were killed, the army claimed.",
        [(FAT, MIL, 30, 30, "about", None, "Up to 30 militants")],
    ),
    ("Fewer than 10 people were hurt.", [(INJ, UNK, 0, 9, "range", None, "Fewer than 10 people")]),
    (
        "At most five soldiers were wounded.",
        [(INJ, SF, 0, 5, "range", None, "At most five soldiers")],
    ),
]

VOICE: list[tuple[str, list[Row]]] = [
    ("The strike killed 23 soldiers.", [(FAT, SF, 23, 23, "exact", None, "23 soldiers")]),
    ("The raid left 23 soldiers dead.", [(FAT, SF, 23, 23, "exact", None, "23 soldiers")]),
    ("The attack left 23 dead.", [(FAT, UNK, 23, 23, "exact", None, "23")]),
    (
        "12 soldiers killed, 5 injured",
        [(FAT, SF, 12, 12, "exact", None, "12 soldiers"), (INJ, SF, 5, 5, "exact", None, "5")],
    ),
    ("The death toll from the blast rose to 23.", [(FAT, UNK, 23, 23, "exact", None, "23")]),
    (
        "The death toll has climbed to at least 41, officials said.",
        [(FAT, UNK, 41, None, "at_least", None, "at least 41")],
    ),
    ("The death toll rose by 5 to 23.", [(FAT, UNK, 23, 23, "exact", None, "23")]),
    ("The death toll rose from 12 to 15 overnight.", [(FAT, UNK, 15, 15, "exact", None, "15")]),
    ("A death toll of 30 was reported.", [(FAT, UNK, 30, 30, "exact", None, "30")]),
    (
        "Shelling continued overnight, killing at least 10 civilians.",
        [(FAT, CIV, 10, None, "at_least", None, "at least 10 civilians")],
    ),
    ("Blast kills 5 in Quetta", [(FAT, UNK, 5, 5, "exact", None, "5")]),
    ("The attack claimed the lives of 9 soldiers.", [(FAT, SF, 9, 9, "exact", None, "9 soldiers")]),
    ("9 soldiers lost their lives.", [(FAT, SF, 9, 9, "exact", None, "9 soldiers")]),
    (
        "Two guards were shot dead at the checkpoint.",
        [(FAT, SF, 2, 2, "exact", None, "Two guards")],
    ),
    ("Five soldiers embraced martyrdom.", [(FAT, SF, 5, 5, "exact", None, "Five soldiers")]),
    ("The terrorists martyred 3 soldiers.", [(FAT, SF, 3, 3, "exact", None, "3 soldiers")]),
    (
        "Three officers succumbed to their injuries.",
        [(FAT, SF, 3, 3, "exact", None, "Three officers")],
    ),
    (
        "12 people sustained injuries in the collapse.",
        [(INJ, UNK, 12, 12, "exact", None, "12 people")],
    ),
    (
        "Rescuers pulled 14 bodies from the rubble.",
        [(FAT, UNK, 14, 14, "exact", None, "14 bodies")],
    ),
    (
        "The bodies of six soldiers were recovered.",
        [(FAT, SF, 6, 6, "exact", None, "six soldiers")],
    ),
    (
        "Relatives mourned the deaths of four cricketers.",
        [(FAT, CIV, 4, 4, "exact", None, "four cricketers")],
    ),
    (
        "The fighting caused dozens of deaths and hundreds of injuries.",
        [
            (FAT, UNK, 24, None, "at_least", None, "dozens of deaths"),
            (INJ, UNK, 200, None, "at_least", None, "hundreds of injuries"),
        ],
    ),
    (
        "The gunmen killed five and wounded 12.",
        [
            (FAT, UNK, 5, 5, "exact", None, "five"),
            (INJ, UNK, 12, 12, "exact", None, "12"),
        ],
    ),
    (
        "Four soldiers were killed and nine injured.",
        [
            (FAT, SF, 4, 4, "exact", None, "Four soldiers"),
            (INJ, SF, 9, 9, "exact", None, "nine"),
        ],
    ),
    (
        "Two soldiers were killed, 9 were wounded.",
        [
            (FAT, SF, 2, 2, "exact", None, "Two soldiers"),
            (INJ, SF, 9, 9, "exact", None, "9"),
        ],
    ),
    (
        "Three policemen were killed and two civilians were wounded.",
        [
            (FAT, SF, 3, 3, "exact", None, "Three policemen"),
            (INJ, CIV, 2, 2, "exact", None, "two civilians"),
        ],
    ),
    (
        "The bombing killed seven people and wounded 30 others.",
        [
            (FAT, UNK, 7, 7, "exact", None, "seven people"),
            (INJ, UNK, 30, 30, "exact", None, "30 others"),
        ],
    ),
    (
        "The blast killed 11 soldiers and injured 5.",
        [
            (FAT, SF, 11, 11, "exact", None, "11 soldiers"),
            (INJ, SF, 5, 5, "exact", None, "5"),
        ],
    ),
    (
        "Monitors counted at least nine Afghan civilian deaths and dozens more wounded.",
        [
            (FAT, CIV, 9, None, "at_least", "AF", "at least nine Afghan civilian deaths"),
            (INJ, CIV, 24, None, "at_least", "AF", "dozens more"),
        ],
    ),
    (
        "Clashes left dozens dead\u2014soldiers and civilians\u2014and wounded hundreds more.",
        [
            (FAT, UNK, 24, None, "at_least", None, "dozens"),
            (INJ, UNK, 200, None, "at_least", None, "hundreds more"),
        ],
    ),
    (
        "Seven soldiers were killed or wounded in the ambush.",
        [(INJ, SF, 7, 7, "exact", None, "Seven soldiers")],
    ),
    (
        "The army said its troops killed 30 terrorists.",
        [(FAT, MIL, 30, 30, "exact", None, "30 terrorists")],
    ),
    (
        "A suicide bomber killed 12 worshippers.",
        [(FAT, CIV, 12, 12, "exact", None, "12 worshippers")],
    ),
    ("Gunmen killed a man aged 45 near the market.", [(FAT, UNK, 1, 1, "exact", None, "a man")]),
    (
        "Sixty wounded soldiers were evacuated.",
        [(INJ, SF, 60, 60, "exact", None, "Sixty wounded soldiers")],
    ),
    ("The blast claimed 12 lives.", [(FAT, UNK, 12, 12, "exact", None, "12 lives")]),
    ("The 12 dead were buried on Sunday.", [(FAT, UNK, 12, 12, "exact", None, "12 dead")]),
    (
        "The army said 5 terrorists were sent to hell.",
        [(FAT, MIL, 5, 5, "exact", None, "5 terrorists")],
    ),
    ("Troops neutralised 7 khawarij in a raid.", [(FAT, MIL, 7, 7, "exact", None, "7 khawarij")]),
    (
        "Pakistan said 23 of its soldiers died.",
        [(FAT, SF, 23, 23, "exact", None, "23 of its soldiers")],
    ),
]

WHOSE: list[tuple[str, list[Row]]] = [
    (
        "Eight Pakistani soldiers were killed.",
        [(FAT, SF, 8, 8, "exact", "PK", "Eight Pakistani soldiers")],
    ),
    (
        "Six Afghan civilians were wounded.",
        [(INJ, CIV, 6, 6, "exact", "AF", "Six Afghan civilians")],
    ),
    (
        "Twelve Afghan Taliban fighters were killed in the exchange.",
        [(FAT, SF, 12, 12, "exact", "AF", "Twelve Afghan Taliban fighters")],
    ),
    (
        "Ten Taliban soldiers were killed.",
        [(FAT, SF, 10, 10, "exact", "AF", "Ten Taliban soldiers")],
    ),
    (
        "Three Afghan fighters were killed.",
        [(FAT, SF, 3, 3, "exact", "AF", "Three Afghan fighters")],
    ),
    (
        "Nine Taliban fighters were killed.",
        [(FAT, MIL, 9, 9, "exact", None, "Nine Taliban fighters")],
    ),
    (
        "Fifteen Pakistani Taliban fighters were killed.",
        [(FAT, MIL, 15, 15, "exact", None, "Fifteen Pakistani Taliban fighters")],
    ),
    (
        "Twenty TTP fighters were killed.",
        [(FAT, MIL, 20, 20, "exact", None, "Twenty TTP fighters")],
    ),
    (
        "Six Afghan militants were killed.",
        [(FAT, MIL, 6, 6, "exact", None, "Six Afghan militants")],
    ),
    (
        "Pakistan said it killed 45 khawarij while two soldiers embraced martyrdom.",
        [
            (FAT, MIL, 45, 45, "exact", None, "45 khawarij"),
            (FAT, SF, 2, 2, "exact", None, "two soldiers"),
        ],
    ),
    ("Four attackers were shot dead.", [(FAT, MIL, 4, 4, "exact", None, "Four attackers")]),
    (
        "Thirteen Frontier Corps personnel were injured.",
        [(INJ, SF, 13, 13, "exact", None, "Thirteen Frontier Corps personnel")],
    ),
    ("Two border guards were killed.", [(FAT, SF, 2, 2, "exact", None, "Two border guards")]),
    (
        "Five security personnel were martyred.",
        [(FAT, SF, 5, 5, "exact", None, "Five security personnel")],
    ),
    ("Eleven people were killed.", [(FAT, UNK, 11, 11, "exact", None, "Eleven people")]),
    (
        "Eleven people, all civilians, were killed.",
        [(FAT, CIV, 11, 11, "exact", None, "Eleven people")],
    ),
    (
        "Four innocent people were killed.",
        [(FAT, CIV, 4, 4, "exact", None, "Four innocent people")],
    ),
    (
        "Five members of a family were killed when a shell hit their house.",
        [(FAT, CIV, 5, 5, "exact", None, "Five members of a family")],
    ),
    (
        "Dozens of soldiers and civilians were killed.",
        [(FAT, UNK, 24, None, "at_least", None, "Dozens of soldiers and civilians")],
    ),
    (
        "Pakistan said 200 Taliban and affiliated terrorists were killed.",
        [(FAT, MIL, 200, 200, "exact", None, "200 Taliban and affiliated terrorists")],
    ),
    (
        "Over 200 Taliban fighters and their affiliates were killed.",
        [
            (
                FAT,
                MIL,
                200,
                None,
                "more_than",
                None,
                "Over 200 Taliban fighters and their affiliates",
            )
        ],
    ),
    (
        "Four children aged 5 to 12 were killed.",
        [(FAT, CIV, 4, 4, "exact", None, "Four children aged 5 to 12")],
    ),
]

LISTS: list[tuple[str, list[Row]]] = [
    (
        "17 civilians and 3 children were killed.",
        [(FAT, CIV, 20, 20, "exact", None, "17 civilians and 3 children")],
    ),
    (
        "killing 10 civilians and 3 children",
        [(FAT, CIV, 13, 13, "exact", None, "10 civilians and 3 children")],
    ),
    (
        "The strike killed a woman and her two children.",
        [(FAT, CIV, 3, 3, "exact", None, "a woman and her two children")],
    ),
    (
        "Three soldiers and two policemen were wounded.",
        [(INJ, SF, 5, 5, "exact", None, "Three soldiers and two policemen")],
    ),
    (
        "Three soldiers, two policemen and a civilian were killed.",
        [
            (FAT, SF, 5, 5, "exact", None, "Three soldiers, two policemen"),
            (FAT, CIV, 1, 1, "exact", None, "a civilian"),
        ],
    ),
    (
        "Four soldiers and six civilians were killed.",
        [
            (FAT, SF, 4, 4, "exact", None, "Four soldiers"),
            (FAT, CIV, 6, 6, "exact", None, "six civilians"),
        ],
    ),
    (
        "Five Pakistani soldiers and three Afghan soldiers were killed.",
        [
            (FAT, SF, 5, 5, "exact", "PK", "Five Pakistani soldiers"),
            (FAT, SF, 3, 3, "exact", "AF", "three Afghan soldiers"),
        ],
    ),
    (
        "At least 23 Pakistani soldiers and 4 policemen were killed.",
        [
            (FAT, SF, 27, None, "at_least", "PK", "At least 23 Pakistani soldiers and 4 policemen"),
        ],
    ),
    (
        "Ten civilians, including nine children, were killed.",
        [(FAT, CIV, 10, 10, "exact", None, "Ten civilians")],
    ),
    (
        "The strike killed 10 civilians, including nine children.",
        [(FAT, CIV, 10, 10, "exact", None, "10 civilians")],
    ),
    (
        "The army said 23 soldiers, including two officers, were killed.",
        [(FAT, SF, 23, 23, "exact", None, "23 soldiers")],
    ),
    (
        "The shelling killed 8 people, including 3 soldiers.",
        [(FAT, UNK, 8, 8, "exact", None, "8 people")],
    ),
    (
        "The strikes killed civilians, including six children.",
        [(FAT, CIV, 6, 6, "exact", None, "six children")],
    ),
    (
        "Civilians, including 4 children, were killed.",
        [(FAT, CIV, 4, 4, "exact", None, "4 children")],
    ),
    ("Six of the 20 wounded were children.", [(INJ, UNK, 20, 20, "exact", None, "20 wounded")]),
    ("Nine of the 12 soldiers were killed.", []),
]

UNSPECIFIED: list[tuple[str, list[Row]]] = [
    (
        "Casualties were reported on both sides.",
        [(INJ, UNK, None, None, "unspecified", None, "Casualties")],
    ),
    (
        "Both sides reported casualties.",
        [(INJ, UNK, None, None, "unspecified", None, "casualties")],
    ),
    (
        "Pakistan inflicted heavy casualties on the enemy.",
        [(INJ, UNK, None, None, "unspecified", None, "casualties on the enemy")],
    ),
    (
        "Civilians were killed when the mortar landed.",
        [(FAT, CIV, None, None, "unspecified", None, "Civilians")],
    ),
    (
        "Afghan civilians have reportedly been injured.",
        [(INJ, CIV, None, None, "unspecified", "AF", "Afghan civilians")],
    ),
    (
        "Soldiers and civilians were killed.",
        [(FAT, UNK, None, None, "unspecified", None, "Soldiers and civilians")],
    ),
    (
        "The army has suffered multiple casualties among security forces.",
        [
            (INJ, SF, 2, None, "at_least", None, "multiple casualties among security forces"),
        ],
    ),
    (
        "There were no casualties.",
        [
            (FAT, UNK, 0, 0, "exact", None, "no casualties"),
            (INJ, UNK, 0, 0, "exact", None, "no casualties"),
        ],
    ),
    (
        "No civilians were harmed, the army said, but two soldiers were injured.",
        [
            (FAT, CIV, 0, 0, "exact", None, "No civilians"),
            (INJ, CIV, 0, 0, "exact", None, "No civilians"),
            (INJ, SF, 2, 2, "exact", None, "two soldiers"),
        ],
    ),
]

NOT_CASUALTIES = [
    "Talks on the killings resumed on October 12.",
    "The third round of talks on the border deaths ended at 11 pm.",
    "Pakistan deployed 5,000 soldiers to the border after the killings.",
    "Police arrested 12 suspects in connection with the deaths.",
    "Ten soldiers were arrested after the killings.",
    "Troops captured 40 militants and destroyed 23 posts, without reporting deaths.",
    "The killings came after 3 days of shelling that destroyed 23 tanks and 40 drones.",
    "Around 1.5 million refugees have returned since the deadly clashes.",
    "The army said 60 percent of the wounded were civilians.",
    "Some 20 per cent of the dead were never identified.",
    "In 2014, an attack on a school killed children.",
    "The injured were taken to hospital at 11:30.",
    "Over 3 days, the hospital received dozens of calls about the dead.",
    "The army has deployed 12 battalions since the first deaths.",
    "Each of the 4 crossings stayed closed after the killings on 12 October.",
    "An ambush on Oct. 8 was followed by the killings.",
    "How many soldiers were killed remains unclear.",
    "Pakistan denied that civilians were killed.",
    "Fighting that killed people in 2021 resumed on 9 October 2025.",
    "The deadly clashes lasted 48 hours along a 2,600-kilometre border.",
    "Firing killed 3 goats and injured 2 cows.",
    "The killings of 2021 were not forgotten.",
    "The wounded were flown 120 kilometres to Peshawar.",
    "A 7-year-old ceasefire ended with killings.",
    "The ministry's Resolution 2231 mentions deaths.",
    "Soldiers killed in 2022 were honoured on 14 August.",
    "The hospital said 6 of the injured were in critical condition.",
    "A man aged 45 was questioned about the killings.",
    "Quick treatment meant 12 lives were saved after the blast.",
    "Officials said 4 of the 19 soldiers were identified among the dead.",
    "The convoy of 30 trucks was hit, but the two drivers were unhurt after the deadly blast.",
    "Pakistan refuted the civilian casualty reports from the third round of strikes.",
]


def all_rows() -> list[tuple[str, list[Row]]]:
    return [*NUMBERS, *QUALIFIERS, *VOICE, *WHOSE, *LISTS, *UNSPECIFIED]


@pytest.mark.parametrize(("sentence", "expected"), all_rows())
def test_figures(sentence: str, expected: list[Row]) -> None:
    figures = find_figures(sentence)
    assert [row(f) for f in figures] == expected
    assert all(sentence[f.start : f.end] == f.text for f in figures)


@pytest.mark.parametrize("sentence", NOT_CASUALTIES)
def test_numbers_that_are_not_casualties(sentence: str) -> None:
    assert find_figures(sentence) == []


def test_as_json_has_the_extractor_shape() -> None:
    (figure,) = find_figures("At least 23 Pakistani soldiers were killed.")
    assert figure.as_json(side="PK", reported_by="outlet:dawn") == {
        "whose": "security_forces",
        "side": "PK",
        "low": 23,
        "high": None,
        "qualifier": "at_least",
        "reported_by": "outlet:dawn",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at least 23", (23, None, "at_least")),
        ("more than 100", (100, None, "more_than")),
        ("about 40", (40, 40, "about")),
        ("up to 30", (30, 30, "about")),
        ("fewer than 10", (0, 9, "range")),
        ("no more than 10", (0, 10, "range")),
        ("between 12 and 15", (12, 15, "range")),
        ("twelve to fifteen", (12, 15, "range")),
        ("15-12", (12, 15, "range")),
        ("dozens", (24, None, "at_least")),
        ("hundreds", (200, None, "at_least")),
        ("scores", (40, None, "at_least")),
        ("several", (3, None, "at_least")),
        ("a few", (2, None, "at_least")),
        ("tens of thousands", (20000, None, "at_least")),
        ("several dozen", (36, None, "at_least")),
        ("a few hundred", (200, None, "at_least")),
        ("more than dozens", (24, None, "more_than")),
        ("a dozen", (12, 12, "about")),
        ("half a dozen", (6, 6, "about")),
        ("two dozen", (24, 24, "about")),
        ("a hundred", (100, 100, "exact")),
        ("two thousand three hundred and six", (2306, 2306, "exact")),
        ("1,200", (1200, 1200, "exact")),
        ("200+", (200, None, "more_than")),
        ("  Eleven ", (11, 11, "exact")),
    ],
)
def test_parse_number(text: str, expected: tuple[int, int | None, str]) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "soldiers", "1.5", "third", "23 soldiers", "at least", "a"])
def test_parse_number_refuses_what_is_not_a_count(text: str) -> None:
    assert parse_number(text) is None


UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def in_words(n: int, *, hyphen: bool, with_and: bool, a_hundred: bool) -> str:
    if n < 20:
        return UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return TENS[tens - 2] + (("-" if hyphen else " ") + UNITS[unit] if unit else "")
    hundreds, rest = divmod(n, 100)
    head = ("a" if a_hundred and hundreds == 1 else UNITS[hundreds]) + " hundred"
    if not rest:
        return head
    tail = in_words(rest, hyphen=hyphen, with_and=with_and, a_hundred=a_hundred)
    return head + (" and " if with_and else " ") + tail


@given(st.integers(0, 10**12))
def test_parse_number_reads_digits(n: int) -> None:
    assert parse_number(str(n)) == (n, n, "exact")
    assert parse_number(f"{n:,}") == (n, n, "exact")


@given(
    st.integers(0, 999),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from([str.lower, str.title, str.upper]),
)
def test_parse_number_reads_words(
    n: int, hyphen: bool, with_and: bool, a_hundred: bool, case: Callable[[str], str]
) -> None:
    words = in_words(n, hyphen=hyphen, with_and=with_and, a_hundred=a_hundred)
    assert parse_number(case(words)) == (n, n, "exact")


@given(st.integers(0, 999), st.booleans())
def test_any_count_in_a_sentence_reads_back(n: int, as_words: bool) -> None:
    count = in_words(n, hyphen=True, with_and=True, a_hundred=False) if as_words else f"{n:,}"
    sentence = f"Officials said {count} soldiers were killed on Friday."
    assert [row(f) for f in find_figures(sentence)] == [
        (FAT, SF, n, n, "exact", None, f"{count} soldiers")
    ]


VOCABULARY = [
    *"killed wounded dead died injured casualties deaths toll rose to of the a and or , . "
    "including were was at least more than about dozens hundreds several no one between "
    "soldiers civilians people children Afghan Pakistani Taliban TTP fighters forces militants "
    "12 1,200 23 2021 October 11 pm - 12-15 twenty-three a hundred percent killing left "
    "among them aged year-old all civilians 200+".split(),
    "the death toll rose to",
    "killed or wounded",
]


@given(st.lists(st.sampled_from(VOCABULARY), max_size=40).map(" ".join))
def test_figures_are_well_formed_on_any_word_salad(sentence: str) -> None:
    for f in find_figures(sentence):
        assert sentence[f.start : f.end] == f.text
        assert (f.low is None) == (f.qualifier == "unspecified")
        assert f.high is None or (f.low is not None and f.low <= f.high)


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed articles are not here")
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000_ae0107dbcbd04798.txt", (FAT, SF, 11, 11, "exact", None)),
        ("000_ae0107dbcbd04798.txt", (FAT, CIV, 100, None, "more_than", "PK")),
        ("000_ae0107dbcbd04798.txt", (FAT, UNK, 24, None, "at_least", None)),
        ("002_2688002ae2b84c7a.txt", (INJ, UNK, 200, None, "at_least", None)),
        ("003_e8695a1c047b220a.txt", (FAT, SF, 11, 11, "exact", "PK")),
        ("003_e8695a1c047b220a.txt", (FAT, SF, 23, None, "at_least", "PK")),
        ("003_e8695a1c047b220a.txt", (FAT, CIV, 3, None, "at_least", None)),
        ("004_b5674c6c62ca922d.txt", (FAT, CIV, 17, None, "at_least", "AF")),
        ("004_b5674c6c62ca922d.txt", (INJ, CIV, 200, None, "at_least", "AF")),
    ],
)
def test_figures_in_the_seed_articles(name: str, expected: tuple[object, ...]) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    found = {row(f)[:6] for s in sentences for f in find_figures(s)}
    assert expected in found
