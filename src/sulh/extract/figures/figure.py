"""The Figure a sentence yields, its kinds, groups and qualifiers, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["fatalities", "injured"]
Whose = Literal["civilians", "security_forces", "militants", "unknown"]
Qualifier = Literal["exact", "at_least", "more_than", "about", "range", "unspecified"]
_Value = tuple[int, int | None, Qualifier]
_Group = tuple[Whose, str | None]


@dataclass(frozen=True)
class Figure:
    """One casualty count as a sentence states it, before side and source are attached."""

    kind: Kind
    whose: Whose
    low: int | None
    high: int | None
    qualifier: Qualifier
    start: int
    end: int
    text: str
    nationality: str | None

    def as_json(self, *, side: str | None, reported_by: str | None) -> dict[str, object]:
        """The extractor's figure shape; `kind` says which list the caller files it in."""
        return {
            "whose": self.whose,
            "side": side,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "reported_by": reported_by,
        }
