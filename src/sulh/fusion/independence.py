"""Independence: which accounts share one origin and so count once (docs/grading.md).

A source's independence group is its origin by default: a party, for the party's own
complaints, its officials' statements and its state media; a wire agency, for the agency;
otherwise the source itself. An account's origin is its source's group, unless the text is
a copy of an earlier article (the copy's origin is the original's) or credits a wire agency
("according to Reuters"), whose origin it then shares.
"""

from __future__ import annotations

import re

from sulh.agreement.model import Agreement

# Wire agencies whose stories other outlets reprint: id -> the names they go by.
WIRES: dict[str, tuple[str, ...]] = {
    "ap": ("Associated Press", "AP"),
    "reuters": ("Reuters",),
    "afp": ("Agence France-Presse", "Agence France Presse", "AFP"),
    "anadolu": ("Anadolu Agency", "Anadolu Ajansı", "Anadolu"),
    "xinhua": ("Xinhua",),
    "dpa": ("Deutsche Presse-Agentur", "dpa"),
}
# State news agencies speak for their party: a story they carry is the party's account.
STATE_AGENCIES: dict[str, str] = {
    "Associated Press of Pakistan": "PK",
    "APP": "PK",
    "Bakhtar News Agency": "AF",
    "Bakhtar": "AF",
}
_ORIGIN_OF = {
    **{name.casefold(): f"wire:{wire}" for wire, names in WIRES.items() for name in names},
    **{name.casefold(): f"party:{party}" for name, party in STATE_AGENCIES.items()},
}
_NAMES = "|".join(
    sorted(
        (re.escape(n) for n in [*(n for ns in WIRES.values() for n in ns), *STATE_AGENCIES]),
        key=len,
        reverse=True,
    )
)
_CREDITS = [
    re.compile(
        rf"\b(?i:according\s+to|told|cited\s+by|quoted\s+by|reported\s+by)\s+"
        rf"(?:(?i:the)\s+)?({_NAMES})\b"
    ),
    re.compile(rf"\(({_NAMES})\)"),
    re.compile(rf"\b({_NAMES})\s+(?i:reported|said|news\s+agency|contributed)\b"),
]


def credited(text: str) -> str | None:
    """The origin a text credits for its story (a wire, or a party's state agency), if any."""
    found: list[tuple[int, int, str]] = []
    for pattern in _CREDITS:
        match = pattern.search(text)
        if match:
            found.append((match.start(1), -len(match.group(1)), match.group(1)))
    return _ORIGIN_OF[min(found)[2].casefold()] if found else None


def credited_wire(text: str) -> str | None:
    """The wire agency a text credits for its story, if any (the first credit found)."""
    origin = credited(text) or ""
    return origin.removeprefix("wire:") if origin.startswith("wire:") else None


def default_group(*, name: str, kind: str, agreement: Agreement) -> str:
    """The independence group a new source starts with."""
    if name.startswith("party:"):
        return name
    if name.strip().casefold() in _ORIGIN_OF:
        return _ORIGIN_OF[name.strip().casefold()]
    party = _speaks_for(name, agreement, whole=kind != "statement")
    return f"party:{party}" if party else name


def _speaks_for(name: str, agreement: Agreement, *, whole: bool) -> str | None:
    """The party a source answers to: when its name is one of the agreement's actors, or, for
    a statement, begins with one ("Foreign Office (weekly briefing)")."""
    from sulh.extract.actors import index_for  # extract files reports, which fusion matches

    for mention in index_for(agreement).find(name):
        size = len(name.strip()) if whole else mention.end - mention.start
        if mention.actor is not None and mention.start == 0 and mention.end - mention.start == size:
            return agreement.answerable_party(mention.actor)
    return None


def origin(*, group: str, text: str, copied_from: str | None = None) -> str:
    """An account's origin: a copy's original, a credited wire, or the source's group."""
    if copied_from is not None:
        return copied_from
    if group.startswith("party:"):
        return group
    return credited(text) or group
