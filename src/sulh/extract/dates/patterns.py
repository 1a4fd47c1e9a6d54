"""The words around dates and the compiled patterns that read them.

Three fast scans find cores (weekday and month names, digit runs, words such as "day"
or "yesterday"); from each core a pattern reads rightwards and another reads the words
before it backwards, on the reversed lowercase text (see "How it reads" in the package
docstring, :mod:`sulh.extract.dates`). :class:`_Found` holds what the two matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

FUTURE_WINDOW_WORDS = 6

# --- vocabulary -------------------------------------------------------------------------

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTH_BY_PREFIX = {name[:3]: number for number, name in enumerate(_MONTHS, start=1)}
_WD = "|".join(_WEEKDAYS)
_ABBREVIATIONS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# Names are matched case-sensitively so "may" and "march" stay verbs.
_MONTH = rf"(?:{'|'.join(_MONTHS)}|(?:{_ABBREVIATIONS})\.?)(?![a-z])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b"
_YEAR = r"(?:19|20)\d\d\b"
_PART = r"(?:\s+(?i:morning|afternoon|evening|night|midday|noon))"
_CONN = r"(?:\s*[-–—]\s*|\s+(?i:to|through|thru|till|until)\s+)"
_NOT_A_WORD_AFTER = r"\b(?![ \t]+[\w\"“‘'])"

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20,
}  # fmt: skip
_COUNTS = (*_NUMBERS, r"\d{1,3}")
_VAGUE_COUNTS = ("a few", "few", "several", "a couple of", "couple of", "some")
_LEADS = ("on", "since", "from", "until", "till", "by", "before", "after", "for")
_PERIOD_LEADS = ("in", "during", "through", "throughout", "since", "until", "till", "by")
_BETWEEN = ("between", "overnight between", "the night between", "on the night between")
_NIGHTS = (
    "the night of", "on the night of", "overnight", "overnight on", "late on", "early on",
    "the early hours of", "in the early hours of", "the morning of", "the afternoon of",
    "the evening of", "in the morning of", "in the afternoon of", "in the evening of",
    "on the morning of", "on the afternoon of", "on the evening of",
)  # fmt: skip
_EDGES = (
    "early", "mid", "late", "the end of", "the beginning of", "the start of",
    "the middle of", "the first half of", "the second half of", "end of", "beginning of",
    "start of", "middle of",
)  # fmt: skip
_WEEKDAY_LEADS = (
    *_NIGHTS, *_BETWEEN, "since", "on", "late", "early", "from", "overnight from",
    "until", "till", "by", "before", "after",
)  # fmt: skip


# --- reading backwards from a core ------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """Words that may stand before a core; ``gap`` is the reversed separator after them."""

    name: str
    phrases: tuple[str, ...]
    gap: str = r"\s+"
    required: bool = False


def _reversed_phrase(phrase: str) -> str:
    # Words are reversed letter by letter; a regular expression ("\\d{1,3}") is kept as is.
    return r"\s+".join(w if "\\" in w else w[::-1] for w in reversed(phrase.split()))


def _alternatives(phrases: tuple[str, ...]) -> str:
    return "|".join(_reversed_phrase(p) for p in sorted(set(phrases), key=len, reverse=True))


def _left(*slots: _Slot) -> re.Pattern[str]:
    parts = []
    for slot in reversed(slots):
        alternatives = _alternatives(slot.phrases)
        part = rf"(?:{slot.gap}(?P<{slot.name}>{alternatives})(?![a-z0-9]))"
        parts.append(part if slot.required else part + "?")
    return re.compile("".join(parts))


_EDGE_GAP = r"(?:\s+|-)"
_WEEKDAY_GAP = r"\s+,?"
_DATE_SLOTS = (
    _Slot("lead", (*_LEADS, *_PERIOD_LEADS, *_BETWEEN)),
    _Slot("night", _NIGHTS),
    _Slot("edge", _EDGES, _EDGE_GAP),
    _Slot("weekday", tuple(w.lower() for w in _WEEKDAYS), _WEEKDAY_GAP),
)
_MONTH_LEFT = _left(*_DATE_SLOTS)
_DIGIT_LEFT = _left(*_DATE_SLOTS, _Slot("the", ("the",)))  # "on the 12th"
_WEEKDAY_LEFT = _left(
    _Slot("lead", _WEEKDAY_LEADS),
    _Slot("mod", ("last", "next", "this past", "this coming", "this", "coming")),
)
_PUBLICATION_LEFT = _left(
    _Slot("lead", ("late", "early", "earlier", "later", "on", "since", "until", "till", "by")),
    _Slot("rel", ("the day before", "the day after")),
)
_DAY_LEFT = _left(
    _Slot("lead", ("since", "until", "till", "by", "from", "on")),
    _Slot("qual", ("earlier", "later", "late", "early")),
    _Slot(
        "det",
        (
            "this", "last", "next", "the next", "following", "the following", "the ensuing",
            "the subsequent", "previous", "the previous", "the preceding", "the prior",
            "that", "the same", "the",
        ),
        required=True,
    ),
)  # fmt: skip
_PERIOD_LEFT = _left(
    _Slot("qual", ("earlier", "later")),
    _Slot(
        "det",
        ("this", "last", "next", "coming", "this coming", "following", "the following",
         "over the", "during the", "at the"),
        required=True,
    ),
)  # fmt: skip
_ROLLING_LEFT = _left(
    _Slot("lead", ("in", "over", "during", "for", "within")),
    _Slot("det", ("the past", "the last"), required=True),
    _Slot("count", (*_COUNTS, *_VAGUE_COUNTS)),
)
_COUNT_LEFT = _left(_Slot("count", (*_COUNTS, *_VAGUE_COUNTS)))
_VAGUE_LEFT = _left(
    _Slot(
        "det",
        ("in recent", "over recent", "during recent", "in the coming", "over the coming",
         "in the next few", "over the next few"),
    )
)  # fmt: skip


# --- reading forwards from a core -------------------------------------------------------


def _month_first(connector: str, *, range_required: bool) -> re.Pattern[str]:
    tail = rf"(?:{connector}(?:(?P<m2>{_MONTH})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?)"
    return re.compile(
        rf"(?P<m1>{_MONTH})(?:\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?"
        + (tail if range_required else tail + "?")
        + ("" if range_required else rf"|(?:\s+(?i:of))?,?\s+(?P<year>{_YEAR})")
        + ")"
        + ("" if range_required else "?")
    )


def _day_first(connector: str, *, range_required: bool) -> str:
    middle = rf"(?:{connector}(?:(?i:the)\s+)?(?P<d2>{_DAY}))"
    return (
        rf"(?P<d1>{_DAY})(?:(?:\s+(?i:of))?\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?)?"
        + (middle if range_required else middle + "?")
        + rf"(?:\s+(?i:of))?\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?"
    )


_AND = r"\s+(?i:and)\s+"
_MONTH_RIGHT = _month_first(_CONN, range_required=False)
_MONTH_BETWEEN = _month_first(_AND, range_required=True)
_ORDINAL_NOUNS = (
    r"time|times|anniversary|century|round|session|day|year|week|floor|birthday|edition"
    r"|meeting|amendment|brigade|division|corps|regiment|battalion|army|summit|consecutive"
    r"|straight|successive|minute|hour|month|place|largest|biggest"
)
_DIGIT_RIGHT = re.compile(
    r"(?P<iy>(?:19|20)\d\d)(?P<sep>[-/])(?P<imo>1[0-2]|0?[1-9])(?P=sep)"
    r"(?P<id>3[01]|[12]\d|0?[1-9])\b(?![-/]\d)"
    rf"|{_day_first(_CONN, range_required=False)}"
    rf"|(?P<od>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)\b(?!\s+(?i:{_ORDINAL_NOUNS})\b)"
    rf"|(?P<year>{_YEAR})(?![-–/]\d|[.,]\d)"
)
_DIGIT_BETWEEN = re.compile(_day_first(_AND, range_required=True))
_WD_SECOND = rf"(?:(?i:the\s+early\s+hours\s+of|early)\s+)?(?P<wd2>{_WD})\b{_PART}?"
_WEEKDAY_RIGHT = re.compile(
    rf"(?P<wd1>{_WD})\b{_PART}?"
    rf"(?:(?:\s*[-–—/]\s*|\s+(?i:into|to|until|till|through|thru)\s+){_WD_SECOND})?"
)
_WEEKDAY_BETWEEN = re.compile(
    rf"(?P<wd1>{_WD})\b{_PART}?\s+(?i:and|into|to|until|till|through|thru)\s+{_WD_SECOND}"
)
# Word cores are read on the lowercase text, so these patterns are lowercase.
_PUBLICATION_RIGHT = re.compile(
    r"(?P<word>yesterday|today|tonight|tomorrow)\b(?:\s+(?:morning|afternoon|evening|night)\b)?"
)
_DAY_RIGHT = re.compile(
    r"(?P<unit>day|morning|afternoon|evening|night)\b"
    rf"(?:\s+(?P<side>before|after){_NOT_A_WORD_AFTER})?"
)
_PERIOD_RIGHT = re.compile(r"(?P<unit>weekend|week|month|year)\b(?!\s+of\b)")
_ROLLING_RIGHT = re.compile(r"(?P<unit>hour|day|week|month|year)s?\b(?!\s+of\b)")
_AGO_RIGHT = re.compile(r"(?P<unit>day|week|month|year)s?\s+ago\b")
_STEP_RIGHT = re.compile(
    r"(?P<unit>day|night|week|hour|minute|moment|month|year)s?\s+"
    rf"(?P<side>later|afterwards?|earlier|(?:after|before){_NOT_A_WORD_AFTER})"
)
_VAGUE_RIGHT = re.compile(r"(?:recently|(?P<unit>days|weeks|months|years))\b")

_NAMES = re.compile(rf"(?:{_WD}|{'|'.join(_MONTHS)}|{_ABBREVIATIONS})(?![a-z])")
# Digit runs that may begin a date: a day before a month, an ordinal or a range, or a
# year. Most numbers in news ("12 people", "1,200") stop here. The pattern starts with a
# character class, so re skips ahead to digits instead of trying every position.
_DIGITS = re.compile(
    r"[0-9](?:[0-9]?(?:st|nd|rd|th|\s*[-–—]|\s+(?:to|through|thru|till|until|and|of)\b"
    r"|\s+[A-Z])|[0-9]{3}(?![0-9]))"
)
_DIGIT_NEXT = re.compile(r",?\s*\d")
_HOLIDAY = re.compile(r"(?:Good|Black|Ash|Palm|Easter|Holy|Maundy|Bloody|Cyber)\s+$")

_FUTURE_MARKERS = (
    "will", "shall", "won't", "won’t", "scheduled", "planned", "upcoming", "is to", "are to",
    "plans to", "plan to", "set to", "expected to", "is due to", "are due to", "to be held",
)  # fmt: skip
_REPORTING = (
    "said", "says", "told", "announced", "stated", "added", "confirmed", "claimed", "reported",
    "denied", "warned",
)  # fmt: skip
_CLAUSE_WORD = r"[^\s.;:!?,()\[\]\"“”—–]"
# Read backwards from a phrase: up to six words of its clause, none of them a reporting verb
# ("They will meet, he said on Thursday": the day belongs to the saying), then a marker.
_FUTURE_BACKWARDS = re.compile(
    rf"(?:\s+(?!(?:{_alternatives(_REPORTING)})(?!{_CLAUSE_WORD})){_CLAUSE_WORD}+)"
    rf"{{0,{FUTURE_WINDOW_WORDS - 1}}}"
    rf"\s+(?:{_alternatives(_FUTURE_MARKERS)}|ll['’]{_CLAUSE_WORD}*|(?<!ot\s)txen)"
    rf"(?!{_CLAUSE_WORD})"
)


# Most phrases have no marker anywhere near; this literal scan settles them cheaply.
_FUTURE_HINT = re.compile(
    r"ll|won|schedul|plan|upcoming|next|is to|are to|set to|ted to|due to|held"
)


def _future_marked(backwards: str, start: int) -> bool:
    at = len(backwards) - start
    if _FUTURE_HINT.search(backwards[at : at + 80][::-1]) is None:
        return False
    return _FUTURE_BACKWARDS.match(backwards, at) is not None


@dataclass(slots=True)
class _Found:
    """A candidate phrase: the words before its core (``left``) and from it (``right``)."""

    text: str
    low: str
    backwards: str  # ``low`` reversed, where the words before a core are read
    published: date | None
    start: int
    end: int
    left: re.Match[str]
    right: re.Match[str]

    def word(self, slot: str) -> str:
        """The words a slot before the core matched, lowercase and in reading order."""
        raw = self.left[slot] if slot in self.left.re.groupindex else None
        if raw is None:
            return ""
        return raw[::-1] if raw.isalpha() else " ".join(raw[::-1].split())

    def future(self) -> bool:
        return _future_marked(self.backwards, self.start)

    def since(self) -> bool:
        return self.word("lead") == "since"
