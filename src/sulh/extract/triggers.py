"""What happened, in which mood: event types, status and background from a sentence's words.

Each event type has trigger phrases (the ACLED sub-event it corresponds to is noted in
docs/extract.md). A sentence may hold several triggers ("twin blasts in the capital and an
air strike in the east"); each becomes a candidate event, and the pipeline merges the ones
that turn out to be the same happening. Status and background are read from the words
around the trigger: tense markers, and signs that the sentence is history, not news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

_CEASEFIRE = r"(?:cease-?\s?fire|truce)"
_CROSSING = r"(?:border\s+)?(?:crossings?|crossing\s+points?|border|trade\s+routes?|gates?)"
_MILITANTS = (
    r"(?:militants?|insurgents?|terrorists?|fighters|gunmen|attackers|khawarij|"
    r"TTP|T\.T\.P\.|Pakistani\s+Taliban|Tehrik-[ie]-Taliban|Islamic\s+State|ISKP)"
)
_ATTACK = r"(?:attacks?|attacked|assaults?|assaulted|ambush(?:ed|es)?|raids?|raided|stormed)"

# (type, pattern), most specific first: an earlier type wins where two overlap.
_TRIGGERS: list[tuple[str, str]] = [
    (
        "ceasefire_extended",
        rf"\b(?:extend\w*|prolong\w*|continu\w*|maintain\w*|uphold\w*|upheld|keep\w*|kept)\s+"
        rf"(?:(?:the|a|an|their|its|this|that|fragile|temporary|current|existing|truce|"
        rf"ceasefire|cease-fire)\s+){{0,3}}?{_CEASEFIRE}\b"
        rf"|\b{_CEASEFIRE}\b[^.;]{{0,25}}?\b(?:extended|would\s+continue|will\s+continue|"
        rf"continues|continued|remains?\s+in\s+(?:place|effect|force))\b"
        rf"|\b{_CEASEFIRE}\s+(?:has\s+|had\s+)?(?:held|holds|holding)\b",
    ),
    (
        "ceasefire_agreed",
        rf"\b(?:agree\w*|declar\w*|announc\w*|reach\w*|brokered|sign\w*|formali[sz]\w*|"
        rf"accept\w*|struck)\b[^.;]{{0,60}}?\b{_CEASEFIRE}\b"
        rf"|\b{_CEASEFIRE}\b[^.;]{{0,30}}?\b(?:agreement|deal|was\s+agreed|was\s+announced|"
        rf"was\s+reached|took\s+effect|came\s+into\s+(?:effect|force))\b"
        rf"|\b{_CEASEFIRE}\s+(?:was\s+|had\s+been\s+|has\s+been\s+)?(?:declared|agreed|"
        rf"announced|brokered|reached)\b",
    ),
    (
        "talks_failed",
        r"\b(?:talks|negotiations|meeting|round)\b[^.;]{0,80}?\b(?:fail\w*|collaps\w*|"
        r"broke\s+down|ended\s+without|concluded\s+without|stalled|deadlock\w*|"
        r"without\s+(?:an?\s+)?(?:agreement|breakthrough|deal|consensus))"
        r"|\b(?:fail\w*|collaps\w*)\b[^.;]{0,30}?\b(?:talks|negotiations)\b"
        r"|\bbreak\s?down\s+(?:in|of)\s+(?:the\s+)?(?:talks|negotiations|dialogue)\b",
    ),
    (
        "talks_held",
        r"\b(?:talks|negotiations|round\s+of\s+(?:talks|negotiations|discussions)|"
        r"peace\s+(?:talks|process)|delegations?\s+(?:met|meet)|(?:met|meet|convened|"
        r"reconvene|gathered)\s+(?:in|at)\s+[A-Z]\w+|(?:held|hold|holding|host\w*)\s+(?:a\s+)?"
        r"(?:\w+\s+)?(?:meeting|summit)|(?:trilateral|bilateral|quadrilateral)\s+(?:meeting|"
        r"summit|dialogue)|came\s+together\s+for\s+(?:talks|dialogue))\b",
    ),
    (
        "border_crossing_reopened",
        rf"\b(?:reopen\w*|re-open\w*)\b[^.;]{{0,60}}?\b{_CROSSING}\b"
        rf"|\b{_CROSSING}\b[^.;]{{0,40}}?\b(?:reopen\w*|re-open\w*)\b",
    ),
    (
        "border_crossing_closed",
        rf"\b(?:clos(?:ed|ing|ure|ures|es)|shut(?:\s+down)?|seal\w*|suspend\w*)\b"
        rf"[^.;]{{0,60}}?\b{_CROSSING}\b"
        rf"|\b{_CROSSING}\b[^.;]{{0,40}}?\b(?:(?:remain\w*|were|was|are|is|been|stay\w*)\s+)"
        rf"(?:closed|shut|sealed)\b",
    ),
    (
        "air_or_drone_strike",
        r"\b(?:air\s?-?strikes?|air\s+raids?|aerial\s+(?:strikes?|bombardments?|attacks?|"
        r"bombing)|drone\s+(?:strikes?|attacks?)|(?:fighter\s+)?jets?\s+(?:struck|bombed|hit)|"
        r"bombed|precision\s+strikes?|cross-border\s+strikes?|(?<!hunger\s)(?<!general\s)"
        r"(?<!labor\s)(?<!labour\s)strikes\s+(?:on|in|inside|against|targeting|across)|missile\s+strikes?|(?:these|those)\s+strikes)\b",
    ),
    (
        "shelling_artillery",
        r"\b(?:shell(?:ing|ed|s)|artillery|mortars?|rocket\s+(?:fire|attacks?)|heavy\s+weapons)\b",
    ),
    (
        "remote_explosive_or_ied",
        r"\b(?:explosions?|blasts?|IEDs?|improvised\s+explosive|bombings?|suicide\s+"
        r"(?:attacks?|bomb\w*)|roadside\s+bombs?|car\s+bombs?|landmines?)\b",
    ),
    (
        "armed_attack_by_militants",
        rf"\b{_MILITANTS}(?!\w)[^;]{{0,40}}?\b{_ATTACK}\b|\b{_ATTACK}\b\s+(?:\w+\s+){{0,3}}?by\s+"
        rf"(?:the\s+)?{_MILITANTS}(?!\w)|\bmilitant\s+{_ATTACK}\b",
    ),
    (
        "attack_on_civilians",
        r"\b(?:attacks?|attacked|killed|targeted)\s+(?:on\s+|against\s+)?(?:unarmed\s+)?"
        r"(?:civilians|villagers|worshippers|residents|passengers)\b",
    ),
    (
        "armed_clash",
        r"\b(?:clash\w*|fighting|firefights?|gunfights?|exchanges?\s+of\s+fire|skirmish\w*|"
        r"hostilities|cross-border\s+(?:attacks?|raids?|fire|fighting)|retaliatory\s+"
        r"(?:attacks?|raids?|strikes?|fire)|border\s+posts?\s+(?:were\s+)?(?:attacked|captured|"
        r"destroyed)|military\s+confrontations?|fought|retaliat\w+|fired\s+(?:at|on|upon)|"
        r"opened\s+fire|gunfire|exchanged\s+fire)\b",
    ),
    (
        "other",
        r"\b(?:return(?:ed)?\s+to\s+power|(?:took|seized|came\s+to)\s+power|takeover|"
        r"formally\s+recogni[sz]\w*|recogni[sz]\w*\s+(?:the\s+)?\w+\s+(?:government|"
        r"administration)|(?:official\s+)?visit\s+(?:by|to)\b)",
    ),
    (
        "statement_or_accusation",
        r"\b(?:accus\w+|blam\w+|alleg\w+|warn(?:s|ed|ing)?|condemn\w*|threaten\w*)\b",
    ),
    ("denial", r"\b(?:denied|denies|deny|denying|refuted|refutes|rejected\s+(?:the\s+)?claims?)\b"),
]
TRIGGERS = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _TRIGGERS]
VIOLENT = frozenset(
    {
        "armed_clash",
        "air_or_drone_strike",
        "shelling_artillery",
        "remote_explosive_or_ied",
        "attack_on_civilians",
        "armed_attack_by_militants",
    }
)
SPEECH = frozenset({"statement_or_accusation", "denial"})

_FUTURE = re.compile(
    r"\b(?:will|shall|is\s+to|are\s+to|(?:is|are|was|were)\s+(?:due|set|slated|scheduled|"
    r"expected|planned)\s+to|scheduled|plans?\s+to|planning\s+to|to\s+be\s+held|upcoming|"
    r"next\s+(?:week|month|round|meeting))\b",
    re.IGNORECASE,
)
_ONGOING = re.compile(
    r"\b(?:remain(?:s|ed)?|continu(?:e|es|ing)|ongoing|still|(?:has|have)\s+been|"
    r"is\s+being|are\s+being)\b",
    re.IGNORECASE,
)
_ANNOUNCED = re.compile(r"\b(?:announc\w+|agreed\s+to\s+(?:hold|meet)|declared)\b", re.IGNORECASE)
_HISTORY = re.compile(
    r"\b(?:in\s+the\s+(?:early|late|mid-?)?\s*(?:19|20)\d0s|since\s+(?:19|20)\d\d|"
    r"in\s+(?:19|20)\d\d|for\s+(?:years|decades)|historically|has\s+long|have\s+long|"
    r"long-standing|two-decade|decades-long|in\s+the\s+past|over\s+the\s+years|"
    r"earlier\s+this\s+year|last\s+year|this\s+summer)\b",
    re.IGNORECASE,
)
_REFERRED = re.compile(
    r"\b(?:the|these|those|this|that|such)\s+(?:(?:recent|latest|deadly|intense|"
    r"border|cross-border|sporadic)\s+)*$",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(?:not|no|never|refus\w+|reject\w*|rul\w+\s+out)\b[^.;,]{0,30}$", re.IGNORECASE
)
_DEMONSTRATIVE = re.compile(r"(?:these|those)\s", re.IGNORECASE)
_ENDED = re.compile(
    r"\b(?:pause|halt|end|ending|ended|stop|stopping|resolve|resolving|following|after|amid|"
    r"since|between)\s+(?:(?:in|on|to|of|the|a|an|most|more|intense|severe|worst|weeks?|days?|"
    r"deadly|serious|recent|of|\w+-\w+)\s+){0,5}$",
    re.IGNORECASE,
)
# News this old is told as context, not reported.
BACKGROUND_DAYS = 21


@dataclass(frozen=True)
class Trigger:
    type: str
    start: int
    end: int
    referred: bool = False  # "these strikes", "the clashes": an event already told


def find_triggers(sentence: str) -> list[Trigger]:
    """Every event trigger in a sentence, non-overlapping, earlier types winning ties.

    Fighting named only as what a truce or talks ended ("a pause in the hostilities") is left
    out; fighting referred back to ("intensifying the clashes") is marked `referred`.
    """
    found: list[Trigger] = []
    if is_heading(sentence):
        return found
    for kind, pattern in TRIGGERS:
        for match in pattern.finditer(sentence):
            if not any(t.start < match.end() and match.start() < t.end for t in found):
                found.append(Trigger(kind, match.start(), match.end()))
    kept = [
        _referring(sentence, t)
        for t in found
        if not _ended(sentence, t) and not _refused(sentence, t)
    ]
    return _joined(sentence, sorted(kept, key=lambda t: t.start))


def _joined(sentence: str, triggers: list[Trigger]) -> list[Trigger]:
    # "mortar shelling", "air strikes and drone strikes": one phrase, one trigger.
    joined: list[Trigger] = []
    for trigger in triggers:
        last = joined[-1] if joined else None
        gap = sentence[last.end : trigger.start] if last else "x"
        if last and last.type == trigger.type and gap.strip(" -") in ("", "and"):
            joined[-1] = replace(last, end=trigger.end)
        else:
            joined.append(trigger)
    return joined


def _ended(sentence: str, trigger: Trigger) -> bool:
    before = sentence[max(0, trigger.start - 60) : trigger.start]
    return trigger.type in VIOLENT and bool(_ENDED.search(before))


def _refused(sentence: str, trigger: Trigger) -> bool:
    # "will not engage in talks", "refused to hold talks": talks that are not happening.
    before = sentence[max(0, trigger.start - 40) : trigger.start]
    return trigger.type == "talks_held" and bool(_NEGATED.search(before))


def _referring(sentence: str, trigger: Trigger) -> Trigger:
    before = sentence[max(0, trigger.start - 60) : trigger.start]
    told = _REFERRED.search(before) or _DEMONSTRATIVE.match(sentence, trigger.start)
    if trigger.type in VIOLENT and told:
        return Trigger(trigger.type, trigger.start, trigger.end, referred=True)
    return trigger


def is_heading(line: str) -> bool:
    """A section title or caption line ("Clashes along the border"), which reports nothing."""
    words = line.split()
    return len(words) <= 8 and not line.rstrip().endswith((".", "!", "?", '"', "'"))


def status_of(sentence: str, trigger: Trigger) -> str:
    """occurred, ongoing, planned or announced, from the words before and around the trigger."""
    window = sentence[max(0, trigger.start - 60) : trigger.end + 30]
    if _FUTURE.search(window):
        return "planned"
    if trigger.type.startswith("border_crossing") and _ONGOING.search(window):
        return "ongoing"
    if trigger.type in {"ceasefire_extended", "ceasefire_agreed"} and _FUTURE.search(sentence):
        return "announced"
    if trigger.type == "talks_held" and _ANNOUNCED.search(window):
        return "announced"
    return "occurred"


def is_background(
    sentence: str, *, first_day: date | None, last_day: date | None, published: date | None
) -> bool:
    """True when the sentence tells history or context rather than the news."""
    if _HISTORY.search(sentence):
        return True
    if first_day is None or last_day is None or published is None:
        return False
    return (published - last_day).days > BACKGROUND_DAYS or (published - first_day).days > 45
