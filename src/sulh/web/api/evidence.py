"""Evidence files of reports: upload, list, download."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse

from sulh.evidence import (
    EvidenceList,
    Locker,
    add_evidence,
    evidence_for,
    evidence_view,
    open_evidence,
)
from sulh.evidence.custody import Custody, custody_of, prov_json, record_custody
from sulh.store.tables import Evidence
from sulh.web.deps import ReaderDep, StoreDep

router = APIRouter(tags=["evidence"])
# Uploads have a body limit of their own (see body_limits in web/api/__init__.py).
UPLOAD = "/reports/{report_id}/evidence"
FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        "description": "The file's bytes, as the media type sniffed from them.",
    }
}


def get_locker(request: Request) -> Locker:
    locker: Locker = request.app.state.locker
    return locker


LockerDep = Annotated[Locker, Depends(get_locker)]
ReportId = Annotated[int, Path(ge=1)]


def _read(upload: UploadFile, limit: int) -> bytes:
    # One byte past the limit is enough to refuse the file; the rest need not be read.
    return upload.file.read(limit + 1)


@router.post(UPLOAD, response_model=EvidenceList, status_code=201)
def post_evidence(
    report_id: ReportId,
    file: Annotated[
        list[UploadFile], File(description="One or more files: repeat the field for each.")
    ],
    store: StoreDep,
    reader: ReaderDep,
    locker: LockerDep,
) -> EvidenceList:
    """Attach files to a report (multipart/form-data, field `file`); all are kept, or none.

    Each file's type is found from its bytes. Each item carries `log_index`, its receipt.
    """
    contents = [_read(upload, locker.max_bytes) for upload in file]  # before the write begins
    with store.write(reader) as writer:
        rows = [
            add_evidence(
                writer=writer,
                actor=reader,
                locker=locker,
                report_id=report_id,
                filename=upload.filename or "",
                data=data,
                declared_type=upload.content_type,
            )
            for upload, data in zip(file, contents, strict=True)
        ]
    return EvidenceList(items=[evidence_view(r, log_index=writer.index_of(r)) for r in rows])


@router.get(UPLOAD, response_model=EvidenceList)
def get_evidence_list(report_id: ReportId, store: StoreDep, reader: ReaderDep) -> EvidenceList:
    with store.read() as session:
        return EvidenceList(
            items=[evidence_view(r) for r in evidence_for(session, reader, report_id)]
        )


@router.get("/evidence/{evidence_id}", response_class=FileResponse, responses=FILE)
def get_evidence_file(
    evidence_id: Annotated[int, Path(ge=1)], store: StoreDep, reader: ReaderDep, locker: LockerDep
) -> FileResponse:
    """The file, always as a download, and never sniffed or run by the browser."""
    with store.read() as session:
        row, path = open_evidence(session, reader, evidence_id, locker=locker)
    with store.write(reader) as writer:
        record_custody(
            writer=writer,
            actor=reader,
            evidence=row,
            kind="downloaded",
            reason="downloaded over the API",
        )
    return download(row, path)


@router.get("/evidence/{sha256}/custody", response_model=Custody)
def get_custody(
    sha256: Annotated[str, Path(pattern="^[0-9a-f]{64}$")],
    store: StoreDep,
    reader: ReaderDep,
    format: Annotated[Literal["json", "prov"], Query()] = "json",
) -> Any:
    """The file's chain of custody: uploaded, downloaded… with who, when and why; with
    `format=prov`, as W3C PROV-JSON."""
    with store.read() as session:
        custody = custody_of(session, reader, sha256)
    return JSONResponse(prov_json(custody)) if format == "prov" else custody


def download(row: Evidence, path: FilePath) -> FileResponse:
    """A stored file as a download the browser will neither sniff nor run."""
    return FileResponse(
        path,
        media_type=row.media_type,
        filename=row.filename,
        content_disposition_type="attachment",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
