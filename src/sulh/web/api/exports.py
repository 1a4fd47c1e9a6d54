"""Exports of incidents: ACLED-shaped CSV, GeoJSON and HXL, streamed, at the caller's tier."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse

from sulh.outputs.exports import Export, export_incidents
from sulh.web.deps import LogDep, ReaderDep, StoreDep

router = APIRouter(tags=["exports"])

_TEXT = {"schema": {"type": "string"}}
_HEADERS = {
    "Sulh-Log-Size": {
        "description": "The cut: the export shows what the first N log entries made.",
        "schema": {"type": "integer"},
    },
    "Sulh-Checkpoint-Size": {
        "description": "The size of the signed checkpoint cited (absent while unsigned).",
        "schema": {"type": "integer"},
    },
    "Sulh-Checkpoint": {
        "description": "That checkpoint's signed note, base64 (absent while unsigned).",
        "schema": {"type": "string"},
    },
}
EXPORT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": _TEXT, "application/geo+json": _TEXT},
        "description": "The incidents the caller may see, as CSV (csv, hxl.csv) or GeoJSON.",
        "headers": _HEADERS,
    }
}


@router.get("/exports/incidents.{fmt}", response_class=StreamingResponse, responses=EXPORT)
def get_incidents_export(
    fmt: Annotated[str, Path(description="csv (ACLED's columns), geojson, or hxl.csv.")],
    store: StoreDep,
    log: LogDep,
    reader: ReaderDep,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
) -> StreamingResponse:
    """Every incident the caller may see whose days meet [from, to], streamed from one read
    of the record; the cut it was made from is in the Sulh-* headers (docs/exports.md)."""
    held = ExitStack()
    try:
        session = held.enter_context(store.snapshot())
        export = export_incidents(
            session=session, log=log, reader=reader, format=fmt, first=first, last=last
        )
    except BaseException:
        held.close()
        raise
    return StreamingResponse(
        _then_close(export.chunks, held),
        media_type=export.format.media_type,
        headers=_headers(export),
    )


def _then_close(chunks: Iterator[str], held: ExitStack) -> Iterator[str]:
    # The read stays open while the response streams, and ends with it.
    with held:
        yield from chunks


def _headers(export: Export) -> dict[str, str]:
    cut = export.cut
    headers = {
        "Content-Disposition": f'attachment; filename="{export.filename}"',
        "Sulh-Log-Size": str(cut.log_size),
    }
    if cut.checkpoint_size is not None and cut.checkpoint_note is not None:
        headers["Sulh-Checkpoint-Size"] = str(cut.checkpoint_size)
        headers["Sulh-Checkpoint"] = base64.b64encode(cut.checkpoint_note.encode()).decode()
    return headers
