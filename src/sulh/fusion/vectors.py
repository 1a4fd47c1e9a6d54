"""Text vectors for matching, when the embedding model is installed.

Matching without them still works on time, place, type and actors; a missing model must
never stop a report from being filed, so it is logged once and fusion goes on without text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

log = logging.getLogger(__name__)
_missing: list[str] = []


def vectors(texts: Sequence[str]) -> np.ndarray | None:
    """Unit vectors for `texts`, or None when the model is not installed."""
    if _missing:
        return None
    from sulh.fusion.embed import ModelNotInstalled, embedder

    try:
        model = embedder()
    except ModelNotInstalled as exc:
        _missing.append(str(exc))
        log.warning("Fusion compares no text: %s", exc)
        return None
    return model.embed(list(texts))
