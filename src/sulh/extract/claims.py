"""Who says what about whom: allegations, denials, refusals to confirm, and admissions.

A stance is read from its verb. The claimant is the actor named nearest before the verb
(the subject: "Kabul's spokesman denied …", "a claim Islamabad neither confirmed nor
denied"), or the one after "according to". The accused is whoever the verb points at
("accused India of …", "blamed Pakistan for …", "attributed the strikes to Pakistan"); for a
denial, a refusal or an admission the claimant speaks about its own side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sulh.extract.actors import ActorMention

# Most specific first: "neither confirmed nor denied" must not read as a denial.
_STANCES: list[tuple[str, re.Pattern[str]]] = [
    (
        "neither_confirms_nor_denies",
        re.compile(
            r"\bneither\s+(?:\w+ly\s+)?(?:confirm\w*|affirm\w*|acknowledg\w*|admit\w*)\s+nor\s+"
            r"(?:\w+ly\s+)?(?:den\w+|refut\w+|reject\w*)|\b(?:declined|refused|would\s+not|did\s+not|"
            r"has\s+not|have\s+not)\s+(?:to\s+)?(?:confirm|comment)\b|"
            r"\bno\s+(?:official\s+)?(?:confirmation|comment)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "denies",
        re.compile(
            r"\b(?:den(?:ied|ies|y|ying)(?:\s+(?:the|these|those|an?|any)\s+(?:allegations?|"
            r"accusations?|claims?|charges?|reports?))?|refut\w+|reject\w*\s+(?:the\s+|these\s+|those\s+)?"
            r"(?:claims?|allegations?|accusations?|reports?|charges?)|dismiss\w*\s+(?:the\s+)?"
            r"(?:claims?|allegations?|accusations?|reports?))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "acknowledges",
        re.compile(
            r"\b(?:acknowledg\w+|admitt?\w*|claimed\s+responsibility|took\s+responsibility|"
            r"confirmed\s+(?:that\s+)?(?:it|its|their)\b|said\s+(?:it|its\s+forces)\s+had\s+"
            r"(?:struck|targeted|carried\s+out))",
            re.IGNORECASE,
        ),
    ),
    (
        "alleges",
        re.compile(
            r"\b(?:accus(?:ed|es|ing|ation|ations)|blam(?:ed|es|ing)|alleg(?:e|es|ed|ing|"
            r"ation|ations)|attribut(?:ed|es|ing)|charg(?:ed|es)\s+that|claimed\s+that|"
            r"held\s+\w+\s+responsible|violat(?:ed|ion|ions)\s+of)\b",
            re.IGNORECASE,
        ),
    ),
]
_TOWARDS = re.compile(r"\s*(?:\w+\s+){0,8}?(?:to|on|of|against)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    stance: str
    start: int  # the stance words, in the sentence's offsets
    end: int
    claimant: ActorMention | None
    accused: list[ActorMention]


def find_claims(sentence: str, actors: list[ActorMention]) -> list[Claim]:
    """Each stance in `sentence`, with the mentions (offsets in the sentence) that fill it."""
    found: list[Claim] = []
    taken: list[tuple[int, int]] = []
    for stance, pattern in _STANCES:
        for match in pattern.finditer(sentence):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            claimant = _claimant(sentence, actors, match.start())
            accused = _accused(sentence, actors, match.end(), stance, claimant)
            found.append(Claim(stance, match.start(), match.end(), claimant, accused))
    return sorted(found, key=lambda c: c.start)


def _claimant(sentence: str, actors: list[ActorMention], at: int) -> ActorMention | None:
    before = [a for a in actors if a.end <= at]
    according = re.search(r"according\s+to\s+$", sentence[:at], re.IGNORECASE)
    if according is None:
        for mention in actors:
            if mention.start > at and re.search(
                r"according\s+to\s+(?:the\s+)?$", sentence[: mention.start], re.IGNORECASE
            ):
                return mention
    return before[-1] if before else None


def _accused(
    sentence: str,
    actors: list[ActorMention],
    at: int,
    stance: str,
    claimant: ActorMention | None,
) -> list[ActorMention]:
    if stance != "alleges":
        return [claimant] if claimant is not None else []
    after = [a for a in actors if a.start >= at and a.party != (claimant and claimant.party)]
    # "attributed these strikes to Pakistan": the actor after the preposition is the accused.
    pointed = [a for a in after if _TOWARDS.fullmatch(sentence[at : a.start])]
    chosen = pointed[:1] or after[:1]
    return chosen
