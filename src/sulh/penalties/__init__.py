"""Penalties: the ladder applied to decided findings, ratification, deadlines, compliance,
commitments, crossings and each party's scorecard. Docs: docs/penalties.md."""

from sulh.penalties.compliance import (
    decide_commitment,
    decide_compliance,
    lift_measure,
    offer_commitment_evidence,
    offer_evidence,
)
from sulh.penalties.crossings import STATUSES, crossings_now, set_crossing_status
from sulh.penalties.decisions import decide_measure, get_measure
from sulh.penalties.points import Tally, tally
from sulh.penalties.proposals import after_decision, propose, withdraw_for
from sulh.penalties.scorecard import scorecard, scorecards
from sulh.penalties.tick import Ticked, tick

__all__ = [
    "STATUSES",
    "Tally",
    "Ticked",
    "after_decision",
    "crossings_now",
    "decide_commitment",
    "decide_compliance",
    "decide_measure",
    "get_measure",
    "lift_measure",
    "offer_commitment_evidence",
    "offer_evidence",
    "propose",
    "scorecard",
    "scorecards",
    "set_crossing_status",
    "tally",
    "tick",
    "withdraw_for",
]
