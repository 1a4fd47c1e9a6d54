"""Making a situation report: read at one moment, build, sign, draw (docs/outputs.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sulh.access.roles import Principal
from sulh.agreement import Agreement
from sulh.config import Settings
from sulh.errors import Invalid
from sulh.ledger.log import Log
from sulh.outputs.cut import cut_from
from sulh.outputs.periods import parse_cutoff, report_period, zone_named
from sulh.outputs.signed import sign_output
from sulh.outputs.sitrep import build_sitrep, build_spot, tier_of
from sulh.outputs.sitrep_render import FORMATS, render_html, render_markdown, render_pdf

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Schedule:
    """When the mechanism's day ends: the cut-off after midnight, in its zone."""

    cutoff: timedelta
    zone: ZoneInfo

    @classmethod
    def of(cls, settings: Settings) -> Schedule:
        return cls(parse_cutoff(settings.sitrep_cutoff), zone_named(settings.sitrep_zone))


def make_sitrep(
    *,
    log: Log,
    agreement: Agreement,
    reader: Principal,
    kind: str,
    fmt: str,
    schedule: Schedule,
    day: date | None = None,
    incident_id: int | None = None,
) -> bytes:
    """The report, signed by the log's key, as `fmt` (html, md or pdf)."""
    if fmt not in FORMATS:
        raise Invalid(f"format: one of {', '.join(FORMATS)}, not {fmt!r}.")
    if log.signer is None:
        raise Invalid(
            "Situation reports are signed with the log's key, and this record has none: "
            "run `sulh init` or set SULH_LOG_KEY."
        )
    tier = tier_of(reader)
    with log.store.snapshot() as session:
        cut = cut_from(session, log)
        if kind == "spot":
            if incident_id is None:
                raise Invalid("A spot report needs the incident it is about (--incident).")
            report = build_spot(
                session=session,
                reader=reader,
                agreement=agreement,
                incident_id=incident_id,
                cut=cut,
                tier=tier,
            )
        else:
            if day is None:
                raise Invalid(f"A {kind} report needs its date (--date).")
            report = build_sitrep(
                session=session,
                reader=reader,
                agreement=agreement,
                kind=kind,
                dated=day,
                period=report_period(kind, day, cutoff=schedule.cutoff, zone=schedule.zone),
                cut=cut,
                tier=tier,
            )
    data = report.as_dict()
    note = sign_output(data=data, kind=f"sitrep-{kind}", signer=log.signer)
    if fmt == "pdf":
        return render_pdf(data, note)
    text = render_html(data, note) if fmt == "html" else render_markdown(data, note)
    return text.encode("utf-8")
