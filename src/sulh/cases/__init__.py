"""Verification cases: incidents, the workflow, the right of reply, findings and appeals."""

from sulh.cases.appeals import AppealCreate, AppealDecision, decide_appeal, file_appeal
from sulh.cases.findings import (
    FindingCreate,
    VoteCreate,
    cast_vote,
    decide_finding,
    draft_finding,
    release_finding,
)
from sulh.cases.incidents import IncidentCreate, attach_report, open_incident, release_incident
from sulh.cases.replies import ReplyCreate, file_reply, overdue_replies_query
from sulh.cases.workflow import STATES, TRANSITIONS, transition_case

__all__ = [
    "STATES",
    "TRANSITIONS",
    "AppealCreate",
    "AppealDecision",
    "FindingCreate",
    "IncidentCreate",
    "ReplyCreate",
    "VoteCreate",
    "attach_report",
    "cast_vote",
    "decide_appeal",
    "decide_finding",
    "draft_finding",
    "file_appeal",
    "file_reply",
    "open_incident",
    "overdue_replies_query",
    "release_finding",
    "release_incident",
    "transition_case",
]
