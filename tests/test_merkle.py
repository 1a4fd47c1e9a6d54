"""RFC 9162 Merkle proofs: the official vectors, and property tests against the definition."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sulh.ledger.merkle import (
    EMPTY_ROOT,
    ProofError,
    Tree,
    leaf_hash,
    naive_root,
    verify_consistency,
    verify_inclusion,
)
from tests.conftest import SHARED

VECTORS = SHARED / "testdata" / "merkle"


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _vectors(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).rglob("*.json"))


def test_all_official_vectors_are_present() -> None:
    assert len(_vectors("inclusion")) + len(_vectors("consistency")) == 196


@pytest.mark.parametrize("path", _vectors("inclusion"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_inclusion_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    check = lambda: verify_inclusion(  # noqa: E731
        index=case["leafIdx"],
        size=case["treeSize"],
        leaf=_b64(case["leafHash"]),
        proof=[_b64(p) for p in case["proof"] or []],
        root=_b64(case["root"]),
    )
    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("path", _vectors("consistency"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_consistency_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    check = lambda: verify_consistency(  # noqa: E731
        old_size=case["size1"],
        new_size=case["size2"],
        old_root=_b64(case["root1"]),
        new_root=_b64(case["root2"]),
        proof=[_b64(p) for p in case["proof"] or []],
    )
    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


def _tree(entries: list[bytes]) -> Tree:
    tree = Tree()
    tree.extend(entries)
    return tree


entries_st = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


@given(entries_st)
def test_roots_match_the_definition_at_every_size(entries: list[bytes]) -> None:
    tree = _tree(entries)
    assert tree.root(0) == EMPTY_ROOT
    for size in range(1, len(entries) + 1):
        assert tree.root(size) == naive_root(entries[:size])


@given(entries_st, st.data())
def test_inclusion_proofs_verify_and_detect_tampering(
    entries: list[bytes], data: st.DataObject
) -> None:
    tree = _tree(entries)
    size = data.draw(st.integers(1, len(entries)))
    index = data.draw(st.integers(0, size - 1))
    proof = tree.inclusion_proof(index, size)
    root = naive_root(entries[:size])
    verify_inclusion(index=index, size=size, leaf=leaf_hash(entries[index]), proof=proof, root=root)
    with pytest.raises(ProofError):
        verify_inclusion(
            index=index, size=size, leaf=leaf_hash(entries[index] + b"x"), proof=proof, root=root
        )
    other = (index + 1) % size
    if entries[other] != entries[index]:
        with pytest.raises(ProofError):
            verify_inclusion(
                index=other, size=size, leaf=leaf_hash(entries[index]), proof=proof, root=root
            )


@given(entries_st, st.data())
def test_consistency_proofs_verify_and_detect_forks(
    entries: list[bytes], data: st.DataObject
) -> None:
    tree = _tree(entries)
    new = data.draw(st.integers(1, len(entries)))
    old = data.draw(st.integers(1, new))
    proof = tree.consistency_proof(old, new)
    old_root, new_root = naive_root(entries[:old]), naive_root(entries[:new])
    verify_consistency(
        old_size=old, new_size=new, old_root=old_root, new_root=new_root, proof=proof
    )
    forked = naive_root([b"forged", *entries[1:old]])
    if forked != old_root:
        with pytest.raises(ProofError):
            verify_consistency(
                old_size=old, new_size=new, old_root=forked, new_root=new_root, proof=proof
            )


def test_proofs_out_of_range_are_refused() -> None:
    tree = _tree([b"a", b"b", b"c"])
    with pytest.raises(ProofError, match="out of range"):
        tree.inclusion_proof(0, 4)
    with pytest.raises(ProofError, match="not in a tree of size 3"):
        tree.inclusion_proof(3, 3)
    with pytest.raises(ProofError, match="No consistency proof"):
        tree.consistency_proof(0, 3)
