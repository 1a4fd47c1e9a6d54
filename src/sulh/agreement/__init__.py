"""Agreements as versioned data: parties, actors, clauses, zones, windows and the penalty ladder."""

from sulh.agreement.loader import load_agreement, parse_agreement
from sulh.agreement.model import Agreement, Outcome
from sulh.agreement.shipped import shipped_agreement_path
from sulh.agreement.versions import add_agreement_version, current_agreement, parsed

__all__ = [
    "Agreement",
    "Outcome",
    "add_agreement_version",
    "current_agreement",
    "load_agreement",
    "parse_agreement",
    "parsed",
    "shipped_agreement_path",
]
