"""The Merkle tree of RFC 9162 §2.1: hashes, proofs, and their verification.

`Tree` keeps every complete aligned subtree hash, level by level, in contiguous bytearrays,
so a proof for any size up to the current one costs O(log n) lookups and a few hashes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256

from sulh.errors import Invalid

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()


class ProofError(Invalid):
    """A proof, root or size that does not verify; the message says which check failed."""

    code = "proof_invalid"


def leaf_hash(entry: bytes) -> bytes:
    return sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def naive_root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) computed straight from the definition; for tests and cross-checks."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = _split(len(leaves))
    return node_hash(naive_root(leaves[:k]), naive_root(leaves[k:]))


class Tree:
    """An append-only Merkle tree over leaf hashes."""

    def __init__(self) -> None:
        self._levels: list[bytearray] = [bytearray()]

    @property
    def size(self) -> int:
        return len(self._levels[0]) // HASH_SIZE

    def append_hash(self, leaf: bytes) -> int:
        """Append a leaf hash; return its index."""
        index = self.size
        self._levels[0] += leaf
        level, count, node = 0, index + 1, leaf
        while count % 2 == 0:
            left = self._node(level, count - 2)
            node = node_hash(left, node)
            level += 1
            count //= 2
            if level == len(self._levels):
                self._levels.append(bytearray())
            self._levels[level] += node
        return index

    def extend(self, entries: Iterable[bytes]) -> None:
        for entry in entries:
            self.append_hash(leaf_hash(entry))

    def _node(self, level: int, index: int) -> bytes:
        start = index * HASH_SIZE
        return bytes(self._levels[level][start : start + HASH_SIZE])

    def leaf(self, index: int) -> bytes:
        return self._node(0, index)

    def _range(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) where `start` is aligned to the largest power of two ≤ end-start."""
        n = end - start
        if n & (n - 1) == 0:
            return self._node(n.bit_length() - 1, start // n)
        k = _split(n)
        return node_hash(self._range(start, start + k), self._range(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        size = self.size if size is None else size
        self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._range(0, size)

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ProofError(
                f"Tree size {size} is out of range: the log holds {self.size} entries."
            )

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[size]) of RFC 9162 §2.1.3.1."""
        self._check_size(size)
        if not 0 <= index < size:
            raise ProofError(f"Index {index} is not in a tree of size {size}.")
        proof: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                proof.append(self._range(start + k, end))
                end = start + k
            else:
                proof.append(self._range(start, start + k))
                start += k
        proof.reverse()
        return proof

    def consistency_proof(self, old: int, new: int) -> list[bytes]:
        """PROOF(old, D[new]) of RFC 9162 §2.1.4.1."""
        self._check_size(new)
        if not 0 < old <= new:
            raise ProofError(f"No consistency proof from size {old} to size {new}.")
        proof: list[bytes] = []
        start, end, complete = 0, new, True
        while old != end:  # in the subtree D[start:end], m = old - start
            k = _split(end - start)
            if old - start <= k:
                proof.append(self._range(start + k, end))
                end = start + k
            else:
                proof.append(self._range(start, start + k))
                start += k
                complete = False
        if not complete:
            proof.append(self._range(start, end))
        proof.reverse()
        return proof


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"The {what} is {len(value)} bytes long, not {HASH_SIZE}.")


def verify_inclusion(
    *, index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check an inclusion proof (RFC 9162 §2.1.3.2); raise ProofError naming the failure."""
    if not 0 <= index < size:
        raise ProofError(f"Index {index} is not in a tree of size {size}.")
    _check_hash(leaf, "leaf hash")
    _check_hash(root, "root")
    for item in proof:
        _check_hash(item, "proof hash")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("The inclusion proof is longer than the tree is deep.")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("The inclusion proof is shorter than the tree is deep.")
    if r != root:
        raise ProofError("The inclusion proof does not lead to the given root.")


def verify_consistency(
    *, old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check a consistency proof (RFC 9162 §2.1.4.2); raise ProofError naming the failure."""
    if old_size > new_size:
        raise ProofError(f"The old size {old_size} is larger than the new size {new_size}.")
    if old_size == 0:
        raise ProofError("A consistency proof from an empty tree proves nothing.")
    if old_size == new_size:
        if proof:
            raise ProofError("Equal sizes need an empty consistency proof.")
        if old_root != new_root:
            raise ProofError("Equal sizes but different roots: the log has forked.")
        return
    _check_hash(old_root, "old root")
    _check_hash(new_root, "new root")
    for item in proof:
        _check_hash(item, "proof hash")
    if not proof:
        raise ProofError("The consistency proof is empty.")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("The consistency proof is longer than the tree is deep.")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("The consistency proof is shorter than the tree is deep.")
    if fr != old_root:
        raise ProofError("The consistency proof does not lead to the old root.")
    if sr != new_root:
        raise ProofError("The consistency proof does not lead to the new root.")
