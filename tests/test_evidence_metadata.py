"""What files say about themselves (EXIF, PDF info, WAV headers), and `sulh evidence add|verify`."""

from __future__ import annotations

import hashlib
import json
import random
import re
import struct
import tempfile
import wave
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational
from pypdf import PdfWriter
from sqlalchemy.engine import Engine

from sulh.cli import cli
from sulh.config import Settings
from sulh.errors import Invalid
from sulh.evidence import DiskLocker
from sulh.evidence.metadata import MAX_PIXELS, describe, haversine_km, place_and_time_check
from sulh.store.tables import Report
from tests.conftest import make_report

# Samples, made here rather than kept as binary files ---------------------------------------


def _rational(value: float) -> IFDRational:
    return IFDRational(round(value * 100), 100)


def photo(
    *,
    taken: str = "2025:10:28 21:35:10",
    offset: str | None = "+04:30",
    lat: tuple[float, float, float, str] = (32, 42, 0, "N"),
    lon: tuple[float, float, float, str] = (69, 12, 0, "E"),
) -> bytes:
    """A small JPEG whose EXIF says when, where and with what it was taken (Paktika)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "SM-A546E"
    exif[ExifTags.Base.Software] = "A546EXXU5BXB1"
    exif[ExifTags.Base.DateTime] = "2025:11:01 10:00:00"  # when it was last edited
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = taken
    if offset:
        details[ExifTags.Base.OffsetTimeOriginal] = offset
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = lat[3], lat[:3]
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = lon[3], lon[:3]
    for key in (ExifTags.GPS.GPSLatitude, ExifTags.GPS.GPSLongitude):
        gps[key] = tuple(_rational(part) for part in gps[key])
    out = BytesIO()
    Image.new("RGB", (64, 48), (150, 120, 90)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def noisy_jpeg() -> bytes:
    """A 256×256 JPEG of noise: most of its bytes are image data, not headers."""
    pixels = random.Random(8).randbytes(256 * 256 * 3)
    out = BytesIO()
    Image.frombytes("RGB", (256, 256), pixels).save(out, "JPEG")
    return out.getvalue()


def statement_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata(
        {
            "/Author": "Barmal district office",
            "/Title": "Statement on the strike of 28 October",
            "/CreationDate": "D:20251029083000+04'30'",
            "/ModDate": "D:20251030",
        }
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def voice_note(seconds: float = 1.0, rate: int = 8000) -> bytes:
    out = BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(b"\x00\x00" * int(seconds * rate))
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A PNG that claims width×height grey pixels, all zero, in a few kilobytes."""
    rows = zlib.compress(b"\x00" * (1 + width) * 100, 9)  # the first rows; the claim is the point
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def barmal_report(**overrides: Any) -> Report:
    """A report (not stored) of an event at Barmal on the evening of 28 October 2025."""
    fields: dict[str, Any] = {
        "event_time": datetime(2025, 10, 28, 17, 0, tzinfo=UTC),
        "event_end": None,
        "place_name": "Barmal",
        "latitude": 32.73,
        "longitude": 69.06,
    }
    return Report(**(fields | overrides))


# describe() ----------------------------------------------------------------------------------


def describe_bytes(data: bytes, media_type: str) -> dict[str, Any]:
    """describe() reads files from the locker's disk: write the bytes to one first."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file"
        path.write_bytes(data)
        return describe(path, media_type)


def test_a_photo_says_when_where_and_with_what() -> None:
    found = describe_bytes(photo(), "image/jpeg")
    assert found["reader"].startswith("Pillow ")
    assert (found["format"], found["width"], found["height"]) == ("JPEG", 64, 48)
    assert found["captured_at"] == "2025-10-28T21:35:10+04:30"
    assert found["gps"] == {"lat": 32.7, "lon": 69.2}
    assert found["device"] == {"make": "Samsung", "model": "SM-A546E"}
    assert found["software"] == "A546EXXU5BXB1"
    assert json.loads(json.dumps(found)) == found


def test_south_and_west_are_negative_and_a_time_without_zone_stays_without() -> None:
    found = describe_bytes(
        photo(offset=None, lat=(33, 30, 0, "S"), lon=(70, 15, 36, "W")), "image/jpeg"
    )
    assert found["gps"] == {"lat": -33.5, "lon": -70.26}
    assert found["captured_at"] == "2025-10-28T21:35:10"


def test_an_image_without_exif_gives_its_size_only() -> None:
    out = BytesIO()
    Image.new("RGB", (3, 2)).save(out, "PNG")
    found = describe_bytes(out.getvalue(), "image/png")
    assert set(found) == {"reader", "format", "width", "height"}
    assert (found["format"], found["width"], found["height"]) == ("PNG", 3, 2)


def test_a_camera_without_a_clock_gives_no_time() -> None:
    found = describe_bytes(photo(taken="0000:00:00 00:00:00"), "image/jpeg")
    assert found["captured_at"] == "2025-11-01T10:00:00"  # DateTime, the fallback


def test_a_pdf_gives_pages_author_title_and_dates() -> None:
    found = describe_bytes(statement_pdf(), "application/pdf")
    assert found["reader"].startswith("pypdf ")
    assert found["pages"] == 2
    assert found["author"] == "Barmal district office"
    assert found["title"] == "Statement on the strike of 28 October"
    assert found["producer"] == "pypdf"
    assert found["created_at"] == "2025-10-29T08:30:00+04:30"
    assert found["modified_at"] == "2025-10-30T00:00:00"


def test_a_wav_gives_its_length_channels_and_rate() -> None:
    found = describe_bytes(voice_note(), "audio/wav")
    assert found["reader"].startswith("Python wave ")
    assert (found["duration_seconds"], found["channels"], found["sample_rate"]) == (1.0, 1, 8000)
    assert describe_bytes(voice_note(seconds=0.0123), "audio/wav")["duration_seconds"] == 0.012


def test_plain_text_says_nothing_about_itself() -> None:
    found = describe_bytes(b"A note, in plain words.", "text/plain")
    assert found["reader"] == "none" and "not read yet" in found["note"]


def test_a_truncated_video_is_refused() -> None:
    with pytest.raises(Invalid, match="The MP4 file is truncated"):
        describe_bytes(b"\x00\x00\x00\x18ftypmp42", "video/mp4")


def test_a_truncated_jpeg_is_refused() -> None:
    whole = noisy_jpeg()
    assert describe_bytes(whole, "image/jpeg")["width"] == 256
    with pytest.raises(Invalid, match="The image is truncated or malformed: "):
        describe_bytes(whole[: len(whole) * 2 // 3], "image/jpeg")
    with pytest.raises(Invalid, match="The image is truncated or malformed: "):
        describe_bytes(whole[:40], "image/jpeg")


def test_a_malformed_pdf_or_wav_is_refused() -> None:
    with pytest.raises(Invalid, match="The PDF is malformed: "):
        describe_bytes(b"%PDF-1.4\nnot a PDF at all", "application/pdf")
    with pytest.raises(Invalid, match="The PDF is malformed: "):
        describe_bytes(statement_pdf()[:300], "application/pdf")
    with pytest.raises(Invalid, match="The WAV file is malformed: "):
        describe_bytes(b"RIFF\x24\x00\x00\x00WAVEjunk", "audio/wav")


@pytest.mark.parametrize(
    ("size", "named"),
    [((20_000, 20_000), ""), ((10_001, 10_000), " (10001×10000)")],
    ids=["beyond-pillow-limit", "just-over-ours"],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(
    size: tuple[int, int], named: str
) -> None:
    bomb = png_bomb(*size)
    assert len(bomb) < 10_000 and size[0] * size[1] > MAX_PIXELS
    with pytest.raises(Invalid, match=rf"claims more pixels{re.escape(named)} than .* bomb"):
        describe_bytes(bomb, "image/png")


# place_and_time_check() ----------------------------------------------------------------------


def test_a_photo_from_the_place_and_day_of_the_event_raises_nothing() -> None:
    assert place_and_time_check(describe_bytes(photo(), "image/jpeg"), barmal_report()) == []
    # Without a zone, the next morning is still within a day of the event.
    assert place_and_time_check({"captured_at": "2025-10-29T07:00:00"}, barmal_report()) == []


def test_a_photo_300_km_away_and_5_days_early_is_flagged() -> None:
    found = describe_bytes(photo(taken="2025:10:23 10:00:00", lat=(35, 24, 0, "N")), "image/jpeg")
    assert 290 < haversine_km(35.4, 69.2, 32.73, 69.06) < 310
    problems = place_and_time_check(found, barmal_report())
    assert problems == [
        "The file says it was captured on 2025-10-23, 5 days before the report's event "
        "(2025-10-28).",
        "The file's GPS position (35.4000, 69.2000) is 297 km from the report's place "
        "(Barmal, 32.7300, 69.0600).",
    ]


def test_an_event_over_several_days_and_missing_data() -> None:
    spread = barmal_report(event_end=datetime(2025, 11, 2, tzinfo=UTC))
    assert place_and_time_check({"captured_at": "2025-11-01T12:00:00+04:30"}, spread) == []
    late = place_and_time_check({"captured_at": "2025-11-05T12:00:00"}, spread)
    assert late == [
        "The file says it was captured on 2025-11-05, 3 days after the report's event "
        "(2025-10-28 to 2025-11-02)."
    ]
    nowhere = barmal_report(latitude=None, longitude=None)
    assert place_and_time_check({"gps": {"lat": 0.0, "lon": 0.0}}, nowhere) == []
    assert place_and_time_check({}, barmal_report()) == []


# The command line ----------------------------------------------------------------------------

Run = Callable[..., Result]


@pytest.fixture
def run(engine: Engine, tmp_path: Path) -> Run:
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner()

    def invoke(*args: str, **env: str) -> Result:
        environ = {"SULH_DATABASE_URL": url, "SULH_DATA_DIR": str(tmp_path), **env}
        return runner.invoke(cli, list(args), env=environ)

    assert invoke("init").exit_code == 0
    return invoke


def _locker(tmp_path: Path) -> DiskLocker:
    settings = Settings.load(environ={}, data_dir=tmp_path)
    return DiskLocker(settings.locker_dir, max_bytes=settings.max_evidence_bytes)


def _add(run: Run, tmp_path: Path, name: str, data: bytes, *options: str, **env: str) -> Result:
    path = tmp_path / name
    path.write_bytes(data)
    return run("evidence", "add", str(path), *options, **env)


def _file_report(run: Run, tmp_path: Path) -> str:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(make_report()))
    filed = run("report", "file", str(path))
    assert filed.exit_code == 0, filed.output
    return str(json.loads(filed.output)["id"])


def test_evidence_add_puts_the_file_in_the_locker(run: Run, tmp_path: Path) -> None:
    data = photo()
    added = _add(run, tmp_path, "roof.jpg", data)
    assert added.exit_code == 0, added.output
    shown = json.loads(added.output)
    sha256 = hashlib.sha256(data).hexdigest()
    assert shown["sha256"] == sha256 and shown["media_type"] == "image/jpeg"
    assert shown["size"] == len(data) and shown["filename"] == "roof.jpg"
    assert shown["metadata"]["gps"] == {"lat": 32.7, "lon": 69.2}
    assert _locker(tmp_path).verified(sha256).path.read_bytes() == data


def test_evidence_add_to_a_report_logs_it_and_checks_place_and_time(
    run: Run, tmp_path: Path
) -> None:
    report_id = _file_report(run, tmp_path)
    near = _add(run, tmp_path, "roof.jpg", photo(), "--report", report_id)
    assert near.exit_code == 0, near.output
    shown = json.loads(near.output)
    assert shown["report_id"] == int(report_id) and shown["place_and_time"] == []
    assert isinstance(shown["evidence_id"], int) and isinstance(shown["log_index"], int)
    assert shown["metadata"]["device"] == {"make": "Samsung", "model": "SM-A546E"}

    far = photo(taken="2025:10:23 10:00:00", lat=(35, 24, 0, "N"))
    flagged = _add(run, tmp_path, "far.jpg", far, "--report", report_id)
    assert flagged.exit_code == 0, flagged.output
    assert [p[:40] for p in json.loads(flagged.output)["place_and_time"]] == [
        "The file says it was captured on 2025-10",
        "The file's GPS position (35.4000, 69.200",
    ]
    again = _add(run, tmp_path, "roof-again.jpg", photo(), "--report", report_id)
    assert again.exit_code == 1 and "already attached" in again.output
    missing = _add(run, tmp_path, "roof.jpg", photo(), "--report", "999")
    assert missing.exit_code == 1 and "Report 999 does not exist" in missing.output


def test_evidence_add_refuses_bad_files_and_stores_nothing(run: Run, tmp_path: Path) -> None:
    refused = _add(run, tmp_path, "broken.jpg", noisy_jpeg()[:5000])
    assert refused.exit_code == 1
    assert "File 'broken.jpg': The image is truncated or malformed" in refused.output
    exe = _add(run, tmp_path, "tool.exe", b"MZ\x90\x00" + bytes(60))
    assert exe.exit_code == 1 and "does not accept" in exe.output
    big = _add(run, tmp_path, "note.wav", voice_note(), SULH_MAX_EVIDENCE_BYTES="1000")
    assert big.exit_code == 1 and "'note.wav' is larger than the 1000 bytes" in big.output
    root = tmp_path / "locker"
    assert not any(p.is_file() for p in root.rglob("*"))


def test_evidence_verify_names_altered_and_missing_files(run: Run, tmp_path: Path) -> None:
    empty = run("evidence", "verify")
    assert empty.exit_code == 0 and empty.output.startswith("Checked 0 files")
    first, second = _file_report(run, tmp_path), _file_report(run, tmp_path)
    _add(run, tmp_path, "roof.jpg", photo(), "--report", first)
    # The same statement attached to both reports: one file in the locker, two rows.
    pdf = [
        json.loads(_add(run, tmp_path, name, statement_pdf(), "--report", report).output)
        for name, report in (("statement.pdf", first), ("copy.pdf", second))
    ]
    pdf_sha = pdf[0]["sha256"]
    assert pdf[0]["copies"] == ["redacted"] and pdf[1]["copies"] == ["redacted"]
    clean = run("evidence", "verify")
    # The photo, its redacted copy and thumbnail; the statement and its redacted copy.
    assert clean.exit_code == 0 and "Checked 5 files: all present" in clean.output

    stored = _locker(tmp_path).path_of(pdf_sha)
    stored.chmod(0o640)  # the locker leaves its files read-only
    stored.write_bytes(statement_pdf().replace(b"Barmal", b"Barmai"))
    altered = run("evidence", "verify")
    assert altered.exit_code == 1
    ids = f"{pdf[0]['evidence_id']}, {pdf[1]['evidence_id']}"
    named = f"{pdf_sha} (evidence {ids}; 'copy.pdf', 'statement.pdf'): "
    assert f"{named}altered on disk" in altered.output
    assert altered.output.count("\n") == 2  # the damaged file, then the count
    assert "Checked 5 files: 1 missing or altered." in altered.output

    stored.unlink()
    gone = run("evidence", "verify")
    assert gone.exit_code == 1 and f"{named}missing from the locker" in gone.output
