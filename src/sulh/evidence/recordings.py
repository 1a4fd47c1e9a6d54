"""What an audio or video file says about itself (when, where, on what device, and whose names
its tags carry) and a copy of it with those things removed, so a recording can be shared
without exposing whoever made it.

This module holds the entry points and sends each media type to its reader: MP4, MOV and M4A
to `isobmff`, whose own box walker reads a few kilobytes of headers however large the file;
MP3 and Ogg to `tagged_audio`, which reads their tags with mutagen. Both refuse truncated or
malformed files with `Invalid`, and neither moves or re-encodes the media data when stripping.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sulh.errors import Invalid
from sulh.evidence.isobmff import describe_iso, strip_iso
from sulh.evidence.tagged_audio import describe_mp3, describe_ogg, strip_mp3, strip_ogg

_LABELS = {
    "video/mp4": "MP4 file",
    "video/quicktime": "MOV file",
    "audio/mp4": "M4A file",
    "audio/mpeg": "MP3 file",
    "audio/ogg": "Ogg file",
}
# The media types this module reads and strips (WAV is read by `metadata`).
RECORDINGS = frozenset(_LABELS)
_ISO_TYPES = frozenset({"video/mp4", "video/quicktime", "audio/mp4"})


def describe_recording(path: Path, media_type: str) -> dict[str, Any]:
    """JSON-safe metadata of an MP4, MOV, M4A, MP3 or Ogg file: `reader`, `duration_seconds`,
    and when the file says so `captured_at`, `gps`, `device`, `channels`, `sample_rate` and
    `tags` (names of people and software).

    Raises `Invalid` when the file is truncated or malformed.
    """
    label = _label(media_type)
    if media_type in _ISO_TYPES:
        return describe_iso(path, label, audio=media_type.startswith("audio/"))
    if media_type == "audio/mpeg":
        return describe_mp3(path)
    return describe_ogg(path)


def strip_recording(*, source: Path, target: Path, media_type: str) -> str:
    """Write to `target` a copy of `source` without its identifying metadata; return a
    sentence saying what was removed, to record as the derivation method.

    The source is checked before anything is written; on failure no target is left behind.
    """
    label = _label(media_type)
    if target.exists() and os.path.samefile(source, target):
        raise ValueError("A recording cannot be stripped onto itself.")
    try:
        if media_type in _ISO_TYPES:
            return strip_iso(source=source, target=target, label=label)
        if media_type == "audio/mpeg":
            return strip_mp3(source=source, target=target)
        return strip_ogg(source=source, target=target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _label(media_type: str) -> str:
    if media_type not in _LABELS:
        raise Invalid(f"Sulh does not read or strip the metadata of {media_type} recordings.")
    return _LABELS[media_type]
