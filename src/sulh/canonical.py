"""Canonical JSON (RFC 8785) for anything signed or logged."""

from __future__ import annotations

from typing import Any

import rfc8785


def canonical_json(value: Any) -> bytes:
    """Serialise `value` as RFC 8785 canonical JSON bytes."""
    return rfc8785.dumps(value)
