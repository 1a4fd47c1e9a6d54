"""Where the agreement files and demo scenario that ship with Sulh are found."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
# An installed wheel carries them inside the package; a source checkout keeps them at its root.
_CANDIDATES = (_PACKAGE / "_shipped", _PACKAGE.parents[1])


def shipped_path(*parts: str) -> Path:
    for root in _CANDIDATES:
        path = root.joinpath(*parts)
        if path.exists():
            return path
    raise FileNotFoundError(f"Shipped file {'/'.join(parts)!r} is missing from this installation.")


def shipped_agreement_path() -> Path:
    return shipped_path("agreements", "af-pk-2025.yaml")
