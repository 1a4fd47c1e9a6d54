"""What analysts correct: merges, splits and their undoing, source grades, groups, credibility.

Every correction carries a written reason and enters the log. A merge or split records the
accounts it moved, so undoing it moves exactly those back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from sulh.access.roles import Principal, Role
from sulh.errors import Conflict, Forbidden, Invalid, NotFound
from sulh.fusion.clusters import Cluster, absorb, start
from sulh.fusion.grading import CREDIBILITY, RELIABILITY
from sulh.fusion.record import _store_vector, fill, record_once
from sulh.fusion.regrade import accounts_of, regrade
from sulh.store.tables import (
    AccountVector,
    AgreementVersion,
    Finding,
    Incident,
    IncidentChange,
    IncidentReport,
    Report,
    ReportGrade,
    Source,
    SourceGrade,
    SourceGroup,
)
from sulh.store.writer import Writer

ANALYSTS = frozenset({Role.analyst, Role.admin})


def _require(actor: Principal, what: str) -> None:
    if actor.role not in ANALYSTS:
        raise Forbidden(f"Role {actor.role} may not {what}.")


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid("reason: say why, in words (it enters the log).", details={"field": "reason"})
    return reason


def _incident(writer: Writer, incident_id: int) -> Incident:
    incident = writer.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"Incident {incident_id} does not exist.")
    if incident.status != "open":
        raise Conflict(f"Incident {incident_id} is {incident.status}, not open.")
    return incident


def _slug(writer: Writer, incident: Incident) -> str:
    version = writer.session.get(AgreementVersion, incident.agreement_version_id)
    return version.slug if version else ""


def _findings(writer: Writer, incident: Incident) -> list[int]:
    return list(
        writer.session.scalars(select(Finding.id).where(Finding.case_id == incident.case.id))
    )


def merge_incidents(
    *, writer: Writer, actor: Principal, keep: int, absorb_id: int, reason: str
) -> IncidentChange:
    """Move every account of incident `absorb_id` into `keep`; the absorbed one is closed."""
    _require(actor, "merge incidents")
    reason = _reason(reason)
    if keep == absorb_id:
        raise Invalid(f"Incident {keep} cannot be merged into itself.")
    kept, gone = _incident(writer, keep), _incident(writer, absorb_id)
    if _slug(writer, kept) != _slug(writer, gone):
        raise Conflict(
            f"Incidents {keep} and {absorb_id} fall under different agreements; "
            "an incident belongs to one agreement."
        )
    if findings := _findings(writer, gone):
        raise Conflict(
            f"Incident {absorb_id} has finding(s) {', '.join(map(str, findings))}; merging it "
            f"away would leave them ruling on an incident that no longer stands. Merge "
            f"incident {keep} into {absorb_id} instead, or revise the findings first."
        )
    links = _links(writer, gone.id)
    change = _change(writer, "merge", kept, gone, links, reason)
    _move(writer, links, kept, f"merged from incident {gone.id}: {reason}")
    gone.status, gone.merged_into_id = "merged", kept.id
    rebuild(writer, kept)
    record_once(writer, "incident.merged", gone)
    return change


def split_incident(
    *,
    writer: Writer,
    actor: Principal,
    incident_id: int,
    accounts: list[tuple[int, int]],
    reason: str,
) -> IncidentChange:
    """Move the given (report, event) accounts out of an incident into a new one."""
    _require(actor, "split incidents")
    reason = _reason(reason)
    source = _incident(writer, incident_id)
    links = {(link.report_id, link.event): link for link in _links(writer, source.id)}
    unknown = [a for a in accounts if tuple(a) not in links]
    if not accounts or unknown:
        raise Invalid(
            f"Accounts {[list(a) for a in unknown]} are not in incident {incident_id}; name "
            "accounts of the incident as [report_id, event] pairs.",
            details={"field": "accounts"},
        )
    if len({tuple(a) for a in accounts}) == len(links):
        raise Invalid(f"Splitting off every account would leave incident {incident_id} empty.")
    if findings := _findings(writer, source):
        raise Conflict(
            f"Incident {incident_id} has finding(s) {', '.join(map(str, findings))}; a split "
            "would orphan what they ruled on. Revise or appeal the findings first."
        )
    moving = [links[tuple(a)] for a in dict.fromkeys(tuple(a) for a in accounts)]  # type: ignore[index]
    new = _copy(writer, source)
    change = _change(writer, "split", source, new, moving, reason)
    _move(writer, moving, new, f"split from incident {source.id}: {reason}")
    rebuild(writer, source)
    rebuild(writer, new)
    return change


def revert_change(
    *, writer: Writer, actor: Principal, change_id: int, reason: str
) -> IncidentChange:
    """Undo a merge or split: move the accounts it moved back where they were."""
    _require(actor, "undo merges and splits")
    reason = _reason(reason)
    change = writer.session.get(IncidentChange, change_id)
    if change is None or change.kind == "revert":
        raise NotFound(f"Merge or split {change_id} does not exist.")
    if writer.session.scalar(
        select(IncidentChange.id).where(IncidentChange.reverts_id == change_id)
    ):
        raise Conflict(f"Change {change_id} was already undone.")
    home = writer.session.get(Incident, change.other_id)
    kept = writer.session.get(Incident, change.incident_id)
    assert home is not None and kept is not None
    if kept.status != "open":
        raise Conflict(f"Incident {kept.id} is {kept.status} now; undo the later change first.")
    for incident in (kept, home):
        if findings := _findings(writer, incident):
            raise Conflict(
                f"Incident {incident.id} has finding(s) {', '.join(map(str, findings))} made "
                f"since; undoing change {change_id} would orphan what they ruled on."
            )
    # A merge moved accounts into `kept`; a split moved them out of it into `home`.
    here, back = (kept, home) if change.kind == "merge" else (home, kept)
    moved = {tuple(pair) for pair in change.moved}
    links = [l for l in _links(writer, here.id) if (l.report_id, l.event) in moved]  # noqa: E741
    if len(links) != len(moved):
        gone = sorted(moved - {(link.report_id, link.event) for link in links})
        raise Conflict(
            f"Accounts {[list(a) for a in gone]} have moved since change {change_id}; "
            "undo the later changes first."
        )
    undo = _change(writer, "revert", kept, home, links, reason, reverts=change.id)
    if change.kind == "merge":
        home.status, home.merged_into_id = "open", None
    else:
        home.status, home.merged_into_id = "merged", kept.id
    _move(writer, links, back, f"undoing {change.kind} {change.id}: {reason}")
    for incident in (kept, home):
        if incident.status == "open":
            rebuild(writer, incident)
        record_once(writer, "incident.changed", incident)
    return undo


def _links(writer: Writer, incident_id: int) -> list[IncidentReport]:
    return list(
        writer.session.scalars(
            select(IncidentReport)
            .where(IncidentReport.incident_id == incident_id)
            .order_by(IncidentReport.id)
        )
    )


def _change(
    writer: Writer,
    kind: str,
    kept: Incident,
    other: Incident,
    links: list[IncidentReport],
    reason: str,
    reverts: int | None = None,
) -> IncidentChange:
    change = IncidentChange(
        kind=kind,
        incident_id=kept.id,
        other_id=other.id,
        moved=[[link.report_id, link.event] for link in links],
        reason=reason,
        reverts_id=reverts,
        by_user=writer.actor.user_id,
        at=writer.now,
    )
    writer.add(change)
    writer.record(f"incident.{kind}", change)
    return change


def _move(writer: Writer, links: list[IncidentReport], to: Incident, why: str) -> None:
    for link in links:
        link.incident_id, link.score, link.reason = to.id, None, why[:2000]
        link.attached_at, link.attached_by = writer.now, writer.actor.user_id
        record_once(writer, "incident.account_moved", link)
    writer.session.flush()


def _copy(writer: Writer, source: Incident) -> Incident:
    from sulh.store.tables import Case

    new = Incident(
        title=f"Split from incident {source.id}: {source.title}"[:300],
        event_type=source.event_type,
        event_time=source.event_time,
        time_precision=source.time_precision,
        tier=source.tier,
        accused_party=source.accused_party,
        complainant_party=source.complainant_party,
        opened_at=writer.now,
        opened_by=writer.actor.user_id,
        agreement_version_id=source.agreement_version_id,
        status="open",
    )
    writer.add(new)
    record_once(writer, "incident.opened", new)
    case = Case(incident_id=new.id, state="received", updated_at=writer.now)
    new.case = case
    writer.add(case)
    writer.record("case.opened", case)
    return new


def rebuild(writer: Writer, incident: Incident) -> None:
    """Recompute what fusion knows of an incident from the accounts it now holds."""
    import numpy as np

    told = accounts_of(writer.session, incident)
    vectors = {
        (v.report_id, v.event): np.frombuffer(v.vector, dtype=np.float16).astype(np.float32)
        for v in writer.session.scalars(
            select(AccountVector).where(AccountVector.report_id.in_([t.report.id for t in told]))
        )
    }
    cluster: Cluster | None = None
    for t in told:
        t.account.vector = vectors.get((t.account.report_id, t.account.event))
        if cluster is None:
            cluster = start(incident.id, t.account)
        else:
            absorb(cluster, t.account)
    if cluster is not None:
        fill(incident, cluster)
        _store_vector(writer, incident, cluster)
    record_once(writer, "incident.rebuilt", incident)
    regrade(writer=writer, incident=incident)


def grade_source(
    *, writer: Writer, actor: Principal, source_id: int, grade: str, reason: str
) -> SourceGrade:
    """Set a source's reliability grade (A–F); the history keeps every grade and why."""
    _require(actor, "grade sources")
    reason = _reason(reason)
    if grade not in RELIABILITY:
        raise Invalid(
            f"grade: {grade!r} is not an Admiralty reliability grade (A–F).",
            details={"field": "grade"},
        )
    source = writer.session.get(Source, source_id)
    if source is None:
        raise NotFound(f"Source {source_id} does not exist.")
    row = SourceGrade(
        source_id=source.id, grade=grade, reason=reason, by_user=writer.actor.user_id, at=writer.now
    )
    writer.add(row)
    writer.record("source.graded", row)
    source.reliability = grade
    writer.record("source.regraded", source)
    _regrade_source(writer, source)
    return row


def set_group(
    *, writer: Writer, actor: Principal, source_id: int, group: str, reason: str
) -> SourceGroup:
    """Correct a source's independence group; its accounts' origins follow."""
    _require(actor, "correct independence groups")
    reason, group = _reason(reason), group.strip()
    if not group or len(group) > 200:
        raise Invalid("group: give a name of 1 to 200 characters.", details={"field": "group"})
    source = writer.session.get(Source, source_id)
    if source is None:
        raise NotFound(f"Source {source_id} does not exist.")
    old = source.independence_group
    row = SourceGroup(
        source_id=source.id, group=group, reason=reason, by_user=writer.actor.user_id, at=writer.now
    )
    writer.add(row)
    writer.record("source.grouped", row)
    source.independence_group = group
    writer.record("source.regrouped", source)
    for link in writer.session.scalars(
        select(IncidentReport)
        .join(Report, Report.id == IncidentReport.report_id)
        .where(Report.source_id == source.id, IncidentReport.origin == old)
    ):
        link.origin = group
        record_once(writer, "incident.account_regrouped", link)
    _regrade_source(writer, source)
    return row


def grade_report(
    *, writer: Writer, actor: Principal, report_id: int, credibility: int, reason: str
) -> ReportGrade:
    """An analyst's credibility grade (1–6) for a report, in place of the proposal."""
    _require(actor, "grade reports")
    reason = _reason(reason)
    if credibility not in CREDIBILITY:
        raise Invalid(
            f"credibility: {credibility} is not a grade from 1 to 6.",
            details={"field": "credibility"},
        )
    if writer.session.get(Report, report_id) is None:
        raise NotFound(f"Report {report_id} does not exist.")
    row = ReportGrade(
        report_id=report_id,
        credibility=credibility,
        reason=reason,
        by_user=writer.actor.user_id,
        at=writer.now,
    )
    writer.add(row)
    writer.record("report.graded", row)
    for incident in _incidents_of(
        writer, select(IncidentReport.incident_id).where(IncidentReport.report_id == report_id)
    ):
        regrade(writer=writer, incident=incident)
    return row


def _regrade_source(writer: Writer, source: Source) -> None:
    ids = (
        select(IncidentReport.incident_id)
        .join(Report, Report.id == IncidentReport.report_id)
        .where(Report.source_id == source.id)
    )
    for incident in _incidents_of(writer, ids):
        regrade(writer=writer, incident=incident)


def _incidents_of(writer: Writer, ids: Select[Any]) -> list[Incident]:
    return list(
        writer.session.scalars(
            select(Incident).where(Incident.id.in_(ids), Incident.status == "open")
        )
    )
