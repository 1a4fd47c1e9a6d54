"""Exports of incidents for other systems: ACLED-shaped CSV, HXL-tagged CSV, GeoJSON.

An export is read in one transaction that also fixes its cut (outputs/cut.py): the rows
are exactly what the first N log entries made. The caller opens that transaction
(`Store.snapshot()`) and keeps it open while the chunks are written, since the rows stream
from the database as they are written out. docs/exports.md describes the formats.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy.orm import Session

from sulh.access.roles import Principal
from sulh.errors import Invalid
from sulh.ledger.log import Log
from sulh.outputs.acled import HASHTAGS, NAMES, TEXT, cells
from sulh.outputs.cut import Cut, cut_from
from sulh.outputs.geojson import geojson_chunks
from sulh.outputs.incident_rows import IncidentRow, incident_rows

BATCH = 2000  # rows per chunk written out: about 0.5 MB of CSV


class UnknownFormat(Invalid):
    code = "unknown_format"


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    media_type: str


FORMATS = {
    f.name: f
    for f in (
        Format("csv", "csv", "text/csv; charset=utf-8"),
        Format("geojson", "geojson", "application/geo+json"),
        Format("hxl", "hxl.csv", "text/csv; charset=utf-8"),
    )
}


@dataclass(frozen=True)
class Export:
    format: Format
    cut: Cut
    chunks: Iterator[str]  # the file, in order; read them while the transaction is open

    @property
    def filename(self) -> str:
        return f"sulh-incidents-{self.cut.log_size}.{self.format.extension}"


def format_named(name: str) -> Format:
    """The format called `name` or with that file extension (csv, geojson, hxl, hxl.csv)."""
    found = FORMATS.get(name) or next((f for f in FORMATS.values() if f.extension == name), None)
    if found is None:
        raise UnknownFormat(
            f"Export format {name!r} is not known (formats: {', '.join(FORMATS)}).",
            details={"field": "format"},
        )
    return found


def check_period(first: date | None, last: date | None) -> None:
    if first and last and last < first:
        raise Invalid(
            f"to: {last.isoformat()} is before from: {first.isoformat()}.", details={"field": "to"}
        )


def export_incidents(
    *,
    session: Session,
    log: Log,
    reader: Principal,
    format: str,
    first: date | None = None,
    last: date | None = None,
) -> Export:
    """The incidents `reader` may see whose days meet [first, last], in `format`.

    Bad input is refused here, before the cut (which may sign a checkpoint) is taken."""
    chosen = format_named(format)
    check_period(first, last)
    cut = cut_from(session, log)
    rows = incident_rows(session, reader, first=first, last=last)
    return Export(chosen, cut, WRITERS[chosen.name](rows, cut))


# A spreadsheet runs a cell that starts like a formula (OWASP, "CSV injection"); a leading
# apostrophe makes it text. Sulh writes numbers itself, so only text cells can start so.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARACTERS = "".join(FORMULA_START)


def neutralise(value: Any) -> Any:
    """A text cell made safe to open in a spreadsheet; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_chunks(rows: Iterable[IncidentRow], cut: Cut | None = None) -> Iterator[str]:
    """ACLED's columns then Sulh's, one header row (the cut travels beside the file)."""
    yield _csv_text([NAMES])
    yield from _csv_rows(rows)


def hxl_chunks(rows: Iterable[IncidentRow], cut: Cut) -> Iterator[str]:
    """A row naming the cut, the text header row, the HXL hashtag row, then the rows."""
    about = json.dumps(cut.as_dict(), ensure_ascii=False, separators=(",", ":"))
    yield _csv_text([[cut.describe(), about], NAMES, HASHTAGS])
    yield from _csv_rows(rows)


def _csv_rows(rows: Iterable[IncidentRow]) -> Iterator[str]:
    source = iter(rows)
    while batch := list(islice(source, BATCH)):
        yield _csv_text([_safe(cells(row)) for row in batch])


def _safe(values: list[Any]) -> list[Any]:
    """`neutralise` on the text columns, written out: it runs on every row."""
    for i in TEXT:
        value = values[i]
        if value and value[0] in _FORMULA_CHARACTERS:
            values[i] = "'" + value
    return values


def _csv_text(lines: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)  # RFC 4180: CRLF, quotes only where needed
    return buffer.getvalue()


Writer = Callable[[Iterable[IncidentRow], Cut], Iterator[str]]
WRITERS: dict[str, Writer] = {"csv": csv_chunks, "geojson": geojson_chunks, "hxl": hxl_chunks}
