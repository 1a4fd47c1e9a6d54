"""Canonical JSON agrees with the reference RFC 8785 implementation on every value."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from sulh.canonical import (
    MAX_SAFE_INTEGER,
    NotCanonical,
    canonical_json,
    canonical_row,
    es6_number,
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.text()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


def agrees_with_the_reference(encode: Callable[[Any], bytes], value: Any) -> None:
    """`encode(value)` gives rfc8785's bytes, or refuses what rfc8785 refuses."""
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        with pytest.raises(NotCanonical):
            encode(value)
        return
    assert encode(value) == expected


@given(json_values)
def test_matches_the_reference_implementation(value: object) -> None:
    agrees_with_the_reference(canonical_json, value)


flat_rows = st.dictionaries(
    st.text(st.characters(codec="ascii"), max_size=12),
    st.recursive(
        st.none()
        | st.booleans()
        | st.text()
        | st.integers(-(2**60), 2**60)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.floats(min_value=-1e17, max_value=1e17, allow_nan=False),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(st.characters(codec="ascii"), max_size=6), inner, max_size=4)
        ),
        max_leaves=12,
    ),
    max_size=25,
)


@given(flat_rows)
def test_rows_take_the_fast_path_to_the_same_bytes(value: dict[str, object]) -> None:
    agrees_with_the_reference(canonical_json, value)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (-0.0, "0"),
        (123.456, "123.456"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (33.0, "33"),
        (-1.5, "-1.5"),
    ],
)
def test_numbers_are_written_as_ecmascript_writes_them(number: float, text: str) -> None:
    assert es6_number(number) == text


def test_values_without_a_canonical_form_are_refused() -> None:
    for value in (math.nan, math.inf, 2**60, "\ud800", {1: "x"}, b"bytes"):
        with pytest.raises(NotCanonical):
            canonical_json(value)


def test_members_sort_by_utf16_code_units() -> None:
    assert canonical_json({"\ue000": 1, "\U0001f600": 2}) == rfc8785.dumps(
        {"\ue000": 1, "\U0001f600": 2}
    )


@given(json_values)
def test_commitments_take_the_canonical_bytes_of_any_value(value: object) -> None:
    from hashlib import sha256

    from sulh.ledger.entries import commitment, field_salt

    try:
        expected = sha256(field_salt(b"s" * 16, "f") + canonical_json(value)).hexdigest()
    except NotCanonical:
        return
    assert commitment(b"s" * 16, "f", value) == expected


@given(flat_rows)
def test_rows_whose_scalar_columns_are_known_skip_their_check(value: dict[str, object]) -> None:
    scalar = frozenset(
        key
        for key, item in value.items()
        if type(item) in (str, bool, type(None))
        or (type(item) is int and abs(item) <= MAX_SAFE_INTEGER)
    )
    agrees_with_the_reference(lambda row: canonical_row(row, scalar=scalar), value)
