"""What a count says: a match of the number pattern read as low, high and qualifier."""

from __future__ import annotations

import re

from sulh.extract.figures.figure import _Value
from sulh.extract.figures.vocabulary import (
    _DOZENS,
    _FORMS,
    _MULTIPLIERS,
    _NUMBER,
    _QUALIFIERS,
    _RANGES,
    _UNIT_SIZES,
    _VAGUE,
    _WORD_VALUES,
    _fold,
)


def _words_value(text: str) -> int:
    total = current = 0
    for word in text.replace("-", " ").split():
        if word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total, current = total + (current or 1) * 1000, 0
        elif word == "a":
            current += 1
        elif word != "and":
            current += _WORD_VALUES[word]
    return total + current


def _as_int(text: str) -> int:
    return int(text.replace(",", "")) if text[0].isdigit() else _words_value(text)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _base_value(m: re.Match[str]) -> _Value:
    texts = m.group(*_FORMS)  # one call, not twelve: this runs for every count read
    at = next(i for i, text in enumerate(texts) if text)
    form, text = _FORMS[at], texts[at]
    if form in _RANGES:
        low, high = sorted((_as_int(m.group(_RANGES[form])), _as_int(text)))
        return low, high, "range"
    if form == "dozen":
        return _DOZENS[_norm(text)], _DOZENS[_norm(text)], "about"
    if form == "couple":
        return 2, 2, "about"
    if form == "unit":
        return _MULTIPLIERS[_norm(m.group("mult"))] * _UNIT_SIZES[text], None, "at_least"
    if form == "vague":
        return _VAGUE[_norm(text)], None, "at_least"
    if form == "plus":
        return _as_int(text), None, "more_than"
    n = 0 if form == "zero" else 1 if form == "one" else _as_int(text)
    return n, n, "exact"


def _value(m: re.Match[str]) -> _Value:
    low, high, qualifier = _base_value(m)
    said = _QUALIFIERS[_norm(m.group("qual"))] if m.group("qual") else None
    if said is None or qualifier == "range":
        return low, high, qualifier
    if high is None:  # vague words are open-ended already
        return low, None, "more_than" if said == "more_than" else qualifier
    if said == "below":
        return 0, max(low - 1, 0), "range"
    if said == "at_most":
        return 0, low, "range"
    if said == "about":
        return low, low, "about"
    return low, None, "more_than" if said == "more_than" else "at_least"


def parse_number(text: str) -> tuple[int, int | None, str] | None:
    """Read a count phrase: "at least 23" -> (23, None, "at_least"), "twelve" -> (12, 12, "exact").

    `high` is None when the phrase is open-ended ("at least 23", "more than 100", "dozens"),
    exactly as in a Figure. Returns None unless the whole of `text` is a count phrase.
    """
    m = _NUMBER.fullmatch(_fold(text.strip()))
    return _value(m) if m else None
