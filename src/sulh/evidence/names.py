"""File names as senders give them, made safe to store and to offer back for download."""

from __future__ import annotations

import unicodedata

MAX_NAME = 200
MAX_EXTENSION = 16
# Bidirectional embeddings, overrides and isolates can make "photo\u202egpj.exe" read as
# "photoexe.jpg"; the invisible marks used in Arabic-script names (ZWNJ and others) stay.
_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def clean_filename(name: str | None, *, fallback: str) -> str:
    """The last part of `name`, without control characters, at most 200 characters;
    `fallback` when nothing is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(c for c in text if unicodedata.category(c) != "Cc" and c not in _BIDI_CONTROLS)
    text = text.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if text in ("", ".", ".."):
        return fallback
    return _shorten(text)


def _shorten(name: str) -> str:
    if len(name) <= MAX_NAME:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and len(suffix) <= MAX_EXTENSION:
        return f"{stem[: MAX_NAME - len(suffix) - 1].rstrip()}.{suffix}"
    return name[:MAX_NAME]
