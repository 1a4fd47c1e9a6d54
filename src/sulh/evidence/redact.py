"""Copies of a file without what identifies the person or device that made it.

GPS position, device make, model and serial, owner and author names, software, comments and
embedded thumbnails live in a file's metadata, never in its pixels or samples, so the copy
keeps the picture or the sound exactly where the format allows: JPEG, PNG and WAV lose
only metadata segments and chunks, copied byte for byte otherwise; GIF and WebP are
re-encoded without loss. Faces and other content are not touched: an analyst who judges
a file unsafe to show marks it internal only instead.

Each function writes the copy to `target` and returns how it was made, in a sentence that
the copy's record keeps.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pypdf
from PIL import Image
from PIL import __version__ as pillow_version

from sulh.errors import Invalid
from sulh.evidence.media import NOTHING_TO_REDACT, RECORDINGS
from sulh.evidence.recordings import strip_recording

CHUNK = 1024 * 1024
ORIENTATION = 0x0112

# JPEG segments kept: JFIF (APP0), an ICC profile (APP2), Adobe's colour transform (APP14);
# Exif and XMP (APP1), IPTC (APP13), C2PA (APP11), comments and the rest are left out.
_JPEG_APP_KEPT = {0xE0, 0xEE}
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
# PNG chunks kept: what draws the image; text, Exif, time and unknown chunks are left out.
_PNG_KEPT = {
    *(b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP"),
    *(b"sBIT", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"),
}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_WAV_KEPT = {b"fmt ", b"data", b"fact"}


def redact(*, source: Path, target: Path, media_type: str) -> str | None:
    """Write the redacted copy; None when the type carries no metadata (plain text), so the
    original itself may be shown."""
    if media_type in NOTHING_TO_REDACT:
        return None
    strip = _STRIPPERS.get(media_type)
    if strip is not None:
        return strip(source, target)
    if media_type in RECORDINGS:
        return strip_recording(source=source, target=target, media_type=media_type)
    raise Invalid(f"Sulh cannot yet make a copy of a {media_type} file without its metadata.")


def _jpeg(source: Path, target: Path) -> str:
    with source.open("rb") as stream, target.open("wb") as out:
        if stream.read(2) != b"\xff\xd8":
            raise Invalid("The JPEG file does not start with a JPEG marker.")
        out.write(b"\xff\xd8")
        orientation = _orientation(source)
        if orientation not in (None, 1):
            out.write(_exif_segment(orientation))
        _jpeg_segments(stream, out)
        _copy_to_end_of_image(stream, out)
    kept = f"orientation {orientation} kept; " if orientation not in (None, 1) else ""
    return (
        "JPEG with its Exif, XMP, IPTC, comment and content-credential segments and any data "
        f"after the image left out; {kept}compressed image data copied unchanged"
    )


def _orientation(source: Path) -> int | None:
    try:
        with Image.open(source) as image:
            value = image.getexif().get(ORIENTATION)
    except (OSError, SyntaxError, ValueError):
        return None
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _exif_segment(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    body = exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _jpeg_segments(stream: BinaryIO, out: BinaryIO) -> None:
    """Copy the header segments up to and including the start of scan, leaving out those
    that carry metadata."""
    while True:
        marker = stream.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            raise Invalid("The JPEG file is malformed: a segment does not start with a marker.")
        kind = marker[1]
        if kind in _JPEG_STANDALONE:
            out.write(marker)
            continue
        size = stream.read(2)
        if len(size) < 2 or struct.unpack(">H", size)[0] < 2:
            raise Invalid("The JPEG file is truncated inside its header.")
        body = stream.read(struct.unpack(">H", size)[0] - 2)
        if _keeps(kind, body):
            out.write(marker + size + body)
        if kind == 0xDA:  # start of scan: compressed data follows
            return


def _keeps(kind: int, body: bytes) -> bool:
    if kind == 0xE2:
        return body.startswith(b"ICC_PROFILE\x00")
    if 0xE0 <= kind <= 0xEF:
        return kind in _JPEG_APP_KEPT
    return kind != 0xFE  # comments


def _copy_to_end_of_image(stream: BinaryIO, out: BinaryIO) -> None:
    # In compressed data 0xFF is always followed by 0x00 or a restart marker, so the first
    # FF D9 is the end of the image; phones put more (previews with their own Exif) after it.
    carry = b""
    while chunk := stream.read(CHUNK):
        data = carry + chunk
        end = data.find(b"\xff\xd9")
        if end >= 0:
            out.write(data[: end + 2])
            return
        out.write(data[:-1])
        carry = data[-1:]
    raise Invalid("The JPEG file is truncated: it has no end-of-image marker.")


def _png(source: Path, target: Path) -> str:
    with source.open("rb") as stream, target.open("wb") as out:
        if stream.read(8) != _PNG_SIGNATURE:
            raise Invalid("The PNG file does not start with the PNG signature.")
        out.write(_PNG_SIGNATURE)
        while header := stream.read(8):
            if len(header) < 8:
                raise Invalid("The PNG file is truncated inside a chunk header.")
            length, kind = struct.unpack(">I", header[:4])[0], header[4:]
            if kind in _PNG_KEPT:
                out.write(header)
                _copy_exactly(stream, out, length + 4)
            else:
                stream.seek(length + 4, 1)
            if kind == b"IEND":
                break
    return "PNG with its text, Exif, time and unknown chunks left out; image data unchanged"


def _wav(source: Path, target: Path) -> str:
    with source.open("rb") as stream, target.open("wb") as out:
        head = stream.read(12)
        if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise Invalid("The WAV file does not start with a RIFF WAVE header.")
        out.write(head)
        while header := stream.read(8):
            if len(header) < 8:
                raise Invalid("The WAV file is truncated inside a chunk header.")
            kind, size = header[:4], struct.unpack("<I", header[4:])[0]
            padded = size + (size & 1)
            if kind in _WAV_KEPT:
                out.write(header)
                _copy_exactly(stream, out, padded)
            else:
                stream.seek(padded, 1)
        size = out.tell()
        out.seek(4)
        out.write(struct.pack("<I", size - 8))
    return "WAV with its INFO, broadcast and other descriptive chunks left out; samples unchanged"


def _copy_exactly(stream: BinaryIO, out: BinaryIO, size: int) -> None:
    while size > 0:
        chunk = stream.read(min(size, CHUNK))
        if not chunk:
            raise Invalid("The file is truncated: a chunk runs past its end.")
        out.write(chunk)
        size -= len(chunk)


def _pdf(source: Path, target: Path) -> str:
    with source.open("rb") as stream:
        try:
            writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(stream))
            writer.metadata = None
            writer.root_object.pop("/Metadata", None)
            with target.open("wb") as out:
                writer.write(out)
        # pypdf raises many kinds of error on hostile input, not only its own.
        except Exception as exc:
            raise Invalid(f"The PDF could not be copied without its metadata: {exc}.") from None
    return (
        f"PDF rewritten by pypdf {pypdf.__version__} without its document information "
        "(author, creator, producer, dates) or XMP metadata; pages unchanged"
    )


def _pillow(pillow_format: str) -> Callable[[Path, Path], str]:
    def strip(source: Path, target: Path) -> str:
        with Image.open(source, formats=[pillow_format]) as image:
            options: dict[str, object] = {"lossless": True} if pillow_format == "WEBP" else {}
            image.info.pop("exif", None)
            image.info.pop("xmp", None)
            image.info.pop("comment", None)
            animated = getattr(image, "is_animated", False)
            image.save(target, format=pillow_format, save_all=animated, **options)
        return (
            f"{pillow_format} re-encoded without loss by Pillow {pillow_version}, its Exif, "
            "XMP and comments not carried over"
        )

    return strip


_STRIPPERS: dict[str, Callable[[Path, Path], str]] = {
    "image/jpeg": _jpeg,
    "image/png": _png,
    "image/gif": _pillow("GIF"),
    "image/webp": _pillow("WEBP"),
    "audio/wav": _wav,
    "application/pdf": _pdf,
}
