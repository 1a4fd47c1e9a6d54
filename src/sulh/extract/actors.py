"""Actors in text: the agreement's actors by name and alias, and the parties by name.

Named actors come straight from the agreement's actor list and aliases, so a group known by
a designation one side uses ("Fitna al-Khawarij" for the TTP) is found when the agreement
lists it. Country names and demonyms ("Pakistan", "Afghan", "Qatari") stand for a party or a
guarantor; which of its actors they mean depends on what is done (a strike is the armed
forces', a statement the government's), so `ActorIndex.for_party` decides that later.
Capital cities are places, never actors: the agreement keeps them out of the aliases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sulh.agreement.model import ActorKind, Agreement

# English demonyms and alternative names of the states the shipped agreements name.
_OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "Pakistan": ("Pakistani", "Pakistanis"),
    "Afghanistan": ("Afghan", "Afghans"),
    "Qatar": ("Qatari", "Qataris"),
    "Türkiye": ("Turkey", "Turkish", "Turkiye"),
}
# "Pakistan's military", "Afghan troops": a state's forces, whatever the agreement's aliases.
_FORCES = (
    "military",
    "army",
    "armed forces",
    "forces",
    "troops",
    "soldiers",
    "security forces",
    "border forces",
    "border guards",
)
# Since 2021 "the Taliban" unqualified is Afghanistan's de facto government.
_PARTY_SYNONYMS: dict[str, tuple[str, ...]] = {"Afghanistan": ("Taliban",)}


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    actor: str | None  # an actor id; None when the words name a party or guarantor only
    party: str | None  # the party (or guarantor) answerable for it
    kind: str  # the actor's kind, or "party" / "guarantor"


class ActorIndex:
    """Find the agreement's actors and states in text."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self._by_words: dict[str, tuple[str | None, str | None, str]] = {}
        for actor in agreement.actors:
            for words in (actor.name, *actor.aliases):
                self._by_words.setdefault(words, (actor.id, actor.answerable, actor.kind.value))
        states = [(p.id, p.name, "party") for p in agreement.parties] + [
            (g.id, g.name, "guarantor") for g in agreement.guarantors
        ]
        for state, name, kind in states:
            names = (name, *_OTHER_NAMES.get(name, ()), *_PARTY_SYNONYMS.get(name, ()))
            for words in names:
                self._by_words.setdefault(words, (None, state, kind))
                self._by_words.setdefault(f"{words}'s", (None, state, kind))
        for party in agreement.parties:
            forces = self.for_party(party.id, armed=True)
            names = (party.name, *_OTHER_NAMES.get(party.name, ()))
            for words in names:
                for noun in _FORCES:
                    for form in (f"{words} {noun}", f"{words}'s {noun}"):
                        self._by_words.setdefault(form, (forces, party.id, "armed_force"))
        self._pattern = _pattern(self._by_words)
        self._folded = {words.casefold(): value for words, value in self._by_words.items()}

    def find(self, text: str) -> list[ActorMention]:
        """Every mention, longest first, never overlapping, in order."""
        found = []
        for match in self._pattern.finditer(text):
            words = match.group()
            value = self._by_words.get(words) or self._folded.get(words.casefold())
            if value is None:
                continue
            actor, party, kind = value
            found.append(ActorMention(match.start(), match.end(), words, actor, party, kind))
        return found

    def party_of(self, actor_id: str | None) -> str | None:
        """The party answerable for an actor, if any."""
        for actor in self.agreement.actors:
            if actor.id == actor_id:
                return actor.answerable
        return None

    def for_party(self, party: str, *, armed: bool) -> str | None:
        """The actor a bare state name means: its forces when it fights, else its government."""
        kinds = (ActorKind.armed_force,) if armed else (ActorKind.government, ActorKind.ministry)
        for actor in self.agreement.actors:
            if actor.answerable == party and actor.kind in kinds:
                return actor.id
        for guarantor in self.agreement.guarantors:
            if guarantor.id == party:
                for actor in self.agreement.actors:
                    if actor.kind is ActorKind.ministry and guarantor.name in actor.name:
                        return actor.id
        return None


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    # Short names and acronyms ("FC", "ISI", "TTP") must match exactly; longer names also
    # match in other letter cases ("Pakistani Military").
    ordered = sorted(words, key=len, reverse=True)
    alternatives = [re.escape(w) if len(w) <= 5 else f"(?i:{re.escape(w)})" for w in ordered]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


_INDEXES: dict[tuple[str, int], ActorIndex] = {}


def index_for(agreement: Agreement) -> ActorIndex:
    """The index of one agreement version, built once."""
    key = (agreement.id, agreement.version)
    if key not in _INDEXES:
        _INDEXES[key] = ActorIndex(agreement)
    return _INDEXES[key]
