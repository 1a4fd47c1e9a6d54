"""Casualty figures in one sentence of news: how many, killed or injured, whose, how sure.

`find_figures(sentence)` returns each casualty count the sentence states, with its offsets, so
the caller can attach the party it concerns (from actors) and who reported it (from
attribution). Nothing here adds figures across sentences or sources; the one sum made is of
a list within one phrase ("17 civilians and 3 children", below).

Numbers
    Digits ("23", "1,200", "200+"), words ("eleven", "twenty-three", "a hundred and five",
    "two thousand"), ranges ("between 12 and 15", "12 to 15", "12-15", "two or three").
    Vague words are read as the smallest count they literally allow, open-ended (high None,
    qualifier "at_least"): a few, many, multiple, numerous, a number of, a handful of 2;
    several 3; dozens 24 (ACLED codes 12; the plural says at least two dozen); scores 40;
    hundreds 200; thousands 2,000; several dozen 36; a few hundred 200; tens of thousands
    20,000; hundreds of thousands 200,000. "a dozen", "two dozen", "half a dozen" are round
    numbers: qualifier "about". "a couple of" is about 2; "a"/"an"/"one" before a person is
    1; "no", "no one", "nobody" are 0.

Qualifiers
    at least, no fewer than, no less than, a minimum of: at_least, low n, high None.
    more than, over, upwards of, in excess of, "200+": more_than, low n (not n + 1), high None.
    about, around, some, nearly, almost, approximately, roughly, close to, an estimated,
    up to, as many as: about, low = high = n. "Up to" and "as many as" mostly stress how high
    a toll went, so they are read as approximate rather than as a ceiling.
    fewer than / less than n: range 0..n-1; no more than / at most n: range 0..n.
    A bare number is exact. A count with no number ("casualties were reported", "civilians
    were killed") is "unspecified", low and high None.

Kind
    fatalities: killed, dead, died, deaths, death toll, lost their lives, claimed 12 lives,
    martyred, slain, perished, bodies, gunned down, shot dead, succumbed, and the army's
    "neutralised", "eliminated", "sent to hell". injured: injured, wounded, hurt, injuries.
    "Casualties", "harmed" and "killed or wounded" lump the dead with the injured: they are
    filed as injured, so no death toll is ever inflated by them; "no casualties" is 0 of both.
    Passive ("23 soldiers were killed", "23 dead", "left 23 soldiers dead"), active ("killed
    23 soldiers", "killing at least 10"; "a bomber killed 12" does not count the bomber),
    nouns and adjectives ("dozens of deaths", "17 civilian deaths", "35 injured people", "the
    deaths of several players", "the death toll rose to 23"). A count with no noun after
    "and" or a comma takes the group of the figure before it ("three soldiers were killed and
    five wounded": five soldiers); "killed five and wounded 12" stays unknown.

Whose
    civilians, security_forces, militants or unknown, from the words of the phrase, the head
    noun deciding ("police officers": security forces; "civilian deaths": civilians). People,
    persons, men, others, victims are unknown unless the phrase says civilian ("innocent
    people", "12 people, all civilians"); "soldiers and civilians" together are unknown.
    Since 2021 the Afghan Taliban are Afghanistan's state forces: "Afghan Taliban fighters",
    "Taliban soldiers/forces" and "Afghan fighters" are security forces of AF; "Taliban
    fighters" with no nationality, "Pakistani Taliban" and TTP are militants. Militants never
    carry a nationality: the caller maps nationality to a party, and "Afghan militants" are
    not the Afghan state.

Lists and subsets
    "17 civilians and 3 children were killed": adjacent counts of one known group, joined by
    "and" or commas and with no conflicting nationality, make ONE figure, 20. Different groups
    stay separate figures. A count introduced by "including", "among them", "of whom" is part
    of a figure already given and is dropped ("10 civilians, including nine children": 10);
    with no figure before it, it stands alone. In "nine of the 12 soldiers were killed"
    neither number is read.

Not counts
    Dates ("October 12"), years (1900-2100 with no noun, or after "in", "since"...), ages ("a
    12-year-old", "aged 5"), times ("11 pm"), percentages, ordinals, decimals ("1.5 million"),
    counts of anything but people (posts, days, drones...), people arrested, captured,
    deployed or displaced, and counts without a casualty word next to them.

Deliberately not handled: negation or denial of a numbered figure ("denied that 23 were
killed" still yields 23, attribution has to carry the stance; only counts without a number
are dropped after "no", "not", "denied", "if"...), millions, counts split across sentences,
"another" and "a further" as numbers, a subset that is the only carrier of a group ("8
killed, including 3 soldiers" yields 8 unknown), verbs far from their count, and other
languages.
"""

from sulh.extract.figures.figure import Figure
from sulh.extract.figures.numbers import parse_number
from sulh.extract.figures.reader import find_figures

__all__ = ["Figure", "find_figures", "parse_number"]
