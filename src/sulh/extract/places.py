"""Places of Pakistan and Afghanistan in English news text, from the shipped offline gazetteer.

The gazetteer is ``data/places.tsv`` (built by ``scripts/build-gazetteer``). Matching rules:

* A name matches only with the capitals it is written with: news capitalises place names, so
  "direct", "the bar" or "chaman" never match. All-capital headlines are not matched either.
* Diacritics fold (Spīn Bōldak = Spin Boldak); spaces and hyphens are interchangeable, and the
  linking vowels i, e and ye may come or go between words (Mazar-i-Sharif = Mazar-e Sharif).
* A match never starts or ends inside a word ("Pakistani" holds no "Pakistan"); a possessive
  "'s" stays outside it ("Kabul's" gives "Kabul"). Names under three letters never match.
* Names that are also common words or personal names (``CUE_NAMES``: Tank, Khurram, Mir Ali…)
  match only after a place preposition ("in Tank") or before a place word ("Tank district").
* The longest name wins and mentions never overlap.

When several places share a name, a place word decides: "province" (or "province of X") picks
the province; "district", "agency" or "tehsil" the district; "city", "town" or "village" the
town; "crossing", "border" or "gate" the crossing. A plural one ("Khost and Paktika provinces")
covers the whole list. Otherwise the default is town, then city area, village, crossing,
district, region, province, country, so "Khost" is the city and "Khost province" the province;
ties keep the order of places.tsv.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sulh.errors import Invalid, UnknownReference

DEFAULT_PATH = Path(__file__).parent / "data" / "places.tsv"
# The few places abroad where the parties meet, mediators host talks, or news is datelined.
ABROAD_PATH = Path(__file__).parent / "data" / "abroad.tsv"
COLUMNS = ("id", "name", "alternates", "country", "admin1", "lat", "lon", "precision", "kind",
           "notes")  # fmt: skip
PRECISIONS = frozenset({"point", "town", "district", "province", "country"})
KINDS = ("town", "city-area", "village", "crossing", "district", "region", "province", "country")
CUE_NAMES = frozenset({
    "tank", "hub", "khurram", "farah", "mir ali", "ghulam khan", "kot", "bak", "reg", "dand",
    "nesh", "daman", "kang", "wama", "tani", "tanai", "tanay", "dila", "nika", "naka", "neka",
    "gayan", "gyan", "gomal", "mata khan", "sayed karam", "zadran", "jaji", "gurbuz", "gurbaz",
    "qalandar", "sabari", "yaqubi", "shamal", "kakar", "mizan", "maruf", "ghaziabad", "narang",
    "sherzad", "washer", "kama", "mach", "darra", "pech", "doab", "nari", "sada", "makin",
    "daur", "moro", "gulistan",
})  # fmt: skip
_PLACE_WORDS: dict[str, tuple[str, ...]] = {
    "province": ("province",), "district": ("district",), "agency": ("district",),
    "agencies": ("district",), "tehsil": ("district",), "city": ("town", "city-area"),
    "town": ("town", "city-area"), "village": ("village", "town"), "crossing": ("crossing",),
    "border": ("crossing",), "gate": ("crossing",), "valley": (), "area": (), "region": (),
}  # fmt: skip
_PLACE_WORDS |= {w + "s": _PLACE_WORDS[w] for w in ("province", "district", "tehsil")}
_PREPOSITIONS = frozenset("in at near from to of across through via into toward towards around "
                          "outside inside between along".split())  # fmt: skip
_CONNECTORS = frozenset({"i", "e", "ye"})
_TOKEN = re.compile(r"\w+(?:'\w+)*")
_START = re.compile(r"[A-Z]\w*(?:'\w+)*")
_NEXT = re.compile(r"(?:\s+|\s*-\s*|\.\s*)(?:(?:i|e|ye)(?:\s+|\s*-\s*))?(\w+(?:'\w+)*)")
_AFTER = re.compile(r"(?:'s)?\s+(?:tribal\s+)?([A-Za-z]+)\b")
_CAPITALISED = re.compile(r"\s+[A-Z]")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LIST_GAP = re.compile(r"(?:'s)?(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*&\s*)")
_SPECIAL = {"ı": "i"} | dict.fromkeys("’‘ʼʻʿʾ`´", "'") | dict.fromkeys("‐‑‒", "-")


@cache
def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return _SPECIAL.get(char) or (base if len(base) == 1 else char)


def fold(text: str) -> str:
    """Drop diacritics and unify apostrophes and hyphens, one character for one (offsets hold)."""
    return text if text.isascii() else _NON_ASCII.sub(lambda m: _fold_char(m.group()), text)


def _words(folded: str) -> list[str]:
    words = [t.replace("'", "") for t in _TOKEN.findall(folded)]
    return words[:1] + [w for w in words[1:] if w not in _CONNECTORS]


def name_key(name: str) -> str:
    """The key two spellings share when the matcher treats them as the same name."""
    return " ".join(_words(fold(name))).lower()


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    precision: str
    kind: str

    def as_json(self) -> dict[str, str | float | None]:
        """The shape of one entry of the extractor's "places" field."""
        return {"name": self.name, "country": self.country, "admin1": self.admin1 or None,
                "lat": self.lat, "lon": self.lon, "precision": self.precision}  # fmt: skip


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place


class _Node:
    __slots__ = ("children", "key")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.key: str | None = None


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    key: str
    wanted: tuple[str, ...]
    plural: bool


class Gazetteer:
    """Places by id and by name, and a trie of name words that finds them in text."""

    def __init__(self, places: list[tuple[Place, list[str]]]) -> None:
        self._by_id = {place.id: place for place, _ in places}
        by_key: dict[str, list[Place]] = {}
        self._root = _Node()
        for place, names in places:
            for name in names:
                words = _words(fold(name))
                key = " ".join(words).lower()
                if place not in by_key.setdefault(key, []):
                    by_key[key].append(place)
                if len(key.replace(" ", "")) >= 3:
                    node = self._root
                    for word in words:
                        node = node.children.setdefault(word, _Node())
                    node.key = key
        rank = {kind: i for i, kind in enumerate(KINDS)}
        self._by_key = {k: tuple(sorted(v, key=lambda p: rank[p.kind])) for k, v in by_key.items()}

    @classmethod
    def load(cls, *paths: Path) -> Gazetteer:
        """Read gazetteer TSVs (the shipped ones by default), refusing malformed rows."""
        places = []
        for path in paths or (DEFAULT_PATH, ABROAD_PATH):
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
            if not rows or tuple(rows[0]) != COLUMNS:
                raise Invalid(f"Gazetteer {path} must start with the header {'/'.join(COLUMNS)}.")
            abroad = path.name == ABROAD_PATH.name
            places += [
                _parse_row(row, path=path, line=n, abroad=abroad)
                for n, row in enumerate(rows[1:], start=2)
            ]
        if len({p.id for p, _ in places}) != len(places):
            raise Invalid(f"Gazetteer {', '.join(map(str, paths))} repeats a place id.")
        return cls(places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._by_id.values())

    def get(self, place_id: str) -> Place:
        """The place with this id."""
        try:
            return self._by_id[place_id]
        except KeyError:
            raise UnknownReference(f"Place '{place_id}' is not in the gazetteer.") from None

    def lookup(self, name: str) -> list[Place]:
        """Every place called ``name``, first the one ``find`` would choose ("Khost province"
        puts the province first)."""
        words = fold(name).split() or [""]
        wanted = _PLACE_WORDS.get(words[-1].lower(), ()) if len(words) > 1 else ()
        places = self._by_key.get(name_key(" ".join(words[:-1] if wanted else words)), ())
        return sorted(places, key=lambda p: p.kind not in wanted)

    def find(self, text: str) -> list[PlaceMention]:
        """Mentions of places in ``text``, left to right, longest name first, never overlapping."""
        folded, offsets = fold(text), None
        if not text.isascii() and _COMBINING.search(folded):
            folded, offsets = _fold_dropping_marks(text)
        hits = self._scan(folded)
        for a, b in zip(reversed(hits[:-1]), reversed(hits[1:]), strict=True):
            # "Khost and Paktika provinces": the plural covers every name in the list.
            if not a.wanted and b.plural and _LIST_GAP.fullmatch(folded, a.end, b.start):
                a.wanted, a.plural = b.wanted, True
        mentions = []
        for hit in hits:
            places = self._by_key[hit.key]
            place = next((p for p in places if p.kind in hit.wanted), places[0])
            start, end = hit.start, hit.end
            if offsets is not None:
                start, end = offsets[start], offsets[end - 1] + 1
                while end < len(text) and unicodedata.combining(text[end]):
                    end += 1
            mentions.append(PlaceMention(start, end, text[start:end], place))
        return mentions

    def _scan(self, folded: str) -> list[_Hit]:
        roots, hits, resume = self._root.children, [], 0
        for word in _START.finditer(folded):
            # Cheap tests first: most capitalised words start no name.
            start, text = word.start(), word.group()
            if start < resume or (text[:-2] if text.endswith("'s") else text) not in roots:
                continue
            if start and (folded[start - 1].isalnum() or folded[start - 1] in "_'"):
                continue  # a capital inside a word
            hit = self._longest(folded, word)
            if hit is not None:
                hits.append(hit)
                resume = hit.end
        return hits

    def _longest(self, folded: str, first: re.Match[str]) -> _Hit | None:
        ends: list[tuple[int, str]] = []
        node: _Node | None = self._root
        word, end = first.group(), first.end()
        while node is not None:
            possessive = word.endswith("'s")
            node = node.children.get((word[:-2] if possessive else word).replace("'", ""))
            if node is None:
                break
            if node.key is not None:
                ends.append((end - 2 * possessive, node.key))
            following = None if possessive or not node.children else _NEXT.match(folded, end)
            if following is None:
                break
            word, end = following.group(1), following.end()
        start = first.start()
        previous, previous_start = _word_before(folded, start)
        for end, key in reversed(ends):
            after = _AFTER.match(folded, end)
            place_word = after.group(1).lower() if after else ""
            if place_word not in _PLACE_WORDS and previous == "of":  # "province of Paktika"
                place_word = _word_before(folded, previous_start)[0]
            if place_word not in _PLACE_WORDS:
                place_word = ""
                # "in Tank" and "Waziristan's Mir Ali" count; not "in Khurram Dastgir's house",
                # where the capital after suggests a personal name.
                cued = previous in _PREPOSITIONS or previous.endswith("'s")
                if key in CUE_NAMES and (not cued or _CAPITALISED.match(folded, end)):
                    continue
            wanted = _PLACE_WORDS.get(place_word, ())
            return _Hit(start, end, key, wanted, place_word.endswith("s"))
        return None


def _word_before(folded: str, start: int) -> tuple[str, int]:
    end = start
    while end and folded[end - 1].isspace():
        end -= 1
    begin = end
    while begin and (folded[begin - 1].isalnum() or folded[begin - 1] in "_'"):
        begin -= 1
    return (folded[begin:end].lower() if end < start else ""), begin


def _fold_dropping_marks(text: str) -> tuple[str, list[int]]:
    chars, offsets = [], []
    for index, char in enumerate(text):
        if not unicodedata.combining(char):
            chars.append(_fold_char(char))
            offsets.append(index)
    return "".join(chars), offsets


def _parse_row(
    row: list[str], *, path: Path, line: int, abroad: bool = False
) -> tuple[Place, list[str]]:
    where = f"Gazetteer {path} line {line}"
    if len(row) != len(COLUMNS):
        raise Invalid(f"{where} has {len(row)} columns, not {len(COLUMNS)}.")
    pid, name, alternates, country, admin1, lat, lon, precision, kind, _notes = row
    known = len(country) == 2 and country.isupper() if abroad else country in ("AF", "PK")
    if not known or precision not in PRECISIONS or kind not in KINDS:
        raise Invalid(f"{where} has an unknown country, precision or kind.")
    try:
        place = Place(pid, name, country, admin1, float(lat), float(lon), precision, kind)
    except ValueError:
        raise Invalid(f"{where} has coordinates that are not numbers.") from None
    return place, [name, *filter(None, alternates.split("|"))]


@cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once."""
    return Gazetteer.load()
