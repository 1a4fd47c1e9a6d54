"""Statistics and situation reports, each as the caller's tier may see them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from sulh.agreement import current_agreement
from sulh.errors import Invalid
from sulh.outputs.areas import area_counts
from sulh.outputs.cut import cut_from
from sulh.outputs.periods import report_period
from sulh.outputs.sitrep import tier_of
from sulh.outputs.sitreps import MEDIA_TYPES, Schedule, make_sitrep
from sulh.outputs.statistics import compare_periods
from sulh.web.deps import LogDep, ReaderDep

router = APIRouter(tags=["statistics and situation reports"])
Kind = Literal["daily", "weekly", "monthly"]
REPORT: dict[int | str, dict[str, object]] = {
    200: {
        "content": {t.split(";")[0]: {"schema": {"type": "string"}} for t in MEDIA_TYPES.values()},
        "description": "The report, signed by the log's key (docs/outputs.md).",
    }
}


class CountRow(BaseModel):
    value: str = Field(description="The party, type, clause or area counted.")
    now: int = Field(description="In the period.")
    before: int = Field(description="In the period before it.")


class Statistics(BaseModel):
    tier: str
    period: dict[str, str]
    previous: dict[str, str]
    log_size: int = Field(description="The counts are of the record as of this many entries.")
    counts: dict[str, list[CountRow]] = Field(
        description="By accused party, event type, clause (violations found) and area."
    )


@router.get("/statistics", response_model=Statistics)
def get_statistics(
    request: Request,
    log: LogDep,
    reader: ReaderDep,
    period: Annotated[Kind, Query()] = "weekly",
    day: Annotated[date | None, Query(alias="date", description="Default: today.")] = None,
) -> Statistics:
    """Counts of incidents by party, type and area, and of violations found by clause, in
    the period (as situation reports cut it) with the period before beside them."""
    schedule = Schedule.of(request.app.state.settings)
    day = day or log.store.clock().astimezone(schedule.zone).date()
    span = report_period(period, day, cutoff=schedule.cutoff, zone=schedule.zone)
    with log.store.snapshot() as session:
        agreement = current_agreement(session)[1]
        size = cut_from(session, log).log_size if log.signer else 0
        counts = {c.dimension: c.rows for c in compare_periods(session, reader, period=span)}
        counts["area"] = area_counts(session, reader, agreement, span)
    return Statistics(
        tier=tier_of(reader),
        period={"start": span.start.isoformat(), "end": span.end.isoformat()},
        previous={"start": span.previous.start.isoformat(), "end": span.previous.end.isoformat()},
        log_size=size,
        counts={
            key: [CountRow(value=v, now=n, before=b) for v, n, b in rows]
            for key, rows in counts.items()
        },
    )


@router.get("/sitreps/{kind}", response_class=Response, responses=REPORT)
def get_sitrep(
    request: Request,
    log: LogDep,
    reader: ReaderDep,
    kind: Annotated[Literal["daily", "weekly", "monthly", "spot"], Path()],
    day: Annotated[date | None, Query(alias="date")] = None,
    incident: Annotated[int | None, Query(ge=1, description="For a spot report.")] = None,
    format: Annotated[Literal["html", "md", "pdf"], Query()] = "html",
) -> Response:
    """A situation report at the caller's tier, signed by the log's key, as HTML, Markdown
    or PDF; always a download, never run by the browser."""
    if kind != "spot" and day is None:
        raise Invalid("date: a daily, weekly or monthly report needs the day it is dated.")
    with log.store.read() as session:
        agreement = current_agreement(session)[1]
    content = make_sitrep(
        log=log,
        agreement=agreement,
        reader=reader,
        kind=kind,
        fmt=format,
        schedule=Schedule.of(request.app.state.settings),
        day=day,
        incident_id=incident,
    )
    name = f"sitrep-{kind}-{incident if kind == 'spot' else day}.{format}"
    return Response(
        content,
        media_type=MEDIA_TYPES[format],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        },
    )
