"""Evidence files of reports: upload, list, download."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from sulh.access.roles import Principal
from sulh.errors import Invalid
from sulh.evidence import (
    EvidenceList,
    EvidenceMarkCreate,
    EvidenceMarkPublic,
    EvidencePublic,
    Locker,
    Received,
    Served,
    add_evidence,
    copies_of,
    evidence_for,
    evidence_view,
    mark_evidence,
    open_evidence,
    received_files,
    sha256_of_digest,
)
from sulh.evidence.custody import Custody, custody_of, prov_json, record_custody
from sulh.evidence.names import MAX_NAME
from sulh.store import Store
from sulh.web.deps import ReaderDep, StoreDep

router = APIRouter(tags=["evidence"])
# Uploads have a body limit of their own (see body_limits in web/api/__init__.py).
UPLOAD = "/reports/{report_id}/evidence"
RAW = "/reports/{report_id}/evidence/{filename}"
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


@router.post(UPLOAD, response_model=EvidenceList, status_code=201)
def post_evidence(
    report_id: ReportId,
    file: Annotated[
        list[UploadFile], File(description="One or more files: repeat the field for each.")
    ],
    store: StoreDep,
    reader: ReaderDep,
    locker: LockerDep,
    sha256: Annotated[
        list[str] | None,
        Form(
            description="The sender's SHA-256 of each file, in hex and in the files' order "
            "(optional); a file whose bytes do not match is refused."
        ),
    ] = None,
) -> EvidenceList:
    """Attach files to a report (multipart/form-data, field `file`); all are kept, or none.

    Each file is streamed to disk and hashed as it arrives; its type is found from its
    bytes. Each item carries `log_index`, its receipt.
    """
    hashes = _client_hashes(sha256, len(file))
    with received_files() as received:
        for upload, client in zip(file, hashes, strict=True):
            received.append(locker.receive(upload.file, upload.filename, client_sha256=client))
        rows = _attach(store, reader, locker, report_id, received, [u.content_type for u in file])
    return EvidenceList(items=rows)


@router.put(RAW, response_model=EvidenceList, status_code=201)
async def put_evidence(
    report_id: ReportId,
    filename: Annotated[str, Path(max_length=MAX_NAME)],
    request: Request,
    store: StoreDep,
    reader: ReaderDep,
    locker: LockerDep,
    content_digest: Annotated[
        str | None,
        Header(description="RFC 9530 digest of the body, e.g. sha-256=:base64…: (optional)."),
    ] = None,
) -> EvidenceList:
    """Attach one file sent as the raw request body, streamed to disk as it arrives; the
    simplest way to send a large file. The body's type is found from its bytes."""
    client = sha256_of_digest(content_digest)
    with received_files() as received:
        with locker.spool.incoming(filename, client_sha256=client) as incoming:
            async for chunk in request.stream():
                incoming.write(chunk)
            received.append(incoming.finish())
        declared = request.headers.get("content-type")
        return await run_in_threadpool(
            lambda: EvidenceList(
                items=_attach(store, reader, locker, report_id, received, [declared])
            )
        )


def _attach(
    store: Store,
    reader: Principal,
    locker: Locker,
    report_id: int,
    received: list[Received],
    declared: list[str | None],
) -> list[EvidencePublic]:
    with store.write(reader) as writer:
        rows = [
            add_evidence(
                writer=writer,
                actor=reader,
                locker=locker,
                report_id=report_id,
                received=one,
                declared_type=declared_type,
            )
            for one, declared_type in zip(received, declared, strict=True)
        ]
    return [evidence_view(r, log_index=writer.index_of(r)) for r in rows]


def _client_hashes(values: list[str] | None, files: int) -> list[str | None]:
    if not values:
        return [None] * files
    if len(values) != files:
        raise Invalid(
            f"sha256: send one hash per file, in the files' order ({files} files, "
            f"{len(values)} hashes)."
        )
    return [value or None for value in values]


@router.get(UPLOAD, response_model=EvidenceList)
def get_evidence_list(report_id: ReportId, store: StoreDep, reader: ReaderDep) -> EvidenceList:
    with store.read() as session:
        rows = evidence_for(session, reader, report_id)
        copies = copies_of(session, [r.id for r in rows])
    return EvidenceList(items=[evidence_view(r, copies=copies[r.id]) for r in rows])


@router.get("/evidence/{evidence_id}", response_class=FileResponse, responses=FILE)
def get_evidence_file(
    evidence_id: Annotated[int, Path(ge=1)],
    store: StoreDep,
    reader: ReaderDep,
    locker: LockerDep,
    copy: Annotated[
        Literal["original", "redacted", "preview", "thumbnail"] | None,
        Query(
            description="Which copy: the original (internal tier only), the redacted copy "
            "(without GPS, device or names), or an image's preview or thumbnail. By default, "
            "the original inside the internal tier and the redacted copy beyond it."
        ),
    ] = None,
) -> FileResponse:
    """The file, always as a download, and never sniffed or run by the browser. The
    `X-Sulh-Copy` and `X-Sulh-SHA256` headers say which copy was served."""
    return serve_evidence(store, reader, locker, evidence_id, copy, place="over the API")


@router.post("/evidence/{evidence_id}/mark", response_model=EvidenceMarkPublic)
def post_evidence_mark(
    evidence_id: Annotated[int, Path(ge=1)],
    body: EvidenceMarkCreate,
    store: StoreDep,
    reader: ReaderDep,
) -> EvidenceMarkPublic:
    """Keep a file inside the internal tier whatever its report's tier (analysts, admins),
    or let it out again with `internal_only: false`; the reason goes in the log."""
    with store.write(reader) as writer:
        row = mark_evidence(
            writer=writer,
            actor=reader,
            evidence_id=evidence_id,
            internal_only=body.internal_only,
            reason=body.reason,
        )
    return EvidenceMarkPublic(
        evidence_id=row.evidence_id,
        internal_only=row.internal_only,
        reason=row.reason,
        marked_at=row.marked_at,
        log_index=writer.index_of(row),
    )


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


def serve_evidence(
    store: Store,
    reader: Principal,
    locker: Locker,
    evidence_id: int,
    kind: str | None,
    *,
    place: str,
) -> FileResponse:
    """The file or copy `reader` may have, its serving a link in the file's custody."""
    with store.read() as session:
        served = open_evidence(session, reader, evidence_id, locker=locker, kind=kind)
    seen = "viewed" if served.kind in ("preview", "thumbnail") else "downloaded"
    try:
        with store.write(reader) as writer:
            record_custody(
                writer=writer,
                actor=reader,
                evidence=served.evidence,
                kind=seen,
                reason=f"{served.kind} {served.sha256} {seen} {place}",
            )
    except BaseException:
        served.local.done()
        raise
    return download(served)


def download(served: Served) -> FileResponse:
    """A stored file as a download the browser will neither sniff nor run."""
    return FileResponse(
        served.local.path,
        media_type=served.media_type,
        filename=served.filename,
        content_disposition_type="attachment",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "X-Sulh-Copy": served.kind,
            "X-Sulh-SHA256": served.sha256,
        },
        background=BackgroundTask(served.local.done) if served.local.temporary else None,
    )
