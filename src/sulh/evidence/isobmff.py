"""MP4, MOV and M4A files (the ISO base media file format): what they say about when, where and
on what device they were recorded and whose names they carry, and a copy without those things.
`recordings` dispatches these three media types here.

The box walker is our own rather than a library's so that its cost is bounded: it reads box
headers with seeks, descends only along the fixed paths where metadata lives (moov → udta and
meta; trak → mdia → hdlr, and minf → stbl → stsd for sound), skips a text payload over
MAX_TEXT bytes, stops after MAX_BOXES boxes and refuses a box that runs past its parent or the
file. A 200 MiB upload costs a few kilobytes of reads, and a hostile one cannot make it loop.

Stripping renames udta, meta and XMP boxes to 'free' and zeroes their contents and the creation
and modification times of the movie, its tracks and their media, in a byte-for-byte copy. No box
changes size, so the media data and the chunk offsets that point into it stay valid.
"""

from __future__ import annotations

import math
import os
import struct
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from sulh.errors import Invalid
from sulh.evidence.tagged_audio import CHUNK, TEXT_TAGS, assemble, clean, point, present

ISO_READER = "Sulh ISO-BMFF reader"
MAX_BOXES = 100_000
MAX_TEXT = 64 * 1024
MAX_KEYS = 1 << 20

_FIRST_BOXES = frozenset({b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot"})
_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
_EPOCH_1904 = datetime(1904, 1, 1, tzinfo=UTC)
_CLOCKS = frozenset({b"mvhd", b"tkhd", b"mdhd"})
# The only descent the stripper makes, which also bounds its depth: file → moov → trak → mdia.
_INNER = {b"": b"moov", b"moov": b"trak", b"trak": b"mdia"}

# Where MP4 and QuickTime keep device, place and people's names, under the names Sulh uses.
_ISO_ITEMS = {
    b"\xa9mak": "make",
    b"\xa9mod": "model",
    b"\xa9xyz": "location",
    b"\xa9ART": "artist",
    b"aART": "album_artist",
    b"\xa9aut": "author",
    b"auth": "author",
    b"perf": "performer",
    b"\xa9wrt": "composer",
    b"\xa9too": "encoder",
    b"\xa9swr": "encoder",
    b"\xa9enc": "encoded_by",
    b"\xa9cmt": "comment",
    b"cprt": "copyright",
    b"\xa9cpy": "copyright",
}


# The box walker ------------------------------------------------------------------------------


class _Box(NamedTuple):
    kind: bytes
    start: int
    body: int
    end: int

    @property
    def name(self) -> str:
        return "".join(c if c.isprintable() else "?" for c in self.kind.decode("latin-1"))


class _Walker:
    """Reads box headers from an open file, never more bytes than it is asked for."""

    def __init__(self, file: BinaryIO, size: int, label: str) -> None:
        self.file, self.size, self.label = file, size, label
        self.budget = MAX_BOXES

    def truncated(self, detail: str) -> Invalid:
        return Invalid(f"The {self.label} is truncated: {detail}.")

    def malformed(self, detail: str) -> Invalid:
        return Invalid(f"The {self.label} is malformed: {detail}.")

    def read(self, offset: int, count: int) -> bytes:
        self.file.seek(offset)
        data = self.file.read(count)
        if len(data) < count:
            raise self.truncated(f"it ends at byte {self.size:,}, inside data read at {offset:,}")
        return data

    def boxes(self, start: int, end: int, parent: _Box | None = None) -> Iterator[_Box]:
        offset = start
        while offset < end:
            box = self._header(offset, end, parent)
            yield box
            offset = box.end

    def children(self, box: _Box, skip: int = 0) -> Iterator[_Box]:
        return self.boxes(box.body + skip, box.end, box)

    def path(self, box: _Box | None, *kinds: bytes) -> _Box | None:
        for kind in kinds:
            if box is None:
                return None
            box = next((child for child in self.children(box) if child.kind == kind), None)
        return box

    def payload(self, box: _Box, limit: int) -> bytes | None:
        """The box's contents, or None when they are longer than `limit`."""
        return None if box.end - box.body > limit else self.read(box.body, box.end - box.body)

    def _header(self, offset: int, end: int, parent: _Box | None) -> _Box:
        self.budget -= 1
        if self.budget < 0:
            raise self.malformed(f"it has more than {MAX_BOXES:,} boxes")
        where = f"the end of box '{parent.name}'" if parent else "the end of the file"
        if end - offset < 8:
            raise self._overrun(parent, f"{end - offset} bytes at {where} are too few for a box")
        size, kind = struct.unpack(">I4s", self.read(offset, 8))
        body = offset + 8
        if size == 1:  # a 64-bit size follows the type
            if end - offset < 16:
                raise self._overrun(parent, f"box at byte {offset:,} is cut off")
            (size,) = struct.unpack(">Q", self.read(body, 8))
            body += 8
        elif size == 0:  # the box runs to the end of its container
            size = end - offset
        box = _Box(kind, offset, body, offset + size)
        if size < body - offset:
            raise self.malformed(f"box '{box.name}' at byte {offset:,} is smaller than its header")
        if box.end > end:
            claim = f"box '{box.name}' at byte {offset:,} claims {size:,} bytes"
            raise self._overrun(parent, f"{claim}, past {where}")
        return box

    def _overrun(self, parent: _Box | None, detail: str) -> Invalid:
        # Past the end of the file is a cut-off upload; past a parent is a broken file.
        return self.malformed(detail) if parent else self.truncated(detail)


@contextmanager
def _walker(path: Path, label: str) -> Iterator[_Walker]:
    with path.open("rb") as file:
        walker = _Walker(file, os.fstat(file.fileno()).st_size, label)
        head = file.read(8)
        if len(head) < 8 or head[4:] not in _FIRST_BOXES:
            raise walker.malformed("it does not start with an ftyp, moov or mdat box")
        yield walker


def _top_level(walker: _Walker) -> list[_Box]:
    """The file's movie and metadata boxes, after checking that every top-level box fits."""
    kept = [box for box in walker.boxes(0, walker.size) if box.kind in (b"moov", b"meta", b"uuid")]
    if not any(box.kind == b"moov" for box in kept):
        raise walker.truncated("it has no moov box, the index a recorder writes last")
    return kept


def _compressed(walker: _Walker) -> Invalid:
    return Invalid(f"The {walker.label} has a compressed movie header, which Sulh cannot read.")


# MP4, MOV and M4A ----------------------------------------------------------------------------


def describe_iso(path: Path, label: str, *, audio: bool) -> dict[str, Any]:
    """What `describe_recording` returns for an MP4, MOV or M4A file (`label` names it in
    errors); with `audio`, also the channels and sample rate of its first sound track."""
    with _walker(path, label) as walker:
        moov = next(box for box in _top_level(walker) if box.kind == b"moov")
        mvhd = walker.path(moov, b"mvhd")
        if mvhd is None:
            if walker.path(moov, b"cmov"):
                raise _compressed(walker)
            raise walker.malformed("its moov box has no mvhd (movie header) box")
        found = {"reader": ISO_READER, **_movie_header(walker, mvhd)}
        named, gps = _iso_named(walker, moov)
        if audio:
            found.update(_sound(walker, moov))
    return assemble(found, named, gps)


def _movie_header(walker: _Walker, mvhd: _Box) -> dict[str, Any]:
    head = walker.read(mvhd.body, min(32, mvhd.end - mvhd.body))
    width = 8 if head[:1] == b"\x01" else 4
    layout = ">4xQQIQ" if width == 8 else ">4xIIII"
    if len(head) < struct.calcsize(layout):
        raise walker.malformed("its mvhd box is too short")
    created, _, scale, duration = struct.unpack_from(layout, head)
    if scale == 0:
        raise walker.malformed("its mvhd box gives a time scale of 0")
    found: dict[str, Any] = {}
    if 0 < duration < (1 << (8 * width)) - 1:  # all ones: duration unknown
        found["duration_seconds"] = round(duration / scale, 3)
    try:
        if created:
            found["captured_at"] = (_EPOCH_1904 + timedelta(seconds=created)).isoformat()
    except OverflowError:
        pass
    return found


def _iso_named(walker: _Walker, moov: _Box) -> tuple[dict[str, str], dict[str, float] | None]:
    named: dict[str, str] = {}
    gps = None
    for box in walker.children(moov):
        if box.kind == b"meta":
            _read_meta(walker, box, named)
        if box.kind != b"udta":
            continue
        for item in walker.children(box):
            if item.kind == b"meta":
                _read_meta(walker, item, named)
            elif item.kind == b"loci":
                gps = gps or _loci(walker.payload(item, MAX_TEXT))
            elif item.kind in _ISO_ITEMS:
                text = _udta_text(item.kind, walker.payload(item, MAX_TEXT))
                if text:
                    named.setdefault(_ISO_ITEMS[item.kind], text)
    return named, gps


def _read_meta(walker: _Walker, meta: _Box, named: dict[str, str]) -> None:
    # ISO meta boxes start with a version and flags; QuickTime's go straight to their boxes.
    head = walker.read(meta.body, min(8, meta.end - meta.body))
    keys: list[str] = []
    for box in walker.children(meta, 0 if head[4:8] in (b"hdlr", b"keys", b"ilst") else 4):
        if box.kind == b"keys":
            keys = _keys(walker.payload(box, MAX_KEYS) or b"")
        if box.kind != b"ilst":
            continue
        for item in walker.children(box):
            name = _item_name(item.kind, keys)
            data = walker.path(item, b"data") if name else None
            text = _data_text(walker.payload(data, MAX_TEXT)) if data else None
            if name and text:
                named.setdefault(name, text)


def _keys(payload: bytes) -> list[str]:
    keys: list[str] = []
    offset = 8  # version, flags and entry count
    while offset + 8 <= len(payload):
        (size,) = struct.unpack_from(">I", payload, offset)
        if size < 8:
            break
        keys.append(payload[offset + 8 : offset + size].decode("utf-8", "replace"))
        offset += size
    return keys


def _item_name(kind: bytes, keys: list[str]) -> str | None:
    if kind in _ISO_ITEMS:
        return _ISO_ITEMS[kind]
    index = int.from_bytes(kind, "big")  # items of an `mdta` list are numbered after `keys`
    if not 1 <= index <= len(keys):
        return None
    return TEXT_TAGS.get(keys[index - 1].lower().removeprefix("com.apple.quicktime."))


def _data_text(payload: bytes | None) -> str | None:
    if payload is None or len(payload) < 8 or payload[1:4] != b"\x00\x00\x01":  # 1: UTF-8
        return None
    return clean(payload[8:].decode("utf-8", "replace"))


def _udta_text(kind: bytes, payload: bytes | None) -> str | None:
    if payload is None or len(payload) < 6:
        return None
    if kind[:1] == b"\xa9":  # QuickTime: length, language code (below 0x400: Mac encoding), text
        length, language = struct.unpack_from(">HH", payload)
        encoding = "mac_roman" if language < 0x400 else "utf-8"
        return clean(payload[4 : 4 + length].decode(encoding, "replace"))
    text = payload[6:]  # 3GPP: version and flags, language, then UTF-8 or UTF-16 with a BOM
    return clean(text.decode("utf-16" if text[:2] == b"\xfe\xff" else "utf-8", "replace"))


def _loci(payload: bytes | None) -> dict[str, float] | None:
    """The 3GPP location box: a place name, a role, then 16.16 longitude and latitude."""
    if payload is None:
        return None
    body = payload[6:]
    if body[:2] == b"\xfe\xff":
        end = next((i + 2 for i in range(2, len(body) - 1, 2) if body[i : i + 2] == b"\0\0"), -1)
    else:
        end = body.find(b"\0") + 1 or -1
    if end < 0 or len(body) < end + 9:
        return None
    lon, lat = struct.unpack_from(">ii", body, end + 1)
    return point(lat / 65536, lon / 65536)


def _sound(walker: _Walker, moov: _Box) -> dict[str, Any]:
    for trak in walker.children(moov):
        mdia = walker.path(trak, b"mdia") if trak.kind == b"trak" else None
        hdlr = walker.path(mdia, b"hdlr")
        if hdlr is None or hdlr.end - hdlr.body < 12 or walker.read(hdlr.body + 8, 4) != b"soun":
            continue
        stsd = walker.path(mdia, b"minf", b"stbl", b"stsd")
        entry = next(walker.children(stsd, 8), None) if stsd else None
        if entry is None or entry.end - entry.body < 28:
            return {}
        version, channels, rate = struct.unpack(">8xH6xH6xI", walker.read(entry.body, 28))
        rate >>= 16  # 16.16 fixed point
        if version == 2 and entry.end - entry.body >= 44:  # QuickTime's sound description v2
            rate_v2, channels = struct.unpack(">4xdI", walker.read(entry.body + 28, 16))
            rate = int(rate_v2) if math.isfinite(rate_v2) and 0 < rate_v2 < 1e7 else 0
        return present({"channels": channels, "sample_rate": rate})
    return {}


def strip_iso(*, source: Path, target: Path, label: str) -> str:
    """Copy `source` to `target` with its metadata boxes blanked; return what was removed."""
    describe_iso(source, label, audio=False)
    with _walker(source, label) as walker:
        patches: list[_Patch] = []
        blanked = _strip_boxes(walker, _top_level(walker), b"", patches)
        _copy_patched(walker.file, target, patches)
    boxes = "box" if blanked == 1 else "boxes"
    return (
        f"{blanked} metadata {boxes} (udta, meta, XMP) of the movie and its tracks blanked to "
        "'free' boxes of the same size, and the creation and modification times in mvhd, tkhd "
        "and mdhd zeroed; media data and chunk offsets unchanged."
    )


class _Patch(NamedTuple):
    start: int
    end: int
    data: bytes | None  # None: zeros


def _strip_boxes(walker: _Walker, boxes: Iterable[_Box], parent: bytes, out: list[_Patch]) -> int:
    """Patches (never overlapping: a patched box is not entered) that blank metadata boxes."""
    blanked = 0
    for box in boxes:
        if box.kind in (b"udta", b"meta") or _is_xmp(walker, box):
            out += [_Patch(box.start + 4, box.start + 8, b"free"), _Patch(box.body, box.end, None)]
            blanked += 1
        elif box.kind in _CLOCKS and box.end - box.body >= 20:
            width = 8 if walker.read(box.body, 1) == b"\x01" else 4
            out.append(_Patch(box.body + 4, box.body + 4 + 2 * width, None))
        elif box.kind == b"cmov":
            raise _compressed(walker)
        elif box.kind == _INNER.get(parent):
            blanked += _strip_boxes(walker, walker.children(box), box.kind, out)
    return blanked


def _is_xmp(walker: _Walker, box: _Box) -> bool:
    return (
        box.kind == b"uuid" and box.end - box.body >= 16 and walker.read(box.body, 16) == _XMP_UUID
    )


def _copy_patched(file: BinaryIO, target: Path, patches: list[_Patch]) -> None:
    patches.sort()
    first = 0
    file.seek(0)
    with target.open("wb") as out:
        offset = 0
        while chunk := file.read(CHUNK):
            block, end = bytearray(chunk), offset + len(chunk)
            while first < len(patches) and patches[first].end <= offset:
                first += 1
            for start, stop, data in patches[first:]:
                if start >= end:
                    break
                lo, hi = max(start, offset), min(stop, end)
                fill = bytes(hi - lo) if data is None else data[lo - start : hi - start]
                block[lo - offset : hi - offset] = fill
            out.write(block)
            offset = end
