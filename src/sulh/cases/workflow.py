"""The verification case as an explicit state machine."""

from __future__ import annotations

from datetime import timedelta

from sulh.access.roles import Principal, Role
from sulh.agreement import parsed
from sulh.errors import Forbidden, IllegalTransition, NotFound
from sulh.store.tables import Case, CaseTransition
from sulh.store.writer import Writer

# state -> the states it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("triaged", "closed"),
    "triaged": ("inquiry", "awaiting_party_information", "closed"),
    "inquiry": ("field_investigation", "awaiting_party_information", "draft_finding", "closed"),
    "field_investigation": (
        "access_blocked",
        "inquiry",
        "awaiting_party_information",
        "draft_finding",
    ),
    "access_blocked": ("field_investigation", "inquiry", "draft_finding"),
    "awaiting_party_information": ("inquiry", "field_investigation", "draft_finding"),
    "draft_finding": ("review", "inquiry"),
    "review": ("decided", "draft_finding"),
    "decided": ("referred", "closed"),
    "referred": ("closed",),
    "closed": (),
}
STATES = tuple(TRANSITIONS)
# Reached only through another act: a decision on a finding.
ENTERED_BY_DECISION = frozenset({"decided"})
MOVERS = frozenset({Role.analyst, Role.guarantor, Role.admin})
OPEN_FOR_REPLY = frozenset(STATES) - {"received", "closed"}


def get_case(writer: Writer, case_id: int) -> Case:
    case = writer.session.get(Case, case_id)
    if case is None:
        raise NotFound(f"Case {case_id} does not exist.")
    return case


def move_case(writer: Writer, case: Case, to_state: str, *, note: str = "") -> CaseTransition:
    """Move `case` to `to_state` or refuse, naming the states that are allowed."""
    if to_state not in TRANSITIONS:
        raise IllegalTransition(
            f"{to_state!r} is not a case state (states: {', '.join(STATES)}).",
            details={"field": "to"},
        )
    allowed = TRANSITIONS[case.state]
    if to_state not in allowed:
        options = ", ".join(allowed) if allowed else "none: the case is closed"
        raise IllegalTransition(
            f"Case {case.id} cannot go from {case.state!r} to {to_state!r} (allowed: {options}).",
            details={"from": case.state, "allowed": list(allowed)},
        )
    step = CaseTransition(
        case_id=case.id,
        from_state=case.state,
        to_state=to_state,
        at=writer.now,
        by_user=writer.actor.user_id,
        note=note,
    )
    case.state = to_state
    case.updated_at = writer.now
    if to_state == "triaged" and case.triaged_at is None:
        case.triaged_at = writer.now
        if case.incident.accused_party is not None:
            hours = parsed(writer.agreement).reply_window_hours
            case.reply_due_at = writer.now + timedelta(hours=hours)
    writer.add(step)
    writer.record("case.transition", step)
    writer.record("case.moved", case)
    return step


def transition_case(
    *, writer: Writer, actor: Principal, case_id: int, to_state: str, note: str = ""
) -> Case:
    """A person's request to move a case; decisions on findings move cases themselves."""
    if actor.role not in MOVERS:
        raise Forbidden(f"Role {actor.role} may not move cases.")
    case = get_case(writer, case_id)
    if to_state in ENTERED_BY_DECISION:
        raise IllegalTransition(
            f"Case {case.id} becomes {to_state!r} only when the guarantors decide its finding."
        )
    move_case(writer, case, to_state, note=note)
    return case
