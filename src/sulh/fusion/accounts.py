"""Accounts: what fusion compares. One report tells of one event; an article may tell of several.

An account is one source's telling of one event: its time window, place, type, actors,
claims and casualty figures, reduced to what matching and grading need. A plain report
(complaint, observation, tip…) gives one account; an ingested article gives one account per
extracted event that happened (not planned ones), its background mentions included.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sulh.fusion.match import family

if TYPE_CHECKING:
    import numpy as np

    from sulh.agreement.model import Agreement
    from sulh.store.tables import IngestedArticle, Report

# How far from its point a place of each precision may lie, in km. A country locates nothing.
RADIUS_KM = {"point": 3.0, "town": 10.0, "district": 35.0, "province": 150.0}
# Undated news tells of recent days: look this far back from publication.
UNDATED_DAYS = 7
FIGURE_GROUPS = {
    "civilians": "civilian",
    "security_forces": "security",
    "militants": "militant",
    "unknown": "unknown",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """A casualty figure as one source gives it."""

    group: str  # civilian, security, militant or unknown
    outcome: str  # killed or injured
    low: int | None
    best: int | None
    high: int | None
    side: str | None = None  # the party the people belong to, when said
    reported_by: str | None = None  # the actor or body the source attributes it to


@dataclass(frozen=True, slots=True)
class Claim:
    """A party's stance on the event: alleges, denies, acknowledges, neither…"""

    stance: str
    claimant: str | None  # the claimant's party, when it answers to one
    accused: frozenset[str]  # the accused parties


@dataclass(slots=True)
class Account:
    report_id: int
    event: int  # the event's number within its report (0 for a report of one event)
    kind: str  # the report's kind
    type: str
    first_day: int  # date.toordinal() of the window's first and last days
    last_day: int
    precise: bool  # the window is a day or two, not a week or a month
    dated: bool  # False: the source gave no date, the window is a guess
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    places: tuple[str, ...] = ()
    actors: frozenset[str] = frozenset()
    parties: frozenset[str] = frozenset()  # the parties whose side is said to have acted
    claims: tuple[Claim, ...] = ()
    figures: tuple[Figure, ...] = ()
    background: bool = False
    source_id: int | None = None
    origin: str = ""  # the independence group; filled in by fusion.independence
    text: str = ""
    vector: np.ndarray | None = field(default=None, repr=False)

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None and self.radius_km is not None


def window(start: datetime, end: datetime | None, precision: str) -> tuple[int, int, bool]:
    """The days a report's time covers, at its precision, as ordinals; and whether precise."""
    first, last = start.date(), (end or start).date()
    if precision == "week":
        return (
            (first - timedelta(days=3)).toordinal(),
            (last + timedelta(days=3)).toordinal(),
            False,
        )
    if precision == "month":
        days = calendar.monthrange(last.year, last.month)[1]
        return first.replace(day=1).toordinal(), last.replace(day=days).toordinal(), False
    return first.toordinal(), last.toordinal(), (last - first).days <= 1


def from_report(report: Report, *, agreement: Agreement) -> Account:
    """The one account a plain report gives."""
    first, last, precise = window(report.event_time, report.event_end, report.time_precision)
    lat, lon, radius = (
        report.latitude,
        report.longitude,
        RADIUS_KM.get(report.place_precision or ""),
    )
    if lat is None and report.place_name:
        lat, lon, radius = geocode(report.place_name, report.place_precision)
    located = lat is not None and radius is not None
    parties = {report.accused_party} if report.accused_party else set()
    claims = _report_claims(report, parties)
    actors = {report.alleged_perpetrator} if report.alleged_perpetrator else set()
    return Account(
        report_id=report.id,
        event=0,
        kind=report.kind,
        type=report.event_type,
        first_day=first,
        last_day=last,
        precise=precise,
        dated=True,
        lat=lat if located else None,
        lon=lon if located else None,
        radius_km=radius if located else None,
        places=(report.place_name,) if report.place_name else (),
        actors=frozenset(actors),
        parties=frozenset(parties),
        claims=claims,
        figures=report_figures(report.casualties),
        source_id=report.source_id,
        text=report.text,
    )


@lru_cache(maxsize=4096)
def geocode(name: str, precision: str | None) -> tuple[float | None, float | None, float | None]:
    """A place named without coordinates, located by the gazetteer: its most specific match,
    with the reach of the coarser of that place and the precision the report gave."""
    from sulh.extract.places import gazetteer  # extract files reports that fusion matches

    found = [m.place for m in gazetteer().find(name) if m.place.precision in RADIUS_KM]
    if not found:
        return None, None, None
    place = min(found, key=lambda p: RADIUS_KM[p.precision])
    radius = max(RADIUS_KM[place.precision], RADIUS_KM.get(precision or "", 0.0))
    return place.lat, place.lon, radius


def _report_claims(report: Report, parties: set[str]) -> tuple[Claim, ...]:
    if report.kind == "complaint" and report.accused_party:
        return (Claim("alleges", report.filed_for_party, frozenset(parties)),)
    group = report.source.independence_group
    speaker = group.removeprefix("party:") if group.startswith("party:") else None
    if report.stance is None or speaker is None:
        return ()
    # A party denying an act denies its own side did it, unless the report names another.
    accused = parties or ({speaker} if report.stance in ("denies", "acknowledges") else set())
    return (Claim(report.stance, speaker, frozenset(accused)),)


def report_figures(casualties: list[dict[str, Any]]) -> tuple[Figure, ...]:
    """The casualty figures a plain report gives (its `casualties` column)."""
    return tuple(_report_figure(c) for c in casualties)


def event_figures(event: dict[str, Any]) -> tuple[Figure, ...]:
    """The casualty figures an article's extracted event gives: killed, then injured."""
    return tuple(
        _article_figure(f, outcome)
        for key, outcome in (("fatalities", "killed"), ("injured", "injured"))
        for f in event[key]
    )


def _report_figure(casualty: dict[str, Any]) -> Figure:
    return Figure(
        group=casualty["group"],
        outcome=casualty["outcome"],
        low=casualty.get("low", casualty["best"]),
        best=casualty["best"],
        high=casualty.get("high", casualty["best"]),
    )


def from_article(
    report: Report, article: IngestedArticle, *, agreement: Agreement
) -> list[Account]:
    """One account per extracted event that happened (planned events have not)."""
    published = article.published or report.received_at.date()
    told = _dated_news(article.events)
    accounts = []
    for number, event in enumerate(article.events):
        if event["status"] == "planned":
            continue
        account = _event_account(report, number, event, published, agreement)
        if not account.dated and len(told.get(family(account.type), ())) == 1:
            # "The strikes killed ten": an undated mention of the one dated strike the
            # article reports is that strike. It still may not open an incident.
            ((account.first_day, account.last_day),) = told[family(account.type)]
        accounts.append(account)
    return accounts


def _dated_news(events: list[dict[str, Any]]) -> dict[str, set[tuple[int, int]]]:
    """The windows of the dated news events of an article, by type family."""
    windows: dict[str, set[tuple[int, int]]] = {}
    for event in events:
        if event["date"] and not event["background"] and event["status"] != "planned":
            first_text, _, last_text = event["date"].partition("/")
            first, last = (
                date.fromisoformat(first_text),
                date.fromisoformat(last_text or first_text),
            )
            windows.setdefault(family(event["type"]), set()).add(
                (first.toordinal(), last.toordinal())
            )
    return windows


def _event_account(
    report: Report, number: int, event: dict[str, Any], published: date, agreement: Agreement
) -> Account:
    if event["date"]:
        first_text, _, last_text = event["date"].partition("/")
        first, last = date.fromisoformat(first_text), date.fromisoformat(last_text or first_text)
        dated = True
    else:
        first, last, dated = published - timedelta(days=UNDATED_DAYS), published, False
    place = next((p for p in event["places"] if p["lat"] is not None), None)
    radius = RADIUS_KM.get(place["precision"]) if place else None
    actors = {a for a in (event["actor1"], event["actor2"], *event["other_actors"]) if a}
    acting = agreement.answerable_party(event["actor1"]) if event["actor1"] else None
    return Account(
        report_id=report.id,
        event=number,
        kind=report.kind,
        type=event["type"],
        first_day=first.toordinal(),
        last_day=last.toordinal(),
        precise=dated and (last - first).days <= 1,
        dated=dated,
        lat=place["lat"] if place and radius else None,
        lon=place["lon"] if place and radius else None,
        radius_km=radius if place else None,
        places=tuple(p["name"] for p in event["places"]),
        actors=frozenset(actors),
        parties=frozenset({acting} if acting else ()),
        claims=tuple(_claim(c, agreement) for c in event["claims"]),
        figures=event_figures(event),
        background=bool(event["background"]),
        source_id=report.source_id,
        text=_evidence_text(report.text, event),
    )


def _claim(claim: dict[str, Any], agreement: Agreement) -> Claim:
    accused = {agreement.answerable_party(a) for a in claim["accused"]}
    return Claim(
        stance=claim["stance"],
        claimant=agreement.answerable_party(claim["claimant"]),
        accused=frozenset(p for p in accused if p),
    )


def _article_figure(figure: dict[str, Any], outcome: str) -> Figure:
    low, high = figure["low"], figure["high"]
    if figure["qualifier"] in ("at_least", "more_than", "unspecified"):
        # "At least 23" is a floor; it says nothing of the best estimate or the ceiling.
        low = figure.get("low")
        return Figure(
            FIGURE_GROUPS[figure["whose"]],
            outcome,
            low,
            None,
            None,
            figure["side"],
            figure["reported_by"],
        )
    best = low if low == high else None
    return Figure(
        FIGURE_GROUPS[figure["whose"]],
        outcome,
        low,
        best,
        high,
        figure["side"],
        figure["reported_by"],
    )


def _evidence_text(text: str, event: dict[str, Any]) -> str:
    spans = event.get("evidence") or []
    return " ".join(text[s["start"] : s["end"]] for s in spans[:3]) or text[:600]
