"""The scanning engine: find cores, read a phrase around each with its rules, keep the
longest where phrases overlap, and resolve them in reading order.

Why it scans for cores instead of running full-text patterns is under "How it reads"
in the package docstring, :mod:`sulh.extract.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from sulh.extract.dates.durations import (
    _DURATION_LEFT,
    _DURATION_RIGHT,
    _SINCE_LEFT,
    _on_duration,
    _on_since_period,
)
from sulh.extract.dates.named import _on_digits, _on_month, _on_weekday
from sulh.extract.dates.patterns import (
    _AGO_RIGHT,
    _COUNT_LEFT,
    _DAY_LEFT,
    _DAY_RIGHT,
    _DIGIT_BETWEEN,
    _DIGIT_LEFT,
    _DIGIT_RIGHT,
    _DIGITS,
    _MONTH_BETWEEN,
    _MONTH_LEFT,
    _MONTH_RIGHT,
    _NAMES,
    _PERIOD_LEFT,
    _PERIOD_RIGHT,
    _PUBLICATION_LEFT,
    _PUBLICATION_RIGHT,
    _ROLLING_LEFT,
    _ROLLING_RIGHT,
    _STEP_RIGHT,
    _VAGUE_LEFT,
    _VAGUE_RIGHT,
    _WEEKDAY_BETWEEN,
    _WEEKDAY_LEFT,
    _WEEKDAY_RIGHT,
    _WEEKDAYS,
    _Found,
)
from sulh.extract.dates.relative import (
    _on_ago,
    _on_day,
    _on_period,
    _on_publication_day,
    _on_rolling,
    _on_step,
    _on_vague,
)
from sulh.extract.dates.spans import DateMention, DateSpan, Reading

Handler = Callable[[_Found], Reading | None]


@dataclass(frozen=True)
class _Rule:
    left: re.Pattern[str]
    right: re.Pattern[str]
    handler: Handler
    between: re.Pattern[str] | None = None
    lowercase: bool = False  # read rightwards on the lowercase text


_WEEKDAY_RULE = _Rule(_WEEKDAY_LEFT, _WEEKDAY_RIGHT, _on_weekday, _WEEKDAY_BETWEEN)
_MONTH_RULE = _Rule(_MONTH_LEFT, _MONTH_RIGHT, _on_month, _MONTH_BETWEEN)
_DIGIT_RULE = _Rule(_DIGIT_LEFT, _DIGIT_RIGHT, _on_digits, _DIGIT_BETWEEN)
_PUBLICATION_RULE = _Rule(_PUBLICATION_LEFT, _PUBLICATION_RIGHT, _on_publication_day, None, True)
_DAY_RULE = _Rule(_DAY_LEFT, _DAY_RIGHT, _on_day, None, True)
_PERIOD_RULE = _Rule(_PERIOD_LEFT, _PERIOD_RIGHT, _on_period, None, True)
_ROLLING_RULE = _Rule(_ROLLING_LEFT, _ROLLING_RIGHT, _on_rolling, None, True)
_AGO_RULE = _Rule(_COUNT_LEFT, _AGO_RIGHT, _on_ago, None, True)
_STEP_RULE = _Rule(_COUNT_LEFT, _STEP_RIGHT, _on_step, None, True)
_VAGUE_RULE = _Rule(_VAGUE_LEFT, _VAGUE_RIGHT, _on_vague, None, True)
_DURATION_RULE = _Rule(_DURATION_LEFT, _DURATION_RIGHT, _on_duration, None, True)
_SINCE_RULE = _Rule(_SINCE_LEFT, _PERIOD_RIGHT, _on_since_period, None, True)

_UNIT_RULES = (_ROLLING_RULE, _AGO_RULE, _STEP_RULE, _VAGUE_RULE, _DURATION_RULE)
_PERIOD_RULES = (_PERIOD_RULE, _SINCE_RULE, *_UNIT_RULES)
# Each word core and the rules that may read a phrase around it.
_WORD_CORES: tuple[tuple[str, tuple[_Rule, ...]], ...] = (
    ("yesterday", (_PUBLICATION_RULE,)),
    ("today", (_PUBLICATION_RULE,)),
    ("tonight", (_PUBLICATION_RULE,)),
    ("tomorrow", (_PUBLICATION_RULE,)),
    ("recently", (_VAGUE_RULE,)),
    ("day", (_DAY_RULE, *_UNIT_RULES)),
    ("night", (_DAY_RULE, _STEP_RULE, _DURATION_RULE)),
    ("morning", (_DAY_RULE,)),
    ("afternoon", (_DAY_RULE,)),
    ("evening", (_DAY_RULE,)),
    ("week", _PERIOD_RULES),
    ("month", _PERIOD_RULES),
    ("year", _PERIOD_RULES),
    ("hour", (_ROLLING_RULE, _STEP_RULE, _DURATION_RULE)),
    ("minute", (_STEP_RULE,)),
    ("moment", (_STEP_RULE,)),
)
_WEEKDAY_SET = frozenset(_WEEKDAYS)


def _cores(text: str, low: str) -> Iterator[tuple[int, tuple[_Rule, ...]]]:
    for match in _NAMES.finditer(text):
        at = match.start()
        if at == 0 or not text[at - 1].isalpha():
            yield at, (_WEEKDAY_RULE if match.group() in _WEEKDAY_SET else _MONTH_RULE,)
    for match in _DIGITS.finditer(text):
        at = match.start()
        if at == 0 or not text[at - 1].isalnum():
            yield at, (_DIGIT_RULE,)
    for word, rules in _WORD_CORES:
        at = low.find(word)
        while at >= 0:
            if at == 0 or not low[at - 1].isalpha():
                yield at, rules
            at = low.find(word, at + 1)


def _read(
    rule: _Rule, at: int, text: str, low: str, backwards: str, published: date | None
) -> tuple[int, int, Reading] | None:
    source = low if rule.lowercase else text
    # Reading rightwards first is cheap and turns away most cores ("12 people").
    right = rule.right.match(source, at)
    left = None
    if rule.between is not None and "between" in low[max(0, at - 40) : at]:
        left = rule.left.match(backwards, len(text) - at)
        if left is not None and "between" in (left["lead"] or "")[::-1]:
            # Only "between" lets "and" join a range: "on October 9 and 12 people died".
            right = rule.between.match(source, at)
    if right is None:
        return None
    left = left or rule.left.match(backwards, len(text) - at)
    if left is None:
        return None
    start = at - (left.end() - left.start())
    found = _Found(text, low, backwards, published, start, right.end(), left, right)
    reading = rule.handler(found)
    return None if reading is None else (start, right.end(), reading)


def _lowercase(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters ("İ") lowercase to two; keep them so offsets stay the text's.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _candidates(text: str, published: date | None) -> list[tuple[int, int, Reading]]:
    low = _lowercase(text)
    backwards = low[::-1]
    found = []
    for at, rules in _cores(text, low):
        for rule in rules:
            candidate = _read(rule, at, text, low, backwards, published)
            if candidate is not None:
                found.append(candidate)
    return found


def _longest(
    candidates: list[tuple[int, int, Reading]], length: int
) -> list[tuple[int, int, Reading]]:
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    used = bytearray(length)
    taken = []
    for candidate in candidates:
        start, end, _ = candidate
        if used.find(1, start, end) < 0:
            used[start:end] = b"\x01" * (end - start)
            taken.append(candidate)
    taken.sort(key=lambda c: c[0])
    return taken


def find_dates(
    text: str, *, published: date | None, anchor: DateSpan | None = None
) -> list[DateMention]:
    """Find the date phrases in ``text`` and resolve each one, in reading order.

    ``published`` is the article's publication date; ``anchor`` the most recent date
    the text before ``text`` established, for phrases such as "two nights later". Each
    resolved mention becomes the anchor for the ones after it. Where phrases overlap the
    longest wins. See the package docstring (``sulh.extract.dates``) for the conventions.
    """
    mentions: list[DateMention] = []
    for start, end, reading in _longest(_candidates(text, published), len(text)):
        span, basis = reading(anchor)
        mentions.append(DateMention(start, end, text[start:end], span, basis))
        if span is not None:
            anchor = span
    return mentions
