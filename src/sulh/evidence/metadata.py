"""What a file says about itself: capture time, place and device of a photo, author and dates
of a PDF, length of a recording. Read from the bytes, offline, and checked against the report.

The bytes come from senders, so every reader is bounded: an image's pixel count is checked
before it is decoded, and a file the reader cannot make sense of is refused with a sentence.
"""

from __future__ import annotations

import math
import platform
import re
import warnings
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pypdf
from PIL import ExifTags, Image
from PIL import __version__ as pillow_version

from sulh.clock import as_utc
from sulh.errors import Invalid
from sulh.evidence.credentials import content_credentials
from sulh.evidence.media import RECORDINGS
from sulh.evidence.recordings import describe_recording
from sulh.fusion.match import kilometres as haversine_km
from sulh.store.tables import Report

MAX_PIXELS = 100_000_000
MAX_DAYS_APART = 1
MAX_KM_APART = 50.0

_PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
_EXIF_TIME = re.compile(r"(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"[+-]\d{2}:\d{2}")
_PDF_DATE = re.compile(
    r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([+-])(\d{2})'?(\d{2})?'?|(Z))?"
)


def describe(path: Path, media_type: str) -> dict[str, Any]:
    """JSON-safe metadata read from a file's bytes; `reader` names what read them, and
    `content_credentials` the file's C2PA manifest and its validation, when it has one.

    Raises `Invalid` when a file is truncated, malformed, or too large to decode.
    """
    found = _describe(path, media_type)
    credentials = content_credentials(path, media_type)
    if credentials is not None:
        found["content_credentials"] = credentials
    return found


def _describe(path: Path, media_type: str) -> dict[str, Any]:
    if media_type in _PILLOW_FORMATS:
        return _describe_image(path, _PILLOW_FORMATS[media_type])
    if media_type == "application/pdf":
        return _describe_pdf(path)
    if media_type == "audio/wav":
        return _describe_wav(path)
    if media_type in RECORDINGS:
        return describe_recording(path, media_type)
    return {"reader": "none", "note": f"Metadata of {media_type} files is not read yet."}


# Images --------------------------------------------------------------------------------------


def _describe_image(path: Path, pillow_format: str) -> dict[str, Any]:
    with _image(path, pillow_format) as image:
        image.verify()
    with _image(path, pillow_format) as image:
        found: dict[str, Any] = {
            "reader": f"Pillow {pillow_version}",
            "format": image.format,
            "width": image.width,
            "height": image.height,
        }
        # Decoding finds a truncated body; a JPEG is decoded at an eighth of its size.
        image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()
        found.update(_exif_fields(image.getexif()))
    return found


@contextmanager
def _image(path: Path, pillow_format: str) -> Iterator[Image.Image]:
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 million pixels on; the limit that holds is MAX_PIXELS.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path, formats=[pillow_format])
    except Image.DecompressionBombError:
        raise _too_many_pixels(None) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise Invalid(f"The image is truncated or malformed: {exc}.") from None
    with image:
        if image.width * image.height > MAX_PIXELS:
            raise _too_many_pixels(image.size)
        try:
            yield image
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise Invalid(f"The image is truncated or malformed: {exc}.") from None


def _too_many_pixels(size: tuple[int, int] | None) -> Invalid:
    shown = f" ({size[0]}×{size[1]})" if size else ""
    return Invalid(
        f"The image claims more pixels{shown} than the {MAX_PIXELS:,} Sulh decodes; "
        "it may be a decompression bomb, and is refused."
    )


def _exif_fields(exif: Image.Exif) -> dict[str, Any]:
    base = ExifTags.Base
    detail = exif.get_ifd(ExifTags.IFD.Exif)
    captured = _exif_time(
        detail.get(base.DateTimeOriginal), detail.get(base.OffsetTimeOriginal)
    ) or _exif_time(exif.get(base.DateTime), detail.get(base.OffsetTime))
    named = {"make": _text(exif.get(base.Make)), "model": _text(exif.get(base.Model))}
    device = {key: value for key, value in named.items() if value}
    found: dict[str, Any] = {
        "captured_at": captured,
        "gps": _gps(exif.get_ifd(ExifTags.IFD.GPSInfo)),
        "device": device or None,
        "software": _text(exif.get(base.Software)),
    }
    return {key: value for key, value in found.items() if value is not None}


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    return value.replace("\x00", "").strip() or None


def _exif_time(value: Any, offset: Any) -> str | None:
    match = _EXIF_TIME.fullmatch(_text(value) or "")
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:  # 0000:00:00 00:00:00, as cameras without a clock write
        return None
    zone = _text(offset)
    if zone and _EXIF_OFFSET.fullmatch(zone):
        return f"{moment.isoformat()}{zone}"
    return moment.isoformat()


def _gps(info: dict[int, Any]) -> dict[str, float] | None:
    lat = _degrees(info.get(ExifTags.GPS.GPSLatitude), info.get(ExifTags.GPS.GPSLatitudeRef))
    lon = _degrees(info.get(ExifTags.GPS.GPSLongitude), info.get(ExifTags.GPS.GPSLongitudeRef))
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    return {"lat": lat, "lon": lon}


def _degrees(parts: Any, ref: Any) -> float | None:
    try:
        degrees, minutes, seconds = (float(part) for part in parts)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(value):
        return None
    sign = -1 if (_text(ref) or "").upper() in ("S", "W") else 1
    return round(sign * value, 6)


# PDF and WAV ---------------------------------------------------------------------------------


def _describe_pdf(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = {"reader": f"pypdf {pypdf.__version__}"}
    # Given an open file, pypdf seeks in it; given a path, it would read it all into memory.
    with path.open("rb") as stream:
        try:
            reader = pypdf.PdfReader(stream)
            if reader.is_encrypted and not reader.decrypt(""):
                return {**found, "encrypted": True}
            found["pages"] = len(reader.pages)
            fields = _pdf_fields(reader.metadata)
        # pypdf raises many kinds of error on hostile input, not only its own.
        except Exception as exc:
            raise Invalid(f"The PDF is malformed: {exc}.") from None
    return {**found, **fields}


def _pdf_fields(info: pypdf.DocumentInformation | None) -> dict[str, str]:
    if info is None:
        return {}
    fields = {
        "author": _text(info.author),
        "title": _text(info.title),
        "producer": _text(info.producer),
        "created_at": _pdf_date(info.creation_date_raw),
        "modified_at": _pdf_date(info.modification_date_raw),
    }
    return {key: value for key, value in fields.items() if value is not None}


def _pdf_date(value: Any) -> str | None:
    """D:YYYYMMDDHHmmSS+HH'mm' (everything after the year optional) as ISO 8601."""
    match = _PDF_DATE.match(_text(value) or "")
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, off_h, off_m, utc = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
        )
        if utc:
            moment = moment.replace(tzinfo=UTC)
        elif sign:
            offset = timedelta(hours=int(off_h), minutes=int(off_m or 0))
            moment = moment.replace(tzinfo=timezone(-offset if sign == "-" else offset))
    except ValueError:
        return None
    return moment.isoformat()


def _describe_wav(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = {"reader": f"Python wave {platform.python_version()}"}
    try:
        with wave.open(str(path), "rb") as sound:
            frames, rate, channels = sound.getnframes(), sound.getframerate(), sound.getnchannels()
    except wave.Error as exc:
        if str(exc).startswith("unknown format"):  # e.g. WAVE_FORMAT_EXTENSIBLE before 3.12
            return {**found, "note": f"This WAV encoding is not read yet ({exc})."}
        raise Invalid(f"The WAV file is malformed: {exc}.") from None
    except EOFError:
        raise Invalid("The WAV file is truncated.") from None
    if rate <= 0:
        raise Invalid("The WAV file is malformed: its sample rate is 0.")
    return {
        **found,
        "duration_seconds": round(frames / rate, 3),
        "channels": channels,
        "sample_rate": rate,
    }


# Checks against the report -------------------------------------------------------------------


def place_and_time_check(metadata: dict[str, Any], report: Report) -> list[str]:
    """Sentences naming where the file's capture time or GPS position disagrees with the
    report's event (more than a day outside it, or more than 50 km away); empty when they
    agree or when either side does not say."""
    problems = [_time_problem(metadata.get("captured_at"), report)]
    problems.append(_place_problem(metadata.get("gps"), report))
    return [problem for problem in problems if problem]


def _time_problem(captured_at: Any, report: Report) -> str | None:
    try:
        captured = datetime.fromisoformat(captured_at) if isinstance(captured_at, str) else None
    except ValueError:
        return None
    if captured is None:
        return None
    # A time without a zone is the camera's wall clock; a day either way absorbs any zone.
    day = captured.date() if captured.tzinfo is None else as_utc(captured).date()
    first = as_utc(report.event_time).date()
    last = as_utc(report.event_end).date() if report.event_end else first
    event = _span(first, last)
    if day < first - timedelta(days=MAX_DAYS_APART):
        gap = f"{_days(first - day)} before"
    elif day > last + timedelta(days=MAX_DAYS_APART):
        gap = f"{_days(day - last)} after"
    else:
        return None
    return f"The file says it was captured on {day}, {gap} the report's event ({event})."


def _span(first: date, last: date) -> str:
    return str(first) if first == last else f"{first} to {last}"


def _days(gap: timedelta) -> str:
    return "1 day" if gap.days == 1 else f"{gap.days} days"


def _place_problem(gps: Any, report: Report) -> str | None:
    if not isinstance(gps, dict) or report.latitude is None or report.longitude is None:
        return None
    lat, lon = gps.get("lat"), gps.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    km = haversine_km(lat, lon, report.latitude, report.longitude)
    if km <= MAX_KM_APART:
        return None
    place = f"{report.place_name}, " if report.place_name else ""
    return (
        f"The file's GPS position ({lat:.4f}, {lon:.4f}) is {km:.0f} km from the report's "
        f"place ({place}{report.latitude:.4f}, {report.longitude:.4f})."
    )
