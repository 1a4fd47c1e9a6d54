"""Media types found from a file's first bytes (its magic numbers), never from the sender.

A sender's declared type is kept beside the sniffed one, so that a file passed off as
something else shows it; the sniffed type is the one Sulh serves and trusts.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

OCTET_STREAM = "application/octet-stream"

# What the locker accepts, with the extension a file of each type is given when unnamed.
EXTENSIONS: dict[str, str] = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "audio/mp4": ".m4a",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
    "audio/ogg": ".ogg",
    "text/plain": ".txt",
}
ALLOWED = frozenset(EXTENSIONS)
# Files with no metadata to remove: shown as they are beyond the internal tier.
NOTHING_TO_REDACT = frozenset({"text/plain"})
# Audio and video that recordings.py reads and strips (WAV is read with the images and PDFs).
RECORDINGS = frozenset({"video/mp4", "video/quicktime", "audio/mp4", "audio/mpeg", "audio/ogg"})
HEAD = 4096
MAX_DECLARED = 100

_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"OggS", "audio/ogg"),
    (b"ID3", "audio/mpeg"),
)
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav"}
# ISO base media files (MP4, MOV, HEIC…) name their kind by a brand in the `ftyp` box.
_BRANDS = {
    b"qt  ": "video/quicktime",
    b"M4A ": "audio/mp4",
    b"M4B ": "audio/mp4",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"avif": "image/avif",
}
# Older QuickTime files start with a movie or data atom instead of `ftyp`.
_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide")


def sniff(data: bytes) -> str:
    """The media type the bytes show; application/octet-stream when none is recognised."""
    for magic, media_type in _PREFIXES:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] in _RIFF:
        return _RIFF[data[8:12]]
    if data[4:8] == b"ftyp" and len(data) >= 12:
        return _BRANDS.get(data[8:12], "video/mp4")
    if data[4:8] in _QUICKTIME_ATOMS:
        return "video/quicktime"
    if _mpeg_audio_frame(data[:4]):
        return "audio/mpeg"
    if _plain_text(data):
        return "text/plain"
    return OCTET_STREAM


def sniff_file(path: Path) -> str:
    """The media type of a stored file, reading only its head (and, for text, the rest in
    chunks, since every byte of a text file must be UTF-8)."""
    with path.open("rb") as stream:
        head = stream.read(HEAD)
        media_type = sniff(head)
        if media_type != "text/plain":
            return media_type
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        while chunk:
            if b"\x00" in chunk:
                return OCTET_STREAM
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return OCTET_STREAM
            chunk = stream.read(1024 * 1024)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return OCTET_STREAM
    return media_type


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MP3 without an ID3 tag starts with a frame header: 11 sync bits, then valid fields."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate != 15 and rate != 3


def _plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        # A head cut inside a character is still text; sniff_file checks the whole file.
        codecs.getincrementaldecoder("utf-8")().decode(data)
    except UnicodeDecodeError:
        return False
    return True


def declared(value: str | None) -> str | None:
    """The type a sender declared, as recorded: parameters dropped, control characters out."""
    if value is None:
        return None
    kept = "".join(c for c in value.split(";", 1)[0] if unicodedata.category(c) != "Cc")
    return kept.strip().lower()[:MAX_DECLARED] or None


def extension(media_type: str) -> str:
    return EXTENSIONS.get(media_type, "")
