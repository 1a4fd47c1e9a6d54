"""Tier-aware reads: every list and lookup a reader can make, already filtered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from sulh.access.roles import Principal
from sulh.agreement import current_agreement
from sulh.cases.replies import overdue_replies_query, replies_for
from sulh.cases.workflow import ENTERED_BY_DECISION, TRANSITIONS
from sulh.clock import as_utc
from sulh.errors import NotFound
from sulh.fusion.describe import describe
from sulh.ledger.log import quorum
from sulh.store.tables import (
    AgreementVersion,
    Appeal,
    Case,
    CaseTransition,
    Checkpoint,
    Cosignature,
    Finding,
    Incident,
    IncidentReport,
    IngestedArticle,
    LogEntry,
    Reply,
    Report,
    User,
)
from sulh.store.views import (
    AgreementVersionPublic,
    AppealPublic,
    ArticleView,
    CaseDetail,
    CaseSummary,
    CitedCheckpoint,
    FindingPublic,
    IncidentDetail,
    IncidentPublic,
    Page,
    PlaceView,
    ReplyPublic,
    ReportPublic,
    TransitionPublic,
    UserPublic,
    VotePublic,
)
from sulh.store.visible import (
    finding_filter,
    incident_filter,
    report_filter,
    sees_case_history,
    sees_source,
)

MAX_LIMIT = 500


def _page(
    session: Session, query: Select[Any], key: Any, cursor: int | None, limit: int
) -> list[Any]:
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor is not None:
        query = query.where(key < cursor)
    return list(session.scalars(query.order_by(key.desc()).limit(limit + 1)).unique())


def _next(rows: Sequence[Any], limit: int) -> tuple[list[Any], int | None]:
    limit = max(1, min(limit, MAX_LIMIT))
    if len(rows) > limit:
        return list(rows[:limit]), rows[limit - 1].id
    return list(rows), None


def _usernames(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        row[0]: row[1]
        for row in session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    }


def _place(
    name: str | None, lat: float | None, lon: float | None, precision: str | None
) -> PlaceView | None:
    if name is None and lat is None:
        return None
    return PlaceView(name=name, lat=lat, lon=lon, precision=precision)


# Reports -------------------------------------------------------------------------------------


def _report_view(
    reader: Principal,
    report: Report,
    names: dict[int, str],
    incident: int | None,
    article: ArticleView | None,
) -> ReportPublic:
    shown = sees_source(reader, report)
    return ReportPublic(
        id=report.id,
        kind=report.kind,
        source=report.source.name if shown else None,
        source_reliability=report.source.reliability if shown else None,
        source_protected=report.source_protected,
        submitted_by=names.get(report.submitted_by or 0) if shown else None,
        filed_for_party=report.filed_for_party,
        received_at=report.received_at,
        event_time=report.event_time,
        event_end=report.event_end,
        time_precision=report.time_precision,
        place=_place(report.place_name, report.latitude, report.longitude, report.place_precision),
        event_type=report.event_type,
        alleged_perpetrator=report.alleged_perpetrator,
        accused_party=report.accused_party,
        targets=list(report.targets),
        casualties=list(report.casualties),
        text=report.text,
        language=report.language,
        credibility=report.credibility,
        stance=report.stance,
        tier=report.tier,
        supersedes=report.supersedes_id,
        incident_id=incident,
        agreement_version_id=report.agreement_version_id,
        article=article,
    )


def _report_views(session: Session, reader: Principal, reports: list[Report]) -> list[ReportPublic]:
    names = _usernames(session, {r.submitted_by for r in reports})
    links = {
        row[0]: row[1]
        for row in session.execute(
            select(IncidentReport.report_id, IncidentReport.incident_id)
            .where(IncidentReport.report_id.in_([r.id for r in reports]))
            .order_by(IncidentReport.event.desc())  # an article's first event names its incident
        )
    }
    articles = _articles(session, [r.id for r in reports])
    return [_report_view(reader, r, names, links.get(r.id), articles.get(r.id)) for r in reports]


def _articles(session: Session, report_ids: list[int]) -> dict[int, ArticleView]:
    original = aliased(IngestedArticle)
    rows = session.execute(
        select(IngestedArticle, original.report_id)
        .outerjoin(original, original.id == IngestedArticle.copy_of_id)
        .where(IngestedArticle.report_id.in_(report_ids))
    )
    return {
        article.report_id: ArticleView(
            outlet=article.outlet,
            url=article.url,
            title=article.title,
            published=article.published,
            copy_of_report=copy_of,
            copy_kind=article.copy_kind,
            similarity=article.similarity,
            extractor=article.extractor,
            events=list(article.events),
        )
        for article, copy_of in rows
    }


def describe_report(session: Session, reader: Principal, report: Report) -> ReportPublic:
    """The view of one report as `reader` would see it, without the visibility check."""
    return _report_views(session, reader, [report])[0]


def list_reports(
    session: Session,
    reader: Principal,
    *,
    cursor: int | None = None,
    limit: int = 50,
    kind: str | None = None,
) -> Page[ReportPublic]:
    query = select(Report).where(report_filter(reader))
    if kind is not None:
        query = query.where(Report.kind == kind)
    rows, next_cursor = _next(_page(session, query, Report.id, cursor, limit), limit)
    return Page(items=_report_views(session, reader, rows), limit=limit, next_cursor=next_cursor)


def read_report(session: Session, reader: Principal, report_id: int) -> ReportPublic:
    report = session.scalars(
        select(Report).where(Report.id == report_id, report_filter(reader))
    ).first()
    if report is None:
        raise NotFound(f"Report {report_id} does not exist or is not visible to you.")
    return _report_views(session, reader, [report])[0]


# Incidents and cases -------------------------------------------------------------------------


def _allowed(state: str) -> list[str]:
    return [s for s in TRANSITIONS[state] if s not in ENTERED_BY_DECISION]


def _case_summary(case: Case, now: datetime, replied: bool) -> CaseSummary:
    due = case.reply_due_at
    return CaseSummary(
        id=case.id,
        state=case.state,
        triaged_at=case.triaged_at,
        reply_due_at=due,
        reply_overdue=bool(due is not None and as_utc(due) < now and not replied),
        allowed_transitions=_allowed(case.state),
    )


def _incident_fields(incident: Incident, now: datetime, replied: bool) -> dict[str, Any]:
    return {
        "id": incident.id,
        "title": incident.title,
        "event_type": incident.event_type,
        "event_time": incident.event_time,
        "time_precision": incident.time_precision,
        "place": _place(incident.place_name, incident.latitude, incident.longitude, None),
        "accused_party": incident.accused_party,
        "complainant_party": incident.complainant_party,
        "tier": incident.tier,
        "opened_at": incident.opened_at,
        "case": _case_summary(incident.case, now, replied),
        "agreement_version_id": incident.agreement_version_id,
        "status": incident.status,
        "merged_into": incident.merged_into_id,
        "confidence": incident.confidence,
        "confidence_rule": incident.confidence_rule,
        "confidence_reason": incident.confidence_reason,
    }


def _replied_cases(session: Session, case_ids: list[int]) -> set[int]:
    rows = session.execute(
        select(Reply.case_id)
        .join(Case, Case.id == Reply.case_id)
        .join(Incident, Incident.id == Case.incident_id)
        .where(Reply.case_id.in_(case_ids), Reply.party == Incident.accused_party)
    ).scalars()
    return set(rows)


def list_incidents(
    session: Session,
    reader: Principal,
    *,
    now: datetime,
    cursor: int | None = None,
    limit: int = 50,
    state: str | None = None,
) -> Page[IncidentPublic]:
    query = (
        select(Incident)
        .join(Case, Case.incident_id == Incident.id)
        .where(incident_filter(reader, Case))
    )
    if state is not None:
        query = query.where(Case.state == state)
    rows, next_cursor = _next(_page(session, query, Incident.id, cursor, limit), limit)
    replied = _replied_cases(session, [i.case.id for i in rows])
    items = [IncidentPublic(**_incident_fields(i, now, i.case.id in replied)) for i in rows]
    return Page(items=items, limit=limit, next_cursor=next_cursor)


def party_incidents(
    session: Session, reader: Principal, *, now: datetime, limit: int = 50, offset: int = 0
) -> tuple[list[IncidentPublic], set[int]]:
    """A liaison's party's complaints and the allegations against it: those with a reply
    deadline, the nearest first, then the rest, the newest first. Each part walks its own
    index, so a party with a long record is not sorted whole."""
    party = reader.party
    concerned = and_(
        incident_filter(reader, Case),
        or_(Incident.complainant_party == party, Incident.accused_party == party),
    )
    base = select(Incident).join(Case, Case.incident_id == Incident.id).where(concerned)
    due = base.where(Case.reply_due_at.is_not(None)).order_by(Case.reply_due_at, Case.id)
    rows = list(session.scalars(due.offset(offset).limit(limit)))
    if len(rows) < limit:
        with_due = session.scalar(select(func.count()).select_from(due.subquery())) or 0
        rest = base.where(Case.reply_due_at.is_(None)).order_by(Incident.id.desc())
        rows += session.scalars(rest.offset(max(offset - with_due, 0)).limit(limit - len(rows)))
    replied = _replied_cases(session, [i.case.id for i in rows])
    items = [IncidentPublic(**_incident_fields(i, now, i.case.id in replied)) for i in rows]
    return items, replied


def read_incident(
    session: Session, reader: Principal, incident_id: int, *, now: datetime
) -> IncidentDetail:
    incident = session.scalars(
        select(Incident).where(Incident.id == incident_id, incident_filter(reader))
    ).first()
    if incident is None:
        raise NotFound(f"Incident {incident_id} does not exist or is not visible to you.")
    report_ids = session.scalars(
        select(Report.id)
        .join(IncidentReport, IncidentReport.report_id == Report.id)
        .where(IncidentReport.incident_id == incident.id, report_filter(reader))
        .distinct()
        .order_by(Report.id)
    )
    replied = incident.case.id in _replied_cases(session, [incident.case.id])
    return IncidentDetail(
        **_incident_fields(incident, now, replied),
        report_ids=list(report_ids),
        **describe(session, reader, incident),
    )


def _visible_case(session: Session, reader: Principal, case_id: int) -> Case:
    case = session.scalars(
        select(Case)
        .join(Incident, Incident.id == Case.incident_id)
        .where(Case.id == case_id, incident_filter(reader, Case))
    ).first()
    if case is None:
        raise NotFound(f"Case {case_id} does not exist or is not visible to you.")
    return case


def read_case(session: Session, reader: Principal, case_id: int, *, now: datetime) -> CaseDetail:
    case = _visible_case(session, reader, case_id)
    replies = replies_for(session, case.id)
    findings = list(
        session.scalars(
            select(Finding.id)
            .where(Finding.case_id == case.id, finding_filter(reader))
            .order_by(Finding.id)
        )
    )
    decided = (
        bool(findings)
        and session.scalar(
            select(Finding.id).where(Finding.case_id == case.id, Finding.status == "decided")
        )
        is not None
    )
    shown_replies = [
        r
        for r in replies
        if reader.is_staff or reader.role == "guarantor" or r.party == reader.party or decided
    ]
    history = None
    if sees_case_history(reader):
        steps = list(
            session.scalars(
                select(CaseTransition)
                .where(CaseTransition.case_id == case.id)
                .order_by(CaseTransition.id)
            )
        )
        names = _usernames(session, {s.by_user for s in steps})
        history = [
            TransitionPublic(
                from_state=s.from_state,
                to_state=s.to_state,
                at=s.at,
                by=names.get(s.by_user or 0),
                note=s.note,
            )
            for s in steps
        ]
    accused_replied = any(r.party == case.incident.accused_party for r in replies)
    summary = _case_summary(case, now, accused_replied)
    return CaseDetail(
        **summary.model_dump(),
        incident_id=case.incident_id,
        replies=[ReplyPublic.model_validate(r, from_attributes=True) for r in shown_replies],
        history=history,
        finding_ids=findings,
    )


def list_overdue_replies(
    session: Session,
    reader: Principal,
    *,
    now: datetime,
    cursor: int | None = None,
    limit: int = 50,
) -> Page[CaseSummary]:
    query = overdue_replies_query(now).where(incident_filter(reader, Case))
    rows, next_cursor = _next(_page(session, query, Case.id, cursor, limit), limit)
    return Page(
        items=[_case_summary(c, now, False) for c in rows], limit=limit, next_cursor=next_cursor
    )


# Findings ------------------------------------------------------------------------------------


def _cited_checkpoint(session: Session, finding: Finding) -> CitedCheckpoint | None:
    """A decided finding cites the first checkpoint covering its decision; it stands on the
    record once the witnesses of every party and of a guarantor have cosigned that checkpoint."""
    if finding.decided_at is None:
        return None
    decided = session.scalar(
        select(func.max(LogEntry.idx)).where(
            LogEntry.record_type == "findings", LogEntry.record_id == finding.id
        )
    )
    size = session.scalar(select(func.min(Checkpoint.size)).where(Checkpoint.size > (decided or 0)))
    if decided is None or size is None:
        return None
    cosigners = list(
        session.scalars(
            select(Cosignature.witness)
            .where(Cosignature.checkpoint_size == size)
            .order_by(Cosignature.id)
        )
    )
    _, agreement = current_agreement(session)
    return CitedCheckpoint(
        size=size, cosigners=cosigners, cited_quorum_met=quorum(agreement, cosigners).cited
    )


def _finding_view(session: Session, finding: Finding) -> FindingPublic:
    appeal = session.scalars(select(Appeal).where(Appeal.finding_id == finding.id)).first()
    return FindingPublic(
        id=finding.id,
        case_id=finding.case_id,
        status=finding.status,
        outcome=finding.outcome,
        clauses=list(finding.clauses),
        attribution_kind=finding.attribution_kind,
        attributed_to=finding.attributed_to,
        responsible_party=finding.responsible_party,
        rationale=finding.rationale,
        tier=finding.tier,
        drafted_at=finding.drafted_at,
        decided_at=finding.decided_at,
        decision_method=finding.decision_method,
        votes=[
            VotePublic(member=v.member_name, vote=v.vote, statement=v.statement, cast_at=v.cast_at)
            for v in finding.votes
        ],
        supersedes=finding.supersedes_id,
        appeal=None
        if appeal is None
        else AppealPublic.model_validate(appeal, from_attributes=True),
        agreement_version_id=finding.agreement_version_id,
        cited_checkpoint=_cited_checkpoint(session, finding),
    )


def list_findings(
    session: Session,
    reader: Principal,
    *,
    cursor: int | None = None,
    limit: int = 50,
    status: str | None = None,
) -> Page[FindingPublic]:
    query = select(Finding).where(finding_filter(reader))
    if status is not None:
        query = query.where(Finding.status == status)
    rows, next_cursor = _next(_page(session, query, Finding.id, cursor, limit), limit)
    return Page(
        items=[_finding_view(session, f) for f in rows], limit=limit, next_cursor=next_cursor
    )


def read_finding(session: Session, reader: Principal, finding_id: int) -> FindingPublic:
    finding = session.scalars(
        select(Finding).where(Finding.id == finding_id, finding_filter(reader))
    ).first()
    if finding is None:
        raise NotFound(f"Finding {finding_id} does not exist or is not visible to you.")
    return _finding_view(session, finding)


# Administration ------------------------------------------------------------------------------


def list_users(session: Session, *, cursor: int | None = None, limit: int = 50) -> Page[UserPublic]:
    rows, next_cursor = _next(_page(session, select(User), User.id, cursor, limit), limit)
    items = [UserPublic.model_validate(u, from_attributes=True) for u in rows]
    return Page(items=items, limit=limit, next_cursor=next_cursor)


def list_agreement_versions(
    session: Session, *, cursor: int | None = None, limit: int = 50
) -> Page[AgreementVersionPublic]:
    query = select(AgreementVersion)
    rows, next_cursor = _next(_page(session, query, AgreementVersion.id, cursor, limit), limit)
    items = [AgreementVersionPublic.model_validate(r, from_attributes=True) for r in rows]
    return Page(items=items, limit=limit, next_cursor=next_cursor)
