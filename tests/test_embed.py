"""Sentence embeddings: the NumPy model against sentence-transformers' own vectors."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sulh.fusion import embed
from sulh.fusion.embed import DIMENSIONS, Embedder, ModelNotInstalled, cosine

REFERENCE = Path(__file__).with_name("data") / "fusion" / "minilm-reference.json"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return embed.embedder()


@pytest.fixture(scope="module")
def reference() -> list[dict[str, Any]]:
    sentences: list[dict[str, Any]] = json.loads(REFERENCE.read_text("utf-8"))["sentences"]
    return sentences


def test_matches_sentence_transformers(embedder: Embedder, reference: list[dict[str, Any]]) -> None:
    assert any(s["tokens"] > embed.MAX_TOKENS for s in reference), "no truncated sentence"
    vectors = embedder.embed([s["text"] for s in reference])
    for ours, sentence in zip(vectors, reference, strict=True):
        theirs = np.array(sentence["vector"])
        assert cosine(ours, theirs) >= 0.9999, sentence["text"]
        assert np.abs(ours - theirs).max() < 1e-4, sentence["text"]


def test_vectors_are_unit_float32(embedder: Embedder, reference: list[dict[str, Any]]) -> None:
    vectors = embedder.embed([s["text"] for s in reference])
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(reference), DIMENSIONS)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_order_survives_batching(embedder: Embedder, reference: list[dict[str, Any]]) -> None:
    texts = [s["text"] for s in reference]
    # Long and short interleaved, so sorting by length reorders them across batches.
    mixed = [texts[i] for i in (7, 6, 0, 5, 7, 2, 6, 1, 4, 3)]
    one_by_one = embedder.embed(mixed, batch=1)
    np.testing.assert_allclose(embedder.embed(mixed, batch=32), one_by_one, atol=1e-6)
    np.testing.assert_allclose(embedder.embed(mixed, batch=3), one_by_one, atol=1e-6)
    alone = np.array([embedder.embed([text])[0] for text in mixed])
    np.testing.assert_allclose(one_by_one, alone, atol=1e-6)


def test_paraphrase_is_closer_than_unrelated(embedder: Embedder) -> None:
    shelled, paraphrase, cooking = embedder.embed(
        [
            "Artillery shelled a border post overnight and two guards were wounded.",
            "Two guards were hurt when a frontier outpost came under shellfire in the night.",
            "Whisk the eggs with sugar until pale, then fold in the flour.",
        ]
    )
    assert cosine(shelled, paraphrase) > cosine(shelled, cooking) + 0.3


def test_empty_input(embedder: Embedder) -> None:
    assert embedder.embed([]).shape == (0, DIMENSIONS)


def test_cosine_of_zero_vector() -> None:
    assert cosine(np.zeros(3), np.ones(3)) == 0.0


def test_missing_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelNotInstalled, match="--no-deps"):
        embed.model_dir()
