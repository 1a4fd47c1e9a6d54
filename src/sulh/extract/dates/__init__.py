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
itself and the caller decides what "since" or "until" means ("since last week" is a
duration, below).

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

Durations. A period given only by its length ends on the publication date: "for two
weeks", "after five days of talks", "three days of clashes" (the noun is part of the
text). N days (nights, weeks) are the N days ending on publication, so "for almost two
weeks" published 19 October is 6-19 October; "almost", "nearly", "about", "at least" keep
N, while "more than" and "over" add a day ("more than a week" is 12-19 October). Hours
round up to whole days: "for 12 hours" is the publication day, "for 48 hours" that day and
the one before. "since last week" (month, year, weekend) runs from the start of that
period to publication. Counts are digits, number words up to twenty, "a", "an" and "a
couple of"; "for days", "for several weeks", "for months", any length in months or years,
and a length under a future marker ("will last for two weeks") give None. Not durations: a
length as a modifier ("a 48-hour ceasefire", "a two-day visit"), a part of another period
("the first two days of talks", "two days of the truce", "every three days"), or one tied
to another event ("for two weeks before the talks", "five days later", "in two days").

Vague. "recently", "in recent days", "in the coming weeks", "days ago", "a few days
later" are returned with span None so a caller can quote the words it rests on; "soon"
and "shortly" are not returned ("as soon as" is seldom about a date).

How it reads. Full-text regular expressions with optional leading words cost a full
match attempt at every character, so instead three fast scans find cores (weekday and
month names, digit runs, words such as "day", "week", "yesterday"); from each core a
pattern reads rightwards and another reads the words before it backwards, on the
reversed lowercase text. Where candidate phrases overlap the longest wins.

Where it lives. ``spans`` holds DateSpan, DateMention and the day arithmetic;
``patterns`` the vocabulary and the patterns read around cores; ``named`` resolves
weekdays and explicit dates; ``relative`` phrases relative to publication or to the
previous event; ``durations`` periods given by their length; ``scan`` finds cores, keeps
the longest phrases and resolves them in order.
"""

from sulh.extract.dates.scan import find_dates
from sulh.extract.dates.spans import DateMention, DateSpan

__all__ = ["DateMention", "DateSpan", "find_dates"]
