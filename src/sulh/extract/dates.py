"""Dates in news text, resolved against the article's publication date.

``find_dates`` returns each date phrase it recognises with its character offsets, its
exact words and a :class:`DateSpan` (one day, or an inclusive interval), or ``None`` when
the phrase needs a reference that is missing or is too vague to pin down. Nothing is
invented: a span comes only from the words and the publication date (or anchor).

Conventions
-----------
Weekdays. A bare weekday ("on Thursday", "Thursday's attack", "announced Thursday") is
the most recent such day on or before publication; on the publication weekday it is the
publication day (wire style names today by its weekday). "last Wednesday" and "this
past Wednesday" are strictly before publication, even when that day lies in the same
ISO week: writers who mean "the week before" are not second-guessed. "next Thursday"
and "this coming Thursday" are strictly after publication; "this Thursday" is read as a
bare weekday. A bare weekday with a future
marker ("will", "shall", "is to", "are to", "is due to", "scheduled", "planned", "plans
to", "set to", "expected to", "upcoming", "next") among the six words before it, in the
same clause and not followed by a reporting verb ("said", "announced", ...), is the first
such day on or after publication.

Nights. A night naming one day ("Friday night", "late Friday night", "overnight
Thursday", "the night of October 14") is that day. A night naming two ("Thursday night
into Friday", "overnight between Saturday and Sunday", "the night of 11-12 October") is
the interval. A bare two-weekday interval ends on the day the bare-weekday rule gives;
a modified ("last", "next") or future one starts on the day that rule gives.

Publication day. today, tonight, this morning, earlier today = publication; yesterday,
last night = the day before; the day before yesterday; tomorrow; "two days ago", "a
week ago". Months or years "ago" are round figures and give None.

Periods (ISO weeks start on Monday). this week = Monday..publication; earlier this week
= Monday..the day before; later this week = the day after..Sunday; last week / next
week = the whole previous / next week. Months and years alike: "this month" =
1st..publication, "earlier this month" = 1st..the day before, "last year" = the whole
previous year. With a future marker "this week/month/year" runs from publication to its
end. "the past three days" (hours, weeks, months, years) = the interval ending on
publication. Weekends: last weekend = the one before this ISO week's; next weekend =
next week's; "this coming weekend" = the next Saturday and Sunday after publication;
"this weekend" and "over the weekend" = this week's on a Saturday or Sunday or with a
future marker, else the one before. Empty intervals ("earlier this week" on a Monday)
give None.

Explicit dates. "October 12", "Oct. 12", "12 October", "12th of October", "October 12,
2025", "Sunday, October 12", "2025-10-12" and "2025/10/12"; ranges "October 9-12", "9 to
12 October", "between October 9 and 12", "from 11 to 15 October", "September 30 to
October 2"; "and" joins a range only after "between" ("on October 9 and 12 people
died" is October 9). Day-first and month-first numeric dates ("12/10/2025") are ambiguous
and are not returned. Weekday and month names must be capitalised ("may" and "march"
are verbs). "in October 2025" and "in October" = the whole month (so are "early",
"mid-" and "late October"); "in 2021" = the whole year; "on the 12th" = that day of the
publication month, or of the month before if the 12th is after publication (the month
after, under a future marker). Leading words ("on", "in", "since", "until", "by",
"before", "after", "from", "for") are part of the mention's text; the span is the date
itself and the caller decides what "since" or "until" means.

Missing year. The latest date on or before publication, except that a date at most 60
days after publication wins (wire style drops the year for the current year, so "Nov. 6"
in a late-October article is upcoming), and under a future marker the first date on or
after publication wins if it is at most 305 days ahead. After "since" it is always on or
before publication. Without a publication date the year is the one that puts the date
nearest the anchor (relative_to "previous"); without either the span is None.

Previous event. "the next day", "the following morning", "two nights later", "a week
later", "the previous day", "the day before", "that night", "later that day", "hours
later" (the anchor's day), "the following week/month" step from the anchor: forward from
its last day, back from its first. Every resolved mention becomes the anchor for those
after it. Day steps need an anchor of at most two days (a night), week and month steps
one of at most a week or a month; "days later", "weeks later" and steps from wider
anchors give None.

Vague. "recently", "in recent days", "in the coming weeks", "days ago", "a few days
later" are returned with span None so a caller can quote the words it rests on; "soon"
and "shortly" are not returned ("as soon as" is seldom about a date).

How it reads. Full-text regular expressions with optional leading words cost a full
match attempt at every character, so instead three fast scans find cores (weekday and
month names, digit runs, words such as "day", "week", "yesterday"); from each core a
pattern reads rightwards and another reads the words before it backwards, on the
reversed lowercase text. Where candidate phrases overlap the longest wins.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Basis = Literal["publication", "previous", "absolute"]

LOOKAHEAD_DAYS = 60
FUTURE_HORIZON_DAYS = 305
FUTURE_WINDOW_WORDS = 6


@dataclass(frozen=True)
class DateSpan:
    """One day (``first == last``) or an inclusive interval of days."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(
                f"A date span cannot end ({self.last}) before it starts ({self.first})."
            )

    @classmethod
    def day(cls, day: date) -> DateSpan:
        """The span of a single day."""
        return cls(day, day)

    @property
    def days(self) -> int:
        """How many days the span covers."""
        return (self.last - self.first).days + 1

    @property
    def precision(self) -> Literal["day", "month", "year", "interval"]:
        """One of "day", a whole calendar "month" or "year", or any other "interval"."""
        first, last = self.first, self.last
        if first == last:
            return "day"
        if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
            return "year" if first.year == last.year else "interval"
        whole_month = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
        same_month = (first.year, first.month) == (last.year, last.month)
        return "month" if whole_month and same_month else "interval"

    def as_text(self) -> str:
        """``YYYY-MM-DD`` for one day, ``YYYY-MM-DD/YYYY-MM-DD`` for an interval."""
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


@dataclass(frozen=True)
class DateMention:
    """A date phrase found in a text: where it is, its words, and what it resolves to."""

    start: int
    end: int
    text: str
    span: DateSpan | None
    relative_to: Basis


Outcome = tuple[DateSpan | None, Basis]
# A phrase is read once; it is resolved later, against the anchor of the text before it.
Reading = Callable[[DateSpan | None], Outcome]


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


Handler = Callable[[_Found], Reading | None]

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
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
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


# --- date arithmetic --------------------------------------------------------------------


def _days(count: int) -> timedelta:
    return timedelta(days=count)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _month_span(year: int, month: int) -> DateSpan:
    last = calendar.monthrange(year, month)[1]
    return DateSpan(date(year, month, 1), date(year, month, last))


def _interval(first: date, last: date) -> DateSpan | None:
    return DateSpan(first, last) if first <= last else None


def _months_back(day: date, count: int) -> date:
    year, month = _shift_month(day.year, day.month, -count)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _count(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def _known(span: DateSpan | None, basis: Basis) -> Reading:
    return lambda _anchor: (span, basis)


def _unknown(basis: Basis) -> Reading:
    return _known(None, basis)


# --- weekdays ---------------------------------------------------------------------------

_Mode = Literal["before", "on_or_before", "on_or_after", "after"]


def _weekday_near(published: date, weekday: int, mode: _Mode) -> date:
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if mode == "on_or_before":
        return published - _days(back)
    if mode == "before":
        return published - _days(back or 7)
    if mode == "on_or_after":
        return published + _days(ahead)
    return published + _days(ahead or 7)


def _weekday_mode(found: _Found) -> _Mode:
    modifier = found.word("mod")
    if modifier in ("last", "this past"):
        return "before"
    if modifier in ("next", "coming", "this coming"):
        return "after"
    if found.since() or not found.future():
        return "on_or_before"
    return "on_or_after"


def _on_weekday(found: _Found) -> Reading | None:
    right, published = found.right, found.published
    if found.start == right.start() and _HOLIDAY.search(
        found.text, max(0, found.start - 8), found.start
    ):
        return None
    if published is None:
        return _unknown("publication")
    mode = _weekday_mode(found)
    first_day = _WEEKDAYS.index(right["wd1"])
    if right["wd2"] is None:
        return _known(DateSpan.day(_weekday_near(published, first_day, mode)), "publication")
    second_day = _WEEKDAYS.index(right["wd2"])
    gap = _days((second_day - first_day) % 7)
    if mode == "on_or_before":
        last = _weekday_near(published, second_day, mode)
        return _known(DateSpan(last - gap, last), "publication")
    first = _weekday_near(published, first_day, mode)
    return _known(DateSpan(first, first + gap), "publication")


# --- explicit dates ---------------------------------------------------------------------

_Written = tuple[int, int, int | None]  # month, day, year if written


def _pick_day(month: int, day: int, found: _Found, anchor: DateSpan | None) -> Outcome:
    published = found.published
    if published is None:
        return _near_anchor(month, day, anchor)
    this_year = _safe(published.year, month, day)
    before: date | None
    after: date | None
    if this_year is not None and this_year <= published:
        before, after = this_year, _safe(published.year + 1, month, day)
    else:
        before, after = _safe(published.year - 1, month, day), this_year
    if after is not None and not found.since():
        ahead = (after - published).days
        # The future marker is looked for only when it can change the answer.
        if ahead <= LOOKAHEAD_DAYS or (ahead <= FUTURE_HORIZON_DAYS and found.future()):
            return DateSpan.day(after), "publication"
    return (None if before is None else DateSpan.day(before)), "publication"


def _near_anchor(month: int, day: int, anchor: DateSpan | None) -> Outcome:
    if anchor is None:
        return None, "publication"
    years = (anchor.last.year - 1, anchor.last.year, anchor.last.year + 1)
    near = [c for year in years if (c := _safe(year, month, day)) is not None]
    best = min(near, key=lambda c: abs(c - anchor.last), default=None)
    return (None if best is None else DateSpan.day(best)), "previous"


_LONGEST_MONTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _possible(month: int, day: int) -> bool:
    return day <= _LONGEST_MONTHS[month - 1]


def _dates(first: _Written, last: _Written, found: _Found) -> Reading | None:
    (month1, day1, year1), (month2, day2, year2) = first, last
    if not (_possible(month1, day1) and _possible(month2, day2)):
        return None
    wraps = int((month2, day2) < (month1, day1))
    if year1 is None and year2 is not None:
        year1 = year2 - wraps
    if year1 is not None:
        start = _safe(year1, month1, day1)
        end = _safe(year2 if year2 is not None else year1 + wraps, month2, day2)
        if start is None or end is None or end < start:
            return None
        return _known(DateSpan(start, end), "absolute")

    def resolve(anchor: DateSpan | None) -> Outcome:
        picked, basis = _pick_day(month1, day1, found, anchor)
        if picked is None:
            return None, basis
        end = _safe(picked.first.year + wraps, month2, day2)
        return (None if end is None else _interval(picked.first, end)), basis

    return resolve


def _written(month: str, day: str, year: str | None) -> _Written:
    return _month_number(month), int(day.rstrip("stndrh")), int(year) if year else None


def _month_number(name: str) -> int:
    return _MONTH_BY_PREFIX[name[:3]]


def _on_month(found: _Found) -> Reading | None:
    g = found.right.groupdict()
    if g["d1"] is not None:
        first = _written(g["m1"], g["d1"], g["y1"])
        if g["d2"] is None:
            return _dates(first, first, found)
        return _dates(first, _written(g["m2"] or g["m1"], g["d2"], g["y2"]), found)
    if g.get("year") is not None:
        return _known(_month_span(int(g["year"]), _month_number(g["m1"])), "absolute")
    named_period = found.word("edge") or found.word("lead") in _PERIOD_LEADS
    if g["m1"] not in _MONTHS or not named_period or _DIGIT_NEXT.match(found.text, found.end):
        return None  # "the Long March", "May 2,000 people"
    month = _month_number(g["m1"])

    def resolve(anchor: DateSpan | None) -> Outcome:
        picked, basis = _pick_day(month, 1, found, anchor)
        if picked is None:
            return None, basis
        return _month_span(picked.first.year, picked.first.month), basis

    return resolve


def _on_digits(found: _Found) -> Reading | None:
    g = found.right.groupdict()
    if g.get("iy") is not None:
        day = _safe(int(g["iy"]), int(g["imo"]), int(g["id"]))
        return None if day is None else _known(DateSpan.day(day), "absolute")
    if g["m2"] is not None:
        if g["d2"] is None:
            single = _written(g["m2"], g["d1"], g["y2"])
            return _dates(single, single, found)
        first = _written(g["m1"] or g["m2"], g["d1"], g["y1"])
        return _dates(first, _written(g["m2"], g["d2"], g["y2"]), found)
    if g["od"] is not None:
        return _ordinal_day(int(g["od"]), found)
    if found.word("the") or not (found.word("lead") or found.word("edge")):
        return None  # "the 2021 takeover", "2,000 troops": not a period
    year = int(g["year"])
    return _known(DateSpan(date(year, 1, 1), date(year, 12, 31)), "absolute")


def _ordinal_day(day: int, found: _Found) -> Reading | None:
    if not found.word("the") or not (found.word("lead") or found.word("night")):
        return None
    published = found.published
    if published is None:
        return _unknown("publication")
    if found.future() and not found.since():
        shift = 0 if day >= published.day else 1
    else:
        shift = 0 if day <= published.day else -1
    found_day = _safe(*_shift_month(published.year, published.month, shift), day)
    return _known(None if found_day is None else DateSpan.day(found_day), "publication")


# --- relative to publication ------------------------------------------------------------

_PUBLICATION_OFFSETS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}


def _on_publication_day(found: _Found) -> Reading | None:
    if found.published is None:
        return _unknown("publication")
    offset = _PUBLICATION_OFFSETS[found.right["word"]]
    offset += {"the day before": -1, "the day after": 1}.get(found.word("rel"), 0)
    return _known(DateSpan.day(found.published + _days(offset)), "publication")


def _calendar_unit(day: date, unit: str, shift: int) -> DateSpan:
    if unit == "week":
        monday = day - _days(day.weekday()) + _days(7 * shift)
        return DateSpan(monday, monday + _days(6))
    if unit == "month":
        return _month_span(*_shift_month(day.year, day.month, shift))
    return DateSpan(date(day.year + shift, 1, 1), date(day.year + shift, 12, 31))


def _weekend(published: date, det: str, future: bool) -> DateSpan:
    saturday = published - _days(published.weekday() - 5)
    weekend_now = published.weekday() >= 5
    if det == "next" or (det in ("coming", "this coming") and weekend_now):
        saturday += _days(7)
    elif det == "last" or not (future or weekend_now or det in ("coming", "this coming")):
        saturday -= _days(7)
    return DateSpan(saturday, saturday + _days(1))


def _on_period(found: _Found) -> Reading | None:
    unit, det = found.right["unit"], found.word("det")
    if det in ("following", "the following"):
        return None if unit not in ("week", "month") else _following(unit)
    if det.endswith(" the") and unit != "weekend":
        return None  # "during the week" is any week
    if found.low[max(0, found.start - 4) : found.start] == "the ":
        return None  # "the last week of October"
    published = found.published
    if published is None:
        return _unknown("publication")
    if unit == "weekend":
        return _known(_weekend(published, det, found.future()), "publication")
    which = "next" if det in ("coming", "this coming") else det
    if which != "this":
        shift = -1 if which == "last" else 1
        return _known(_calendar_unit(published, unit, shift), "publication")
    return _known(_this_period(published, unit, found), "publication")


def _this_period(published: date, unit: str, found: _Found) -> DateSpan | None:
    whole = _calendar_unit(published, unit, 0)
    qualifier = found.word("qual")
    if qualifier == "earlier":
        return _interval(whole.first, published - _days(1))
    if qualifier == "later":
        return _interval(published + _days(1), whole.last)
    if found.future():
        return DateSpan(published, whole.last)
    return DateSpan(whole.first, published)


def _on_rolling(found: _Found) -> Reading | None:
    published = found.published
    count_word, unit = found.word("count"), found.right["unit"]
    if not count_word and unit == "day" and found.word("det") == "the last":
        return None  # "the last day" of something
    count = _count(count_word) if count_word else 1
    if published is None or count is None:
        return _unknown("publication")
    if unit == "hour":
        first = published - _days(max(1, -(-count // 24)))
    elif unit in ("day", "week"):
        first = published - _days(count * (7 if unit == "week" else 1))
    else:
        first = _months_back(published, count * (12 if unit == "year" else 1))
    return _known(DateSpan(first, published), "publication")


def _on_ago(found: _Found) -> Reading | None:
    unit = found.right["unit"]
    count = _count(found.word("count")) if found.word("count") else None
    # Months and years "ago" are round figures; a single day would claim too much.
    if found.published is None or count is None or unit not in ("day", "week"):
        return _unknown("publication")
    day = found.published - _days(count * (7 if unit == "week" else 1))
    return _known(DateSpan.day(day), "publication")


def _on_vague(found: _Found) -> Reading | None:
    if found.right["unit"] is not None and not found.word("det"):
        return None
    return _unknown("publication")


# --- relative to the previous event -----------------------------------------------------


def _narrow(anchor: DateSpan | None, widest: int = 2) -> DateSpan | None:
    return anchor if anchor is not None and anchor.days <= widest else None


def _step(days: int, *, forward: bool) -> Reading:
    def resolve(anchor: DateSpan | None) -> Outcome:
        near = _narrow(anchor)
        if near is None:
            return None, "previous"
        day = near.last + _days(days) if forward else near.first - _days(days)
        return DateSpan.day(day), "previous"

    return resolve


def _following(unit: str) -> Reading:
    def resolve(anchor: DateSpan | None) -> Outcome:
        near = _narrow(anchor, 7 if unit == "week" else 31)
        if near is None:
            return None, "previous"
        return _calendar_unit(near.last, unit, 1), "previous"

    return resolve


def _same(anchor: DateSpan | None) -> Outcome:
    return _narrow(anchor), "previous"


_FORWARD = ("next", "the next", "following", "the following", "the ensuing", "the subsequent")
_BACKWARD = ("previous", "the previous", "the preceding", "the prior")


def _on_day(found: _Found) -> Reading | None:
    det, unit, side = found.word("det"), found.right["unit"], found.right["side"]
    if det in ("this", "last"):
        return _day_near_publication(found, det, unit)
    if det in _FORWARD or det in _BACKWARD:
        return _step(1, forward=det in _FORWARD)
    if det in ("that", "the same"):
        return _same
    if det == "the" and side is not None:
        return _step(1, forward=side == "after")
    return None


def _day_near_publication(found: _Found, det: str, unit: str) -> Reading | None:
    if found.low[max(0, found.start - 4) : found.start] == "the ":
        return None  # "the last night of the talks"
    if unit == "day" or (det == "last" and unit in ("morning", "afternoon")):
        return None  # "to this day", "last day": not a date
    if found.published is None:
        return _unknown("publication")
    back = 1 if det == "last" else 0
    return _known(DateSpan.day(found.published - _days(back)), "publication")


def _on_step(found: _Found) -> Reading | None:
    unit, side = found.right["unit"], found.right["side"]
    forward = side not in ("earlier", "before")
    count = _count(found.word("count")) if found.word("count") else None
    if unit in ("hour", "minute", "moment"):
        if count is not None and unit == "hour" and count >= 24:
            return _step(count // 24, forward=forward) if count % 24 == 0 else _unknown("previous")
        return _step(0, forward=forward)
    if count is None or unit in ("month", "year"):
        return _unknown("previous")
    return _step(count * (7 if unit == "week" else 1), forward=forward)


# --- finding ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    left: re.Pattern[str]
    right: re.Pattern[str]
    handler: Handler
    between: re.Pattern[str] | None = None
    lowercase: bool = False  # read rightwards on the lowercase text


_WEEKDAY_RULE = _Rule(_WEEKDAY_LEFT, _WEEKDAY_RIGHT, _on_weekday, _WEEKDAY_BETWEEN)
_MONTH_RULE = _Rule(_MONTH_LEFT, _MONTH_RIGHT, _on_month, _MONTH_BETWEEN)
_DIGIT_RULE = _Rule(_DIGIT_LEFT, _DIGIT_RIGHT, _on_digits, _DIGIT_BETWEEN)
_PUBLICATION_RULE = _Rule(_PUBLICATION_LEFT, _PUBLICATION_RIGHT, _on_publication_day, None, True)
_DAY_RULE = _Rule(_DAY_LEFT, _DAY_RIGHT, _on_day, None, True)
_PERIOD_RULE = _Rule(_PERIOD_LEFT, _PERIOD_RIGHT, _on_period, None, True)
_ROLLING_RULE = _Rule(_ROLLING_LEFT, _ROLLING_RIGHT, _on_rolling, None, True)
_AGO_RULE = _Rule(_COUNT_LEFT, _AGO_RIGHT, _on_ago, None, True)
_STEP_RULE = _Rule(_COUNT_LEFT, _STEP_RIGHT, _on_step, None, True)
_VAGUE_RULE = _Rule(_VAGUE_LEFT, _VAGUE_RIGHT, _on_vague, None, True)

_UNIT_RULES = (_ROLLING_RULE, _AGO_RULE, _STEP_RULE, _VAGUE_RULE)
# Each word core and the rules that may read a phrase around it.
_WORD_CORES: tuple[tuple[str, tuple[_Rule, ...]], ...] = (
    ("yesterday", (_PUBLICATION_RULE,)),
    ("today", (_PUBLICATION_RULE,)),
    ("tonight", (_PUBLICATION_RULE,)),
    ("tomorrow", (_PUBLICATION_RULE,)),
    ("recently", (_VAGUE_RULE,)),
    ("day", (_DAY_RULE, *_UNIT_RULES)),
    ("night", (_DAY_RULE, _STEP_RULE)),
    ("morning", (_DAY_RULE,)),
    ("afternoon", (_DAY_RULE,)),
    ("evening", (_DAY_RULE,)),
    ("week", (_PERIOD_RULE, *_UNIT_RULES)),
    ("month", (_PERIOD_RULE, *_UNIT_RULES)),
    ("year", (_PERIOD_RULE, *_UNIT_RULES)),
    ("hour", (_ROLLING_RULE, _STEP_RULE)),
    ("minute", (_STEP_RULE,)),
    ("moment", (_STEP_RULE,)),
)
_WEEKDAY_SET = frozenset(_WEEKDAYS)


def _cores(text: str, low: str) -> Iterator[tuple[int, tuple[_Rule, ...]]]:
    for match in _NAMES.finditer(text):
        at = match.start()
        if at == 0 or not text[at - 1].isalpha():
            yield at, (_WEEKDAY_RULE if match.group() in _WEEKDAY_SET else _MONTH_RULE,)
    for match in _DIGITS.finditer(text):
        at = match.start()
        if at == 0 or not text[at - 1].isalnum():
            yield at, (_DIGIT_RULE,)
    for word, rules in _WORD_CORES:
        at = low.find(word)
        while at >= 0:
            if at == 0 or not low[at - 1].isalpha():
                yield at, rules
            at = low.find(word, at + 1)


def _read(
    rule: _Rule, at: int, text: str, low: str, backwards: str, published: date | None
) -> tuple[int, int, Reading] | None:
    source = low if rule.lowercase else text
    # Reading rightwards first is cheap and turns away most cores ("12 people").
    right = rule.right.match(source, at)
    left = None
    if rule.between is not None and "between" in low[max(0, at - 40) : at]:
        left = rule.left.match(backwards, len(text) - at)
        if left is not None and "between" in (left["lead"] or "")[::-1]:
            # Only "between" lets "and" join a range: "on October 9 and 12 people died".
            right = rule.between.match(source, at)
    if right is None:
        return None
    left = left or rule.left.match(backwards, len(text) - at)
    if left is None:
        return None
    start = at - (left.end() - left.start())
    found = _Found(text, low, backwards, published, start, right.end(), left, right)
    reading = rule.handler(found)
    return None if reading is None else (start, right.end(), reading)


def _lowercase(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters ("İ") lowercase to two; keep them so offsets stay the text's.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _candidates(text: str, published: date | None) -> list[tuple[int, int, Reading]]:
    low = _lowercase(text)
    backwards = low[::-1]
    found = []
    for at, rules in _cores(text, low):
        for rule in rules:
            candidate = _read(rule, at, text, low, backwards, published)
            if candidate is not None:
                found.append(candidate)
    return found


def _longest(
    candidates: list[tuple[int, int, Reading]], length: int
) -> list[tuple[int, int, Reading]]:
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    used = bytearray(length)
    taken = []
    for candidate in candidates:
        start, end, _ = candidate
        if used.find(1, start, end) < 0:
            used[start:end] = b"\x01" * (end - start)
            taken.append(candidate)
    taken.sort(key=lambda c: c[0])
    return taken


def find_dates(
    text: str, *, published: date | None, anchor: DateSpan | None = None
) -> list[DateMention]:
    """Find the date phrases in ``text`` and resolve each one, in reading order.

    ``published`` is the article's publication date; ``anchor`` the most recent date
    the text before ``text`` established, for phrases such as "two nights later". Each
    resolved mention becomes the anchor for the ones after it. Where phrases overlap the
    longest wins. See the module docstring for the conventions.
    """
    mentions: list[DateMention] = []
    for start, end, reading in _longest(_candidates(text, published), len(text)):
        span, basis = reading(anchor)
        mentions.append(DateMention(start, end, text[start:end], span, basis))
        if span is not None:
            anchor = span
    return mentions
