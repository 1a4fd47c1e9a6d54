"""Date phrases in news text resolve against the publication date, and nothing is invented."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sulh.extract.dates import DateMention, DateSpan, find_dates

SUNDAY = date(2025, 10, 19)  # the day after the Saturday talks in Doha
THURSDAY = date(2025, 10, 30)
NEW_YEAR = date(2026, 1, 3)  # a Saturday
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def span(text: str) -> DateSpan:
    first, _, last = text.partition("/")
    return DateSpan(date.fromisoformat(first), date.fromisoformat(last or first))


def only(text: str, published: date | None = SUNDAY, anchor: str | None = None) -> DateMention:
    mentions = find_dates(text, published=published, anchor=span(anchor) if anchor else None)
    assert len(mentions) == 1, mentions
    return mentions[0]


def resolved(mention: DateMention) -> str | None:
    return None if mention.span is None else mention.span.as_text()


WEEKDAY_CASES = [
    ("Shelling resumed on Thursday near the crossing.", SUNDAY, "on Thursday", "2025-10-16"),
    ("Thursday's mortar fire damaged a school.", SUNDAY, "Thursday", "2025-10-16"),
    ("The ministry confirmed Thursday that the post fell.", SUNDAY, "Thursday", "2025-10-16"),
    ("Negotiators met on Saturday in Doha.", SUNDAY, "on Saturday", "2025-10-18"),
    ("Both sides exchanged prisoners on Sunday.", SUNDAY, "on Sunday", "2025-10-19"),
    ("Border guards traded fire last Wednesday.", SUNDAY, "last Wednesday", "2025-10-15"),
    ("The market reopened last Sunday.", SUNDAY, "last Sunday", "2025-10-12"),
    ("This past Friday a convoy was hit.", SUNDAY, "This past Friday", "2025-10-17"),
    ("A patrol came under fire since Tuesday.", SUNDAY, "since Tuesday", "2025-10-14"),
    ("The commission will meet on Thursday.", SUNDAY, "on Thursday", "2025-10-23"),
    ("Observers are due to arrive on Tuesday.", SUNDAY, "on Tuesday", "2025-10-21"),
    ("Talks are scheduled to resume Wednesday.", SUNDAY, "Wednesday", "2025-10-22"),
    ("They'll inspect the depot on Monday.", SUNDAY, "on Monday", "2025-10-20"),
    ("The envoys plan to return next Thursday.", SUNDAY, "next Thursday", "2025-10-23"),
    ("The envoys return next Sunday.", SUNDAY, "next Sunday", "2025-10-26"),
    ("The team arrives this coming Friday.", SUNDAY, "this coming Friday", "2025-10-24"),
    ("They will retaliate, a commander said on Thursday.", SUNDAY, "on Thursday", "2025-10-16"),
    ("Roads closed due to shelling on Friday.", SUNDAY, "on Friday", "2025-10-17"),
    ("Aid trucks parked next to the gate on Friday.", SUNDAY, "on Friday", "2025-10-17"),
    ("Shelling resumed on Thursday near the crossing.", THURSDAY, "on Thursday", "2025-10-30"),
    ("The commission will meet on Thursday.", THURSDAY, "on Thursday", "2025-10-30"),
    ("The commission meets next Thursday.", THURSDAY, "next Thursday", "2025-11-06"),
    ("A drone fell last Thursday.", THURSDAY, "last Thursday", "2025-10-23"),
    ("A drone fell on Friday.", THURSDAY, "on Friday", "2025-10-24"),
    ("A drone fell on Tuesday.", NEW_YEAR, "on Tuesday", "2025-12-30"),
]


@pytest.mark.parametrize(("text", "published", "words", "expected"), WEEKDAY_CASES)
def test_weekdays(text: str, published: date, words: str, expected: str) -> None:
    mention = only(text, published)
    assert (mention.text, resolved(mention), mention.relative_to) == (
        words,
        expected,
        "publication",
    )


NIGHT_CASES = [
    ("Clashes erupted late Friday night along the border.", "late Friday night", "2025-10-17"),
    ("Clashes erupted Friday night.", "Friday night", "2025-10-17"),
    ("Drones were heard overnight Thursday.", "overnight Thursday", "2025-10-16"),
    ("Firing began early Saturday.", "early Saturday", "2025-10-18"),
    ("Sirens sounded in the early hours of Sunday.", "in the early hours of Sunday", "2025-10-19"),
    ("Fighting raged Thursday night into Friday.", "Thursday night into Friday",
     "2025-10-16/2025-10-17"),
    ("Shells fell overnight between Saturday and Sunday.", "overnight between Saturday and Sunday",
     "2025-10-18/2025-10-19"),
    ("Shells fell Saturday night into Sunday.", "Saturday night into Sunday",
     "2025-10-18/2025-10-19"),
    ("Shells fell on the night of Saturday to Sunday.", "on the night of Saturday to Sunday",
     "2025-10-18/2025-10-19"),
    ("A depot burned on the night of 11–12 October.", "on the night of 11–12 October",
     "2025-10-11/2025-10-12"),
    ("A depot burned on the night of October 14.", "on the night of October 14", "2025-10-14"),
    ("Talks ran from Monday to Wednesday.", "from Monday to Wednesday", "2025-10-13/2025-10-15"),
    ("Talks ran between Thursday and Friday.", "between Thursday and Friday",
     "2025-10-16/2025-10-17"),
    ("Last Saturday night into Sunday was calm.", "Last Saturday night into Sunday",
     "2025-10-18/2025-10-19"),
    ("Curfew holds next Saturday night into Sunday.", "next Saturday night into Sunday",
     "2025-10-25/2025-10-26"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "words", "expected"), NIGHT_CASES)
def test_nights_name_one_day_unless_they_span_two(text: str, words: str, expected: str) -> None:
    mention = only(text)
    assert (mention.text, resolved(mention)) == (words, expected)


PUBLICATION_CASES = [
    ("Yesterday a patrol was ambushed.", "Yesterday", "2025-10-18"),
    ("A patrol was ambushed late yesterday.", "late yesterday", "2025-10-18"),
    ("Officials met today.", "today", "2025-10-19"),
    ("Earlier today the ministry issued a statement.", "Earlier today", "2025-10-19"),
    ("A blast was heard this morning.", "this morning", "2025-10-19"),
    ("A blast was heard early this morning.", "early this morning", "2025-10-19"),
    ("The council meets tonight.", "tonight", "2025-10-19"),
    ("Gunfire was reported last night.", "last night", "2025-10-18"),
    ("A shell landed the day before yesterday.", "the day before yesterday", "2025-10-17"),
    ("Observers arrive tomorrow.", "tomorrow", "2025-10-20"),
    ("Two days ago a bridge collapsed.", "Two days ago", "2025-10-17"),
    ("A week ago the crossing was open.", "A week ago", "2025-10-12"),
    ("3 days ago the crossing shut.", "3 days ago", "2025-10-16"),
    ("Months ago the front was quiet.", "Months ago", None),
    ("A few days ago the front was quiet.", "A few days ago", None),
]


@pytest.mark.parametrize(("text", "words", "expected"), PUBLICATION_CASES)
def test_days_relative_to_publication(text: str, words: str, expected: str | None) -> None:
    mention = only(text)
    assert (mention.text, resolved(mention), mention.relative_to) == (
        words,
        expected,
        "publication",
    )


PERIOD_CASES = [
    ("Three clashes were recorded this week.", SUNDAY, "this week", "2025-10-13/2025-10-19"),
    ("Two clashes happened earlier this week.", SUNDAY, "earlier this week",
     "2025-10-13/2025-10-18"),
    ("A clash happened earlier this week.", date(2025, 10, 20), "earlier this week", None),
    ("The border was calm last week.", SUNDAY, "last week", "2025-10-06/2025-10-12"),
    ("Talks resume next week.", SUNDAY, "next week", "2025-10-20/2025-10-26"),
    ("A vote is expected later this week.", THURSDAY, "later this week",
     "2025-10-31/2025-11-02"),
    ("A truce took hold earlier this month.", SUNDAY, "earlier this month",
     "2025-10-01/2025-10-18"),
    ("Tension grew this month.", SUNDAY, "this month", "2025-10-01/2025-10-19"),
    ("The accord will be signed this month.", SUNDAY, "this month", "2025-10-19/2025-10-31"),
    ("The envoy visits later this month.", SUNDAY, "later this month", "2025-10-20/2025-10-31"),
    ("Trade fell last month.", SUNDAY, "last month", "2025-09-01/2025-09-30"),
    ("Trade fell last month.", NEW_YEAR, "last month", "2025-12-01/2025-12-31"),
    ("Talks failed earlier this year.", SUNDAY, "earlier this year", "2025-01-01/2025-10-18"),
    ("Exports doubled last year.", SUNDAY, "last year", "2024-01-01/2024-12-31"),
    ("Exports doubled last year.", NEW_YEAR, "last year", "2025-01-01/2025-12-31"),
    ("Exports doubled this year.", SUNDAY, "this year", "2025-01-01/2025-10-19"),
    ("Crossings stayed shut over the weekend.", SUNDAY, "over the weekend",
     "2025-10-18/2025-10-19"),
    ("Crossings stayed shut over the weekend.", THURSDAY, "over the weekend",
     "2025-10-25/2025-10-26"),
    ("Crossings will reopen this weekend.", THURSDAY, "this weekend", "2025-11-01/2025-11-02"),
    ("Crossings stayed shut last weekend.", SUNDAY, "last weekend", "2025-10-11/2025-10-12"),
    ("Talks resume this coming weekend.", SUNDAY, "this coming weekend",
     "2025-10-25/2025-10-26"),
    ("Talks resume this coming weekend.", THURSDAY, "this coming weekend",
     "2025-11-01/2025-11-02"),
    ("Nine people died in the past 24 hours.", SUNDAY, "in the past 24 hours",
     "2025-10-18/2025-10-19"),
    ("Nine people died over the past week.", SUNDAY, "over the past week",
     "2025-10-12/2025-10-19"),
    ("Nine people died in the past three days.", SUNDAY, "in the past three days",
     "2025-10-16/2025-10-19"),
    ("Nine people died in the past few days.", SUNDAY, "in the past few days", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "words", "expected"), PERIOD_CASES)
def test_periods(text: str, published: date, words: str, expected: str | None) -> None:
    mention = only(text, published)
    assert (mention.text, resolved(mention)) == (words, expected)


EXPLICIT_CASES = [
    ("The truce began on October 12.", SUNDAY, "on October 12", "2025-10-12", "publication"),
    ("The truce began Oct. 12.", SUNDAY, "Oct. 12", "2025-10-12", "publication"),
    ("The truce began 12 October.", SUNDAY, "12 October", "2025-10-12", "publication"),
    ("The truce began 12th October.", SUNDAY, "12th October", "2025-10-12", "publication"),
    ("The truce began on the 12th of October.", SUNDAY, "on the 12th of October", "2025-10-12",
     "publication"),
    ("The truce began on Sunday, October 12.", SUNDAY, "on Sunday, October 12", "2025-10-12",
     "publication"),
    ("The truce began October 12, 2025.", SUNDAY, "October 12, 2025", "2025-10-12", "absolute"),
    ("The truce began 12 October 2025.", SUNDAY, "12 October 2025", "2025-10-12", "absolute"),
    ("The truce began 2025-10-12.", SUNDAY, "2025-10-12", "2025-10-12", "absolute"),
    ("The truce began 2025/10/12.", SUNDAY, "2025/10/12", "2025-10-12", "absolute"),
    ("Talks ran October 9-12.", SUNDAY, "October 9-12", "2025-10-09/2025-10-12", "publication"),
    ("Talks ran 9 to 12 October.", SUNDAY, "9 to 12 October", "2025-10-09/2025-10-12",
     "publication"),
    ("Talks ran between October 9 and 12.", SUNDAY, "between October 9 and 12",
     "2025-10-09/2025-10-12", "publication"),
    ("Talks ran between 9 and 12 October.", SUNDAY, "between 9 and 12 October",
     "2025-10-09/2025-10-12", "publication"),
    ("Talks ran from 11 to 15 October.", SUNDAY, "from 11 to 15 October",
     "2025-10-11/2025-10-15", "publication"),
    ("Talks ran from September 30 to October 2.", SUNDAY, "from September 30 to October 2",
     "2025-09-30/2025-10-02", "publication"),
    ("Talks ran Sept. 30-Oct. 2.", SUNDAY, "Sept. 30-Oct. 2", "2025-09-30/2025-10-02",
     "publication"),
    ("Talks ran December 30 to January 2.", NEW_YEAR, "December 30 to January 2",
     "2025-12-30/2026-01-02", "publication"),
    ("Talks ran December 29, 2025 to January 2, 2026.", SUNDAY,
     "December 29, 2025 to January 2, 2026", "2025-12-29/2026-01-02", "absolute"),
    ("Fighting flared in October 2025.", None, "in October 2025", "2025-10-01/2025-10-31",
     "absolute"),
    ("Fighting flared in March.", SUNDAY, "in March", "2025-03-01/2025-03-31", "publication"),
    ("Fighting flared in early October.", SUNDAY, "in early October", "2025-10-01/2025-10-31",
     "publication"),
    ("Fighting flared by mid-October.", SUNDAY, "by mid-October", "2025-10-01/2025-10-31",
     "publication"),
    ("Elections will be held in March.", SUNDAY, "in March", "2026-03-01/2026-03-31",
     "publication"),
    ("The government changed in 2021.", None, "in 2021", "2021-01-01/2021-12-31", "absolute"),
    ("Attacks have grown since 2021.", SUNDAY, "since 2021", "2021-01-01/2021-12-31",
     "absolute"),
    ("Forces withdrew in mid-2024.", SUNDAY, "in mid-2024", "2024-01-01/2024-12-31", "absolute"),
    ("The crossing has been shut since October 12.", SUNDAY, "since October 12", "2025-10-12",
     "publication"),
    ("The crossing reopened on the 12th.", SUNDAY, "on the 12th", "2025-10-12", "publication"),
    ("The crossing reopened on the 25th.", SUNDAY, "on the 25th", "2025-09-25", "publication"),
    ("The crossing will reopen on the 2nd.", SUNDAY, "on the 2nd", "2025-11-02", "publication"),
    ("The next round will take place on Nov. 6.", THURSDAY, "on Nov. 6", "2025-11-06",
     "publication"),
    ("The deadline is November 6.", THURSDAY, "November 6", "2025-11-06", "publication"),
    ("The deal was signed on December 30.", SUNDAY, "on December 30", "2024-12-30",
     "publication"),
    ("The deal will be signed on December 30.", SUNDAY, "on December 30", "2025-12-30",
     "publication"),
    ("The deal was signed on December 30.", NEW_YEAR, "on December 30", "2025-12-30",
     "publication"),
    ("Prisoners were freed on January 2.", NEW_YEAR, "on January 2", "2026-01-02",
     "publication"),
    ("Shops have been closed since November 20.", THURSDAY, "since November 20", "2024-11-20",
     "publication"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "words", "expected", "basis"), EXPLICIT_CASES)
def test_explicit_dates(
    text: str, published: date | None, words: str, expected: str, basis: str
) -> None:
    mention = only(text, published)
    assert (mention.text, resolved(mention), mention.relative_to) == (words, expected, basis)


DURATION_CASES = [
    ("After five days of talks the envoys signed.", THURSDAY, "After five days of talks",
     "2025-10-26/2025-10-30"),
    ("For almost two weeks the gate stayed shut.", SUNDAY, "For almost two weeks",
     "2025-10-06/2025-10-19"),
    ("More than a week of fighting emptied the town.", SUNDAY, "More than a week of fighting",
     "2025-10-12/2025-10-19"),
    ("The road was blocked for over a week.", SUNDAY, "for over a week", "2025-10-12/2025-10-19"),
    ("Three days of clashes left the market in ruins.", SUNDAY, "Three days of clashes",
     "2025-10-17/2025-10-19"),
    ("Traders waited for 10 days at the gate.", SUNDAY, "for 10 days", "2025-10-10/2025-10-19"),
    ("Traders waited for fifteen days at the gate.", SUNDAY, "for fifteen days",
     "2025-10-05/2025-10-19"),
    ("Traders waited for a week at the gate.", SUNDAY, "for a week", "2025-10-13/2025-10-19"),
    ("The lorries sat idle for a couple of days.", SUNDAY, "for a couple of days",
     "2025-10-18/2025-10-19"),
    ("Drones circled the valley for two nights.", SUNDAY, "for two nights",
     "2025-10-18/2025-10-19"),
    ("The shelling went on for nearly three weeks.", SUNDAY, "for nearly three weeks",
     "2025-09-29/2025-10-19"),
    ("The post held out for at least four days.", SUNDAY, "for at least four days",
     "2025-10-16/2025-10-19"),
    ("Gunfire echoed for 12 hours.", SUNDAY, "for 12 hours", "2025-10-19"),
    ("Gunfire echoed for about 36 hours.", SUNDAY, "for about 36 hours", "2025-10-18/2025-10-19"),
    ("Gunfire echoed for more than 24 hours.", SUNDAY, "for more than 24 hours",
     "2025-10-18/2025-10-19"),
    ("Gunfire echoed for an hour.", SUNDAY, "for an hour", "2025-10-19"),
    ("Markets have been closed since last week.", SUNDAY, "since last week",
     "2025-10-06/2025-10-19"),
    ("Markets have been closed since last month.", SUNDAY, "since last month",
     "2025-09-01/2025-10-19"),
    ("Markets have been closed since last weekend.", THURSDAY, "since last weekend",
     "2025-10-25/2025-10-30"),
    # Already read as periods ending on publication: unchanged by durations.
    ("Nine people died over the past three days.", SUNDAY, "over the past three days",
     "2025-10-16/2025-10-19"),
    ("Nine people died in the last 48 hours.", SUNDAY, "in the last 48 hours",
     "2025-10-17/2025-10-19"),
    ("Nine people died during the past two weeks.", SUNDAY, "during the past two weeks",
     "2025-10-05/2025-10-19"),
    # Vague lengths, future lengths, and lengths in months or years keep their words only.
    ("Markets have been closed for months.", SUNDAY, "for months", None),
    ("Markets have been closed for days.", SUNDAY, "for days", None),
    ("Looting went on for several days.", SUNDAY, "for several days", None),
    ("After weeks of talks the envoys signed.", SUNDAY, "After weeks of talks", None),
    ("The crossing was shut for two months.", SUNDAY, "for two months", None),
    ("The monitors will stay for two weeks.", SUNDAY, "for two weeks", None),
    ("Raids grew in recent days.", SUNDAY, "in recent days", None),
    ("For almost two weeks the gate stayed shut.", None, "For almost two weeks", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "words", "expected"), DURATION_CASES)
def test_durations_end_on_publication(
    text: str, published: date | None, words: str, expected: str | None
) -> None:
    mention = only(text, published)
    assert (mention.text, resolved(mention), mention.relative_to) == (
        words,
        expected,
        "publication",
    )


NOT_DURATIONS = [
    "Both sides accepted a 48-hour ceasefire.",
    "The minister ended a two-day visit to the capital.",
    "The minister came for a two day visit.",
    "A days-long siege ended quietly.",
    "The first two days of talks were tense.",
    "Convoys leave every three days.",
    "Troops arrived within two days of the attack.",
    "Monitors will stay for the next two weeks.",
    "The guns fell silent for two weeks before the talks.",
    "Talks could resume in two days.",
    "The two days of the truce passed quietly.",
    "Some 1,000 days of exile followed.",
]


@pytest.mark.parametrize("text", NOT_DURATIONS)
def test_lengths_that_are_not_durations_give_no_date(text: str) -> None:
    assert [m.span for m in find_dates(text, published=SUNDAY)] in ([], [None])


def test_a_length_later_still_steps_from_the_anchor() -> None:
    mention = only("Five days later the road reopened.", SUNDAY, "2025-10-12")
    assert (mention.text, resolved(mention), mention.relative_to) == (
        "Five days later",
        "2025-10-17",
        "previous",
    )
    assert resolved(only("Five days later the road reopened.")) is None


ANCHOR_CASES = [
    ("Two nights later a second drone struck.", "2025-10-16", "Two nights later", "2025-10-18"),
    ("The following day the post was retaken.", "2025-10-12", "The following day", "2025-10-13"),
    ("A day later the road reopened.", "2025-10-12", "A day later", "2025-10-13"),
    ("The next morning the road reopened.", "2025-10-12", "The next morning", "2025-10-13"),
    ("A week later the road reopened.", "2025-10-12", "A week later", "2025-10-19"),
    ("48 hours later the road reopened.", "2025-10-12", "48 hours later", "2025-10-14"),
    ("Hours later the road reopened.", "2025-10-12", "Hours later", "2025-10-12"),
    ("Later that day the road reopened.", "2025-10-12", "Later that day", "2025-10-12"),
    ("That night the road reopened.", "2025-10-12", "That night", "2025-10-12"),
    ("The previous day a mine had exploded.", "2025-10-12", "The previous day", "2025-10-11"),
    ("A mine had exploded the day before.", "2025-10-12", "the day before", "2025-10-11"),
    ("Two days earlier a mine had exploded.", "2025-10-12", "Two days earlier", "2025-10-10"),
    ("The next day the road reopened.", "2025-10-18/2025-10-19", "The next day", "2025-10-20"),
    ("The following week monitors arrived.", "2025-10-16", "The following week",
     "2025-10-20/2025-10-26"),
    ("Days later talks began.", "2025-10-12", "Days later", None),
    ("A few weeks later talks began.", "2025-10-12", "A few weeks later", None),
    ("The next day the road reopened.", "2025-10-01/2025-10-31", "The next day", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "anchor", "words", "expected"), ANCHOR_CASES)
def test_phrases_relative_to_the_previous_event(
    text: str, anchor: str, words: str, expected: str | None
) -> None:
    mention = only(text, SUNDAY, anchor)
    assert (mention.text, resolved(mention), mention.relative_to) == (words, expected, "previous")


def test_a_step_without_an_anchor_resolves_to_nothing() -> None:
    mention = only("Two nights later a second drone struck.")
    assert (mention.span, mention.relative_to) == (None, "previous")


def test_each_resolved_mention_anchors_the_next() -> None:
    text = (
        "On Thursday a drone hit a depot. Two nights later a second one struck, and the "
        "next day the road closed. Days later it reopened."
    )
    found = [(m.text, resolved(m)) for m in find_dates(text, published=SUNDAY)]
    assert found == [
        ("On Thursday", "2025-10-16"),
        ("Two nights later", "2025-10-18"),
        ("the next day", "2025-10-19"),
        ("Days later", None),
    ]


WITHOUT_PUBLICATION = [
    ("Shelling resumed on Thursday.", "on Thursday", None, "publication"),
    ("Gunfire was reported yesterday.", "yesterday", None, "publication"),
    ("Calm returned last week.", "last week", None, "publication"),
    ("The truce began on 12 October.", "on 12 October", None, "publication"),
    ("The crossing reopened on the 12th.", "on the 12th", None, "publication"),
    ("The truce began on October 12, 2025.", "on October 12, 2025", "2025-10-12", "absolute"),
    ("The truce began 2025-10-12.", "2025-10-12", "2025-10-12", "absolute"),
    ("The Taliban took power in 2021.", "in 2021", "2021-01-01/2021-12-31", "absolute"),
]


@pytest.mark.parametrize(("text", "words", "expected", "basis"), WITHOUT_PUBLICATION)
def test_without_a_publication_date_only_full_dates_resolve(
    text: str, words: str, expected: str | None, basis: str
) -> None:
    mention = only(text, None)
    assert (mention.text, resolved(mention), mention.relative_to) == (words, expected, basis)


def test_without_a_publication_date_the_anchor_supplies_the_year() -> None:
    text = "The truce began on October 12, 2025. On 14 October it broke."
    found = [(resolved(m), m.relative_to) for m in find_dates(text, published=None)]
    assert found == [("2025-10-12", "absolute"), ("2025-10-14", "previous")]


NOT_DATES = [
    "Troops march 5 km to the border.",
    "Aid may reach 12 villages by truck.",
    "The 2021 takeover changed the region.",
    "Good Friday prayers went ahead.",
    "It happened two days before the ceasefire took hold.",
    "Protests continued for the 12th consecutive day.",
    "Officials promised an answer as soon as possible.",
    "The last week of talks was tense.",
    "To this day nobody has been charged.",
    "The order was dated 12/10/2025.",
    "Some 2,000 families fled and 340 homes burned.",
    "The Long March ended there.",
    "Delegates agreed the day after the strike to keep talking.",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_nothing_is_invented(text: str) -> None:
    assert find_dates(text, published=SUNDAY) == []


def test_and_joins_a_range_only_after_between() -> None:
    mentions = find_dates("On October 9 and 12 people died.", published=SUNDAY)
    assert [(m.text, resolved(m)) for m in mentions] == [("On October 9", "2025-10-09")]


def test_vague_phrases_come_back_without_a_span() -> None:
    text = "Raids grew recently and in recent days; more are feared in the coming weeks."
    mentions = find_dates(text, published=SUNDAY)
    assert [(m.text, m.span) for m in mentions] == [
        ("recently", None),
        ("in recent days", None),
        ("in the coming weeks", None),
    ]


def test_offsets_slice_back_to_the_words() -> None:
    text = "Since October 12 the gate was shut; late Friday night it opened, and the next day…"
    mentions = find_dates(text, published=SUNDAY)
    assert [m.text for m in mentions] == ["Since October 12", "late Friday night", "the next day"]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_offsets_survive_characters_that_lowercase_to_two() -> None:
    text = "İİİ reported on Thursday that İ posts fell."
    (mention,) = find_dates(text, published=SUNDAY)
    assert text[mention.start : mention.end] == "on Thursday"


def test_spans_print_as_a_day_or_an_interval() -> None:
    assert span("2025-10-12").as_text() == "2025-10-12"
    assert span("2025-10-09/2025-10-12").as_text() == "2025-10-09/2025-10-12"
    assert [span(s).precision for s in ("2025-10-12", "2025-10-01/2025-10-31")] == ["day", "month"]
    assert [span(s).precision for s in ("2021-01-01/2021-12-31", "2025-10-09/2025-10-12")] == [
        "year",
        "interval",
    ]
    with pytest.raises(ValueError, match="cannot end"):
        DateSpan(date(2025, 10, 12), date(2025, 10, 9))


publication_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))


@given(publication_dates, st.sampled_from(WEEKDAYS))
def test_a_bare_weekday_is_within_the_week_ending_on_publication(
    published: date, weekday: str
) -> None:
    mention = only(f"Clashes were reported on {weekday} near the border.", published)
    assert mention.span is not None and mention.span.days == 1
    day = mention.span.first
    assert day.strftime("%A") == weekday
    assert timedelta(0) <= published - day <= timedelta(days=6)


@given(publication_dates, st.sampled_from(WEEKDAYS))
def test_last_and_next_weekdays_are_strictly_either_side(published: date, weekday: str) -> None:
    last = only(f"A post fell last {weekday}.", published).span
    coming = only(f"Monitors arrive next {weekday}.", published).span
    assert last is not None and coming is not None
    assert timedelta(days=1) <= published - last.first <= timedelta(days=7)
    assert timedelta(days=1) <= coming.first - published <= timedelta(days=7)
    assert last.first.strftime("%A") == coming.first.strftime("%A") == weekday


@given(publication_dates, st.sampled_from(WEEKDAYS))
def test_a_future_weekday_is_within_the_week_starting_on_publication(
    published: date, weekday: str
) -> None:
    mention = only(f"The commission will meet on {weekday} in the capital.", published)
    assert mention.span is not None and mention.span.first.strftime("%A") == weekday
    assert timedelta(0) <= mention.span.first - published <= timedelta(days=6)


@given(publication_dates, st.integers(0, 11), st.integers(1, 28))
def test_a_date_without_a_year_lands_near_publication(
    published: date, month_index: int, day: int
) -> None:
    mention = only(f"A checkpoint was attacked on {MONTHS[month_index]} {day}.", published)
    assert mention.span is not None
    found = mention.span.first
    assert (found.month, found.day) == (month_index + 1, day)
    assert -timedelta(days=60) <= published - found < timedelta(days=366)


NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()


@given(publication_dates, st.integers(1, 20), st.booleans())
def test_for_n_days_is_the_n_days_ending_on_publication(
    published: date, count: int, in_words: bool
) -> None:
    number = NUMBER_WORDS[count - 1] if in_words else str(count)
    days = "day" if count == 1 else "days"
    mention = only(f"The crossing stayed shut for {number} {days}.", published)
    assert mention.span is not None
    assert (mention.span.days, mention.span.last) == (count, published)


PIECES = (
    "on Thursday",
    "late Friday night",
    "12 October",
    "between October 9 and 12",
    "two nights later",
    "the next day",
    "last week",
    "in 2021",
    "yesterday",
    "recently",
    "1,200 people",
    "the army said",
    "May",
    "and",
    ",",
    "February 29",
    "31 April",
    "on the 31st",
    "0 October",
    "the day before",
    "Saturday night into",
    "for almost two weeks",
    "days of clashes",
    "a 48-hour",
    "since last week",
)


@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=12), publication_dates)
def test_mentions_are_ordered_disjoint_and_slice_back(pieces: list[str], published: date) -> None:
    text = " ".join(pieces)
    mentions = find_dates(text, published=published)
    assert mentions == find_dates(text, published=published)
    assert all(text[m.start : m.end] == m.text and m.text.strip() == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))
