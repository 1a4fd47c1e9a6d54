"""One Merkle tree, built and questioned in a process of its own; prints one JSON line.

Run by ledger.py, with the project's Python for Sulh's `Tree` and with a separate
virtualenv's Python for pymerkle (plus PYTHONPATH=src, so that Sulh's verifier can check
pymerkle's inclusion proofs too). Only the standard library and the tree under test are
imported, so the process's peak RSS is the interpreter plus the tree.

    python bench/ledger_worker.py sulh-extend 1000000
"""

from __future__ import annotations

import importlib.util
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

IMPLEMENTATIONS = ("sulh-extend", "sulh-append-hash", "pymerkle-inmemory", "pymerkle-sqlite")
ENTRY_BYTES = 300
CHUNK = 10_000
SEED = 9162


def chunks(size: int) -> Iterator[list[bytes]]:
    """`size` entries of ENTRY_BYTES random bytes, CHUNK at a time, the same on every run."""
    for start in range(0, size, CHUNK):
        count = min(CHUNK, size - start)
        blob = random.Random(SEED + start).randbytes(count * ENTRY_BYTES)
        yield [blob[i : i + ENTRY_BYTES] for i in range(0, len(blob), ENTRY_BYTES)]


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def timed_us(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter_ns()
    value = call()
    return value, (time.perf_counter_ns() - started) / 1000


def latency(samples_us: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_us, n=100, method="inclusive")
    return {
        "n": len(samples_us),
        "median_us": statistics.median(samples_us),
        "p95_us": cuts[94],
        "mean_us": statistics.fmean(samples_us),
        "max_us": max(samples_us),
        "first_us": samples_us[0],  # pymerkle's SQLite tree starts with a cold cache
    }


def sample_sizes(size: int, count: int) -> tuple[list[int], list[int]]:
    """Random leaf indexes (0-based) and old sizes (1 ≤ old < size), the same on every run."""
    rng = random.Random(SEED)
    return [rng.randrange(size) for _ in range(count)], [
        rng.randrange(1, size) for _ in range(count)
    ]


def check_sizes(size: int) -> list[int]:
    """Sizes whose roots every implementation reports, so that ledger.py can compare them."""
    return sorted({s for s in (1, 2, 3, 1000, 65_536, size // 3, size - 1, size) if 0 < s <= size})


class SulhSubject:
    def __init__(self, mode: str) -> None:
        from sulh.ledger import merkle

        self.merkle = merkle
        self.mode = mode
        self.tree = merkle.Tree()

    def append(self, entries: list[bytes]) -> float:
        if self.mode == "sulh-extend":
            return timed_us(lambda: self.tree.extend(entries))[1]
        hashes = [self.merkle.leaf_hash(e) for e in entries]  # precomputed: not timed
        append_hash = self.tree.append_hash

        def append_all() -> None:
            for leaf in hashes:
                append_hash(leaf)

        return timed_us(append_all)[1]

    def root(self, size: int) -> bytes:
        return self.tree.root(size)

    def inclusion(self, index: int, size: int) -> Any:
        return self.tree.inclusion_proof(index, size)

    def consistency(self, old: int, new: int) -> Any:
        return self.tree.consistency_proof(old, new)

    def verify_inclusion(self, index: int, size: int, proof: Any, root: bytes) -> bool:
        leaf = self.tree.leaf(index)
        return _accepts(
            self.merkle.ProofError,
            lambda: self.merkle.verify_inclusion(
                index=index, size=size, leaf=leaf, proof=proof, root=root
            ),
        )

    def verify_consistency(
        self, old: int, new: int, proof: Any, roots: tuple[bytes, bytes]
    ) -> bool:
        return _accepts(
            self.merkle.ProofError,
            lambda: self.merkle.verify_consistency(
                old_size=old, new_size=new, old_root=roots[0], new_root=roots[1], proof=proof
            ),
        )

    def tampered(self, proof: list[bytes]) -> list[bytes]:
        return [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]

    def describe(self) -> dict[str, Any]:
        levels = self.tree._levels
        return {"tree_bytes": sum(len(level) for level in levels), "levels": len(levels)}


class PymerkleSubject:
    """pymerkle 7.0.0 counts leaves from 1; this adapter takes Sulh's 0-based indexes."""

    def __init__(self, mode: str, db: Path) -> None:
        import pymerkle

        self.pymerkle = pymerkle
        if mode == "pymerkle-inmemory":
            self.tree = pymerkle.InmemoryTree()
        else:
            db.unlink(missing_ok=True)
            self.tree = pymerkle.SqliteTree(str(db))
        self.db = db if mode == "pymerkle-sqlite" else None

    def append(self, entries: list[bytes]) -> float:
        return timed_us(lambda: self.tree.append_entries(entries))[1]

    def root(self, size: int) -> bytes:
        return bytes(self.tree.get_root(size))

    def inclusion(self, index: int, size: int) -> Any:
        return self.tree.prove_inclusion(index + 1, size)

    def consistency(self, old: int, new: int) -> Any:
        return self.tree.prove_consistency(old, new)

    def verify_inclusion(self, index: int, size: int, proof: Any, root: bytes) -> bool:
        leaf = bytes(self.tree.get_leaf(index + 1))
        return _accepts(
            self.pymerkle.InvalidProof,
            lambda: self.pymerkle.verify_inclusion(leaf, root, proof, index=index + 1, size=size),
        ) and _sulh_accepts(index, size, leaf, [bytes(p) for p in proof.path[1:]], root)

    def verify_consistency(
        self, old: int, new: int, proof: Any, roots: tuple[bytes, bytes]
    ) -> bool:
        return _accepts(
            self.pymerkle.InvalidProof,
            lambda: self.pymerkle.verify_consistency(
                roots[0], roots[1], proof, prior_size=old, later_size=new
            ),
        )

    def tampered(self, proof: Any) -> Any:
        copy = self.pymerkle.MerkleProof.deserialize(proof.serialize())
        last = bytes(copy.path[-1])
        copy.path[-1] = bytes([last[0] ^ 1]) + last[1:]
        return copy

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "sulh_verifier_checked_paths": importlib.util.find_spec("sulh") is not None
        }
        if self.db is not None:
            described["database_mb"] = round(self.db.stat().st_size / 1e6, 1)
        return described


def _accepts(error: type[Exception], check: Callable[[], Any]) -> bool:
    try:
        check()
    except error:
        return False
    return True


def _sulh_accepts(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    """Whether Sulh's verifier takes pymerkle's path too (when src/ is on PYTHONPATH)."""
    try:
        from sulh.ledger.merkle import ProofError, verify_inclusion
    except ImportError:
        return True
    return _accepts(
        ProofError,
        lambda: verify_inclusion(index=index, size=size, leaf=leaf, proof=proof, root=root),
    )


def build(subject: Any, size: int) -> dict[str, Any]:
    spent_us = sum(subject.append(entries) for entries in chunks(size))
    return {"append_s": spent_us / 1e6, "entries_per_s": size / (spent_us / 1e6)}


def prove(subject: Any, size: int, samples: int, verify: int) -> dict[str, Any]:
    indexes, olds = sample_sizes(size, samples)
    root, root_us = timed_us(lambda: subject.root(size))
    inclusion = [timed_us(lambda i=i: subject.inclusion(i, size)) for i in indexes]
    consistency = [timed_us(lambda o=o: subject.consistency(o, size)) for o in olds]
    good_inclusion = sum(
        subject.verify_inclusion(i, size, proof, root)
        for i, (proof, _) in zip(indexes[:verify], inclusion, strict=False)
    )
    good_consistency = sum(
        subject.verify_consistency(o, size, proof, (subject.root(o), root))
        for o, (proof, _) in zip(olds[:verify], consistency, strict=False)
    )
    proof, old = consistency[0][0], olds[0]
    return {
        "root_us": root_us,
        "inclusion": latency([us for _, us in inclusion]),
        "consistency": latency([us for _, us in consistency]),
        "verified": {
            "inclusion": f"{good_inclusion}/{min(verify, samples)}",
            "consistency": f"{good_consistency}/{min(verify, samples)}",
            "tampered_inclusion_refused": not subject.verify_inclusion(
                indexes[0], size, subject.tampered(inclusion[0][0]), root
            ),
            "tampered_consistency_refused": not subject.verify_consistency(
                old, size, subject.tampered(proof), (subject.root(old), root)
            ),
        },
    }


def main() -> None:
    mode, size = sys.argv[1], int(sys.argv[2])
    samples = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    verify = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    if mode not in IMPLEMENTATIONS:
        raise SystemExit(f"Unknown tree {mode!r}; choose one of {', '.join(IMPLEMENTATIONS)}.")
    if mode.startswith("sulh"):
        subject: Any = SulhSubject(mode)
    else:
        subject = PymerkleSubject(mode, Path(sys.argv[5]) if len(sys.argv) > 5 else Path("t.db"))
    result: dict[str, Any] = {"tree": mode, "size": size, "baseline_rss_mb": rss_mb()}
    result.update(build(subject, size))
    result["rss_after_build_mb"] = rss_mb()
    result.update(prove(subject, size, samples, verify))
    result["roots"] = {str(s): subject.root(s).hex() for s in check_sizes(size)}
    result.update(subject.describe())
    result["peak_rss_mb"] = rss_mb("VmHWM")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
