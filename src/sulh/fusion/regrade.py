"""An incident's accounts, read back from the record, and the grades they give it.

The accounts are rebuilt from the reports (and the articles' extracted events) they came
from, so what grading sees is exactly what the record holds. Grading runs whenever fusion,
a merge, a split or an analyst's grade changes what an incident rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from sulh.agreement import Agreement, parsed
from sulh.fusion.accounts import Account, from_article, from_report
from sulh.fusion.casualties import Sourced, partisan, reconcile
from sulh.fusion.grading import Facts, Grade, Stance, Voice, grade, proposed_credibility
from sulh.store.tables import (
    AgreementVersion,
    Evidence,
    Incident,
    IncidentReport,
    IngestedArticle,
    Report,
    ReportGrade,
)
from sulh.store.writer import Writer


@dataclass(frozen=True, slots=True)
class Told:
    """One account of an incident, as the incident page shows it beside the others."""

    link: IncidentReport
    report: Report
    account: Account
    voice: Voice


def accounts_of(session: Session, incident: Incident) -> list[Told]:
    agreement = parsed(_version(session, incident.agreement_version_id))
    links = list(
        session.scalars(
            select(IncidentReport)
            .where(IncidentReport.incident_id == incident.id)
            .order_by(IncidentReport.id)
        )
    )
    ids = sorted({link.report_id for link in links})
    reports = {r.id: r for r in session.scalars(select(Report).where(Report.id.in_(ids)))}
    articles = {
        a.report_id: a
        for a in session.scalars(select(IngestedArticle).where(IngestedArticle.report_id.in_(ids)))
    }
    grades = analyst_grades(session, ids)
    told = []
    for link in links:
        report = reports[link.report_id]
        account = _account(report, articles.get(report.id), link.event, agreement)
        if account is None:
            continue
        credibility = grades.get(report.id, report.credibility)
        voice = Voice(
            report.id,
            report.kind,
            link.origin or report.source.independence_group,
            report.source.reliability,
            credibility,
            account.background,
        )
        told.append(Told(link, report, account, voice))
    return told


def _version(session: Session, version_id: int) -> AgreementVersion:
    version = session.get(AgreementVersion, version_id)
    assert version is not None
    return version


def _account(
    report: Report, article: IngestedArticle | None, event: int, agreement: Agreement
) -> Account | None:
    if article is None:
        return from_report(report, agreement=agreement)
    return next(
        (a for a in from_article(report, article, agreement=agreement) if a.event == event), None
    )


def analyst_grades(session: Session, report_ids: list[int]) -> dict[int, int]:
    """Each report's latest credibility grade given by an analyst."""
    rows = session.execute(
        select(ReportGrade.report_id, ReportGrade.credibility)
        .where(ReportGrade.report_id.in_(report_ids))
        .order_by(ReportGrade.id)
    )
    return {report_id: credibility for report_id, credibility in rows}


def evidence_count(session: Session, incident: Incident) -> int:
    """Distinct files attached to the incident's reports (the same photo twice counts once)."""
    reports = select(IncidentReport.report_id).where(IncidentReport.incident_id == incident.id)
    count = session.scalar(
        select(func.count(distinct(Evidence.sha256))).where(Evidence.report_id.in_(reports))
    )
    return count or 0


def facts_of(told: list[Told], evidence_files: int = 0) -> Facts:
    stances = [Stance(c.stance, c.claimant, c.accused) for t in told for c in t.account.claims]
    return Facts([t.voice for t in told], stances, evidence_files)


def casualties_of(told: list[Told], agreement: Agreement) -> list[dict[str, Any]]:
    parties = agreement.party_ids()
    figures = [
        Sourced(
            t.report.id,
            t.voice.origin,
            t.report.source.name,
            figure,
            partisan(t.voice.origin, figure, parties, agreement.answerable_party),
        )
        for t in told
        for figure in t.account.figures
    ]
    return reconcile(figures)


def credibility_of(told: Told, facts: Facts) -> tuple[int, str, bool]:
    """A report's credibility: the analyst's grade if given, else the proposal; and whether
    it is the proposal."""
    if told.voice.credibility is not None:
        return told.voice.credibility, "graded by an analyst", False
    value, reason = proposed_credibility(told.voice, facts)
    return value, reason, True


def regrade(*, writer: Writer, incident: Incident) -> Grade:
    """Grade the incident from its accounts and store the grade, the rule and the reason."""
    from sulh.fusion.record import record_once

    writer.session.flush()
    told = accounts_of(writer.session, incident)
    result = grade(facts_of(told, evidence_count(writer.session, incident)))
    changed = (incident.confidence, incident.confidence_rule, incident.confidence_reason) != (
        result.confidence,
        result.rule,
        result.reason,
    )
    if changed:
        incident.confidence = result.confidence
        incident.confidence_rule = result.rule
        incident.confidence_reason = result.reason
        record_once(writer, "incident.graded", incident)
    return result
