"""Working copies and redaction by tier: the original stays inside the internal tier, readers
beyond it get a copy without GPS, device or names, and each copy is accounted for."""

from __future__ import annotations

import base64
import hashlib
import io
import socket
import struct
import time
import wave
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageChops
from pypdf import PdfReader
from sqlalchemy import func, select

from sulh.errors import Invalid
from sulh.evidence.redact import redact
from sulh.store import Store
from sulh.store.tables import Evidence, EvidenceCopy
from tests.browser import LiveDemo
from tests.conftest import Actors, make_report
from tests.flow import VIOLATION, concur, move, ok
from tests.test_evidence_metadata import describe_bytes, photo, statement_pdf, voice_note

# Redacting each kind of file -------------------------------------------------------------------


def _redacted(tmp_path: Path, data: bytes, media_type: str) -> tuple[bytes, str]:
    source, target = tmp_path / "original", tmp_path / "copy"
    source.write_bytes(data)
    method = redact(source=source, target=target, media_type=media_type)
    assert method is not None
    return target.read_bytes(), method


def _same_pixels(a: bytes, b: bytes) -> bool:
    with Image.open(io.BytesIO(a)) as first, Image.open(io.BytesIO(b)) as second:
        return ImageChops.difference(first.convert("RGB"), second.convert("RGB")).getbbox() is None


def _phone_jpeg() -> bytes:
    """A photo as phones write them: EXIF with GPS, an XMP packet, a comment, a rotation,
    and a second picture (a preview with its own EXIF) after the end of the image."""
    exif = Image.open(io.BytesIO(photo())).getexif()
    exif[0x0112] = 6  # rotated: shown turned a quarter
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(out, "JPEG", exif=exif, comment=b"Owner: Jan")
    body = out.getvalue()
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>Creator: Jan</x:xmpmeta>"
    segment = b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp
    return body[:2] + segment + body[2:] + photo()  # the trailing picture has GPS too


def test_a_jpeg_loses_its_metadata_and_keeps_its_pixels_and_rotation(tmp_path: Path) -> None:
    original = _phone_jpeg()
    assert describe_bytes(original, "image/jpeg")["gps"] == {"lat": 32.7, "lon": 69.2}
    copy, method = _redacted(tmp_path, original, "image/jpeg")
    found = describe_bytes(copy, "image/jpeg")
    assert "gps" not in found and "device" not in found and "captured_at" not in found
    for trace in (b"Samsung", b"SM-A546E", b"Jan", b"xmpmeta", b"GPS"):
        assert trace not in copy, trace
    assert _same_pixels(original, copy)
    assert Image.open(io.BytesIO(copy)).getexif()[0x0112] == 6
    assert copy.endswith(b"\xff\xd9") and len(copy) < len(original)
    assert "orientation 6 kept" in method and "copied unchanged" in method


def test_a_png_loses_its_text_and_exif_chunks(tmp_path: Path) -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jan Khan")
    info.add_itxt("Location", "32.7, 69.2")
    out = io.BytesIO()
    exif = Image.open(io.BytesIO(photo())).getexif()
    Image.new("RGB", (20, 10), (1, 2, 3)).save(out, "PNG", pnginfo=info, exif=exif)
    copy, _ = _redacted(tmp_path, out.getvalue(), "image/png")
    assert b"Jan Khan" not in copy and b"eXIf" not in copy and b"Samsung" not in copy
    assert _same_pixels(out.getvalue(), copy)


@pytest.mark.parametrize("kind", ["GIF", "WEBP"])
def test_gif_and_webp_are_re_encoded_without_loss_or_metadata(tmp_path: Path, kind: str) -> None:
    out = io.BytesIO()
    options: dict[str, Any] = {"comment": b"Owner: Jan"} if kind == "GIF" else {"lossless": True}
    if kind == "WEBP":
        options["exif"] = Image.open(io.BytesIO(photo())).getexif()
    Image.new("RGB", (16, 16), (200, 0, 0)).save(out, kind, **options)
    copy, method = _redacted(tmp_path, out.getvalue(), f"image/{kind.lower()}")
    assert b"Jan" not in copy and b"Samsung" not in copy
    assert _same_pixels(out.getvalue(), copy) and "without loss" in method


def test_a_pdf_loses_its_author_and_dates(tmp_path: Path) -> None:
    copy, method = _redacted(tmp_path, statement_pdf(), "application/pdf")
    reader = PdfReader(io.BytesIO(copy))
    assert len(reader.pages) == 2 and not (reader.metadata or {}).get("/Author")
    assert b"Barmal district office" not in copy and "pages unchanged" in method


def test_a_wav_loses_its_info_chunk_and_keeps_its_samples(tmp_path: Path) -> None:
    plain = voice_note(seconds=0.25)
    info = b"INFO" + b"IART" + struct.pack("<I", 8) + b"Jan Kha\x00"
    tagged = bytearray(plain + b"LIST" + struct.pack("<I", len(info)) + info)
    tagged[4:8] = struct.pack("<I", len(tagged) - 8)
    copy, _ = _redacted(tmp_path, bytes(tagged), "audio/wav")
    assert b"Jan" not in copy and copy == plain
    with wave.open(io.BytesIO(copy)) as sound:
        assert sound.getnframes() == 2000


def test_plain_text_needs_no_copy_and_unknown_kinds_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_text("seen at dawn")
    assert redact(source=source, target=tmp_path / "x", media_type="text/plain") is None
    with pytest.raises(Invalid, match="cannot yet make a copy of a image/heic file"):
        redact(source=source, target=tmp_path / "x", media_type="image/heic")


# Copies in the record and who gets which ----------------------------------------------------


def _complaint_with_photo(client: TestClient, actors: Actors, data: bytes) -> tuple[int, dict]:
    headers = actors.headers("liaison_af")
    report = ok(
        client.post(
            "/api/v1/reports", headers=headers, json=make_report(kind="complaint", source=None)
        ),
        201,
    )
    files = [("file", ("roof.jpg", data, "image/jpeg"))]
    stored = ok(
        client.post(f"/api/v1/reports/{report['id']}/evidence", headers=headers, files=files),
        201,
    )["items"][0]
    return report["id"], stored


def _large_photo() -> bytes:
    exif = Image.open(io.BytesIO(photo())).getexif()
    out = io.BytesIO()
    Image.effect_noise((1600, 1200), 40).convert("RGB").save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_staff_get_the_original_and_others_the_redacted_copy(
    client: TestClient, actors: Actors
) -> None:
    original = _large_photo()
    report_id, stored = _complaint_with_photo(client, actors, original)
    listed = ok(
        client.get(f"/api/v1/reports/{report_id}/evidence", headers=actors.headers("admin"))
    )
    assert listed["items"][0]["copies"] == ["redacted", "thumbnail", "preview"]
    url = f"/api/v1/evidence/{stored['id']}"

    inside = client.get(url, headers=actors.headers("analyst"))
    assert inside.headers["x-sulh-copy"] == "original" and inside.content == original
    for who in ("guarantor", "liaison_af"):
        beyond = client.get(url, headers=actors.headers(who))
        assert beyond.status_code == 200 and beyond.headers["x-sulh-copy"] == "redacted"
        assert beyond.headers["x-sulh-sha256"] == hashlib.sha256(beyond.content).hexdigest()
        assert "gps" not in describe_bytes(beyond.content, "image/jpeg")
        assert _same_pixels(original, beyond.content)
    refused = client.get(f"{url}?copy=original", headers=actors.headers("guarantor"))
    assert refused.status_code == 403
    assert "shown only inside the internal tier" in refused.json()["error"]["message"]

    for kind, edge in (("thumbnail", 320), ("preview", 1280)):
        got = client.get(f"{url}?copy={kind}", headers=actors.headers("guarantor"))
        with Image.open(io.BytesIO(got.content)) as image:
            assert max(image.size) == edge and not image.getexif()


def test_an_analyst_keeps_a_file_internal_and_lets_it_out_again(
    client: TestClient, actors: Actors
) -> None:
    report_id, stored = _complaint_with_photo(client, actors, photo())
    mark = f"/api/v1/evidence/{stored['id']}/mark"
    body = {"internal_only": True, "reason": "a child's face is visible"}
    marked = ok(client.post(mark, headers=actors.headers("analyst"), json=body))
    assert marked["internal_only"] and marked["log_index"] is not None
    again = client.post(mark, headers=actors.headers("analyst"), json=body)
    assert again.status_code == 409 and "already internal only" in again.text
    refused = client.post(mark, headers=actors.headers("monitor"), json=body)
    assert refused.status_code == 403
    for who in ("guarantor", "liaison_af", "observer"):
        listed = client.get(f"/api/v1/reports/{report_id}/evidence", headers=actors.headers(who))
        assert ok(listed)["items"] == [], who
        assert (
            client.get(f"/api/v1/evidence/{stored['id']}", headers=actors.headers(who)).status_code
            == 404
        )
    assert (
        client.get(
            f"/api/v1/evidence/{stored['id']}", headers=actors.headers("analyst")
        ).status_code
        == 200
    )
    ok(
        client.post(
            mark,
            headers=actors.headers("admin"),
            json={"internal_only": False, "reason": "face blurred in the copy shown"},
        )
    )
    listed = client.get(
        f"/api/v1/reports/{report_id}/evidence", headers=actors.headers("liaison_af")
    )
    assert [i["id"] for i in ok(listed)["items"]] == [stored["id"]]


# Intake over HTTP ------------------------------------------------------------------------------


def _report(client: TestClient, actors: Actors) -> int:
    body = make_report()
    return int(
        ok(client.post("/api/v1/reports", headers=actors.headers("analyst"), json=body), 201)["id"]
    )


def _count(store: Store) -> tuple[int, int]:
    with store.read() as session:
        return (
            session.scalar(select(func.count(Evidence.id))) or 0,
            session.scalar(select(func.count(EvidenceCopy.id))) or 0,
        )


def test_a_raw_upload_streams_a_large_file_with_its_digest(
    client: TestClient, actors: Actors, store: Store
) -> None:
    report_id = _report(client, actors)
    big = _large_photo() + bytes(3 * 1024 * 1024)  # past the 1 MiB JSON limit
    digest = base64.b64encode(hashlib.sha256(big).digest()).decode()
    headers = {**actors.headers("analyst"), "Content-Digest": f"sha-256=:{digest}:"}
    path = f"/api/v1/reports/{report_id}/evidence/roof.jpg"
    item = ok(client.put(path, headers=headers, content=big), 201)["items"][0]
    assert item["size"] == len(big) and item["sha256"] == hashlib.sha256(big).hexdigest()
    metadata = client.get(
        f"/api/v1/reports/{report_id}/evidence", headers=actors.headers("analyst")
    )
    assert ok(metadata)["items"][0]["filename"] == "roof.jpg"

    before = _count(store)
    wrong = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    headers["Content-Digest"] = f"sha-256=:{wrong}:"
    refused = client.put(path.replace("roof", "again"), headers=headers, content=big + b"x")
    assert refused.status_code == 422 and "its sender computed" in refused.text
    headers["Content-Digest"] = "sha-256=:not base64:"
    malformed = client.put(path, headers=headers, content=big)
    assert malformed.status_code == 422 and "RFC 9530" in malformed.text
    assert _count(store) == before


def test_a_multipart_upload_checks_each_senders_hash(
    client: TestClient, actors: Actors, store: Store
) -> None:
    report_id = _report(client, actors)
    first, second = photo(), _large_photo()
    files = [("file", ("a.jpg", first, "image/jpeg")), ("file", ("b.jpg", second, "image/jpeg"))]
    hashes = [hashlib.sha256(first).hexdigest(), hashlib.sha256(b"not b").hexdigest()]
    url = f"/api/v1/reports/{report_id}/evidence"
    refused = client.post(
        url, headers=actors.headers("analyst"), files=files, data={"sha256": hashes}
    )
    assert refused.status_code == 422 and "File 'b.jpg' arrived with SHA-256" in refused.text
    assert _count(store) == (0, 0)
    hashes[1] = hashlib.sha256(second).hexdigest()
    stored = ok(
        client.post(url, headers=actors.headers("analyst"), files=files, data={"sha256": hashes}),
        201,
    )
    assert [i["sha256"] for i in stored["items"]] == hashes


# One file's custody, from upload to a released finding -----------------------------------------


def test_a_files_custody_runs_from_upload_to_a_released_finding(
    client: TestClient, actors: Actors
) -> None:
    report_id, stored = _complaint_with_photo(client, actors, photo())
    incident = ok(
        client.post(
            "/api/v1/incidents",
            headers=actors.headers("analyst"),
            json={"report_ids": [report_id], "title": "Strike near Barmal"},
        ),
        201,
    )
    case_id = incident["case"]["id"]
    url = f"/api/v1/evidence/{stored['id']}"
    client.get(f"{url}?copy=thumbnail", headers=actors.headers("analyst"))
    client.get(url, headers=actors.headers("analyst"))
    for step in ("triaged", "inquiry", "draft_finding"):
        move(client, actors, case_id, step)
    finding = ok(
        client.post(
            f"/api/v1/cases/{case_id}/findings",
            headers=actors.headers("analyst"),
            json=VIOLATION,
        ),
        201,
    )
    move(client, actors, case_id, "review")
    concur(client, actors, finding["id"], ("guarantor", "guarantor2"))
    ok(client.post(f"/api/v1/findings/{finding['id']}/decide", headers=actors.headers("guarantor")))
    ok(
        client.post(
            f"/api/v1/reports/{report_id}/release",
            headers=actors.headers("guarantor"),
            json={"tier": "public"},
        )
    )
    ok(
        client.post(
            f"/api/v1/findings/{finding['id']}/release",
            headers=actors.headers("guarantor"),
            json={"tier": "public"},
        )
    )
    public = client.get(url, headers=actors.headers("public"))
    assert public.status_code == 200 and public.headers["x-sulh-copy"] == "redacted"

    custody = ok(
        client.get(
            f"/api/v1/evidence/{stored['sha256']}/custody", headers=actors.headers("analyst")
        )
    )
    assert [(e["kind"], e["by"]) for e in custody["events"]] == [
        ("collected", "liaison.af"),
        ("uploaded", "liaison.af"),
        ("derived", "liaison.af"),
        ("derived", "liaison.af"),
        ("viewed", "analyst"),
        ("downloaded", "analyst"),
        ("shared", "guarantor"),
        ("downloaded", "anonymous"),
    ]
    assert "shared with the public tier" in custody["events"][6]["reason"]
    released = client.get(f"/api/v1/findings/{finding['id']}", headers=actors.headers("public"))
    assert ok(released)["outcome"] == VIOLATION["outcome"]


# An upload that breaks off, against a real server --------------------------------------------


def test_an_upload_cut_off_halfway_leaves_no_file_and_no_row(live_demo: LiveDemo) -> None:
    username = next(name for name in live_demo.passwords if name.startswith("analyst"))
    login = {"username": username, "password": live_demo.passwords[username][1]}
    token = httpx.post(live_demo.url("/api/v1/auth/token"), json=login).json()["token"]
    with live_demo.store.read() as session:
        before = session.scalar(select(func.count(Evidence.id)))
    spool = live_demo.data_dir / "locker" / ".spool"
    host, port = live_demo.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(
            b"PUT /api/v1/reports/1/evidence/cut.mp4 HTTP/1.1\r\n"
            + f"Host: {host}\r\nAuthorization: Bearer {token}\r\n".encode()
            + b"Content-Type: video/mp4\r\nContent-Length: 4194304\r\n\r\n"
            + b"\x00" * (2 * 1024 * 1024)
        )
        deadline = time.monotonic() + 10
        while not any(spool.glob(".incoming-*")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert any(spool.glob(".incoming-*")), "the server never began spooling the upload"
    deadline = time.monotonic() + 10
    while any(spool.glob(".incoming-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(spool.glob(".incoming-*")), "the part that arrived was left on disk"
    with live_demo.store.read() as session:
        assert session.scalar(select(func.count(Evidence.id))) == before
