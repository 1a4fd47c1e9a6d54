"""The evidence locker: files by SHA-256, types from the bytes, refusals that leave nothing."""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from pypdf import PdfWriter
from sqlalchemy import func, inspect, select, text

from sulh.access import Principal
from sulh.config import Settings
from sulh.errors import Duplicate, Forbidden, Invalid, NotFound, TooLarge
from sulh.evidence import (
    DiskLocker,
    Locker,
    LockerDamaged,
    Received,
    add_evidence,
    evidence_for,
    open_evidence,
    release,
    sniff,
)
from sulh.evidence.media import declared
from sulh.evidence.names import clean_filename
from sulh.intake import ReportCreate, file_report
from sulh.ledger.audit import audit
from sulh.store import Store, make_engine, upgrade
from sulh.store.migrate import alembic_config
from sulh.store.tables import Evidence, Incident, LogEntry, Report
from sulh.web import create_app
from tests.conftest import Actors, make_report
from tests.flow import move, ok


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiny_png(rgb: tuple[int, int, int] = (255, 0, 0)) -> bytes:
    """A 1×1 PNG of one colour."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00" + bytes(rgb))  # filter byte, then the pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def tiny_jpeg() -> bytes:
    """An 8×8 mid-grey baseline JPEG: one block whose DC difference and AC are all zero."""
    one_code = bytes([1] + [0] * 15) + b"\x00"  # a single 1-bit code, for symbol 0
    return b"".join(
        [
            b"\xff\xd8",
            b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
            b"\xff\xdb\x00\x43\x00" + b"\x01" * 64,
            b"\xff\xc0\x00\x0b\x08\x00\x08\x00\x08\x01\x01\x11\x00",
            b"\xff\xc4\x00\x14\x00" + one_code,  # DC table 0
            b"\xff\xc4\x00\x14\x10" + one_code,  # AC table 0: symbol 0 is end-of-block
            b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00",
            b"\x3f",  # bits 0 (DC category 0), 0 (end of block), padded with ones
            b"\xff\xd9",
        ]
    )


def _pdf() -> bytes:
    """A small, well-formed one-page PDF (the locker refuses malformed ones)."""
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _pdf()


# Media types and names, without a database ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (tiny_jpeg(), "image/jpeg"),
        (tiny_png(), "image/png"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (PDF, "application/pdf"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "video/mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00", "video/quicktime"),
        (b"\x00\x00\x00\x08moov", "video/quicktime"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
        (b"\xff\xfb\x90\x64" + b"\x00" * 8, "audio/mpeg"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"OggS\x00\x02" + b"\x00" * 8, "audio/ogg"),
        ("Ахмад: «رأيت الطائرة»\n".encode(), "text/plain"),
        (b"\x00\x00\x00\x18ftypheic", "image/heic"),
        (b"text with a \x00 inside", "application/octet-stream"),
        (b"\xc3\x28 not UTF-8", "application/octet-stream"),
    ],
)
def test_media_type_comes_from_the_bytes(data: bytes, media_type: str) -> None:
    assert sniff(data) == media_type


def test_declared_type_is_kept_without_parameters_or_controls() -> None:
    assert declared("Image/JPEG; charset=binary") == "image/jpeg"
    assert declared("image/\x00png\n") == "image/png"
    assert declared("") is None and declared(None) is None
    assert len(declared("x/" + "y" * 500) or "") == 100


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("photo.jpg", "photo.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Desktop\\strike.png", "strike.png"),
        ("bad\x00name\r\n.pdf", "badname.pdf"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("عکس\u200cها.jpg", "عکس\u200cها.jpg"),  # Dari's zero-width non-joiner stays
        ("..", "evidence.png"),
        ("dir/", "evidence.png"),
        ("", "evidence.png"),
    ],
)
def test_filenames_lose_path_parts_and_control_characters(given: str, kept: str) -> None:
    assert clean_filename(given, fallback="evidence.png") == kept


def test_long_filenames_keep_their_extension() -> None:
    name = clean_filename("a" * 300 + ".jpeg", fallback="x")
    assert len(name) == 200 and name.endswith("a.jpeg")
    assert clean_filename("b" * 300, fallback="x") == "b" * 200


# The locker on disk ---------------------------------------------------------------------------


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def receive(locker: Locker, data: bytes, name: str = "photo.png", **kw: Any) -> Received:
    return locker.receive(io.BytesIO(data), name, **kw)


def test_locker_stores_the_same_bytes_once_and_whole(tmp_path: Path) -> None:
    locker = DiskLocker(tmp_path / "locker", max_bytes=1000)
    first = locker.keep(receive(locker, tiny_png()))
    again = locker.keep(receive(locker, tiny_png()))
    path = locker.path_of(first.sha256)
    assert first.created and not again.created and first.sha256 == again.sha256
    assert _files(tmp_path / "locker") == [path]  # no temporary file left behind
    assert path.read_bytes() == tiny_png()
    assert path.relative_to(locker.root).parts == (
        first.sha256[:2],
        first.sha256[2:4],
        first.sha256,
    )
    assert path.stat().st_mode & 0o222 == 0  # read-only: the original is written once
    assert locker.verified(first.sha256).path == path


def test_locker_notices_a_file_altered_or_lost(tmp_path: Path) -> None:
    locker = DiskLocker(tmp_path / "locker", max_bytes=1000)
    stored = locker.keep(receive(locker, tiny_png()))
    path = locker.path_of(stored.sha256)
    path.chmod(0o640)
    path.write_bytes(tiny_png((0, 0, 255)))
    with pytest.raises(LockerDamaged, match="altered"):
        locker.verified(stored.sha256)
    path.unlink()
    with pytest.raises(LockerDamaged, match="missing"):
        locker.verified(stored.sha256)


def test_a_file_is_received_in_chunks_and_refused_at_the_first_byte_too_many(
    tmp_path: Path,
) -> None:
    locker = DiskLocker(tmp_path / "locker", max_bytes=1000)
    with locker.spool.incoming("big.png") as incoming:
        incoming.write(b"\x00" * 600)
        with pytest.raises(TooLarge, match="File 'big.png' is larger than the 1000 bytes"):
            incoming.write(b"\x00" * 600)
    assert _files(tmp_path / "locker") == []


def test_a_sender_hash_that_does_not_match_refuses_the_file(tmp_path: Path) -> None:
    locker = DiskLocker(tmp_path / "locker", max_bytes=1000)
    good = hashlib.sha256(tiny_png()).hexdigest()
    received = receive(locker, tiny_png(), client_sha256=good.upper())
    assert received.client_sha256 == received.sha256 == good
    release(received)
    other = hashlib.sha256(b"something else").hexdigest()
    with pytest.raises(Invalid, match=f"arrived with SHA-256 {good}, not the {other}"):
        receive(locker, tiny_png(), client_sha256=other)
    with pytest.raises(Invalid, match="not 64 hexadecimal digits"):
        receive(locker, tiny_png(), client_sha256="abc")
    assert _files(tmp_path / "locker") == []


def test_an_upload_that_breaks_off_leaves_no_partial_file(tmp_path: Path) -> None:
    locker = DiskLocker(tmp_path / "locker", max_bytes=10_000)

    class CutOff(io.RawIOBase):
        def __init__(self) -> None:
            self.sent = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            if self.sent >= 3:
                raise ConnectionResetError("the sender went away")
            self.sent += 1
            buffer[:100] = b"\x00" * 100
            return 100

    with pytest.raises(ConnectionResetError):
        locker.receive(io.BufferedReader(CutOff(), buffer_size=100), "half.png")
    assert _files(tmp_path / "locker") == []


@pytest.mark.parametrize("name", ["../etc/passwd", "dir/photo.jpg", "C:\\photos\\a.jpg", ".."])
def test_a_name_with_a_path_is_refused(tmp_path: Path, name: str) -> None:
    locker = DiskLocker(tmp_path / "locker", max_bytes=1000)
    with pytest.raises(Invalid, match="contains a path; send the file's own name alone"):
        receive(locker, tiny_png(), name)
    assert _files(tmp_path / "locker") == []


# Adding evidence in the record ------------------------------------------------------------------


@pytest.fixture
def locker(tmp_path: Path) -> DiskLocker:
    return DiskLocker(tmp_path / "evidence-locker", max_bytes=10_000)


def _file(store: Store, actor: Principal, **overrides: Any) -> Report:
    with store.write(actor) as writer:
        return file_report(
            writer=writer, actor=actor, data=ReportCreate.model_validate(make_report(**overrides))
        )


def _add(store: Store, actor: Principal, locker: Locker, report_id: int, **kw: Any) -> Evidence:
    received = receive(locker, kw.pop("data", tiny_png()), kw.pop("filename", "photo.png"))
    try:
        with store.write(actor) as writer:
            row = add_evidence(
                writer=writer,
                actor=actor,
                locker=locker,
                report_id=report_id,
                received=received,
                **kw,
            )
    finally:
        release(received)
    return row


def _written(store: Store, locker: Locker) -> tuple[int, int, int]:
    with store.read() as session:
        rows = session.scalar(select(func.count(Evidence.id))) or 0
        entries = session.scalar(select(func.count(LogEntry.idx))) or 0
    return rows, entries, len(_files(locker.root))


def test_added_file_is_stored_logged_and_listed(
    store: Store, actors: Actors, locker: Locker
) -> None:
    report = _file(store, actors["analyst"])
    row = _add(store, actors["analyst"], locker, report.id, declared_type="image/png")
    assert (row.media_type, row.declared_type, row.size) == ("image/png", "image/png", 69)
    assert row.tier == report.tier == "public" and row.added_by == actors["analyst"].user_id
    assert locker.path_of(row.sha256).read_bytes() == tiny_png()
    with store.read() as session:
        entry = session.scalars(
            select(LogEntry).where(LogEntry.record_type == "evidence", LogEntry.record_id == row.id)
        ).one()
        assert [e.id for e in evidence_for(session, actors["observer"], report.id)] == [row.id]
    logged = json.loads(entry.data)
    assert logged["type"] == "evidence.added" and logged["actor"] == "analyst"
    assert logged["public"] == {
        "id": row.id,
        "report_id": report.id,
        "added_at": logged["time"],
        "tier": "public",
    }
    assert {"sha256", "filename", "media_type"} <= set(logged["sealed"])
    assert audit(store, log_key=None, workers=1).clean


def test_same_bytes_on_two_reports_are_stored_once(
    store: Store, actors: Actors, locker: Locker
) -> None:
    first = _file(store, actors["analyst"], source="Paper One")
    second = _file(store, actors["analyst"], source="Paper Two")
    a = _add(store, actors["analyst"], locker, first.id, data=tiny_jpeg(), filename="a.jpg")
    b = _add(store, actors["analyst"], locker, second.id, data=tiny_jpeg(), filename="b.jpg")
    assert a.sha256 == b.sha256 and a.id != b.id and a.media_type == "image/jpeg"
    kept = _files(locker.root)
    assert locker.path_of(a.sha256) in kept and len(kept) == 2  # the photo and its thumbnail
    with pytest.raises(Duplicate, match=r"already attached to report \d+ \(evidence"):
        _add(store, actors["analyst"], locker, first.id, data=tiny_jpeg(), filename="c.jpg")
    assert _files(locker.root) == kept  # still there: b needs them


def test_a_disguised_file_is_recorded_as_what_it_is(
    store: Store, actors: Actors, locker: Locker
) -> None:
    report = _file(store, actors["analyst"])
    row = _add(
        store, actors["analyst"], locker, report.id, data=PDF, filename="x.jpg",
        declared_type="image/jpeg",
    )  # fmt: skip
    assert (row.media_type, row.declared_type, row.filename) == (
        "application/pdf",
        "image/jpeg",
        "x.jpg",
    )


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", Invalid, "File 'bad.png' is empty."),
        (tiny_png() + b"\x00" * 10_000, TooLarge, "larger than the 10000 bytes allowed"),
        (b"\x7fELF\x02\x01\x01\x00", Invalid, "type the locker does not accept"),
    ],
    ids=["empty", "too-large", "not-accepted"],
)
def test_refused_files_leave_nothing_behind(
    store: Store,
    actors: Actors,
    locker: Locker,
    data: bytes,
    error: type[Exception],
    message: str,
) -> None:
    report = _file(store, actors["analyst"])
    before = _written(store, locker)
    with pytest.raises(error, match=re.escape(message)) as caught:
        _add(store, actors["analyst"], locker, report.id, data=data, filename="bad.png")
    assert "'bad.png'" in str(caught.value)
    assert _written(store, locker) == before


def test_a_write_that_does_not_commit_takes_its_file_back(
    store: Store, actors: Actors, locker: Locker
) -> None:
    report = _file(store, actors["analyst"])
    before = _written(store, locker)
    received = receive(locker, tiny_png())
    with pytest.raises(RuntimeError), store.write(actors["analyst"]) as writer:
        add_evidence(
            writer=writer,
            actor=actors["analyst"],
            locker=locker,
            report_id=report.id,
            received=received,
        )
        assert len(_files(locker.root)) == 2  # the photo and its thumbnail
        raise RuntimeError("something later in the same write fails")
    assert _written(store, locker) == before == (0, before[1], 0)


def test_only_the_filer_and_staff_add_evidence(
    store: Store, actors: Actors, locker: Locker
) -> None:
    observed = _file(store, actors["analyst"], kind="observation", source=None)  # internal
    public = _file(store, actors["analyst"])
    _add(store, actors["monitor"], locker, observed.id)
    _add(store, actors["admin"], locker, observed.id, data=tiny_jpeg())
    with pytest.raises(NotFound, match=f"Report {observed.id} does not exist or is not visible"):
        _add(store, actors["guarantor"], locker, observed.id, data=PDF)
    with pytest.raises(Forbidden, match=f"Only the filer of report {public.id}"):
        _add(store, actors["observer"], locker, public.id, data=PDF)
    with pytest.raises(NotFound):
        _add(store, actors["analyst"], locker, 999)
    assert _written(store, locker)[0] == 2


def test_readers_see_files_only_of_reports_they_see(
    store: Store, actors: Actors, locker: Locker
) -> None:
    observed = _file(store, actors["analyst"], kind="observation", source=None)
    row = _add(store, actors["monitor"], locker, observed.id)
    with store.read() as session:
        for name in ("guarantor", "observer", "liaison_pk"):
            with pytest.raises(NotFound):
                evidence_for(session, actors[name], observed.id)
            with pytest.raises(NotFound, match=f"Evidence {row.id} does not exist"):
                open_evidence(session, actors[name], row.id, locker=locker, kind=None)
        served = open_evidence(session, actors["analyst"], row.id, locker=locker, kind=None)
    assert served.evidence.id == row.id and served.kind == "original"
    assert served.local.path.read_bytes() == tiny_png()


def _two_paper_incident(store: Store, actors: Actors) -> tuple[Report, int]:
    first = _file(store, actors["analyst"], source="Kabul Daily")
    _file(store, actors["analyst"], source="Quetta Herald")
    with store.read() as session:
        incidents = session.scalars(select(Incident)).all()
    assert len(incidents) == 1 and incidents[0].confidence_rule == "F1-two-sources"
    return first, incidents[0].id


def test_evidence_on_a_report_regrades_its_incident(
    store: Store, actors: Actors, locker: Locker
) -> None:
    report, incident_id = _two_paper_incident(store, actors)
    row = _add(store, actors["analyst"], locker, report.id)
    with store.read() as session:
        incident = session.get(Incident, incident_id)
        added = session.scalars(
            select(LogEntry.idx).where(
                LogEntry.record_type == "evidence", LogEntry.record_id == row.id
            )
        ).one()
        after = session.scalars(select(LogEntry.data).where(LogEntry.idx > added)).all()
    assert incident is not None
    assert (incident.confidence, incident.confidence_rule) == ("confirmed", "C2-evidence")
    assert incident.confidence_reason == "1 evidence file(s) and 2 independent sources"
    # The same write: what the file says about itself, its first links of custody, its
    # copies (a PNG with nothing to strip, so the redacted copy has the same bytes), the regrade.
    assert [json.loads(data)["type"] for data in after] == [
        "evidence.described",
        "custody.collected",
        "custody.uploaded",
        "evidence.derived",
        "custody.derived",
        "evidence.derived",
        "custody.derived",
        "incident.graded",
    ]


# Over HTTP ------------------------------------------------------------------------------------


def _upload(
    client: TestClient, actors: Actors, who: str, report_id: int, *files: tuple[str, bytes, str]
) -> Any:
    return client.post(
        f"/api/v1/reports/{report_id}/evidence",
        headers=actors.headers(who),
        files=[("file", file) for file in files],
    )


def _report(client: TestClient, actors: Actors, who: str = "analyst", **overrides: Any) -> int:
    body = make_report(**overrides)
    report_id: int = ok(
        client.post("/api/v1/reports", headers=actors.headers(who), json=body), 201
    )["id"]
    return report_id


def test_upload_then_download_gives_back_the_same_bytes(
    client: TestClient, actors: Actors, tmp_path: Path
) -> None:
    report_id = _report(client, actors)
    stored = ok(
        _upload(
            client,
            actors,
            "analyst",
            report_id,
            ("strike.png", tiny_png(), "image/png"),
            ("دود.jpg", tiny_jpeg(), "application/octet-stream"),
        ),
        201,
    )["items"]
    assert [(s["filename"], s["media_type"]) for s in stored] == [
        ("strike.png", "image/png"),
        ("دود.jpg", "image/jpeg"),
    ]
    # Each file, what it says about itself, its first links of custody, its two copies.
    assert stored[0]["log_index"] + 8 == stored[1]["log_index"]
    assert stored[0]["copies"] == []  # listed with the file, not in the upload's answer
    assert (tmp_path / "locker").is_dir()  # <data dir>/locker, the default
    listed = ok(
        client.get(f"/api/v1/reports/{report_id}/evidence", headers=actors.headers("public"))
    )
    assert [i["id"] for i in listed["items"]] == [s["id"] for s in stored]
    assert [i["copies"] for i in listed["items"]] == [["redacted", "thumbnail"]] * 2
    for item, data in zip(stored, (tiny_png(), tiny_jpeg()), strict=True):
        got = client.get(f"/api/v1/evidence/{item['id']}", headers=actors.headers("observer"))
        # Beyond the internal tier, the redacted copy: here the same bytes, nothing to strip.
        assert got.status_code == 200 and got.content == data
        assert got.headers["x-sulh-copy"] == "redacted"
        assert got.headers["content-type"] == item["media_type"]
        assert got.headers["content-disposition"].startswith("attachment;")
        assert got.headers["x-content-type-options"] == "nosniff"
    assert "filename*=utf-8''%D8%AF%D9%88%D8%AF.redacted.jpg" in got.headers["content-disposition"]


def test_a_reader_who_cannot_see_the_report_gets_404(client: TestClient, actors: Actors) -> None:
    report_id = _report(client, actors, "monitor", kind="observation", source=None)
    item = ok(
        _upload(client, actors, "monitor", report_id, ("a.png", tiny_png(), "image/png")), 201
    )
    evidence_id = item["items"][0]["id"]
    for who in ("public", "guarantor", "observer", "liaison_af", "liaison_pk"):
        for path in (f"/api/v1/reports/{report_id}/evidence", f"/api/v1/evidence/{evidence_id}"):
            response = client.get(path, headers=actors.headers(who))
            assert response.status_code == 404, (who, path)
            assert set(response.json()) == {"error"}
        refused = _upload(client, actors, who, report_id, ("b.png", tiny_jpeg(), "image/jpeg"))
        assert refused.status_code == 404, who


def test_a_liaison_adds_evidence_to_its_own_complaint_only(
    client: TestClient, actors: Actors
) -> None:
    complaint = _report(client, actors, "liaison_af", kind="complaint", source=None)
    photo = ("roof.png", tiny_png(), "image/png")
    ok(_upload(client, actors, "liaison_af", complaint, photo), 201)
    refused = _upload(client, actors, "liaison_pk", complaint, photo)  # sees it, did not file it
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        f"Only the filer of report {complaint} and mechanism staff may add evidence to it."
    )
    for who in ("liaison_pk", "observer", "guarantor"):
        listed = client.get(f"/api/v1/reports/{complaint}/evidence", headers=actors.headers(who))
        assert [i["filename"] for i in ok(listed)["items"]] == ["roof.png"], who


def test_the_accused_party_sees_the_allegation_but_not_its_files(
    client: TestClient, actors: Actors
) -> None:
    observed = ok(
        client.post(
            "/api/v1/reports",
            headers=actors.headers("analyst"),
            json=make_report(kind="observation", source=None),
        ),
        201,
    )
    item = ok(_upload(client, actors, "analyst", observed["id"], ("a.png", tiny_png(), "")), 201)
    incident = ok(
        client.get(f"/api/v1/incidents/{observed['incident_id']}", headers=actors.headers("admin"))
    )
    move(client, actors, incident["case"]["id"], "triaged")
    liaison = actors.headers("liaison_pk")
    ok(client.get(f"/api/v1/reports/{observed['id']}", headers=liaison))
    listed = client.get(f"/api/v1/reports/{observed['id']}/evidence", headers=liaison)
    assert ok(listed)["items"] == []
    fetched = client.get(f"/api/v1/evidence/{item['items'][0]['id']}", headers=liaison)
    assert fetched.status_code == 404


def test_one_bad_file_refuses_the_whole_upload(
    client: TestClient, actors: Actors, store: Store, tmp_path: Path
) -> None:
    report_id = _report(client, actors)
    response = _upload(
        client,
        actors,
        "analyst",
        report_id,
        ("good.png", tiny_png(), "image/png"),
        ("empty.jpg", b"", "image/jpeg"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"] == "File 'empty.jpg' is empty."
    with store.read() as session:
        assert session.scalar(select(func.count(Evidence.id))) == 0
    assert _files(tmp_path / "locker") == []


def test_uploads_have_their_own_body_limit(client: TestClient, actors: Actors) -> None:
    """Over the 1 MiB JSON limit, within the 25 MiB evidence one."""
    report_id = _report(client, actors)
    photo = tiny_png() + b"\x00" * (1024 * 1024 + 10)  # trailing bytes after IEND
    item = ok(_upload(client, actors, "analyst", report_id, ("big.png", photo, "image/png")), 201)
    assert item["items"][0]["size"] == len(photo)
    big_json = make_report(text="x" * (1024 * 1024 + 10))
    response = client.post("/api/v1/reports", headers=actors.headers("analyst"), json=big_json)
    assert response.status_code == 413


@pytest.fixture
def small_client(store: Store, tmp_path: Path, actors: Actors) -> Iterator[TestClient]:
    settings = Settings.load(
        environ={"SULH_FUSION": "inline", "SULH_MAX_EVIDENCE_BYTES": "1000"},
        data_dir=tmp_path,
        locker_dir=tmp_path / "small-locker",
    )
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


def test_an_oversize_file_is_refused_by_name_with_nothing_written(
    small_client: TestClient, actors: Actors, store: Store, tmp_path: Path
) -> None:
    report = ok(
        small_client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()),
        201,
    )
    big = tiny_png() + b"\x00" * 1000
    response = _upload(small_client, actors, "analyst", report["id"], ("big.png", big, "image/png"))
    assert response.status_code == 413
    assert response.json()["error"]["message"] == (
        "File 'big.png' is larger than the 1000 bytes allowed (SULH_MAX_EVIDENCE_BYTES)."
    )
    huge = b"\x00" * (1024 * 1024 + 2000)  # past the upload's whole allowance
    response = _upload(small_client, actors, "analyst", report["id"], ("h.png", huge, "image/png"))
    assert response.status_code == 413 and "request body" in response.json()["error"]["message"]
    with store.read() as session:
        assert session.scalar(select(func.count(Evidence.id))) == 0
    assert _files(tmp_path / "small-locker") == []


# Who may call each endpoint (the rules to add to tests/test_access.py's matrix).
ENDPOINT_RULES: dict[str, tuple[dict[str, int], int]] = {
    "POST /api/v1/reports/{report_id}/evidence": (
        {"admin": 201, "analyst": 201, "monitor": 201},
        404,
    ),
    "GET /api/v1/reports/{report_id}/evidence": (
        {"admin": 200, "analyst": 200, "monitor": 200},
        404,
    ),
    "PUT /api/v1/reports/{report_id}/evidence/{filename}": (
        {"admin": 201, "analyst": 201, "monitor": 201},
        404,
    ),
    "GET /api/v1/evidence/{evidence_id}": ({"admin": 200, "analyst": 200, "monitor": 200}, 404),
    "POST /api/v1/evidence/{evidence_id}/mark": (
        {"admin": 200, "analyst": 200, "public": 401},
        403,
    ),
}
ROLES = (
    "public",
    "admin",
    "analyst",
    "monitor",
    "guarantor",
    "observer",
    "liaison_pk",
    "liaison_af",
)


def test_every_role_on_an_internal_observations_evidence(
    client: TestClient, actors: Actors
) -> None:
    operations = {
        f"{method.upper()} {path}"
        for path, item in client.get("/openapi.json").json()["paths"].items()
        for method in item
        if "evidence" in path
        and not any(other in path for other in ("/measures/", "/commitments/", "/custody"))
    }
    assert operations == set(ENDPOINT_RULES)
    report_id = _report(client, actors, "monitor", kind="observation", source=None)
    for endpoint, (allowed, refused) in ENDPOINT_RULES.items():
        for number, role in enumerate(ROLES):
            png = ("p.png", tiny_png((number, len(endpoint), 2)), "image/png")  # new each time
            if endpoint.startswith("POST /api/v1/reports"):
                response = _upload(client, actors, role, report_id, png)
            elif endpoint.startswith("PUT"):
                path = f"/api/v1/reports/{report_id}/evidence/p.png"
                response = client.put(path, headers=actors.headers(role), content=png[1])
            elif "{evidence_id}" in endpoint:
                item = ok(_upload(client, actors, "monitor", report_id, png), 201)["items"][0]
                path = f"/api/v1/evidence/{item['id']}"
                if endpoint.endswith("/mark"):
                    body = {"internal_only": True, "reason": "a face is visible"}
                    response = client.post(f"{path}/mark", headers=actors.headers(role), json=body)
                else:
                    response = client.get(path, headers=actors.headers(role))
            else:
                path = f"/api/v1/reports/{report_id}/evidence"
                response = client.get(path, headers=actors.headers(role))
            assert response.status_code == allowed.get(role, refused), (endpoint, role)


# The migration --------------------------------------------------------------------------------


def test_0004_adds_the_evidence_table_and_takes_it_away(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0003")
    assert "evidence" not in inspect(engine).get_table_names()
    upgrade(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("evidence")}
    assert columns == {
        "id",
        "report_id",
        "sha256",
        "media_type",
        "declared_type",
        "size",
        "filename",
        "added_by",
        "added_at",
        "tier",
    }
    command.downgrade(alembic_config(engine), "0003")
    assert "evidence" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"
    engine.dispose()


def test_a_files_chain_of_custody_runs_from_upload_to_each_download(
    client: TestClient, actors: Actors
) -> None:
    report_id = _report(client, actors, "monitor", kind="observation", source=None)
    png = ("crater.png", tiny_png((9, 9, 9)), "image/png")
    stored = _upload(client, actors, "monitor", report_id, png).json()["items"][0]
    for reader in ("analyst", "admin"):
        got = client.get(f"/api/v1/evidence/{stored['id']}", headers=actors.headers(reader))
        assert got.status_code == 200
    custody = client.get(
        f"/api/v1/evidence/{stored['sha256']}/custody", headers=actors.headers("analyst")
    ).json()
    assert [(e["kind"], e["by"]) for e in custody["events"]] == [
        ("collected", "monitor"),
        ("uploaded", "monitor"),
        ("derived", "monitor"),
        ("derived", "monitor"),
        ("downloaded", "analyst"),
        ("downloaded", "admin"),
    ]
    assert f"report {report_id}" in custody["events"][1]["reason"]
    prov = client.get(
        f"/api/v1/evidence/{stored['sha256']}/custody?format=prov",
        headers=actors.headers("analyst"),
    ).json()
    entity = f"sulh:sha256-{stored['sha256']}"
    assert set(prov["entity"]) == {entity} and len(prov["activity"]) == 6
    assert [g["prov:entity"] for g in prov["wasGeneratedBy"].values()] == [entity]
    assert len(prov["used"]) == 5 and len(prov["wasAssociatedWith"]) == 6
    hidden = client.get(
        f"/api/v1/evidence/{stored['sha256']}/custody", headers=actors.headers("liaison_pk")
    )
    assert hidden.status_code == 404
