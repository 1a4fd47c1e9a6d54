"""Synthetic accounts with known truth for the fusion benchmark, on the Pakistan–Afghanistan border.

A seeded stream of true events (air and drone strikes, clashes, shelling, militant attacks,
crossing closures, now and then a round of talks) at places near the border, each told by
1–8 reports with the noise real sources carry: a date a day off, or only to the week or the
month, or none; a place named at point, town, district or province precision, or not at
all, and now and then the wrong town; a related type, or a party statement; the other side
blamed; wire copies with small edits; articles telling of two events, or mentioning an
older one in passing. A quarter of the violent events have decoys: distinct events on the
same or the next day 10–60 km away, often of the same type and side.

Texts come from templates in our own words. Reports of one event share its village, target,
toll, hour and a detail; a decoy shares only the region's names and its type's words. The
number killed a text gives is also the account's figure.

Vectors are none (the benchmark then embeds the texts with the model), or synthetic, standing
in for the model where running it is too slow (a million reports). An event's direction
mixes its type's, its 1° cell's and its own (and, calibrated, one shared by all); a report's
vector is that direction at a drawn cosine plus noise; wire copies sit at about 0.99 to their
original. "synthetic" gives the separation first asked of the stand-in: cosine 0.6–0.9
between reports of one event, 0–0.3 between events. "calibrated" gives what the model gives
on these texts, which is much less: 0.3–0.93 (median 0.63) within an event and about
0.2–0.6 (median 0.38) between events a day and 60 km apart.

Events come `per_day` a day on average, in weekly bursts, so the span of days grows with the
number of reports and the density stays the region's, whatever the size of the run.
"""

from __future__ import annotations

import math
import random
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np

from sulh.fusion.accounts import RADIUS_KM, Account, Figure

GAZETTEER = Path(__file__).resolve().parents[1] / "src" / "sulh" / "extract" / "data" / "places.tsv"
BOX = (29.0, 36.0, 61.0, 75.0)  # south, north, west, east
START = date(2021, 1, 1).toordinal()
DIMENSIONS = 384
PER_DAY = 5.0  # events a day in the whole region, about what the border saw in 2025
DECOYED = 0.25  # share of violent events with a decoy
VIOLENT = frozenset(
    {"air_or_drone_strike", "armed_clash", "shelling_artillery", "armed_attack_by_militants",
     "remote_explosive_or_ied", "cross_border_raid", "attack_on_civilians"}
)  # fmt: skip
TYPE_MIX = {
    "armed_attack_by_militants": 22,
    "air_or_drone_strike": 20,
    "armed_clash": 17,
    "shelling_artillery": 14,
    "remote_explosive_or_ied": 8,
    "border_crossing_closed": 7,
    "cross_border_raid": 3,
    "attack_on_civilians": 3,
    "border_crossing_reopened": 3,
    "troop_movement": 2,
    "talks_held": 1,
}
TYPES = tuple(TYPE_MIX)
# What a source may call the event instead: mostly the same family, sometimes another violent one.
RELATED = {
    "air_or_drone_strike": ("remote_explosive_or_ied", "shelling_artillery"),
    "armed_clash": ("shelling_artillery", "cross_border_raid", "armed_attack_by_militants"),
    "shelling_artillery": ("armed_clash", "armed_clash", "air_or_drone_strike"),
    "armed_attack_by_militants": ("armed_clash", "remote_explosive_or_ied", "attack_on_civilians"),
    "remote_explosive_or_ied": ("armed_attack_by_militants", "air_or_drone_strike"),
    "cross_border_raid": ("armed_clash", "armed_attack_by_militants"),
    "attack_on_civilians": ("armed_attack_by_militants",),
    "troop_movement": ("armed_clash",),
    "talks_held": ("talks_failed",),
}
REPORTS_PER_EVENT = (30, 20, 14, 11, 9, 7, 5, 4)  # weights for 1..8 reports
KINDS = {"media": 72, "statement": 10, "tip": 8, "complaint": 5, "observation": 5}
CROSSINGS = {
    "Torkham": (34.135, 71.095),
    "Chaman": (30.921, 66.452),
    "Ghulam Khan": (33.179, 70.047),
    "Angoor Adda": (32.520, 69.360),
    "Kharlachi": (33.850, 69.970),
    "Badini": (30.490, 68.350),
    "Arandu": (35.330, 71.550),
}
VENUES = {"Doha": (25.286, 51.533), "Istanbul": (41.008, 28.978), "Kabul": (34.528, 69.172),
          "Islamabad": (33.684, 73.048)}  # fmt: skip
HOTSPOTS = (
    (34.77, 71.50), (33.90, 70.10), (33.00, 70.07), (32.30, 69.57), (33.34, 69.92),
    (32.50, 68.80), (34.87, 71.15), (34.43, 70.45), (31.00, 66.40), (31.34, 69.45),
    (30.19, 67.00), (34.00, 71.57), (31.83, 70.90), (32.99, 70.60), (35.85, 71.78),
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip

# Noise carried by an item, for the error analysis: one bit each.
TAGS = (
    "off_by_a_day", "overnight", "week", "month", "undated", "no_place", "point", "town",
    "district", "province", "misplaced", "retyped", "statement_type", "other_side", "no_side",
    "wire_copy", "second_event", "background", "decoyed",
)  # fmt: skip
TAG = {name: 1 << bit for bit, name in enumerate(TAGS)}

# Synthetic vectors: an event's direction mixes a direction shared by all (the topic), its
# type's, its 1° cell's and its own. "synthetic" is the separation asked of the stand-in;
# "calibrated" matches what the model gives on these texts (RESULTS.md): reports of one
# event at cosine 0.34-0.95 (median 0.63), of other events near by about 0.4.
MIXES = {"synthetic": (0.0, 0.45, 0.45, 0.771), "calibrated": (0.72, 0.32, 0.32, 0.526)}
# A report's vector: its event's direction at a squared cosine ("fidelity") from low to high,
# the rest noise, of which this share is one of a few styles common to all events.
FIDELITY = {"synthetic": (0.0, 0.6, 0.9), "calibrated": (0.6, 0.35, 0.92)}

Reading = tuple[str, float, float]  # a place's name and the point a source would give


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    province: str
    lat: float
    lon: float
    kind: str


@dataclass(slots=True)
class Event:
    id: int
    type: str
    day: int
    lat: float
    lon: float
    acting: str | None
    village: str
    town: Reading
    district: Reading
    province: Reading
    target: str
    killed: int
    injured: int
    moment: str
    detail: str
    victims: str
    group: int  # the event it is a decoy of, or its own id
    decoyed: bool = False  # it has decoys, or is one
    direction: np.ndarray | None = None
    told: list[Telling] = field(default_factory=list)


@dataclass(slots=True)
class Telling:
    """One account before it has a report id: what one source says of one event."""

    event: Event
    kind: str
    type: str
    first_day: int
    last_day: int
    precise: bool
    dated: bool
    place: tuple[Reading, float] | None  # the reading and its radius
    parties: frozenset[str]
    text: str
    tags: int
    background: bool = False
    copy_of: Telling | None = None
    killed: int | None = None  # the number killed the text gives
    fidelity: float = 0.75  # squared cosine of a synthetic vector to its event's direction
    pub_day: int = 0
    vector: np.ndarray | None = None


@dataclass(slots=True)
class Report:
    pub_day: int
    source_id: int
    tellings: list[Telling]


class Truth:
    """Which true event each (report_id, event) item tells of, the noise it carries, the events."""

    def __init__(self) -> None:
        self.first = array("q", [0])  # first[r]: index of report r's first item (ids from 1)
        self.event = array("i")
        self.tags = array("I")
        self.day = array("i")
        self.lat = array("f")
        self.lon = array("f")
        self.type = array("B")
        self.group = array("i")

    def __len__(self) -> int:
        return len(self.event)

    def __getitem__(self, item: tuple[int, int]) -> int:
        return self.event[self.index(*item)]

    def index(self, report_id: int, event: int) -> int:
        return self.first[report_id] + event

    @property
    def events(self) -> int:
        return len(self.day)

    def add_event(self, event: Event) -> None:
        self.day.append(event.day)
        self.lat.append(event.lat)
        self.lon.append(event.lon)
        self.type.append(TYPES.index(event.type))
        self.group.append(event.group)

    def add_report(self, tellings: list[Telling]) -> int:
        self.first.append(len(self.event))
        for telling in tellings:
            self.event.append(telling.event.id)
            self.tags.append(telling.tags)
        return len(self.first) - 1


class Stream:
    """The accounts of `reports` reports in arrival order, a day at a time, and their truth."""

    def __init__(
        self, *, reports: int, seed: int, vectors: str = "synthetic", per_day: float = PER_DAY
    ) -> None:
        if vectors not in ("synthetic", "calibrated", "none"):
            raise ValueError(f"Vectors must be synthetic, calibrated or none, not {vectors!r}.")
        self.reports, self.seed, self.vectors, self.per_day = reports, seed, vectors, per_day
        self.truth = Truth()
        self._rng = random.Random(seed)
        self._np = np.random.default_rng(seed)
        self._pending: dict[int, list[Report]] = defaultdict(list)
        self._recent: list[Event] = []  # events an article may mention in passing
        self._scheduled = 0
        self._burst = 1.0
        self._anchors = anchors()

    def chunks(self) -> Iterator[list[Account]]:
        """Each day's reports, shuffled, as accounts with report ids in arrival order."""
        day = START
        while self._scheduled < self.reports or self._pending:
            if self._scheduled < self.reports:
                self._happen(day)
            batch = self._pending.pop(day, [])
            if batch:
                self._rng.shuffle(batch)
                yield self._emit(batch)
            day += 1

    def accounts(self) -> Iterator[Account]:
        for chunk in self.chunks():
            yield from chunk

    # --- events ----------------------------------------------------------------------------

    def _happen(self, day: int) -> None:
        rng = self._rng
        if (day - START) % 7 == 0:
            # Escalations come in bursts: a week's rate is the mean times a gamma draw.
            self._burst = rng.gammavariate(1.5, 1 / 1.5)
        for _ in range(_poisson(rng, self.per_day * self._burst)):
            event = self._event(day, rng.choices(TYPES, weights=list(TYPE_MIX.values()))[0])
            siblings = self._decoys(event) if event.type in VIOLENT else []
            for one in (event, *siblings):
                self._tell(one, sibling=siblings[0] if one is event and siblings else None)
        self._recent = [e for e in self._recent if e.day >= day - 60]

    def _event(self, day: int, kind: str, near: Event | None = None) -> Event:
        rng = self._rng
        acting = _acting(kind, rng)
        if near is not None:
            distance, bearing = rng.uniform(10, 60), rng.uniform(0, 2 * math.pi)
            lat, lon = _offset(near.lat, near.lon, distance, bearing)
            name = None
        elif kind in ("border_crossing_closed", "border_crossing_reopened"):
            name, (lat, lon) = rng.choice(list(CROSSINGS.items()))
        elif kind == "talks_held":
            name, (lat, lon) = rng.choice(list(VENUES.items()))
        else:
            anchor = self._anchor(kind, acting)
            spread = 8.0 if anchor.kind == "town" else 25.0
            lat, lon = _offset(anchor.lat, anchor.lon, spread * math.sqrt(rng.random()),
                               rng.uniform(0, 2 * math.pi))  # fmt: skip
            name = anchor.name if anchor.kind == "town" else None
        event = Event(
            id=self.truth.events,
            type=kind,
            day=day,
            lat=lat,
            lon=lon,
            acting=acting,
            village=_village(rng),
            town=self._town(lat, lon, name),
            district=_coarse(lat, lon, "district", 0.4, 30.0),
            province=_coarse(lat, lon, "province", 1.8, 140.0),
            target=rng.choice(TARGETS.get(kind, TARGETS["other"])),
            killed=_toll(rng, kind),
            injured=_toll(rng, kind),
            moment=rng.choice(MOMENTS),
            detail=rng.choice(DETAILS.get(_family(kind), DETAILS["violence"])),
            victims=rng.choice(VICTIMS),
            group=near.group if near is not None else self.truth.events,
        )
        if self.vectors != "none":
            event.direction = self._direction(event)
        self.truth.add_event(event)
        return event

    def _anchor(self, kind: str, acting: str | None) -> Place:
        rng = self._rng
        if kind == "air_or_drone_strike":
            country = ("AF" if acting == "PK" else "PK") if rng.random() < 0.85 else acting
        elif kind in ("armed_attack_by_militants", "remote_explosive_or_ied",
                      "attack_on_civilians"):  # fmt: skip
            country = "PK" if rng.random() < 0.85 else "AF"
        else:
            country = rng.choice(("PK", "AF"))
        front = kind in ("armed_clash", "shelling_artillery", "cross_border_raid", "troop_movement")
        places, weights = self._anchors[(country or "PK", front)]
        return rng.choices(places, cum_weights=weights)[0]

    def _decoys(self, event: Event) -> list[Event]:
        rng = self._rng
        if rng.random() >= DECOYED:
            return []
        decoys = []
        for _ in range(2 if rng.random() < 0.2 else 1):
            draw = rng.random()
            if draw < 0.5:
                kind = event.type
            elif draw < 0.8:
                kind = rng.choice(RELATED.get(event.type, (event.type,)))
            else:
                kind = rng.choice(sorted(VIOLENT - {event.type}))
            day = event.day + (0 if rng.random() < 0.65 else 1)
            decoy = self._event(day, kind, near=event)
            if rng.random() < 0.7 and event.acting and decoy.acting:
                decoy.acting = event.acting  # one side striking two places in a night
            decoy.decoyed = event.decoyed = True
            decoys.append(decoy)
        return decoys

    def _town(self, lat: float, lon: float, name: str | None) -> Reading:
        if name is not None:
            return name, lat, lon
        # A village a source names as a town: within the town radius of the event.
        near = self._rng.random() * 6.0
        plat, plon = _offset(lat, lon, near, self._rng.uniform(0, 2 * math.pi))
        return f"{_nearest(lat, lon, 'town').name} area", plat, plon

    def _direction(self, event: Event) -> np.ndarray:
        own = self._np.standard_normal(DIMENSIONS).astype(np.float32)
        own /= np.linalg.norm(own)
        topic, kind, cell, alone = MIXES[self.vectors]
        mixed = (
            topic * _topic_direction(self.seed)
            + kind * _type_direction(self.seed, event.type)
            + cell * _cell_direction(self.seed, (math.floor(event.lat), math.floor(event.lon)))
            + alone * own
        )
        return mixed / np.linalg.norm(mixed)

    # --- reports ---------------------------------------------------------------------------

    def _tell(self, event: Event, sibling: Event | None) -> None:
        rng = self._rng
        count = rng.choices(range(1, 9), weights=REPORTS_PER_EVENT)[0]
        for number in range(count):
            if self._scheduled >= self.reports:
                return
            self._scheduled += 1
            if number and event.told and rng.random() < 0.12:
                report = self._copy(event)
            else:
                report = self._report(event)
            if sibling is not None and report.pub_day >= sibling.day and rng.random() < 0.2:
                second = self._telling(sibling, report.tellings[0].kind, report.pub_day, "")
                second.pub_day = report.pub_day
                second.tags |= TAG["second_event"]
                report.tellings[0].tags |= TAG["second_event"]
                report.tellings.append(second)
            if rng.random() < 0.04:
                self._mention(report)
            self._pending[report.pub_day].append(report)
        if count > 2:
            self._recent.append(event)

    def _report(self, event: Event) -> Report:
        rng = self._rng
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        lag = rng.choices((0, 1, 2, 3, 4), weights=(55, 33, 6, 4, 2))[0]
        telling = self._telling(event, kind, event.day + lag, _source_style(rng))
        pub = max(event.day + lag, telling.last_day if telling.precise else event.day)
        if telling.tags & TAG["week"]:
            pub = event.day + rng.randint(3, 10)
        elif telling.tags & TAG["month"]:
            pub = event.day + rng.randint(5, 35)
        telling.pub_day = pub
        return Report(pub, _source(rng, kind), [telling])

    def _copy(self, event: Event) -> Report:
        """A wire story reprinted: the same account, the text lightly edited."""
        rng = self._rng
        original = rng.choice(event.told)
        telling = Telling(
            event=event,
            kind="media",
            type=original.type,
            first_day=original.first_day,
            last_day=original.last_day,
            precise=original.precise,
            dated=original.dated,
            place=original.place,
            parties=original.parties,
            text=_edit(rng, original.text),
            tags=(original.tags & ~TAG["second_event"]) | TAG["wire_copy"],
            copy_of=original,
            killed=original.killed,
        )
        telling.pub_day = original.pub_day + rng.choice((0, 0, 1))
        event.told.append(telling)
        return Report(telling.pub_day, _source(rng, "media"), [telling])

    def _telling(self, event: Event, kind: str, pub: int, style: str) -> Telling:
        rng = self._rng
        first, last, precise, dated, tags = _when(rng, event.day, pub)
        kind_type, tags = self._type(event, kind, tags)
        place, tags = self._place(event, tags)
        parties, tags = _parties(rng, event, kind, kind_type, tags)
        if event.decoyed:
            tags |= TAG["decoyed"]
        when = (first, last, dated, pub)
        text, killed = _text(rng, event, kind, kind_type, place, parties, when, style)
        telling = Telling(event, kind, kind_type, first, last, precise, dated, place, parties, text,
                          tags, fidelity=rng.uniform(0.6, 0.9), killed=killed)  # fmt: skip
        event.told.append(telling)
        return telling

    def _type(self, event: Event, kind: str, tags: int) -> tuple[str, int]:
        rng = self._rng
        if kind == "statement" and event.type in VIOLENT and rng.random() < 0.5:
            return rng.choice(("statement_or_accusation", "denial")), tags | TAG["statement_type"]
        if event.type in RELATED and rng.random() < 0.15:
            return rng.choice(RELATED[event.type]), tags | TAG["retyped"]
        return event.type, tags

    def _place(self, event: Event, tags: int) -> tuple[tuple[Reading, float] | None, int]:
        rng = self._rng
        draw = rng.random()
        if draw < 0.08:
            return None, tags | TAG["no_place"]
        if event.type in ("border_crossing_closed", "border_crossing_reopened", "talks_held"):
            return (event.town, RADIUS_KM["town"]), tags | TAG["town"]
        if draw < 0.10:
            wrong = _nearest(*_offset(event.lat, event.lon, rng.uniform(20, 80),
                                      rng.uniform(0, 2 * math.pi)), "town")  # fmt: skip
            return ((wrong.name, wrong.lat, wrong.lon), RADIUS_KM["town"]), tags | TAG["misplaced"]
        if draw < 0.17:
            lat, lon = _offset(event.lat, event.lon, rng.random() * 1.5, rng.uniform(0, 6.3))
            return ((event.village, lat, lon), RADIUS_KM["point"]), tags | TAG["point"]
        if draw < 0.59:
            return (event.town, RADIUS_KM["town"]), tags | TAG["town"]
        if draw < 0.84:
            return (event.district, RADIUS_KM["district"]), tags | TAG["district"]
        return (event.province, RADIUS_KM["province"]), tags | TAG["province"]

    def _mention(self, report: Report) -> None:
        """An article recalls an older event in passing: a background account of it."""
        rng, today = self._rng, report.pub_day
        older = [e for e in self._recent if 3 <= today - e.day <= 60]
        if not older:
            return
        event = rng.choice(older)
        if rng.random() < 0.5:
            first = last = event.day
        else:
            first, last = _month(event.day)
        reading, radius = rng.choice(((event.district, 35.0), (event.province, 150.0)))
        toll = f", which killed {event.killed}" if event.killed else ""
        what = f"the {_label(event.type)} of {_date(event.day)} in {reading[0]}"
        text = f"It came after {what}{toll}."
        telling = Telling(event, report.tellings[0].kind, event.type, first, last,
                          last - first <= 1, True, (reading, radius), frozenset(), text,
                          TAG["background"], background=True, fidelity=rng.uniform(0.35, 0.6),
                          killed=event.killed or None)  # fmt: skip
        report.tellings.append(telling)

    # --- emission --------------------------------------------------------------------------

    def _emit(self, batch: list[Report]) -> list[Account]:
        if self.vectors != "none":
            self._vectorise([t for r in batch for t in r.tellings])
        accounts = []
        for report in batch:
            report_id = self.truth.add_report(report.tellings)
            for number, telling in enumerate(report.tellings):
                accounts.append(_account(report_id, number, report.source_id, telling))
        return accounts

    def _vectorise(self, tellings: list[Telling]) -> None:
        noise = self._np.standard_normal((len(tellings), DIMENSIONS), dtype=np.float32)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        share, low, high = FIDELITY[self.vectors]
        if share:
            # Wording shared across events: an outlet's style, a template's phrasing.
            styles = _style_directions(self.seed)
            noise *= math.sqrt(1 - share)
            noise += math.sqrt(share) * styles[self._np.integers(len(styles), size=len(tellings))]
        # Originals first: a copy published the same day needs its original's vector.
        order = sorted(range(len(tellings)), key=lambda i: tellings[i].copy_of is not None)
        for i in order:
            telling = tellings[i]
            if telling.copy_of is not None and telling.copy_of.vector is not None:
                vector = telling.copy_of.vector + 0.12 * noise[i]
            else:
                assert telling.event.direction is not None
                # Fidelity is drawn in 0.6-0.9 (0.35-0.6 for a mention in passing).
                f = max(0.05, low + (telling.fidelity - 0.6) * (high - low) / 0.3)
                vector = math.sqrt(f) * telling.event.direction + math.sqrt(1 - f) * noise[i]
            telling.vector = (vector / np.linalg.norm(vector)).astype(np.float32)


def _account(report_id: int, number: int, source_id: int, telling: Telling) -> Account:
    located = telling.place is not None
    reading, radius = telling.place if telling.place is not None else (("", 0.0, 0.0), 0.0)
    return Account(
        report_id=report_id,
        event=number,
        kind=telling.kind,
        type=telling.type,
        first_day=telling.first_day,
        last_day=telling.last_day,
        precise=telling.precise,
        dated=telling.dated,
        lat=reading[1] if located else None,
        lon=reading[2] if located else None,
        radius_km=radius if located else None,
        places=(reading[0],) if located else (),
        parties=telling.parties,
        figures=() if telling.killed is None else (_killed(telling.killed),),
        background=telling.background,
        source_id=source_id,
        text=telling.text,
        vector=telling.vector,
    )


@cache
def _killed(count: int) -> Figure:
    return Figure("unknown", "killed", count, count, count)


# --- time, sides, sources -------------------------------------------------------------------


def _when(rng: random.Random, day: int, pub: int) -> tuple[int, int, bool, bool, int]:
    """The window a source gives: first and last day, precise, dated, and the tag."""
    draw = rng.random()
    if draw < 0.72:
        return day, day, True, True, 0
    if draw < 0.83:
        off = day + (1 if rng.random() < 0.65 else -1)
        return off, off, True, True, TAG["off_by_a_day"]
    if draw < 0.87:
        first = day - 1 if rng.random() < 0.5 else day
        return first, first + 1, True, True, TAG["overnight"]
    if draw < 0.92:
        middle = day + rng.randint(-2, 2)
        return middle - 3, middle + 3, False, True, TAG["week"]
    if draw < 0.94:
        first, last = _month(day)
        return first, last, False, True, TAG["month"]
    return pub - 7, pub, False, False, TAG["undated"]


def _month(day: int) -> tuple[int, int]:
    when = date.fromordinal(day)
    first = when.replace(day=1)
    following = date(when.year + when.month // 12, when.month % 12 + 1, 1)
    return first.toordinal(), following.toordinal() - 1


def _acting(kind: str, rng: random.Random) -> str | None:
    if kind == "air_or_drone_strike":
        return "PK" if rng.random() < 0.85 else "AF"
    if kind in ("armed_attack_by_militants", "remote_explosive_or_ied", "attack_on_civilians",
                "talks_held"):  # fmt: skip
        return None  # armed groups answer to no party
    if kind in ("border_crossing_closed", "border_crossing_reopened"):
        return "PK" if rng.random() < 0.65 else "AF"
    return rng.choice(("PK", "AF"))


def _parties(
    rng: random.Random, event: Event, kind: str, kind_type: str, tags: int
) -> tuple[frozenset[str], int]:
    """Whom the source says acted: the actor, the other side, or nobody named."""
    acting, draw = event.acting, rng.random()
    if kind_type == "denial":
        said = None
    elif kind in ("statement", "complaint"):
        speaker = rng.choice(("PK", "AF"))
        if acting is None:
            said = "AF" if speaker == "PK" and draw < 0.5 else None
        else:
            # Each side blames the other for an exchange of fire; a strike is rarely denied.
            said = _other(speaker) if event.type != "air_or_drone_strike" or draw < 0.8 else acting
    elif acting is None:
        said = "AF" if event.type in VIOLENT and draw < 0.15 else None
    elif event.type in ("air_or_drone_strike", "border_crossing_closed",
                        "border_crossing_reopened"):  # fmt: skip
        said = acting if draw < 0.65 else (None if draw < 0.95 else _other(acting))
    else:
        said = acting if draw < 0.35 else (_other(acting) if draw < 0.55 else None)
    if said is None:
        return frozenset(), tags | TAG["no_side"]
    if said != acting:
        tags |= TAG["other_side"]
    return PARTY_SETS[said], tags


PARTY_SETS = {"PK": frozenset({"PK"}), "AF": frozenset({"AF"})}


def _other(party: str) -> str:
    return "AF" if party == "PK" else "PK"


def _source(rng: random.Random, kind: str) -> int:
    if kind == "statement":
        return rng.randint(1, 6)  # the parties' official channels
    if kind == "media" and rng.random() < 0.3:
        return rng.randint(7, 16)  # wire agencies
    return rng.randint(17, 400)


def _source_style(rng: random.Random) -> str:
    return rng.choice(("wire", "local", "local", "national"))


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _toll(rng: random.Random, kind: str) -> int:
    if kind not in VIOLENT:
        return 0
    return 0 if rng.random() < 0.3 else min(40, int(rng.expovariate(1 / 4)) + 1)


# --- places ---------------------------------------------------------------------------------


@cache
def gazetteer() -> tuple[Place, ...]:
    """Towns, districts and provinces of Sulh's gazetteer in and around the border box."""
    places = []
    for line in GAZETTEER.read_text("utf-8").splitlines()[1:]:
        cols = line.split("\t")
        lat, lon, kind = float(cols[5]), float(cols[6]), cols[7]
        if kind in ("town", "district", "province") and _inside(lat, lon, margin=1.0):
            places.append(Place(cols[1], cols[3], cols[4] or cols[1], lat, lon, kind))
    return tuple(places)


@cache
def anchors() -> dict[tuple[str, bool], tuple[list[Place], list[float]]]:
    """Towns and districts by country and whether fighting between forces happens there.

    Cumulative weights favour the border's trouble spots; forces fight only near them,
    while militants and air strikes reach further in.
    """
    chosen: dict[tuple[str, bool], tuple[list[Place], list[float]]] = {
        (country, front): ([], []) for country in ("PK", "AF") for front in (False, True)
    }
    for place in gazetteer():
        if place.kind in ("town", "district") and _inside(place.lat, place.lon, margin=0.0):
            near = min(_km(place.lat, place.lon, lat, lon) for lat, lon in HOTSPOTS)
            for front, weight in (
                (False, 0.1 + math.exp(-near / 50.0)),
                (True, math.exp(-near / 25.0)),
            ):
                places, weights = chosen[(place.country, front)]
                places.append(place)
                weights.append((weights[-1] if weights else 0.0) + weight)
    return chosen


def _inside(lat: float, lon: float, *, margin: float) -> bool:
    south, north, west, east = BOX
    return south - margin <= lat <= north + margin and west - margin <= lon <= east + margin


@cache
def _by_kind(kind: str) -> tuple[tuple[Place, ...], np.ndarray, np.ndarray]:
    places = tuple(p for p in gazetteer() if p.kind == kind)
    return places, np.array([p.lat for p in places]), np.array([p.lon for p in places])


def _nearest(lat: float, lon: float, kind: str) -> Place:
    places, lats, lons = _by_kind(kind)
    # Degrees of longitude are about 0.83 of a degree of latitude at these latitudes.
    return places[int(np.argmin((lats - lat) ** 2 + ((lons - lon) * 0.83) ** 2))]


def _coarse(lat: float, lon: float, kind: str, grid: float, within: float) -> Reading:
    """A district's or province's point: the gazetteer's if close enough, else its grid cell's.

    The cell's centre stands in for a centroid the gazetteer lacks, shared by every event in
    the cell as a real centroid would be, and never further than the precision's radius.
    """
    place = _nearest(lat, lon, kind)
    if _km(lat, lon, place.lat, place.lon) <= within:
        return place.name, place.lat, place.lon
    row, col = math.floor(lat / grid), math.floor(lon / grid)
    return place.name, (row + 0.5) * grid, (col + 0.5) * grid


def _offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    dlat = km * math.cos(bearing) / 111.0
    dlon = km * math.sin(bearing) / (111.0 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat = (lat2 - lat1) * 111.0
    dlon = (lon2 - lon1) * 111.0 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dlat, dlon)


VILLAGE_HEADS = ("Shin", "Tor", "Spin", "Mir", "Gul", "Sra", "Landi", "Kach", "Zar", "Baz",
                 "Dand", "Shah", "Ghar", "Nar", "Pir", "Kot", "Bagh", "Lwar", "Mana",
                 "Daw")  # fmt: skip
VILLAGE_TAILS = (" Kalay", " Khel", "kot", " Kandao", " Darra", "abad", " Banda", " Mela",
                 " Tangi", " Ghundai", " Sar", " Obo")  # fmt: skip


def _village(rng: random.Random) -> str:
    return rng.choice(VILLAGE_HEADS) + rng.choice(VILLAGE_TAILS)


@cache
def _style_directions(seed: int) -> np.ndarray:
    return np.stack([_unit(np.random.default_rng([seed, 4, i])) for i in range(6)])


@cache
def _topic_direction(seed: int) -> np.ndarray:
    return _unit(np.random.default_rng([seed, 3]))


@cache
def _type_direction(seed: int, kind: str) -> np.ndarray:
    return _unit(np.random.default_rng([seed, 1, TYPES.index(kind)]))


@cache
def _cell_direction(seed: int, cell: tuple[int, int]) -> np.ndarray:
    return _unit(np.random.default_rng([seed, 2, cell[0] + 90, cell[1] + 180]))


def _unit(rng: np.random.Generator) -> np.ndarray:
    vector = rng.standard_normal(DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


# --- texts ----------------------------------------------------------------------------------

TARGETS = {
    "air_or_drone_strike": ("a house", "a religious school", "a walled compound", "a pickup truck",
                            "a camp", "a fuel depot", "a market street"),
    "armed_clash": ("border posts", "a checkpoint", "forward positions", "a fencing site",
                    "a hilltop post"),
    "shelling_artillery": ("villages", "a border post", "farmland", "a school", "homes"),
    "armed_attack_by_militants": ("a police station", "a security convoy", "a checkpoint",
                                  "a polio team", "an army camp", "a levies post"),
    "remote_explosive_or_ied": ("a police van", "a market", "a passenger bus", "a patrol",
                                "a roadside shop"),
    "cross_border_raid": ("a border post", "a village", "a fencing site"),
    "attack_on_civilians": ("a wedding", "a bus", "a mosque", "a bazaar"),
    "troop_movement": ("the border", "a mountain pass"),
    "other": ("the crossing", "the border"),
}  # fmt: skip
MOMENTS = ("before dawn", "late at night", "in the early morning", "in the afternoon",
           "after evening prayers", "around midday")  # fmt: skip
DETAILS = {
    "violence": ("a vehicle was set on fire", "explosions were heard for about an hour",
                 "several homes were damaged", "families fled towards safer villages",
                 "power lines were cut", "a mosque was damaged", "traffic on the main road stopped",
                 "livestock were killed", "rescuers searched the rubble through the night",
                 "shops in the bazaar stayed shut", "the wounded were taken to the district"
                 " hospital", "schools in the area were closed"),
    "crossing": ("hundreds of trucks were stranded", "traders protested at the gate",
                 "families were stuck on both sides", "fruit loads began to rot",
                 "the customs offices were shut"),
    "talks": ("mediators from Qatar and Turkey attended", "the talks would resume next week",
              "a joint monitoring mechanism was discussed", "the delegations met for six hours"),
}  # fmt: skip
LEADS = {
    "air_or_drone_strike": ("Air strikes{by} hit {target} {place} {when}.",
                            "A drone strike{by} destroyed {target} {place} {moment} {when}.",
                            "An air raid{by} flattened {target} {place} {when}."),
    "armed_clash": ("Heavy fighting broke out{between} at {target} {place} {when}.",
                    "Border forces exchanged fire{between} {place} {moment} {when}.",
                    "Clashes erupted{between} near {target} {place} {when}."),
    "shelling_artillery": ("Artillery fire{by} hit {target} {place} {when}.",
                           "Mortar rounds{by} struck {target} {place} {moment} {when}.",
                           "Shelling{by} hit {target} {place} {when}."),
    "armed_attack_by_militants": ("Militants{by} attacked {target} {place} {when}.",
                                  "Gunmen{by} stormed {target} {place} {moment} {when}.",
                                  "Insurgents{by} opened fire on {target} {place} {when}."),
    "remote_explosive_or_ied": ("A roadside bomb{by} tore through {target} {place} {when}.",
                                "An explosion{by} hit {target} {place} {moment} {when}.",
                                "A blast{by} struck {target} {place} {when}."),
    "cross_border_raid": ("Fighters crossed the border and attacked {target} {place} {when}.",
                          "A cross-border raid{by} targeted {target} {place} {when}."),
    "attack_on_civilians": ("Civilians were attacked at {target} {place} {when}.",
                            "Gunmen{by} fired on {target} {place} {when}."),
    "troop_movement": ("Troops{by} massed near {target} {place} {when}.",
                       "Reinforcements{by} were moved to {target} {place} {when}."),
    "border_crossing_closed": ("Authorities closed the {crossing} crossing {when} after {reason}.",
                               "Trade through {crossing} was halted {when} after {reason}.",
                               "The {crossing} border crossing was shut{by} {when}."),
    "border_crossing_reopened": ("The {crossing} crossing reopened {when} after days shut.",
                                 "Trucks rolled through {crossing} again {when} as the border"
                                 " reopened."),
    "talks_held": ("Pakistani and Afghan delegations met in {crossing} {when} for talks on the"
                   " ceasefire.", "A new round of talks opened in {crossing} {when}."),
    "talks_failed": ("Talks in {crossing} ended {when} without agreement.",
                     "Negotiators left {crossing} {when} with no deal."),
    "statement_or_accusation": ("{speaker} accused {accused} of an attack {place} {when}.",
                                "{speaker} said {accused} had broken the ceasefire {place}"
                                " {when}."),
    "denial": ("{speaker} denied any role in the {label} {place} {when}.",
               "{speaker} rejected reports of {label} {place} {when} as false."),
}  # fmt: skip
# How a lead names the side said to have acted, by the type it tells of.
BY = {"armed_attack_by_militants": " backed by {name}",
      "remote_explosive_or_ied": " blamed on {name}",
      "attack_on_civilians": " sent by {name}", "troop_movement": " of {name}"}  # fmt: skip
TOLLS = ("At least {killed} were killed, among them {victims}.", "The attack left {killed} dead.",
         "{killed} people were killed.")  # fmt: skip
WOUNDED = ("{killed} people were killed and {injured} wounded.",
           "Officials put the death toll at {killed}, with {injured} injured.")  # fmt: skip
NO_TOLL = ("No casualties were reported.", "There was no word on casualties.")
VICTIMS = ("women and children", "soldiers", "policemen", "civilians", "tribal elders")
ATTRIBUTIONS = {
    "wire": ("{role} told reporters.", "{role} said, asking not to be named."),
    "local": ("Residents said {detail}.", "{role} said {detail}.", "Witnesses said {detail}."),
    "national": ("{role} confirmed the account.", "According to {role_lower}, {detail}."),
}
ROLES = ("A local police official", "The district administrator", "A hospital official",
         "A tribal elder", "A provincial spokesman", "A security official")  # fmt: skip
REASONS = ("firing between border forces", "a dispute over the fence", "security threats",
           "a row over visas", "an attack nearby")  # fmt: skip
SPEAKERS = {"PK": "Pakistan's military", "AF": "The Afghan government's spokesman"}
NAMES = {"PK": ("Pakistani forces", "the Pakistani military", "Pakistan"),
         "AF": ("Afghan Taliban forces", "Afghan forces", "the Taliban")}  # fmt: skip
AGENCIES = ("(Reuters)", "(AFP)", "(AP)", "(Anadolu)")
EDITS = (("killed", "dead"), ("said", "told reporters"), ("attacked", "targeted"),
         ("wounded", "injured"), ("struck", "hit"))  # fmt: skip


def _text(
    rng: random.Random,
    event: Event,
    kind: str,
    kind_type: str,
    place: tuple[Reading, float] | None,
    parties: frozenset[str],
    when: tuple[int, int, bool, int],
    style: str,
) -> tuple[str, int | None]:
    """A report's text from templates, and the number killed it gives, if any."""
    said = next(iter(parties), None)
    name = rng.choice(NAMES[said]) if said else ""
    fill = {
        "by": BY.get(kind_type, " by {name}").format(name=name) if name else "",
        "between": " between Pakistani and Afghan forces" if rng.random() < 0.5 else "",
        "accused": name or "the other side",
        "speaker": SPEAKERS[rng.choice(("PK", "AF"))],
        "label": _label(event.type, plural=True),
        "target": event.target,
        "place": _where(rng, event, place),
        "when": _when_words(rng, *when),
        "moment": event.moment,
        "crossing": event.town[0],
        "reason": rng.choice(REASONS),
    }
    lead = rng.choice(LEADS.get(kind_type, LEADS["statement_or_accusation"]))
    if "{moment}" in lead:
        fill["when"] = _when_words(rng, *when, plain=True)
    sentences = [lead.format(**fill)]
    killed = None
    if event.type in VIOLENT and kind != "tip":
        toll, killed = _toll_words(rng, event)
        sentences.append(toll)
    if name and kind_type in ("armed_clash", "shelling_artillery") and rng.random() < 0.7:
        sentences.append(f"Officials said {name} fired first.")
    if style and kind in ("media", "observation"):
        role = rng.choice(ROLES)
        pattern = rng.choice(ATTRIBUTIONS[style])
        sentences.append(pattern.format(role=role, role_lower=role.lower(), detail=event.detail))
    text = " ".join(s[0].upper() + s[1:] for s in sentences)
    return text.replace("  ", " ").replace(" .", "."), killed


def _where(rng: random.Random, event: Event, place: tuple[Reading, float] | None) -> str:
    if place is None:
        return rng.choice(("along the border", "in a border area", "in the tribal belt"))
    (name, _, _), radius = place
    if radius == RADIUS_KM["point"]:
        return f"in {name} near {event.town[0]}"
    if radius == RADIUS_KM["town"]:
        return rng.choice(("in {}", "near {}", "on the outskirts of {}")).format(name)
    if radius == RADIUS_KM["district"]:
        return rng.choice(("in {} district", "in the {} area")).format(name)
    return rng.choice(("in {} province", "in {}")).format(name)


def _when_words(
    rng: random.Random, first: int, last: int, dated: bool, pub: int, plain: bool = False
) -> str:
    if not dated:
        return rng.choice(("", "recently", "in recent days"))
    if last - first > 7:
        return rng.choice((f"in {MONTHS[date.fromordinal(first).month - 1]}", "this month"))
    if last - first > 1:
        return rng.choice(("last week", "earlier this week", "over several days"))
    if last > first:
        return f"overnight into {WEEKDAYS[date.fromordinal(last).weekday()]}"
    if rng.random() < 0.5 or pub - first > 6:
        return f"on {_date(first)}"
    if plain:
        return f"on {WEEKDAYS[date.fromordinal(first).weekday()]}"
    return rng.choice(("on {}", "late on {}", "on {} night")).format(
        WEEKDAYS[date.fromordinal(first).weekday()]
    )


def _date(day: int) -> str:
    when = date.fromordinal(day)
    return f"{when.day} {MONTHS[when.month - 1]}"


def _toll_words(rng: random.Random, event: Event) -> tuple[str, int | None]:
    """The toll sentence, and the number killed it gives, if any."""
    killed, injured = event.killed, event.injured
    if killed and rng.random() < 0.3:
        killed = max(1, killed + rng.choice((-2, -1, 1, 2, 3)))  # early counts differ
    if killed == 1:
        return "One person was killed.", 1
    if not killed:
        if injured and rng.random() < 0.5:
            return f"{injured} people were hurt.", None
        return rng.choice(NO_TOLL), None
    pattern = rng.choice(TOLLS + WOUNDED if injured else TOLLS)
    return pattern.format(killed=killed, injured=injured, victims=event.victims), killed


def _family(kind: str) -> str:
    if kind.startswith("border_crossing"):
        return "crossing"
    return "talks" if kind.startswith("talks") else "violence"


def _label(kind: str, plural: bool = False) -> str:
    words = {
        "air_or_drone_strike": ("air strike", "air strikes"),
        "armed_clash": ("clash", "clashes"),
        "shelling_artillery": ("shelling", "shelling"),
        "armed_attack_by_militants": ("militant attack", "militant attacks"),
        "remote_explosive_or_ied": ("bombing", "bombings"),
    }.get(kind, (kind.replace("_", " "), kind.replace("_", " ")))
    return words[1] if plural else words[0]


def _edit(rng: random.Random, text: str) -> str:
    """A reprint's small edits: an agency tag, a word swapped, the last sentence dropped."""
    old, new = rng.choice(EDITS)
    text = text.replace(old, new, 1)
    if rng.random() < 0.5:
        text = f"{rng.choice(AGENCIES)} {text}"
    sentences = text.split(". ")
    if len(sentences) > 2 and rng.random() < 0.4:
        text = ". ".join(sentences[:-1]) + "."
    return text
