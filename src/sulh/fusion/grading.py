"""Grades: sources A–F, reports 1–6, incidents confirmed … discounted, by written rules.

docs/grading.md states these rules in words with examples; the two must say the same thing.
An incident's confidence is the first rule of `RULES` that holds, and the incident shows
which rule that was and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
CONFIDENCE = ("confirmed", "fair", "weak", "contested", "discounted")
DEFAULT_GRADE = {"observation": "B"}  # the mechanism's own monitors; every other source: F
GOOD = frozenset("AB")
FAIR = frozenset("ABC")


@dataclass(frozen=True, slots=True)
class Voice:
    """What grading needs of one account in an incident."""

    report_id: int
    kind: str
    origin: str
    grade: str  # the source's reliability, A–F
    credibility: int | None  # an analyst's grade, when one was given
    background: bool = False


@dataclass(frozen=True, slots=True)
class Stance:
    stance: str  # alleges, denies, acknowledges, neither_confirms_nor_denies
    claimant: str | None  # party
    accused: frozenset[str]


@dataclass(frozen=True, slots=True)
class Facts:
    voices: Sequence[Voice]
    stances: Sequence[Stance]
    evidence_files: int = 0


@dataclass(frozen=True, slots=True)
class Grade:
    confidence: str
    rule: str
    reason: str


def independent(facts: Facts) -> dict[str, str]:
    """Origin -> its best source grade, over accounts that count as reporting.

    Background mentions, improbable reports and unreliable sources do not count.
    """
    best: dict[str, str] = {}
    for voice in facts.voices:
        if voice.background or voice.credibility in (5, 6) or voice.grade == "E":
            continue
        best[voice.origin] = min(best.get(voice.origin, "F"), voice.grade)
    return best


def _discounted(facts: Facts) -> str | None:
    graded = [v for v in facts.voices if not v.background]
    if graded and all(v.credibility == 5 or v.grade == "E" for v in graded):
        return "every account is graded improbable or comes from an unreliable source"
    return None


def _observed(facts: Facts) -> str | None:
    seen = [
        v
        for v in facts.voices
        if v.kind == "observation" and v.credibility not in (4, 5, 6) and v.grade not in "DE"
    ]
    if seen:
        return "observed by the mechanism's own monitors"
    return None


def _evidenced(facts: Facts) -> str | None:
    origins = independent(facts)
    if facts.evidence_files and len(origins) >= 2:
        return f"{facts.evidence_files} evidence file(s) and {len(origins)} independent sources"
    return None


def _contested(facts: Facts) -> str | None:
    for alleged in (s for s in facts.stances if s.stance == "alleges" and s.claimant):
        for denial in (s for s in facts.stances if s.stance == "denies" and s.claimant):
            if denial.claimant != alleged.claimant and (
                denial.claimant in alleged.accused or denial.accused & alleged.accused
            ):
                return (
                    f"{alleged.claimant} alleges and {denial.claimant} denies; "
                    "no monitor or evidence has decided it"
                )
    return None


def _corroborated(facts: Facts) -> str | None:
    origins = independent(facts)
    good = [o for o, g in origins.items() if g in GOOD]
    if len(origins) >= 3 and good:
        return f"{len(origins)} independent sources, {len(good)} of them graded A or B"
    return None


def _fair(facts: Facts) -> str | None:
    origins = independent(facts)
    if len(origins) >= 2:
        return f"{len(origins)} independent sources"
    strong = [
        v for v in facts.voices if v.grade in GOOD and v.credibility in (1, 2) and not v.background
    ]
    if strong:
        return f"one source graded {strong[0].grade} and credibility {strong[0].credibility}"
    return None


def _weak(facts: Facts) -> str | None:
    origins = independent(facts)
    return f"{len(origins) or 'no'} independent source{'s' if len(origins) != 1 else ''}"


# (rule, confidence, test): the first test that returns a reason decides.
RULES: list[tuple[str, str, Callable[[Facts], str | None]]] = [
    ("D1-discounted", "discounted", _discounted),
    ("C1-monitor-observed", "confirmed", _observed),
    ("C2-evidence", "confirmed", _evidenced),
    ("X1-allegation-denied", "contested", _contested),
    ("C3-corroborated", "confirmed", _corroborated),
    ("F1-two-sources", "fair", _fair),
    ("W1-uncorroborated", "weak", _weak),
]


def grade(facts: Facts) -> Grade:
    """The incident's confidence: the first rule that holds."""
    for rule, confidence, test in RULES:
        reason = test(facts)
        if reason is not None:
            return Grade(confidence, rule, reason)
    raise AssertionError("the last rule always holds")


def proposed_credibility(voice: Voice, facts: Facts) -> tuple[int, str]:
    """The credibility proposed for a report from what corroborates it, and why."""
    others = {o for o in independent(facts) if o != voice.origin}
    if len(others) >= 2:
        return 1, f"confirmed by {len(others)} other independent sources"
    if len(others) == 1:
        return 2, "corroborated by one other independent source"
    if voice.grade in FAIR:
        return 3, f"uncorroborated, from a source graded {voice.grade}"
    if voice.grade in ("D", "E"):
        return 4, f"uncorroborated, from a source graded {voice.grade}"
    return 6, "uncorroborated, from a source not yet graded"
