"""Durations: a period given by its length, which ends on the publication date.

"for almost two weeks", "after five days of talks", "more than a week of fighting",
"three days of clashes", "for months", "since last week".

The conventions are under "Durations" in the package docstring, :mod:`sulh.extract.dates`.
"""

from __future__ import annotations

import re

from sulh.extract.dates.patterns import _COUNTS, _MONTHS, _WEEKDAYS, _Found, _left, _Slot
from sulh.extract.dates.relative import _calendar_unit, _count, _weekend
from sulh.extract.dates.spans import DateSpan, Reading, _days, _known, _unknown

_COUPLES = {"a couple of": 2, "couple of": 2}
_VAGUE = ("several", "a few", "few", "some", "many", "a number of")
# Only "for" lets a length stand alone ("for two weeks"); the others need "N days of <noun>".
_LEADS = ("for", "after", "following", "during", "amid", "in", "throughout", "despite")
_QUALIFIERS = (
    "almost", "nearly", "about", "around", "some", "roughly", "approximately", "close to",
    "at least", "only", "just", "more than", "over", "just over", "well over",
)  # fmt: skip
# "more than a week" is at least a day longer than the week (the annotation guide).
_LONGER = frozenset({"more than", "over", "just over", "well over"})
_UNIT_DAYS = {"day": 1, "night": 1, "week": 7}
# Words before a length that make it some other period ("the first two days of talks",
# "every three days", "within two days of the attack", "for the next two weeks").
_NOT_BEFORE = frozenset(
    "the first last next final past previous coming remaining those these its their his her "
    "our my your initial opening closing another additional extra further every each per "
    "within than other".split()
)
# "two days of the ceasefire" is part of a period named elsewhere, not a length of its own.
_NOT_NOUNS = frozenset(
    "the a an this that these those his her its their our my your which what whose each every "
    "all both it them him us me you one".split()
) | {name.lower() for name in (*_MONTHS, *_WEEKDAYS)}

_DURATION_LEFT = _left(
    _Slot("lead", _LEADS),
    _Slot("qual", _QUALIFIERS),
    _Slot("count", (*_COUNTS, *_COUPLES, *_VAGUE)),
)
# Lowercase, like every pattern read from a word core; "days-long" is an adjective.
_DURATION_RIGHT = re.compile(
    r"(?P<unit>hour|day|night|week|month|year)(?P<plural>s)?\b(?!-)"
    r"(?:\s+of\s+(?P<noun>[^\W\d_][\w'’-]*))?"
)
_OF = re.compile(r"\s+of\b")
# A length that runs up to or from another event ends there, not on publication.
_ENDS_ELSEWHERE = re.compile(
    r"\s+(?:later|earlier|ago|after|before|until|till|prior|ahead|afterwards?|from\s+now"
    r"|hence|since)\b"
)
_WORD_BEFORE = re.compile(r"([a-z]+)\s+$")

_SINCE_LEFT = _left(
    _Slot("lead", ("since", "ever since"), required=True),
    _Slot("det", ("last",), required=True),
)


def _stands_alone(found: _Found) -> bool:
    start, low = found.start, found.low
    if start > 0 and (low[start - 1].isalnum() or low[start - 1] in ",.-/'’"):
        return False  # "1,000 days", "48-hour"
    before = _WORD_BEFORE.search(low, max(0, start - 20), start)
    return before is None or before[1] not in _NOT_BEFORE


def _counted(word: str) -> int | None:
    return _COUPLES[word] if word in _COUPLES else _count(word)


def _length_in_days(count: int, unit: str, qualifier: str) -> int:
    more = 1 if qualifier in _LONGER else 0
    if unit == "hour":
        return -(-(count + more) // 24)
    return count * _UNIT_DAYS[unit] + more


def _is_length(found: _Found) -> bool:
    noun = found.right["noun"]
    if noun is None and (found.word("lead") != "for" or _OF.match(found.low, found.end)):
        return False  # "five days later", "a two-day visit", "in two days", "of 2025"
    if noun in _NOT_NOUNS or _ENDS_ELSEWHERE.match(found.low, found.end):
        return False
    return _stands_alone(found)


def _agrees(count: int | None, plural: bool) -> bool:
    # "a two day visit": a unit that does not agree with its count is a modifier.
    return plural if count is None else count > 0 and plural == (count > 1)


def _on_duration(found: _Found) -> Reading | None:
    if not _is_length(found):
        return None
    unit, count_word = found.right["unit"], found.word("count")
    count = _counted(count_word) if count_word else None
    if not _agrees(count, found.right["plural"] is not None):
        return None
    if count is None or unit in ("month", "year") or found.published is None or found.future():
        return _unknown("publication")
    days = _length_in_days(count, unit, found.word("qual"))
    return _known(DateSpan(found.published - _days(days - 1), found.published), "publication")


def _on_since_period(found: _Found) -> Reading | None:
    published, unit = found.published, found.right["unit"]
    if published is None:
        return _unknown("publication")
    if unit == "weekend":
        begun = _weekend(published, "last", False)
    else:
        begun = _calendar_unit(published, unit, -1)
    return _known(DateSpan(begun.first, published), "publication")
