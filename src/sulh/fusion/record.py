"""Fusion in the record: each new report is matched as it is filed, in the same transaction.

Each of the report's accounts is compared with the open incidents of its block (see
fusion.engine) and attached to the best match, or opens an incident, or is held when it has
too little to go on. The link keeps the score and the reason in words; the incidents touched
are graded again before the write commits.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, date, datetime, time
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Row, and_, func, select

from sulh.agreement import parsed
from sulh.fusion.accounts import Account, from_article, from_report
from sulh.fusion.clusters import MAX_SPAN_DAYS, Cluster, absorb, cell_of, nearby_cells, start
from sulh.fusion.engine import ATTACHED, HELD, OPENS, Decision, best_match, opens_incident
from sulh.fusion.independence import origin
from sulh.fusion.match import (
    EXTRA_KM,
    TEXT_FLOOR,
    TEXT_SPAN,
    TOLERANCE_DAYS,
    UNPLACED_TEXT,
    WILDCARD,
    family,
    kindred,
)
from sulh.fusion.regrade import regrade
from sulh.store.tables import (
    AccountVector,
    AgreementVersion,
    Case,
    Incident,
    IncidentReport,
    IncidentVector,
    IngestedArticle,
    Report,
)
from sulh.store.writer import Writer

OPENED_TIER = "joint"  # an incident opened by fusion is for staff and guarantors until released


def fuse_report(
    *, writer: Writer, report: Report, article: IngestedArticle | None = None
) -> list[Decision]:
    """Match each account of a just-filed report; attach it, open an incident, or hold it."""
    agreement = parsed(writer.agreement)
    accounts = (
        from_article(report, article, agreement=agreement)
        if article is not None
        else [from_report(report, agreement=agreement)]
    )
    copied = _copied_origin(writer, article)
    for account in accounts:
        account.origin = origin(
            group=report.source.independence_group, text=report.text, copied_from=copied
        )
    _embed(writer, accounts)
    decisions = []
    touched: dict[int, Incident] = {}
    for account in accounts:
        decision, incident = _place_account(writer, report, account)
        decisions.append(decision)
        if incident is not None:
            touched[incident.id] = incident
    for incident in touched.values():
        regrade(writer=writer, incident=incident)
    return decisions


def _copied_origin(writer: Writer, article: IngestedArticle | None) -> str | None:
    if article is None or article.copy_of_id is None:
        return None
    original = writer.session.get(IngestedArticle, article.copy_of_id)
    source = writer.session.get(Report, original.report_id) if original else None
    if source is None:
        return None
    return origin(group=source.source.independence_group, text=source.text)


def _embed(writer: Writer, accounts: list[Account]) -> None:
    from sulh.fusion.vectors import vectors

    found = vectors([a.text for a in accounts])
    if found is None:
        return
    for account, vector in zip(accounts, found, strict=True):
        account.vector = vector
        writer.session.add(
            AccountVector(
                report_id=account.report_id,
                event=account.event,
                vector=vector.astype(np.float16).tobytes(),
            )
        )


def _place_account(
    writer: Writer, report: Report, account: Account
) -> tuple[Decision, Incident | None]:
    clusters = {c.key: c for c in candidates(writer, account)}
    found = best_match(account, clusters.values())
    if found is not None:
        cluster, match = found
        incident = writer.session.get(Incident, cluster.key)
        assert incident is not None
        absorb(cluster, account)
        _link(writer, incident, account, match.score, match.reason)
        _sync(writer, incident, cluster, report)
        return Decision(ATTACHED, incident.id, match), incident
    refusal = opens_incident(account)
    if refusal is not None:
        return Decision(HELD, None, reason=refusal), None
    incident = _open(writer, report, account)
    return Decision(OPENS, incident.id), incident


_CLUSTER_COLUMNS = (
    Incident.id,
    Incident.first_day,
    Incident.last_day,
    Incident.time_precision,
    Incident.dated,
    Incident.latitude,
    Incident.longitude,
    Incident.radius_km,
    Incident.types,
    Incident.parties,
    Incident.places,
)


def candidates(writer: Writer, account: Account) -> list[Cluster]:
    """The open incidents of the account's block, as clusters to compare with.

    Only the columns matching needs are read; places too far for the two reaches are
    dropped by the database before any row reaches Python.
    """
    writer.session.flush()  # incidents this write already changed must be read as they now are
    first = account.first_day - TOLERANCE_DAYS
    block = (
        Incident.status == "open",
        Incident.agreement_version_id.in_(_same_agreement(writer)),
        Incident.first_day.between(first - MAX_SPAN_DAYS, account.last_day + TOLERANCE_DAYS),
        Incident.last_day >= first,
    )
    # Each query below runs on one index (ix_incidents_block_place or _family): an OR of the
    # two would make the database read every open incident.
    kin = (
        ()
        if family(account.type) in WILDCARD
        else (Incident.family.in_(sorted(kindred(account.type))),)
    )
    ids: list[int] = []
    if account.located:
        ids += writer.session.scalars(select(Incident.id).where(*block, _within_reach(account)))
        ids += _worded_alike(writer, account, (*block, Incident.cell.is_(None), *kin))
    else:
        ids += _worded_alike(writer, account, (*block, *kin))
    if not ids:
        return []
    rows = writer.session.execute(select(*_CLUSTER_COLUMNS).where(Incident.id.in_(ids))).all()
    sums = _vector_sums(writer, ids)
    clusters = [_cluster(row, sums.get(row.id)) for row in rows]
    if account.event > 0 or account.kind in ("media", "statement"):
        _add_reports(writer, clusters)
    return clusters


def _worded_alike(
    writer: Writer, account: Account, where: tuple[ColumnElement[bool], ...]
) -> list[int]:
    """Incidents of the block close enough in wording to be matched without a place.

    With no place on one side, `compare` needs the text part at UNPLACED_TEXT or more; the
    same test here, on the vectors alone, spares reading rows it would refuse.
    """
    if account.vector is None:
        return []
    ids = list(writer.session.scalars(select(Incident.id).where(*where)))
    if not ids:
        return []
    # Two steps, not a join: a planner may otherwise read every vector to hash-join them.
    rows = writer.session.execute(
        select(IncidentVector.incident_id, IncidentVector.direction).where(
            IncidentVector.incident_id.in_(ids)
        )
    ).all()
    if not rows:
        return []
    directions = np.frombuffer(b"".join(r.direction for r in rows), dtype=np.float16)
    similarity = directions.reshape(len(rows), -1).astype(np.float32) @ account.vector
    floor = UNPLACED_TEXT * TEXT_SPAN + TEXT_FLOOR - 1e-6
    return [int(rows[int(i)].incident_id) for i in np.flatnonzero(similarity >= floor)]


def _add_reports(writer: Writer, clusters: list[Cluster]) -> None:
    """Which reports each candidate already holds: an article's events stay apart."""
    by_key = {c.key: c for c in clusters}
    rows = writer.session.execute(
        select(IncidentReport.incident_id, IncidentReport.report_id).where(
            IncidentReport.incident_id.in_(list(by_key))
        )
    )
    for incident_id, report_id in rows:
        by_key[incident_id].reports.add(report_id)


def _within_reach(account: Account) -> ColumnElement[bool]:
    """In a nearby grid cell, and inside the box both places' reach allows (a cheap test
    that spares Python the rows the exact distance would refuse)."""
    assert account.lat is not None and account.lon is not None and account.radius_km is not None
    reach = account.radius_km + Incident.radius_km + EXTRA_KM
    stretch = 111.0 * max(0.2, math.cos(math.radians(account.lat)))
    return and_(
        Incident.cell.in_(nearby_cells(account)),
        func.abs(Incident.latitude - account.lat) * 111.0 <= reach,
        func.abs(Incident.longitude - account.lon) * stretch <= reach,
    )


def _same_agreement(writer: Writer) -> list[int]:
    cache: dict[str, list[int]] = writer.session.info.setdefault("agreement_versions", {})
    slug = writer.agreement.slug
    if slug not in cache:
        cache[slug] = list(
            writer.session.scalars(select(AgreementVersion.id).where(AgreementVersion.slug == slug))
        )
    return cache[slug]


def _vector_sums(writer: Writer, ids: list[int]) -> dict[int, tuple[np.ndarray, int]]:
    if not ids:
        return {}
    rows = writer.session.scalars(select(IncidentVector).where(IncidentVector.incident_id.in_(ids)))
    return {r.incident_id: (_sum_of(r), r.vectors) for r in rows}


def _sum_of(row: IncidentVector) -> np.ndarray:
    return np.frombuffer(row.direction, dtype=np.float16).astype(np.float32) * row.length


def _cluster(row: Row[Any], vectors: tuple[np.ndarray, int] | None) -> Cluster:
    located = row.radius_km is not None
    return Cluster(
        key=row.id,
        first_day=row.first_day,
        last_day=row.last_day,
        precise=row.time_precision in ("exact", "hour", "day"),
        dated=row.dated,
        lat=row.latitude if located else None,
        lon=row.longitude if located else None,
        radius_km=row.radius_km,
        types=Counter(row.types),
        parties=set(row.parties),
        places=list(row.places),
        vector_sum=vectors[0].copy() if vectors else None,
        vectors=vectors[1] if vectors else 0,
    )


def _link(
    writer: Writer, incident: Incident, account: Account, score: float | None, reason: str
) -> IncidentReport:
    link = IncidentReport(
        report_id=account.report_id,
        event=account.event,
        incident_id=incident.id,
        score=score,
        reason=reason,
        origin=account.origin,
        attached_at=writer.now,
        attached_by=None,
    )
    writer.add(link)
    writer.record("incident.account_attached", link)
    return link


def _open(writer: Writer, report: Report, account: Account) -> Incident:
    cluster = start(0, account)
    accused = report.accused_party or (
        next(iter(account.parties)) if len(account.parties) == 1 else None
    )
    complainant = report.filed_for_party if report.filed_for_party != accused else None
    incident = Incident(
        title=title(cluster),
        tier=OPENED_TIER,
        accused_party=accused,
        complainant_party=complainant,
        opened_at=writer.now,
        opened_by=None,
        agreement_version_id=writer.agreement.id,
        status="open",
    )
    fill(incident, cluster)
    writer.add(incident)
    record_once(writer, "incident.opened", incident)
    case = Case(incident_id=incident.id, state="received", updated_at=writer.now)
    incident.case = case
    writer.add(case)
    writer.record("case.opened", case)
    cluster.key = incident.id
    _link(writer, incident, account, None, "opened the incident")
    _store_vector(writer, incident, cluster)
    return incident


def _sync(writer: Writer, incident: Incident, cluster: Cluster, report: Report) -> None:
    fill(incident, cluster)
    if incident.opened_by is None:  # fusion's own title follows what it learns
        incident.title = title(cluster)
    if incident.accused_party is None and report.accused_party:
        incident.accused_party = report.accused_party
    if (
        incident.complainant_party is None
        and report.filed_for_party
        and report.filed_for_party != incident.accused_party
    ):
        incident.complainant_party = report.filed_for_party
    _store_vector(writer, incident, cluster)
    record_once(writer, "incident.fused", incident)


def _store_vector(writer: Writer, incident: Incident, cluster: Cluster) -> None:
    if cluster.vector_sum is None:
        return
    row = writer.session.get(IncidentVector, incident.id)
    length = float(np.linalg.norm(cluster.vector_sum))
    data = (cluster.vector_sum / (length or 1.0)).astype(np.float16).tobytes()
    if row is None:
        writer.session.add(
            IncidentVector(
                incident_id=incident.id, direction=data, length=length, vectors=cluster.vectors
            )
        )
    else:
        row.direction, row.length, row.vectors = data, length, cluster.vectors


def fill(incident: Incident, cluster: Cluster) -> None:
    """Copy what fusion knows of an incident into its row."""
    span = cluster.last_day - cluster.first_day
    incident.first_day, incident.last_day, incident.dated = (
        cluster.first_day,
        cluster.last_day,
        cluster.dated,
    )
    incident.event_time = datetime.combine(date.fromordinal(cluster.first_day), time(), UTC)
    incident.time_precision = "day" if span <= 1 else "week" if span <= 7 else "month"
    incident.latitude, incident.longitude = cluster.lat, cluster.lon
    incident.radius_km, incident.cell = cluster.radius_km, cell_of(cluster.lat, cluster.lon)
    incident.place_name = cluster.places[0][:200] if cluster.places else None
    incident.event_type, incident.family = cluster.type, cluster.family
    incident.types = dict(cluster.types)
    incident.parties = sorted(cluster.parties)
    incident.places = cluster.places[:20]


def title(cluster: Cluster) -> str:
    what = cluster.type.replace("_", " ").capitalize()
    where = f" at {cluster.places[0]}" if cluster.places else ""
    return f"{what}{where}, {date.fromordinal(cluster.first_day).isoformat()}"[:300]


def record_once(writer: Writer, change: str, row: object) -> None:
    """Record a row once per write: its one entry shows it as it stands at commit."""
    recorded: set[int] = writer.session.info.setdefault("recorded_once", set())
    if id(row) not in recorded:
        recorded.add(id(row))
        writer.record(change, row)  # type: ignore[arg-type]
