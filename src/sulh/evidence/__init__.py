"""Evidence: files attached to reports, kept in a content-addressed locker (docs/evidence.md)."""

from sulh.evidence.add import add_evidence, check_file
from sulh.evidence.locker import Locker, LockerDamaged, Stored
from sulh.evidence.media import ALLOWED, sniff
from sulh.evidence.read import evidence_filter, evidence_for, open_evidence
from sulh.evidence.views import EvidenceList, EvidencePublic, evidence_view

__all__ = [
    "ALLOWED",
    "EvidenceList",
    "EvidencePublic",
    "Locker",
    "LockerDamaged",
    "Stored",
    "add_evidence",
    "check_file",
    "evidence_filter",
    "evidence_for",
    "evidence_view",
    "open_evidence",
    "sniff",
]
