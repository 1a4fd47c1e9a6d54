"""The sentence reader: finds each casualty count and the figure it states."""

from __future__ import annotations

import re

from sulh.extract.figures.figure import Figure, Kind, Whose, _Group, _Value
from sulh.extract.figures.numbers import _value
from sulh.extract.figures.phrases import (
    _group_of,
    _mods_before,
    _Phrase,
    _phrase,
    _words_before,
)
from sulh.extract.figures.vocabulary import (
    _AMONG,
    _COMMA,
    _FATAL_LEFT,
    _FOLLOW,
    _HINT,
    _INFLICTED,
    _INHERIT,
    _INJURED_LEFT,
    _INTRANSITIVE,
    _KILLED_OF,
    _KIND_NOUNS,
    _NEGATIONS,
    _NUMBER,
    _OBJECT,
    _PLURAL_HEADS,
    _REPORTED,
    _SCAN,
    _SEVERITY,
    _SPACE,
    _SUBSET_PAIRS,
    _TOLL_ENDS,
    _TOLLS,
    _TRANSITIVE,
    _VERB,
    _fold,
)


class _Reader:
    """One pass over one sentence; `cursor` keeps a count from being read twice."""

    def __init__(self, sentence: str, folded: str) -> None:
        self.text = sentence
        self.s = folded
        self.figures: list[Figure] = []
        self.taken: list[tuple[int, int]] = []
        self.cursor = 0
        self.last: tuple[int, Whose, str | None] | None = None

    def read(self) -> list[Figure]:
        phrases: list[_Phrase] = []
        nouns: list[re.Match[str]] = []
        for m in _SCAN.finditer(self.s):
            if m.group("noun"):
                nouns.append(m)
            elif phrase := _phrase(self.s, m):
                phrases.append(phrase)
        i = 0
        while i < len(phrases):
            i = self._read(phrases, i) if phrases[i].start >= self.cursor else i + 1
        for noun in nouns:
            self._read_noun(noun.start(), noun.group())
        return sorted(self.figures, key=lambda f: f.start)

    def _read(self, phrases: list[_Phrase], i: int) -> int:
        p = phrases[i]
        if _is_subset(p.before):
            kind = None if self.figures else self._subset_kind(p)
            if kind:
                self._emit([p], kind, p.end)
            return i + 1
        if p.kind_noun:
            self._emit([p], p.kind_noun, p.end)
            return i + 1
        chain = self._chain(phrases, i)
        left = self._left_kind(p)
        verb = self._verb(chain[-1].m)
        if verb and left and len(chain) > 1:
            self._emit(chain[:1], left, chain[0].end)
            self._emit(chain[1:], *verb)
        elif verb:
            self._emit(chain, *verb)
        elif left and (p.has_noun or _FOLLOW.match(self.s, p.end)):
            self._emit(chain, left, chain[-1].end)
        else:
            return i + 1
        return i + len(chain)

    def _chain(self, phrases: list[_Phrase], i: int) -> list[_Phrase]:
        """'17 civilians and 3 children': counts joined by "and" or commas, read together."""
        chain = [phrases[i]]
        for p in phrases[i + 1 :]:
            last = chain[-1].m
            if last.group("conj") is None or last.end() != p.start:
                break
            if p.kind_noun or _is_subset(p.before):
                break
            chain.append(p)
        return chain

    def _left_kind(self, p: _Phrase) -> str | None:
        w = p.before
        if w[:1] in (["the"], ["another"]):
            w = w[1:]
        elif w[:3] == ["of", "total", "a"]:
            w = w[3:]
        first = w[0] if w else ""
        if first in _FATAL_LEFT:
            return "fatalities"
        if first in _INJURED_LEFT or w[:2] in (["to", "injuries"], ["of", "wounding"]):
            return "injured"
        if first == "of" and (
            w[1:2] and w[1] in _KILLED_OF or w[1:4] == ["lives", "the", "claimed"]
        ):
            return "fatalities"
        return self._toll_kind(p.start) if first in _TOLL_ENDS else None

    def _toll_kind(self, start: int) -> str | None:
        """'the death toll from Friday's strikes rose to 23'"""
        at = self.s.rfind("toll", max(0, start - 80), start)
        if at < 0 or any(c in self.s[at:start] for c in ".;:!?"):
            return None
        before = self.s[max(0, at - 10) : at].split()
        return _TOLLS.get(before[-1]) if before else None

    def _verb(self, v: re.Match[str] | None) -> tuple[str, int] | None:
        """The kind a verb match says, unless the verb is active with an object after it."""
        if v is None or (v.re is _SCAN and v.group("verb") is None):
            return None
        aux, both, fatalities, injured = v.group("aux", "both", "fatalities", "injured")
        if not aux.strip() and (fatalities or injured) in _TRANSITIVE and self._object_at(v.end()):
            return None  # "a bomber killed 12": the phrase did the killing
        return "both" if both else "fatalities" if fatalities else "injured", v.end()

    def _object_at(self, pos: int) -> bool:
        space = _SPACE.match(self.s, pos)
        if space is None:
            return False
        return bool(_OBJECT.match(self.s, pos) or _NUMBER.match(self.s, space.end()))

    def _subset_kind(self, p: _Phrase) -> str | None:
        comma = _COMMA.match(self.s, p.end)
        verb = self._verb(_VERB.match(self.s, comma.end() if comma else p.end))
        if verb:
            return verb[0]
        for word in _words_before(self.s, p.start, 12):
            if word in _FATAL_LEFT or word in {"dead", "died", "deaths", "slain"}:
                return "fatalities"
            if word in _INJURED_LEFT or word == "injuries":
                return "injured"
        return None

    def _emit(self, phrases: list[_Phrase], kind: str, consumed: int) -> None:
        for run in _runs(phrases, self.s):
            (first, (whose, nation)), start, end = run[0], run[0][0].start, run[-1][0].end
            if len(run) == 1:
                low, high, qualifier = _value(first.m)
            else:
                low, high, qualifier = _sum([_value(p.m) for p, _ in run])
                nation = _nation([g for _, g in run])
            if self.last and not any(p.has_noun for p, _ in run):
                last_end, last_whose, last_nation = self.last
                if _INHERIT.fullmatch(self.s, last_end, start):
                    whose, nation = last_whose, last_nation
            for k in _kinds(kind, low == high == 0):
                text = self.text[start:end]
                self.figures.append(
                    Figure(k, whose, low, high, qualifier, start, end, text, nation)
                )
            self.last = (consumed, whose, nation)
        self.cursor = consumed
        self.taken.append((phrases[0].start, consumed))

    def _read_noun(self, start: int, noun: str) -> None:
        if not any(a <= start < b for a, b in self.taken):
            if noun in _KIND_NOUNS:
                self._bare_noun(start, noun)
            else:
                self._bare(start, start + len(noun))

    def _bare(self, start: int, end: int) -> None:
        """'civilians were killed': a figure with no number."""
        v = _VERB.match(self.s, end)
        if v is None or any(a < v.end() and start < b for a, b in self.taken):
            return
        verb = v.group("fatalities") or v.group("injured") or v.group("both")
        if not v.group("aux").strip() and not verb.startswith(_INTRANSITIVE):
            return  # "gunmen killed ..." is active: the gunmen are not the casualties
        first, mods = _mods_before(self.s, start)
        words, coord = [*mods, self.s[start:end]], list[str]()
        conj = _words_before(self.s, first, 2)
        if conj[:1] in (["and"], ["or"]) and conj[1:] and conj[1] in _PLURAL_HEADS:
            other = self.s.rfind(conj[1], 0, self.s.rfind(conj[0], 0, first))
            first, mods = _mods_before(self.s, other)
            words, coord = [*mods, conj[1]], words
        kind = "both" if v.group("both") else "fatalities" if v.group("fatalities") else "injured"
        self._unnumbered(first, end, kind, _group_of(tuple(words), tuple(coord)))

    def _bare_noun(self, start: int, noun: str) -> None:
        """'casualties were reported', 'inflicted heavy casualties on the enemy'"""
        end = start + len(noun)
        first, words = _mods_before(self.s, start)
        verb = _words_before(self.s, first, 2)
        if verb[:1] and verb[0] in _SEVERITY:
            verb = verb[1:]
        if not (verb[:1] and verb[0] in _INFLICTED or _REPORTED.match(self.s, end)):
            return
        among = _AMONG.match(self.s, end)
        if among:
            words, end = [*words, *among.group("words").split()], among.end()
        self._unnumbered(first, end, _KIND_NOUNS[noun], _group_of(tuple(words)))

    def _unnumbered(self, start: int, end: int, kind: str, group: _Group) -> None:
        if any(a < end and start < b for a, b in self.taken) or self._negated(start):
            return
        whose, nation = group
        k: Kind = "fatalities" if kind == "fatalities" else "injured"
        text = self.text[start:end]
        self.figures.append(Figure(k, whose, None, None, "unspecified", start, end, text, nation))
        self.taken.append((start, end))

    def _negated(self, start: int) -> bool:
        for word in _words_before(self.s, start, 10):
            if word.rstrip(",;:.") in _NEGATIONS:
                return True
            if word[-1] in ",;:.":
                return False
        return False


def _is_subset(before: list[str]) -> bool:
    """'10 civilians, including nine children': the nine are part of the ten."""
    w = before[1:] if before[:1] in (["were"], ["was"]) else before
    return w[:1] == ["including"] or tuple(w[1::-1]) in _SUBSET_PAIRS


def _kinds(kind: str, zero: bool) -> tuple[Kind, ...]:
    if kind == "both":  # "no casualties" is no deaths and no injuries
        return ("fatalities", "injured") if zero else ("injured",)
    return ("fatalities",) if kind == "fatalities" else ("injured",)


def _runs(phrases: list[_Phrase], s: str) -> list[list[tuple[_Phrase, _Group]]]:
    """Adjacent counts of one known group make one figure: "17 civilians and 3 children"."""
    if len(phrases) == 1:
        return [[(phrases[0], phrases[0].group(s))]]
    runs: list[list[tuple[_Phrase, _Group]]] = []
    for p in phrases:
        group = p.group(s)
        run = runs[-1] if runs else None
        if run and group[0] == run[0][1][0] != "unknown":
            if _nation([g for _, g in run] + [group]) != "mixed":
                run.append((p, group))
                continue
        runs.append([(p, group)])
    return runs


def _nation(groups: list[_Group]) -> str | None:
    said = {nation for _, nation in groups} - {None}
    return "mixed" if len(said) > 1 else next(iter(said), None)


def _sum(values: list[_Value]) -> _Value:
    if len(values) == 1:
        return values[0]
    low = sum(v[0] for v in values)
    highs = [v[1] for v in values]
    qualifiers = {v[2] for v in values}
    if None in highs:
        return low, None, "more_than" if "more_than" in qualifiers else "at_least"
    high = sum(h or 0 for h in highs)
    if low != high:
        return low, high, "range"
    return low, high, "about" if "about" in qualifiers else "exact"


def find_figures(sentence: str) -> list[Figure]:
    """Every casualty count `sentence` states, in order of position; rules in the package notes."""
    folded = _fold(sentence)
    if not _HINT.search(folded):
        return []
    return _Reader(sentence, folded).read()
