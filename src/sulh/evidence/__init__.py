"""Evidence: files attached to reports, kept in a content-addressed locker (docs/evidence.md)."""

from sulh.evidence.add import add_evidence, check_file
from sulh.evidence.locker import (
    DiskLocker,
    Local,
    Locker,
    LockerDamaged,
    Stored,
    locker_for,
    open_locker,
)
from sulh.evidence.marks import mark_evidence
from sulh.evidence.media import ALLOWED, sniff, sniff_file
from sulh.evidence.read import Served, copies_of, evidence_filter, evidence_for, open_evidence
from sulh.evidence.spool import Received, Spool, received_files, release, sha256_of_digest
from sulh.evidence.views import (
    EvidenceList,
    EvidenceMarkCreate,
    EvidenceMarkPublic,
    EvidencePublic,
    evidence_view,
)

__all__ = [
    "ALLOWED",
    "DiskLocker",
    "EvidenceList",
    "EvidenceMarkCreate",
    "EvidenceMarkPublic",
    "EvidencePublic",
    "Local",
    "Locker",
    "LockerDamaged",
    "Received",
    "Served",
    "Spool",
    "Stored",
    "add_evidence",
    "check_file",
    "copies_of",
    "evidence_filter",
    "evidence_for",
    "evidence_view",
    "mark_evidence",
    "open_evidence",
    "locker_for",
    "open_locker",
    "received_files",
    "release",
    "sha256_of_digest",
    "sniff",
    "sniff_file",
]
