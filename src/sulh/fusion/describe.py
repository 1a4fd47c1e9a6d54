"""What a reader sees of an incident's fusion: accounts side by side, casualties, changes.

Only accounts of reports the reader may see are shown, and estimates are reconciled from
those alone, so no figure leaks from a report above the reader's tier.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.agreement import Agreement, parsed
from sulh.fusion.accounts import Account
from sulh.fusion.regrade import Told, accounts_of, casualties_of, credibility_of, facts_of
from sulh.store.tables import AgreementVersion, Incident, IncidentChange, Report
from sulh.store.views import AccountView, CasualtyEstimate, IncidentChangeView
from sulh.store.visible import report_filter, sees_source


def visible(session: Session, reader: Principal, told: list[Told]) -> list[Told]:
    ids = [t.report.id for t in told]
    shown = set(session.scalars(select(Report.id).where(Report.id.in_(ids), report_filter(reader))))
    return [t for t in told if t.report.id in shown]


def days(account: Account) -> str:
    first, last = date.fromordinal(account.first_day), date.fromordinal(account.last_day)
    return first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"


def account_views(reader: Principal, told: list[Told], everyone: list[Told]) -> list[AccountView]:
    facts = facts_of(everyone)
    views = []
    for t in told:
        shown = sees_source(reader, t.report)
        credibility, why, proposed = credibility_of(t, facts)
        views.append(
            AccountView(
                report_id=t.report.id,
                event=t.link.event,
                kind=t.report.kind,
                source=t.report.source.name if shown else None,
                source_reliability=t.report.source.reliability if shown else None,
                origin=t.voice.origin if shown else None,
                type=t.account.type,
                date=days(t.account),
                dated=t.account.dated,
                places=list(t.account.places),
                parties=sorted(t.account.parties),
                background=t.account.background,
                score=t.link.score,
                reason=t.link.reason,
                credibility=credibility,
                credibility_proposed=proposed,
                credibility_reason=why,
                figures=[asdict(f) for f in t.account.figures],
                claims=[_claim(c) for c in t.account.claims],
            )
        )
    return views


def _claim(claim: Any) -> dict[str, Any]:
    return {"stance": claim.stance, "claimant": claim.claimant, "accused": sorted(claim.accused)}


def casualty_estimates(told: list[Told], agreement: Agreement) -> list[CasualtyEstimate]:
    return [CasualtyEstimate(**row) for row in casualties_of(told, agreement)]


def changes(session: Session, incident_id: int) -> list[IncidentChangeView]:
    rows = session.scalars(
        select(IncidentChange)
        .where(
            or_(IncidentChange.incident_id == incident_id, IncidentChange.other_id == incident_id)
        )
        .order_by(IncidentChange.id)
    )
    return [
        IncidentChangeView(
            id=c.id,
            kind=c.kind,
            incident_id=c.incident_id,
            other_id=c.other_id,
            moved=[list(pair) for pair in c.moved],
            reason=c.reason,
            reverts=c.reverts_id,
            at=c.at,
        )
        for c in rows
    ]


def describe(session: Session, reader: Principal, incident: Incident) -> dict[str, Any]:
    """The fusion fields of an incident's detail view."""
    version = session.get(AgreementVersion, incident.agreement_version_id)
    assert version is not None
    everyone = accounts_of(session, incident)
    told = visible(session, reader, everyone)
    return {
        "accounts": account_views(reader, told, everyone),
        "casualties": casualty_estimates(told, parsed(version)),
        "changes": changes(session, incident.id),
    }
