"""Sentences with their offsets, so that every extracted fact can point back at its words."""

from __future__ import annotations

import re
from dataclasses import dataclass

# One-for-one replacements only: offsets into the cleaned text are offsets into the original.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt brig adm gov sen rep st jr sr no vs etc
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k t.t.p i.s e.g i.e approx
    est dept govt""".split()
)
_END = re.compile(r"""[.!?]+["')\]]*(?=\s+["'(\[]?[A-Z0-9])|\n\s*""")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def plain(text: str) -> str:
    """`text` with typographic quotes, dashes and spaces made plain, same length."""
    return text.translate(_PLAIN)


def sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; offsets index `text` itself."""
    found: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        if match.group().startswith(".") and _after_abbreviation(text, match.start()):
            continue
        _add(found, text, start, match.end())
        start = match.end()
    _add(found, text, start, len(text))
    return found


def _after_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].strip("\"'(").lower()
    # "T.T.P." and "U.N." and single initials such as "J." are abbreviations too.
    return word in _ABBREVIATIONS or len(word) == 1 or bool(re.fullmatch(r"(?:\w\.)+\w", word))


def _add(found: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + piece.index(stripped)
    found.append(Sentence(offset, offset + len(stripped), stripped))
