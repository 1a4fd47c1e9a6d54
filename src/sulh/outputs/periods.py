"""The periods situation reports cover: a day, a week or a month, cut at a fixed hour.

Guarantors want the daily report on their desk at a fixed hour, so a report's day ends at
the cut-off time in the mechanism's zone (SULH_SITREP_CUTOFF, SULH_SITREP_ZONE) rather than
at midnight UTC. The daily report dated D covers the 24 hours that end at the cut-off on D;
with the default cut-off of 24:00, that is the whole of day D.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sulh.errors import Invalid
from sulh.outputs.statistics import Period

KINDS = ("daily", "weekly", "monthly")
_CUTOFF = re.compile(r"(\d{2}):(\d{2})")


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"Time zone {name!r} is not known (try Asia/Karachi or UTC).") from None


def parse_cutoff(text: str) -> timedelta:
    """HH:MM from 00:01 to 24:00, as the time after midnight the day ends."""
    match = _CUTOFF.fullmatch(text.strip())
    hours, minutes = (int(part) for part in match.groups()) if match else (-1, -1)
    after = timedelta(hours=hours, minutes=minutes)
    if not match or minutes > 59 or not timedelta(0) < after <= timedelta(hours=24):
        raise Invalid(f"The cut-off time must be HH:MM between 00:01 and 24:00, not {text!r}.")
    return after


def report_period(kind: str, day: date, *, cutoff: timedelta, zone: ZoneInfo) -> Period:
    """The period of the `kind` report dated `day`, in UTC."""
    if kind not in KINDS:
        raise Invalid(f"period: one of {', '.join(KINDS)}, not {kind!r}.")
    if kind == "monthly":
        earlier = _month(day.replace(day=1) - timedelta(days=1), cutoff, zone)
        month = _month(day, cutoff, zone)
        return Period(month.start, month.end, earlier)
    days = 1 if kind == "daily" else 7
    end = _end_of(day, cutoff, zone)
    return Period(_end_of(day - timedelta(days=days), cutoff, zone), end)


def _month(day: date, cutoff: timedelta, zone: ZoneInfo) -> Period:
    first, last = day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    return Period(_end_of(first - timedelta(days=1), cutoff, zone), _end_of(last, cutoff, zone))


def _end_of(day: date, cutoff: timedelta, zone: ZoneInfo) -> datetime:
    # Aware arithmetic in Python is wall-clock arithmetic: a day across a clock change is
    # 23 or 25 hours long, as the people reading the report live it.
    return (datetime.combine(day, time(0), tzinfo=zone) + cutoff).astimezone(UTC)
