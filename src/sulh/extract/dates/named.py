"""Phrases that name their day: weekdays and explicit dates.

"last Wednesday", "Thursday night into Friday", "October 12", "9 to 12 October", "in 2021".

Each handler takes a :class:`_Found` phrase and returns how to resolve it; the
conventions (weekdays, nights, explicit dates, missing year) are in the package
docstring, :mod:`sulh.extract.dates`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from sulh.extract.dates.patterns import (
    _DIGIT_NEXT,
    _HOLIDAY,
    _MONTH_BY_PREFIX,
    _MONTHS,
    _PERIOD_LEADS,
    _WEEKDAYS,
    _Found,
)
from sulh.extract.dates.spans import (
    DateSpan,
    Outcome,
    Reading,
    _days,
    _interval,
    _known,
    _month_span,
    _safe,
    _shift_month,
    _unknown,
)

LOOKAHEAD_DAYS = 60
FUTURE_HORIZON_DAYS = 305


# --- weekdays ---------------------------------------------------------------------------

_Mode = Literal["before", "on_or_before", "on_or_after", "after"]


def _weekday_near(published: date, weekday: int, mode: _Mode) -> date:
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if mode == "on_or_before":
        return published - _days(back)
    if mode == "before":
        return published - _days(back or 7)
    if mode == "on_or_after":
        return published + _days(ahead)
    return published + _days(ahead or 7)


def _weekday_mode(found: _Found) -> _Mode:
    modifier = found.word("mod")
    if modifier in ("last", "this past"):
        return "before"
    if modifier in ("next", "coming", "this coming"):
        return "after"
    if found.since() or not found.future():
        return "on_or_before"
    return "on_or_after"


def _on_weekday(found: _Found) -> Reading | None:
    right, published = found.right, found.published
    if found.start == right.start() and _HOLIDAY.search(
        found.text, max(0, found.start - 8), found.start
    ):
        return None
    if published is None:
        return _unknown("publication")
    mode = _weekday_mode(found)
    first_day = _WEEKDAYS.index(right["wd1"])
    if right["wd2"] is None:
        return _known(DateSpan.day(_weekday_near(published, first_day, mode)), "publication")
    second_day = _WEEKDAYS.index(right["wd2"])
    gap = _days((second_day - first_day) % 7)
    if mode == "on_or_before":
        last = _weekday_near(published, second_day, mode)
        return _known(DateSpan(last - gap, last), "publication")
    first = _weekday_near(published, first_day, mode)
    return _known(DateSpan(first, first + gap), "publication")


# --- explicit dates ---------------------------------------------------------------------

_Written = tuple[int, int, int | None]  # month, day, year if written


def _pick_day(month: int, day: int, found: _Found, anchor: DateSpan | None) -> Outcome:
    published = found.published
    if published is None:
        return _near_anchor(month, day, anchor)
    this_year = _safe(published.year, month, day)
    before: date | None
    after: date | None
    if this_year is not None and this_year <= published:
        before, after = this_year, _safe(published.year + 1, month, day)
    else:
        before, after = _safe(published.year - 1, month, day), this_year
    if after is not None and not found.since():
        ahead = (after - published).days
        # The future marker is looked for only when it can change the answer.
        if ahead <= LOOKAHEAD_DAYS or (ahead <= FUTURE_HORIZON_DAYS and found.future()):
            return DateSpan.day(after), "publication"
    return (None if before is None else DateSpan.day(before)), "publication"


def _near_anchor(month: int, day: int, anchor: DateSpan | None) -> Outcome:
    if anchor is None:
        return None, "publication"
    years = (anchor.last.year - 1, anchor.last.year, anchor.last.year + 1)
    near = [c for year in years if (c := _safe(year, month, day)) is not None]
    best = min(near, key=lambda c: abs(c - anchor.last), default=None)
    return (None if best is None else DateSpan.day(best)), "previous"


_LONGEST_MONTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _possible(month: int, day: int) -> bool:
    return day <= _LONGEST_MONTHS[month - 1]


def _dates(first: _Written, last: _Written, found: _Found) -> Reading | None:
    (month1, day1, year1), (month2, day2, year2) = first, last
    if not (_possible(month1, day1) and _possible(month2, day2)):
        return None
    wraps = int((month2, day2) < (month1, day1))
    if year1 is None and year2 is not None:
        year1 = year2 - wraps
    if year1 is not None:
        start = _safe(year1, month1, day1)
        end = _safe(year2 if year2 is not None else year1 + wraps, month2, day2)
        if start is None or end is None or end < start:
            return None
        return _known(DateSpan(start, end), "absolute")

    def resolve(anchor: DateSpan | None) -> Outcome:
        picked, basis = _pick_day(month1, day1, found, anchor)
        if picked is None:
            return None, basis
        end = _safe(picked.first.year + wraps, month2, day2)
        return (None if end is None else _interval(picked.first, end)), basis

    return resolve


def _written(month: str, day: str, year: str | None) -> _Written:
    return _month_number(month), int(day.rstrip("stndrh")), int(year) if year else None


def _month_number(name: str) -> int:
    return _MONTH_BY_PREFIX[name[:3]]


def _on_month(found: _Found) -> Reading | None:
    g = found.right.groupdict()
    if g["d1"] is not None:
        first = _written(g["m1"], g["d1"], g["y1"])
        if g["d2"] is None:
            return _dates(first, first, found)
        return _dates(first, _written(g["m2"] or g["m1"], g["d2"], g["y2"]), found)
    if g.get("year") is not None:
        return _known(_month_span(int(g["year"]), _month_number(g["m1"])), "absolute")
    named_period = found.word("edge") or found.word("lead") in _PERIOD_LEADS
    if g["m1"] not in _MONTHS or not named_period or _DIGIT_NEXT.match(found.text, found.end):
        return None  # "the Long March", "May 2,000 people"
    month = _month_number(g["m1"])

    def resolve(anchor: DateSpan | None) -> Outcome:
        picked, basis = _pick_day(month, 1, found, anchor)
        if picked is None:
            return None, basis
        return _month_span(picked.first.year, picked.first.month), basis

    return resolve


def _on_digits(found: _Found) -> Reading | None:
    g = found.right.groupdict()
    if g.get("iy") is not None:
        day = _safe(int(g["iy"]), int(g["imo"]), int(g["id"]))
        return None if day is None else _known(DateSpan.day(day), "absolute")
    if g["m2"] is not None:
        if g["d2"] is None:
            single = _written(g["m2"], g["d1"], g["y2"])
            return _dates(single, single, found)
        first = _written(g["m1"] or g["m2"], g["d1"], g["y1"])
        return _dates(first, _written(g["m2"], g["d2"], g["y2"]), found)
    if g["od"] is not None:
        return _ordinal_day(int(g["od"]), found)
    if found.word("the") or not (found.word("lead") or found.word("edge")):
        return None  # "the 2021 takeover", "2,000 troops": not a period
    year = int(g["year"])
    return _known(DateSpan(date(year, 1, 1), date(year, 12, 31)), "absolute")


def _ordinal_day(day: int, found: _Found) -> Reading | None:
    if not found.word("the") or not (found.word("lead") or found.word("night")):
        return None
    published = found.published
    if published is None:
        return _unknown("publication")
    if found.future() and not found.since():
        shift = 0 if day >= published.day else 1
    else:
        shift = 0 if day <= published.day else -1
    found_day = _safe(*_shift_month(published.year, published.month, shift), day)
    return _known(None if found_day is None else DateSpan.day(found_day), "publication")
