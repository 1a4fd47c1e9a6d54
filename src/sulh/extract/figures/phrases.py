"""The noun phrase after a count: whose it counts, and whether it can count casualties."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sulh.extract.figures.figure import Whose, _Group
from sulh.extract.figures.vocabulary import (
    _ALL_CIVILIANS,
    _BEFORE_YEARS,
    _GROUP,
    _KIND_NOUNS,
    _LEX_WORDS,
    _LIVES_TAKEN,
    _MONTHS,
    _NATIONS,
    _NOT_COUNT_LEFT,
    _NOT_NOUNS,
    _PAKISTANI_TALIBAN,
    _WORD_VALUES,
)


def _whose(words: tuple[str, ...]) -> _Group:
    nation = next((_NATIONS[w] for w in words if w in _NATIONS), None)
    groups = [_GROUP[w] for w in words if w in _GROUP]
    whose: Whose = groups[-1] if groups else "unknown"  # the head noun comes last
    if "taliban" in words:
        at = words.index("taliban")
        pakistani = at > 0 and _NATIONS.get(words[at - 1]) == "PK"
        if not pakistani and not _PAKISTANI_TALIBAN & set(words):
            # Since 2021 the Afghan Taliban are the Afghan state: its forces, not militants.
            if nation == "AF" or whose == "security_forces":
                return "security_forces", "AF"
        return "militants", None
    if whose == "militants":
        if nation == "AF" and words[-1] in {"fighters", "fighter"}:
            return "security_forces", "AF"
        return "militants", None
    return whose, nation


@lru_cache(maxsize=4096)  # the same few noun phrases come back in every article
def _group_of(words: tuple[str, ...], coord: tuple[str, ...] = ()) -> _Group:
    """Whose a noun phrase counts; "soldiers and civilians" together are unknown."""
    whose, nation = _whose(words)
    if coord:
        other, other_nation = _whose(coord)
        if other != whose:
            return "unknown", nation if nation == other_nation else None
    return whose, nation


def _words_before(s: str, pos: int, n: int) -> list[str]:
    """Up to `n` words before offset `pos`, nearest first; dashes separate words."""
    window = s[max(0, pos - 12 * n) : pos]
    if "\u2014" in window or "\u2013" in window:
        window = window.replace("\u2014", " ").replace("\u2013", " ")
    return window.split()[: -n - 1 : -1]


def _mods_before(s: str, pos: int) -> tuple[int, list[str]]:
    """Up to three describing words right before `pos`: "Afghan border" before "guards"."""
    start, words = pos, list[str]()
    for word in _words_before(s, pos, 3):
        if word not in _LEX_WORDS:
            break
        start = s.rfind(word, 0, start)
        words.insert(0, word)
    return start, words


@dataclass(slots=True)
class _Phrase:
    """A count and the noun phrase after it, not yet known to count casualties."""

    m: re.Match[str]  # a match of _SCAN
    start: int
    end: int  # of the noun phrase
    before: list[str]
    has_noun: bool
    kind_noun: str | None

    def group(self, s: str) -> _Group:
        text, among, coord = self.m.group("words", "among_words", "coord")
        words = tuple(f"{text} {among or ''}".split())
        whose, nation = _group_of(words, tuple((coord or "").split()))
        if whose == "unknown" and _ALL_CIVILIANS.match(s, self.end):
            return "civilians", nation
        return whose, nation


def _phrase(s: str, m: re.Match[str]) -> _Phrase | None:
    start = m.start()
    before = _words_before(s, start, 6)
    first = before[0] if before else ""
    if first in _NOT_COUNT_LEFT or before[:2] == ["of", "age"]:
        return None
    if start and s[start - 1] in "#$\u00a3\u20ac[\u2116":
        return None
    text, among, coord = m.group("words", "among", "coord")
    words = text.split()
    has_noun = among is not None or any(w not in _NOT_NOUNS for w in words)
    if _is_year(m) and (not has_noun or first in _BEFORE_YEARS):
        return None
    if not has_noun and first.rstrip(".") in _MONTHS:
        return None
    kind_noun = _KIND_NOUNS.get(words[-1]) if words and coord is None else None
    if text.endswith(" lives"):  # "the blast claimed 12 lives"; not "12 lives were saved"
        kind_noun = "fatalities" if first in _LIVES_TAKEN else None
    if adjective := m.group("adj"):  # "35 injured people", "12 dead were buried"
        kind_noun = "fatalities" if adjective.strip() == "dead" else "injured"
    if kind_noun is None and _is_partitive(before):
        return None
    return _Phrase(m, start, m.end("np"), before, has_noun, kind_noun)


def _is_partitive(before: list[str]) -> bool:
    """'nine of the 12 soldiers were killed': 12 does not count the dead."""
    if before[:2] != ["the", "of"] or len(before) < 3:
        return False
    return before[2][:1].isdigit() or before[2] in _WORD_VALUES


def _is_year(m: re.Match[str]) -> bool:
    digits = m.group("digits")
    return bool(digits) and len(digits) == 4 and 1900 <= int(digits) <= 2100
