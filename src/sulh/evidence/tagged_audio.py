"""MP3 and Ogg (Vorbis, Opus, FLAC, Speex) files: what their tags say about when, where and on
what device they were recorded and whose names they carry, and a copy without those tags.
`recordings` dispatches these media types here. It also holds what `isobmff` shares: the text
tag names Sulh knows and `assemble`, which sorts named tags into capture time, place and device.

mutagen parses the tags and stream headers. Beside it, our own checks refuse a cut-off upload
while reading only a few bytes: the tag headers at either end of an MP3 and its Xing header, and
the last 64 KiB of an Ogg file. Text is cut to 1,000 characters. An MP3 is stripped by copying
only the span between its ID3v2, APEv2 and ID3v1 tags, in CHUNK-sized blocks; an Ogg file by
having mutagen delete the Vorbis comments from a copy. Neither is re-encoded.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import struct
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import mutagen
from mutagen.mp3 import MP3
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggvorbis import OggVorbis

from sulh.errors import Invalid

MUTAGEN_READER = f"mutagen {mutagen.version_string}"
CHUNK = 1 << 20  # the block size of every copy, here and in isobmff

# Where these formats, and QuickTime's keyed metadata, keep device, place, time and people's
# names, under the names Sulh uses.
TEXT_TAGS = {
    "make": "make",
    "model": "model",
    "location": "location",
    "location.iso6709": "location",
    "creationdate": "creationdate",
    "creation_time": "creationdate",
    "artist": "artist",
    "albumartist": "album_artist",
    "album_artist": "album_artist",
    "author": "author",
    "performer": "performer",
    "composer": "composer",
    "software": "encoder",
    "encoder": "encoder",
    "encoded_by": "encoded_by",
    "comment": "comment",
    "description": "comment",
    "copyright": "copyright",
    "contact": "contact",
}
_ID3_FRAMES = {
    "TPE1": "artist",
    "TPE2": "album_artist",
    "TPE3": "performer",
    "TCOM": "composer",
    "TEXT": "author",
    "TENC": "encoded_by",
    "TSSE": "encoder",
    "TCOP": "copyright",
    "COMM": "comment",
    "TDRC": "creationdate",
    "TDEN": "creationdate",
}
# ±DD.D±DDD.D, ±DDMM.M±DDDMM.M or ±DDMMSS.S±DDDMMSS.S, then altitude and a slash (ignored).
_ISO6709 = re.compile(
    r"([+-])(\d{2}|\d{4}|\d{6})(\.\d+)?([+-])(\d{3}|\d{5}|\d{7})(\.\d+)?(?![\d.])"
)


# MP3 and Ogg ---------------------------------------------------------------------------------


def describe_mp3(path: Path) -> dict[str, Any]:
    """What `describe_recording` returns for an MP3 file."""
    with path.open("rb") as file:
        start, end, _ = _mp3_span(file)
        _check_xing(file, start, end)
    audio = _mutagen("MP3 file", lambda: MP3(path))  # type: ignore[no-untyped-call]
    named: dict[str, str] = {}
    for frame in (audio.tags or {}).values():
        name = _ID3_FRAMES.get(frame.FrameID)
        if frame.FrameID == "TXXX":
            name = TEXT_TAGS.get(frame.desc.lower())
        text = clean(str(frame.text[0])) if name and getattr(frame, "text", None) else None
        if name and text:
            named.setdefault(name, text)
    return assemble(_audio_info(audio.info), named)


def _mp3_span(file: BinaryIO) -> tuple[int, int, list[str]]:
    """Where the MP3 frames start and end once ID3v2, APEv2 and ID3v1 tags are set aside."""
    size = file.seek(0, os.SEEK_END)
    start, found = 0, []
    while _read_at(file, start, 3) == b"ID3":
        header = _read_at(file, start, 10)
        if len(header) < 10 or any(byte & 0x80 for byte in header[6:10]):
            raise Invalid("The MP3 file is malformed: its ID3v2 tag header is broken.")
        length = 10 + _syncsafe(header[6:10]) + (10 if header[5] & 0x10 else 0)
        if start + length > size:
            raise Invalid(
                f"The MP3 file is truncated: its ID3v2 tag claims {length:,} bytes "
                f"from byte {start:,}, but the file has {size:,}."
            )
        start += length
        found.append(f"ID3v2 tag ({length:,} bytes)")
    end = size
    while trailer := _mp3_trailer(file, start, end):
        found.append(trailer[0])
        end -= trailer[1]
    return start, end, found


def _mp3_trailer(file: BinaryIO, start: int, end: int) -> tuple[str, int] | None:
    """The tag that ends at `end`, if any, and its length."""
    if end - start >= 128 and _read_at(file, end - 128, 3) == b"TAG":
        return "ID3v1 tag", 128
    footer = _read_at(file, end - 32, 32) if end - start >= 32 else b""
    if footer[:8] == b"APETAGEX":
        length, flags = struct.unpack_from("<II", footer, 12)
        length += 32 if flags & 0x80000000 else 0  # the header, when there is one
        if not 32 <= length <= end - start:
            raise Invalid("The MP3 file is malformed: its APEv2 tag has an impossible length.")
        return "APEv2 tag", length
    if footer[-10:-5] == b"3DI\x04\x00":  # the footer of an ID3v2.4 tag appended at the end
        length = 20 + _syncsafe(footer[-4:])
        if length > end - start:
            raise Invalid("The MP3 file is malformed: its appended ID3v2 tag is too long.")
        return "ID3v2 tag", length
    return None


def _check_xing(file: BinaryIO, start: int, end: int) -> None:
    head = _read_at(file, start, 52)
    if len(head) < 52 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return
    at = max(head.find(b"Xing", 4, 40), head.find(b"Info", 4, 40))
    if at < 0:
        return
    (flags,) = struct.unpack_from(">I", head, at + 4)
    if not flags & 2:  # no byte count
        return
    (total,) = struct.unpack_from(">I", head, at + 8 + (4 if flags & 1 else 0))
    if end - start < total:
        raise Invalid(
            f"The MP3 file is truncated: its Xing header counts {total:,} bytes of audio, "
            f"but the file holds {end - start:,}."
        )


def strip_mp3(*, source: Path, target: Path) -> str:
    """Copy the MPEG frames of `source` to `target` without its tags; return what was removed."""
    describe_mp3(source)
    with source.open("rb") as file, target.open("wb") as out:
        start, end, found = _mp3_span(file)
        file.seek(start)
        left = end - start
        while left and (chunk := file.read(min(CHUNK, left))):
            out.write(chunk)
            left -= len(chunk)
    removed = ", ".join(found) or "No ID3 or APE tag found"
    return f"{removed} removed; MPEG audio frames copied unchanged."


def describe_ogg(path: Path) -> dict[str, Any]:
    """What `describe_recording` returns for an Ogg Vorbis, Opus, FLAC or Speex file."""
    audio = _ogg(path)
    _check_last_page(path)
    if audio.info.length <= 0:
        raise Invalid("The Ogg file is truncated: it has no complete page of audio.")
    named: dict[str, str] = {}
    for key, value in audio.tags or []:
        name, text = TEXT_TAGS.get(key.lower()), clean(value)
        if name and text:
            named.setdefault(name, text)
    return assemble(_audio_info(audio.info, opus=isinstance(audio, OggOpus)), named)


def _ogg(path: Path) -> Any:
    def load() -> Any:
        return mutagen.File(path, options=[OggVorbis, OggOpus, OggFLAC, OggSpeex])

    audio = _mutagen("Ogg file", load)
    if audio is None:
        raise Invalid("The Ogg file is malformed: it holds no Vorbis, Opus, FLAC or Speex audio.")
    return audio


def _check_last_page(path: Path) -> None:
    """Refuse a file whose last Ogg page runs past its end, as an interrupted upload does."""
    with path.open("rb") as file:
        serial = _read_at(file, 14, 4)
        size = file.seek(0, os.SEEK_END)
        tail = _read_at(file, max(0, size - 65536), 65536)
    at = tail.rfind(b"OggS\x00")
    if at < 0 or tail[at + 14 : at + 18] != serial or len(tail) < at + 27:
        return
    lacing = tail[at + 27 : at + 27 + tail[at + 26]]
    if len(lacing) < tail[at + 26] or at + 27 + len(lacing) + sum(lacing) > len(tail):
        raise Invalid("The Ogg file is truncated: its last page runs past the end of the file.")


def strip_ogg(*, source: Path, target: Path) -> str:
    """Copy `source` to `target` without its Vorbis comments; return what was removed."""
    describe_ogg(source)
    shutil.copyfile(source, target)
    _mutagen("Ogg file", lambda: _ogg(target).delete())
    return (
        f"Vorbis comments deleted with {MUTAGEN_READER} (the encoder's vendor string stays); "
        "audio packets unchanged."
    )


def _mutagen(label: str, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except Invalid:
        raise
    # mutagen raises many kinds of error on hostile input, not only its own.
    except Exception as exc:
        raise Invalid(f"The {label} is malformed: {str(exc) or type(exc).__name__}.") from None


def _audio_info(info: Any, *, opus: bool = False) -> dict[str, Any]:
    rate = 48_000 if opus else getattr(info, "sample_rate", 0)  # Opus always decodes at 48 kHz
    found = {
        "reader": MUTAGEN_READER,
        "duration_seconds": round(info.length, 3),
        "channels": getattr(info, "channels", 0),
        "sample_rate": rate,
    }
    return present(found)


# Shared with isobmff -------------------------------------------------------------------------


def assemble(
    found: dict[str, Any], named: dict[str, str], gps: dict[str, float] | None = None
) -> dict[str, Any]:
    """Sort text tags into capture time, place, device and the rest; omit what is absent.

    A capture time given as a tag (Apple's creationdate) wins over the movie header's, which
    editing software resets when it rewrites a file.
    """
    captured = _when(named.pop("creationdate", ""))
    place = _iso6709(named.get("location", ""))
    if place:
        del named["location"]
    device = {key: named.pop(key) for key in ("make", "model") if key in named}
    extra = {"captured_at": captured, "gps": place or gps, "device": device, "tags": named}
    return {**found, **present(extra)}


def _when(text: str) -> str | None:
    if len(text) <= 10:  # a year or a date alone is not a capture time
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone(UTC).isoformat() if moment.tzinfo else moment.isoformat()


def _iso6709(text: str) -> dict[str, float] | None:
    """±DD.D±DDD.D/, or with minutes and seconds: ±DDMMSS.S±DDDMMSS.S/, altitude ignored."""
    match = _ISO6709.match(text)
    if match is None:
        return None
    lat_sign, lat, lat_fraction, lon_sign, lon, lon_fraction = match.groups()
    return point(
        _sexagesimal(lat_sign, lat, lat_fraction, 2), _sexagesimal(lon_sign, lon, lon_fraction, 3)
    )


def _sexagesimal(sign: str, whole: str, fraction: str | None, width: int) -> float:
    parts = [whole[:width], *(whole[i : i + 2] for i in range(width, len(whole), 2))]
    values = [float(part) for part in parts]
    values[-1] += float(fraction or 0)  # the fraction belongs to the last unit given
    value = sum(part / 60.0**index for index, part in enumerate(values))
    return -value if sign == "-" else value


def point(lat: float, lon: float) -> dict[str, float] | None:
    """A GPS point rounded to 6 places, or None when it is off the globe."""
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


def present(found: dict[str, Any]) -> dict[str, Any]:
    """`found` without its empty values."""
    return {key: value for key, value in found.items() if value}


def clean(text: str) -> str | None:
    """Tag text without NULs and padding, cut to 1,000 characters; None when empty."""
    return text.replace("\x00", "").strip()[:1000] or None


def _syncsafe(data: bytes) -> int:
    return sum(byte << (7 * (len(data) - 1 - index)) for index, byte in enumerate(data))


def _read_at(file: BinaryIO, offset: int, count: int) -> bytes:
    file.seek(offset)
    return file.read(count)
