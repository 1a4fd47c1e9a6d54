"""Phrases read against a reference day: the publication date or the previous event.

"yesterday", "last week", "the past three days", "two days ago"; "the next day", "two
nights later", "the following week".

The conventions (publication day, periods, previous event, vague) are in the package
docstring, :mod:`sulh.extract.dates`.
"""

from __future__ import annotations

from datetime import date

from sulh.extract.dates.patterns import _NUMBERS, _Found
from sulh.extract.dates.spans import (
    DateSpan,
    Outcome,
    Reading,
    _days,
    _interval,
    _known,
    _month_span,
    _months_back,
    _shift_month,
    _unknown,
)


def _count(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBERS.get(word)


# --- relative to publication ------------------------------------------------------------

_PUBLICATION_OFFSETS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}


def _on_publication_day(found: _Found) -> Reading | None:
    if found.published is None:
        return _unknown("publication")
    offset = _PUBLICATION_OFFSETS[found.right["word"]]
    offset += {"the day before": -1, "the day after": 1}.get(found.word("rel"), 0)
    return _known(DateSpan.day(found.published + _days(offset)), "publication")


def _calendar_unit(day: date, unit: str, shift: int) -> DateSpan:
    if unit == "week":
        monday = day - _days(day.weekday()) + _days(7 * shift)
        return DateSpan(monday, monday + _days(6))
    if unit == "month":
        return _month_span(*_shift_month(day.year, day.month, shift))
    return DateSpan(date(day.year + shift, 1, 1), date(day.year + shift, 12, 31))


def _weekend(published: date, det: str, future: bool) -> DateSpan:
    saturday = published - _days(published.weekday() - 5)
    weekend_now = published.weekday() >= 5
    if det == "next" or (det in ("coming", "this coming") and weekend_now):
        saturday += _days(7)
    elif det == "last" or not (future or weekend_now or det in ("coming", "this coming")):
        saturday -= _days(7)
    return DateSpan(saturday, saturday + _days(1))


def _on_period(found: _Found) -> Reading | None:
    unit, det = found.right["unit"], found.word("det")
    if det in ("following", "the following"):
        return None if unit not in ("week", "month") else _following(unit)
    if det.endswith(" the") and unit != "weekend":
        return None  # "during the week" is any week
    if found.low[max(0, found.start - 4) : found.start] == "the ":
        return None  # "the last week of October"
    published = found.published
    if published is None:
        return _unknown("publication")
    if unit == "weekend":
        return _known(_weekend(published, det, found.future()), "publication")
    which = "next" if det in ("coming", "this coming") else det
    if which != "this":
        shift = -1 if which == "last" else 1
        return _known(_calendar_unit(published, unit, shift), "publication")
    return _known(_this_period(published, unit, found), "publication")


def _this_period(published: date, unit: str, found: _Found) -> DateSpan | None:
    whole = _calendar_unit(published, unit, 0)
    qualifier = found.word("qual")
    if qualifier == "earlier":
        return _interval(whole.first, published - _days(1))
    if qualifier == "later":
        return _interval(published + _days(1), whole.last)
    if found.future():
        return DateSpan(published, whole.last)
    return DateSpan(whole.first, published)


def _on_rolling(found: _Found) -> Reading | None:
    published = found.published
    count_word, unit = found.word("count"), found.right["unit"]
    if not count_word and unit == "day" and found.word("det") == "the last":
        return None  # "the last day" of something
    count = _count(count_word) if count_word else 1
    if published is None or count is None:
        return _unknown("publication")
    if unit == "hour":
        first = published - _days(max(1, -(-count // 24)))
    elif unit in ("day", "week"):
        first = published - _days(count * (7 if unit == "week" else 1))
    else:
        first = _months_back(published, count * (12 if unit == "year" else 1))
    return _known(DateSpan(first, published), "publication")


def _on_ago(found: _Found) -> Reading | None:
    unit = found.right["unit"]
    count = _count(found.word("count")) if found.word("count") else None
    # Months and years "ago" are round figures; a single day would claim too much.
    if found.published is None or count is None or unit not in ("day", "week"):
        return _unknown("publication")
    day = found.published - _days(count * (7 if unit == "week" else 1))
    return _known(DateSpan.day(day), "publication")


def _on_vague(found: _Found) -> Reading | None:
    if found.right["unit"] is not None and not found.word("det"):
        return None
    return _unknown("publication")


# --- relative to the previous event -----------------------------------------------------


def _narrow(anchor: DateSpan | None, widest: int = 2) -> DateSpan | None:
    return anchor if anchor is not None and anchor.days <= widest else None


def _step(days: int, *, forward: bool) -> Reading:
    def resolve(anchor: DateSpan | None) -> Outcome:
        near = _narrow(anchor)
        if near is None:
            return None, "previous"
        day = near.last + _days(days) if forward else near.first - _days(days)
        return DateSpan.day(day), "previous"

    return resolve


def _following(unit: str) -> Reading:
    def resolve(anchor: DateSpan | None) -> Outcome:
        near = _narrow(anchor, 7 if unit == "week" else 31)
        if near is None:
            return None, "previous"
        return _calendar_unit(near.last, unit, 1), "previous"

    return resolve


def _same(anchor: DateSpan | None) -> Outcome:
    return _narrow(anchor), "previous"


_FORWARD = ("next", "the next", "following", "the following", "the ensuing", "the subsequent")
_BACKWARD = ("previous", "the previous", "the preceding", "the prior")


def _on_day(found: _Found) -> Reading | None:
    det, unit, side = found.word("det"), found.right["unit"], found.right["side"]
    if det in ("this", "last"):
        return _day_near_publication(found, det, unit)
    if det in _FORWARD or det in _BACKWARD:
        return _step(1, forward=det in _FORWARD)
    if det in ("that", "the same"):
        return _same
    if det == "the" and side is not None:
        return _step(1, forward=side == "after")
    return None


def _day_near_publication(found: _Found, det: str, unit: str) -> Reading | None:
    if found.low[max(0, found.start - 4) : found.start] == "the ":
        return None  # "the last night of the talks"
    if unit == "day" or (det == "last" and unit in ("morning", "afternoon")):
        return None  # "to this day", "last day": not a date
    if found.published is None:
        return _unknown("publication")
    back = 1 if det == "last" else 0
    return _known(DateSpan.day(found.published - _days(back)), "publication")


def _on_step(found: _Found) -> Reading | None:
    unit, side = found.right["unit"], found.right["side"]
    forward = side not in ("earlier", "before")
    count = _count(found.word("count")) if found.word("count") else None
    if unit in ("hour", "minute", "moment"):
        if count is not None and unit == "hour" and count >= 24:
            return _step(count // 24, forward=forward) if count % 24 == 0 else _unknown("previous")
        return _step(0, forward=forward)
    if count is None or unit in ("month", "year"):
        return _unknown("previous")
    return _step(count * (7 if unit == "week" else 1), forward=forward)
