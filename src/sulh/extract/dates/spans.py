"""Date spans, the mentions that carry them, and the day arithmetic that builds them.

A phrase is read into a :data:`Reading`, which resolves to an :data:`Outcome` once the
anchor of the text before it is known. The conventions are in the package docstring
(:mod:`sulh.extract.dates`).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Basis = Literal["publication", "previous", "absolute"]


@dataclass(frozen=True)
class DateSpan:
    """One day (``first == last``) or an inclusive interval of days."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(
                f"A date span cannot end ({self.last}) before it starts ({self.first})."
            )

    @classmethod
    def day(cls, day: date) -> DateSpan:
        """The span of a single day."""
        return cls(day, day)

    @property
    def days(self) -> int:
        """How many days the span covers."""
        return (self.last - self.first).days + 1

    @property
    def precision(self) -> Literal["day", "month", "year", "interval"]:
        """One of "day", a whole calendar "month" or "year", or any other "interval"."""
        first, last = self.first, self.last
        if first == last:
            return "day"
        if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
            return "year" if first.year == last.year else "interval"
        whole_month = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
        same_month = (first.year, first.month) == (last.year, last.month)
        return "month" if whole_month and same_month else "interval"

    def as_text(self) -> str:
        """``YYYY-MM-DD`` for one day, ``YYYY-MM-DD/YYYY-MM-DD`` for an interval."""
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


@dataclass(frozen=True)
class DateMention:
    """A date phrase found in a text: where it is, its words, and what it resolves to."""

    start: int
    end: int
    text: str
    span: DateSpan | None
    relative_to: Basis


Outcome = tuple[DateSpan | None, Basis]
# A phrase is read once; it is resolved later, against the anchor of the text before it.
Reading = Callable[[DateSpan | None], Outcome]


# --- date arithmetic --------------------------------------------------------------------


def _days(count: int) -> timedelta:
    return timedelta(days=count)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _month_span(year: int, month: int) -> DateSpan:
    last = calendar.monthrange(year, month)[1]
    return DateSpan(date(year, month, 1), date(year, month, last))


def _interval(first: date, last: date) -> DateSpan | None:
    return DateSpan(first, last) if first <= last else None


def _months_back(day: date, count: int) -> date:
    year, month = _shift_month(day.year, day.month, -count)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _known(span: DateSpan | None, basis: Basis) -> Reading:
    return lambda _anchor: (span, basis)


def _unknown(basis: Basis) -> Reading:
    return _known(None, basis)
