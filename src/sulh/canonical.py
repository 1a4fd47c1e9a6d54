"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) for anything signed or logged.

Strings go through the standard library's C encoder, whose escapes are those of ECMAScript's
JSON.stringify; numbers are written as ECMAScript writes them; object members are sorted by
their UTF-16 code units.
"""

from __future__ import annotations

import math
from json.encoder import JSONEncoder, encode_basestring
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1
# Python's repr of a float is ECMAScript's shortest round-trip form exactly when it needs no
# exponent in either language and is not a whole number ("34.0" against "34").
_PLAIN_FLOATS = (1e-4, 1e16)
# For objects and arrays of ASCII keys, strings, safe integers, such floats, booleans and
# nulls, the standard library's C encoder writes exactly RFC 8785: the same escapes, numbers
# and key order. Rows and request bodies are mostly that shape; this path is several times
# faster than writing each value in Python.
_PLAIN = JSONEncoder(
    ensure_ascii=False,
    separators=(",", ":"),
    sort_keys=True,
    allow_nan=False,
    check_circular=False,
)


class NotCanonical(ValueError):
    """A value RFC 8785 cannot represent (NaN, infinity, a lone surrogate, a big integer…)."""


def canonical_json(value: Any) -> bytes:
    """Serialise `value` as RFC 8785 canonical JSON bytes."""
    if _is_plain(value):
        text = _PLAIN.encode(value)
    else:
        parts: list[str] = []
        _write(value, parts)
        text = "".join(parts)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise NotCanonical("Strings must be valid Unicode (no lone surrogates).") from None


def canonical_row(row: dict[str, Any], *, scalar: frozenset[str]) -> bytes:
    """`canonical_json(row)` for a row whose `scalar` columns hold only strings, booleans,
    nulls and integers by their column types: only the other columns need checking before
    the fast path. Still exactly RFC 8785 for any row a writer could have logged."""
    if "".join(row).isascii() and all(
        _is_plain(value) for key, value in row.items() if key not in scalar
    ):
        try:
            return _PLAIN.encode(row).encode("utf-8")
        except UnicodeEncodeError:
            raise NotCanonical("Strings must be valid Unicode (no lone surrogates).") from None
    return canonical_json(row)


def _is_plain(value: Any) -> bool:
    # Iterative, with the common scalars tested first: this runs on every logged row.
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if abs(item) > MAX_SAFE_INTEGER:
                return False
        elif kind is float:
            if not _PLAIN_FLOATS[0] <= abs(item) < _PLAIN_FLOATS[1] or item.is_integer():
                return False
        elif kind is dict:
            for key in item:
                if type(key) is not str or not key.isascii():
                    return False
            pending.extend(item.values())
        elif kind is list or kind is tuple:
            pending.extend(item)
        else:
            return False
    return True


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise NotCanonical(f"Integer {value} is outside the range JSON numbers keep exactly.")
        out.append(str(value))
    elif isinstance(value, float):
        out.append(es6_number(value))
    elif isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value, key=_utf16)):
            if not isinstance(key, str):
                raise NotCanonical(f"Object keys must be strings, not {type(key).__name__}.")
            out.append("," if i else "")
            out.append(encode_basestring(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            out.append("," if i else "")
            _write(item, out)
        out.append("]")
    else:
        raise NotCanonical(f"{type(value).__name__} has no JSON form.")


def _utf16(key: Any) -> bytes:
    return str(key).encode("utf-16-be", "surrogatepass")


def es6_number(number: float) -> str:
    """A finite double as ECMAScript's Number.prototype.toString writes it."""
    if not math.isfinite(number):
        raise NotCanonical(f"{number} has no JSON form.")
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + int(exponent or 0)  # the decimal point sits after `point` digits
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        power = n - 1
        head = digits[0] + ("." + digits[1:] if k > 1 else "")
        text = f"{head}e{'+' if power >= 0 else '-'}{abs(power)}"
    return sign + text
