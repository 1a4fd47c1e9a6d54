"""Exports of incidents: ACLED-shaped CSV, HXL read by libhxl, GeoJSON held to RFC 7946.

The record is the demo scenario, played through the real domain functions; the exports are
fetched over the API (tier from the caller's token) and from `sulh export`.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import math
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import hxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.engine import Engine

from sulh.access import issue_token, user_by_name
from sulh.access.roles import reader_of_tier
from sulh.agreement import load_agreement, shipped_agreement_path
from sulh.cli import cli
from sulh.cli.context import SYSTEM
from sulh.errors import Invalid
from sulh.fusion.accounts import Figure
from sulh.fusion.casualties import Sourced
from sulh.ledger.note import Signer, open_note
from sulh.outputs import incident_rows as rows_module
from sulh.outputs.acled import COLUMNS, EVENT_TYPES, NAMES, TEXT, acled_type
from sulh.outputs.cut import Cut
from sulh.outputs.exports import (
    FORMULA_START,
    UnknownFormat,
    csv_chunks,
    format_named,
    hxl_chunks,
    neutralise,
)
from sulh.outputs.incident_rows import IncidentRow, incident_rows
from sulh.outputs.tolls import Toll, tolls
from sulh.scenario import play_demo
from sulh.store import Store
from sulh.store.tables import Incident
from sulh.vocabulary import EventType
from tests.conftest import make_report

ACLED = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "civilian_targeting",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "timestamp",
]
ACLED_EVENT_TYPES = {
    "Battles": {"Armed clash"},
    "Explosions/Remote violence": {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
    },
    "Violence against civilians": {"Attack"},
    "Strategic developments": {"Agreement", "Other"},
}
# A reader of each tier, as the demo's users (the API takes the tier from the token).
READERS = {"public": None, "parties": "observer", "joint": "envoy.qa", "internal": "analyst.1"}
PROTECTED = {"public tip line", "Eastern team, follow-up interviews"}  # the demo's
AGREEMENT = load_agreement(shipped_agreement_path())


@pytest.fixture
def demo(client: TestClient, store: Store) -> dict[str, dict[str, str]]:
    """The demo scenario played into the client's record; headers for a reader of each tier."""
    play_demo(store)
    headers: dict[str, dict[str, str]] = {}
    with store.write(SYSTEM) as writer:
        for tier, username in READERS.items():
            if username is None:
                headers[tier] = {}
                continue
            user = user_by_name(session=writer.session, username=username)
            token = issue_token(writer=writer, user=user, days=30)
            headers[tier] = {"Authorization": f"Bearer {token}"}
    return headers


def fetch(client: TestClient, path: str, headers: dict[str, str] | None = None) -> Any:
    response = client.get(path, headers=headers or {})
    assert response.status_code == 200, response.text
    return response


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def open_ids(store: Store, tiers: tuple[str, ...]) -> set[int]:
    with store.read() as session:
        query = select(Incident.id).where(Incident.status == "open", Incident.tier.in_(tiers))
        return set(session.scalars(query))


# --- CSV -----------------------------------------------------------------------------------


def test_csv_has_acled_columns_then_sulh_columns(client: TestClient, demo: Any) -> None:
    response = fetch(client, "/api/v1/exports/incidents.csv", demo["internal"])
    assert response.headers["content-type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(response.text, newline="")))
    assert header[: len(ACLED)] == ACLED
    assert all(name.startswith("sulh_") for name in header[len(ACLED) :])
    rows = csv_rows(response.text)
    strike = next(r for r in rows if r["sulh_incident_id"] == "1")
    assert strike["event_id_cnty"] == "af-pk-2025-1"
    assert strike["event_date"] == "2025-10-23" and strike["year"] == "2025"
    assert (strike["disorder_type"], strike["event_type"], strike["sub_event_type"]) == (
        "Political violence",
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert (strike["actor1"], strike["actor2"]) == ("Pakistan", "Afghanistan")
    assert (strike["country"], strike["admin1"]) == ("Afghanistan", "Paktika")
    assert (float(strike["latitude"]), float(strike["longitude"])) == (32.79, 69.24)
    assert strike["time_precision"] in {"1", "2", "3"} and strike["geo_precision"] in {
        "1",
        "2",
        "3",
    }
    for row in rows:
        assert row["event_type"] in ACLED_EVENT_TYPES, row
        assert row["sub_event_type"] in ACLED_EVENT_TYPES[row["event_type"]], row
        assert int(row["fatalities"]) >= 0 and int(row["timestamp"]) > 1_700_000_000


def test_every_sulh_event_type_maps_to_an_acled_type() -> None:
    kinds = set(EventType.__args__) | set(EVENT_TYPES)  # type: ignore[attr-defined]
    for kind in kinds:
        disorder, event_type, sub = acled_type(kind)
        assert sub in ACLED_EVENT_TYPES[event_type], kind
        violent = event_type != "Strategic developments"
        assert disorder == ("Political violence" if violent else "Strategic developments")


def test_fatalities_are_the_timeline_s_reconciled_best(client: TestClient, demo: Any) -> None:
    for tier in ("public", "internal"):
        exported = csv_rows(fetch(client, "/api/v1/exports/incidents.csv", demo[tier]).text)
        timeline = {
            row["incident"]: row for row in fetch(client, "/api/v1/timeline", demo[tier]).json()
        }
        assert {int(r["sulh_incident_id"]) for r in exported} == set(timeline)
        for row in exported:
            killed = _killed(timeline[int(row["sulh_incident_id"])]["casualties"])
            assert int(row["fatalities"]) == (killed["best"] or killed["low"] or 0), row
            assert row["sulh_fatalities_low"] == _text(killed["low"])
            assert row["sulh_fatalities_high"] == _text(killed["high"])


def _figure(
    group: str, outcome: str, best: int | None, origin: str = "wire", low: int | None = None
) -> Sourced:
    return Sourced(1, origin, origin, Figure(group, outcome, low, best, None), False)


def test_tolls_add_groups_but_let_unknown_stand_alone() -> None:
    killed, injured = tolls(
        [
            _figure("civilian", "killed", 3),
            _figure("security", "killed", 2),
            _figure("unknown", "killed", 4),
            _figure("civilian", "killed", 7, origin="radio"),  # two origins: median_low
            _figure("unknown", "injured", None, low=6),  # a floor only
        ]
    )
    # Named: low 3+2, best median_low(3, 7)+2, high 7+2; the unknown group's 4 is less.
    assert killed == Toll(5, 5, 9)
    assert injured == Toll(6, None, 6)
    killed, _ = tolls([_figure("civilian", "killed", 3), _figure("unknown", "killed", 9)])
    assert killed.best == 9


def _killed(casualties: list[dict[str, Any]]) -> dict[str, int | None]:
    """The rule docs/exports.md states: named groups summed; the unknown group's figure
    stands instead of that sum when larger."""
    killed = [c for c in casualties if c["outcome"] == "killed"]
    found: dict[str, int | None] = {}
    for key in ("low", "best", "high"):
        named = [c[key] for c in killed if c["group"] != "unknown" and c[key] is not None]
        unknown = [c[key] for c in killed if c["group"] == "unknown" and c[key] is not None]
        candidates = ([sum(named)] if named else []) + unknown
        found[key] = max(candidates) if candidates else None
    return found


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


# --- tiers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "geojson", "hxl.csv"])
def test_each_reader_gets_exactly_its_tier(
    client: TestClient, store: Store, demo: Any, fmt: str
) -> None:
    widths = {
        "public": ("public",),
        "parties": ("parties", "public"),
        "joint": ("joint", "parties", "public"),
        "internal": ("internal", "joint", "parties", "public"),
    }
    for tier, tiers in widths.items():
        response = fetch(client, f"/api/v1/exports/incidents.{fmt}", demo[tier])
        found = _ids(response.text, fmt)
        assert found == open_ids(store, tiers), tier
    assert open_ids(store, ("internal",)), "the demo has an internal incident"


def _ids(text: str, fmt: str) -> set[int]:
    if fmt == "geojson":
        return {f["id"] for f in json.loads(text)["features"]}
    if fmt == "hxl.csv":
        return {int(r.get("#event+id+sulh")) for r in _hxl(text)}
    return {int(r["sulh_incident_id"]) for r in csv_rows(text)}


def test_protected_sources_are_named_only_to_staff(client: TestClient, demo: Any) -> None:
    for tier in READERS:
        rows = csv_rows(fetch(client, "/api/v1/exports/incidents.csv", demo[tier]).text)
        named = {s for r in rows for s in r["source"].split("; ") if s}
        assert bool(named & PROTECTED) is (tier == "internal"), tier


def test_cli_tiers_match_the_api_s_readers(cli_run: Run, client: TestClient, demo: Any) -> None:
    for tier in ("public", "parties", "joint", "internal"):
        done = cli_run("export", "--format", "csv", "--tier", tier)
        assert done.exit_code == 0, done.output
        api = fetch(client, "/api/v1/exports/incidents.csv", demo[tier]).text
        assert _ids(done.stdout, "csv") == _ids(api, "csv"), tier


# --- HXL -------------------------------------------------------------------------------------


def _hxl(text: str) -> Any:
    return hxl.data(io.BytesIO(text.encode("utf-8")), hxl.InputOptions(encoding="utf-8"))


def test_hxl_is_read_by_libhxl(client: TestClient, demo: Any) -> None:
    text = fetch(client, "/api/v1/exports/incidents.hxl.csv", demo["internal"]).text
    data = _hxl(text)
    assert [c.display_tag for c in data.columns] == [c.hxl for c in COLUMNS]
    assert [c.header for c in data.columns] == list(NAMES)
    rows = list(_hxl(text))
    strike = next(r for r in rows if r.get("#event+id+sulh") == "1")
    assert strike.get("#event+id") == "af-pk-2025-1"
    assert strike.get("#date+occurred") == "2025-10-23"
    assert strike.get("#actor+name+accused") == "Pakistan"
    assert strike.get("#adm1+name") == "Paktika"
    assert (strike.get("#geo+lat"), strike.get("#geo+lon")) == ("32.79", "69.24")
    assert strike.get("#affected+killed").isdigit()
    assert hxl.schema().validate(_hxl(text))  # libhxl's default schema: dates, numbers


def test_hxl_names_its_cut_above_the_header(client: TestClient, demo: Any) -> None:
    response = fetch(client, "/api/v1/exports/incidents.hxl.csv", demo["public"])
    preamble = next(csv.reader(io.StringIO(response.text, newline="")))
    cut = json.loads(preamble[1])
    assert preamble[0].startswith(f"Cut from the first {cut['log_size']} entries")
    assert str(cut["log_size"]) == response.headers["Sulh-Log-Size"]


# --- GeoJSON ---------------------------------------------------------------------------------


def check_rfc7946(document: dict[str, Any]) -> None:
    """RFC 7946's rules for what an export can hold: a FeatureCollection of Features with
    Point or null geometries (and polygons' winding, were there any)."""
    assert document["type"] == "FeatureCollection"
    assert isinstance(document["features"], list)
    _no_crs(document)
    if "bbox" in document:
        _check_bbox(document["bbox"])
    for feature in document["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) >= {"type", "geometry", "properties"}
        assert isinstance(feature.get("id", 0), str | int | float)
        assert feature["properties"] is None or isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        if geometry["type"] == "Point":
            _check_position(geometry["coordinates"])
        elif geometry["type"] == "Polygon":
            for number, ring in enumerate(geometry["coordinates"]):
                assert ring[0] == ring[-1] and len(ring) >= 4
                # Exterior rings counterclockwise, holes clockwise (RFC 7946 §3.1.6).
                assert (_signed_area(ring) > 0) is (number == 0)
        else:
            pytest.fail(f"Unexpected geometry {geometry['type']}")


def _no_crs(value: Any) -> None:
    if isinstance(value, dict):
        assert "crs" not in value
        for item in value.values():
            _no_crs(item)
    elif isinstance(value, list):
        for item in value:
            _no_crs(item)


def _check_position(position: list[Any]) -> None:
    assert len(position) in (2, 3) and all(
        isinstance(v, int | float) and math.isfinite(v) for v in position
    )
    lon, lat = position[:2]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    for value in (lon, lat):  # RFC 7946 §11.2: no more precision than needed
        assert -Decimal(repr(value)).as_tuple().exponent <= 7  # type: ignore[operator]


def _check_bbox(bbox: list[float]) -> None:
    assert len(bbox) == 4 and bbox[1] <= bbox[3]


def _signed_area(ring: list[list[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2


def test_geojson_follows_rfc_7946(client: TestClient, demo: Any) -> None:
    placeless = make_report(casualties=[])
    placeless.pop("place")
    report = client.post("/api/v1/reports", headers=demo["internal"], json=placeless)
    assert report.status_code == 201, report.text
    opened = client.post(
        "/api/v1/incidents",
        headers=demo["internal"],
        json={"report_ids": [report.json()["id"]], "title": "Somewhere", "tier": "public"},
    )
    assert opened.status_code == 201, opened.text
    response = fetch(client, "/api/v1/exports/incidents.geojson", demo["public"])
    assert response.headers["content-type"] == "application/geo+json"
    document = response.json()
    check_rfc7946(document)
    features = {f["id"]: f for f in document["features"]}
    assert features[1]["geometry"] == {"type": "Point", "coordinates": [69.24, 32.79]}
    assert features[opened.json()["id"]]["geometry"] is None
    assert features[1]["properties"]["fatalities"] >= 0
    assert "latitude" not in features[1]["properties"]
    cut = document["sulh_cut"]
    assert str(cut["log_size"]) == response.headers["Sulh-Log-Size"]
    assert cut["checkpoint_size"] >= cut["log_size"]


def test_the_checker_refuses_what_rfc_7946_forbids() -> None:
    good = {"type": "FeatureCollection", "features": []}
    check_rfc7946(good)
    point = {"type": "Feature", "properties": {}, "geometry": {"type": "Point"}}
    for bad in (
        {**good, "crs": {"type": "name"}},
        {
            **good,
            "features": [{**point, "geometry": {"type": "Point", "coordinates": [32.7, 190]}}],
        },
        {**good, "features": [{**point, "geometry": {"type": "Point", "coordinates": [1e-9, 0]}}]},
        {
            **good,
            "features": [
                {
                    **point,
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]],
                    },
                }
            ],
        },
    ):
        with pytest.raises(AssertionError):
            check_rfc7946(bad)


# --- the cut ---------------------------------------------------------------------------------


def test_csv_cut_travels_in_headers(client: TestClient, demo: Any, log_signer: Signer) -> None:
    response = fetch(client, "/api/v1/exports/incidents.csv", demo["public"])
    note = base64.b64decode(response.headers["Sulh-Checkpoint"]).decode()
    lines = open_note(note, log_signer.verifier).text.splitlines()
    assert lines[1] == response.headers["Sulh-Checkpoint-Size"]
    assert int(lines[1]) >= int(response.headers["Sulh-Log-Size"]) > 0
    assert "sulh_cut" not in response.text  # the CSV itself stays ACLED-shaped
    assert response.headers["content-disposition"].endswith(
        f'sulh-incidents-{response.headers["Sulh-Log-Size"]}.csv"'
    )


def test_cli_writes_the_cut_to_a_file(cli_run: Run, store: Store, tmp_path: Path) -> None:
    play_demo(store)
    done = cli_run("export", "--format", "csv", "--cut", str(tmp_path / "cut.json"))
    assert done.exit_code == 0, done.output
    cut = json.loads((tmp_path / "cut.json").read_text())
    assert cut["log_size"] > 0 and cut["checkpoint_size"] >= cut["log_size"]
    assert cut["checkpoint"].startswith(cut["origin"] + "\n")
    assert next(csv.reader(io.StringIO(done.stdout)))[: len(ACLED)] == ACLED


# --- periods and bad input ------------------------------------------------------------------


def test_period_keeps_incidents_whose_days_meet_it(client: TestClient, demo: Any) -> None:
    everything = csv_rows(fetch(client, "/api/v1/exports/incidents.csv", demo["internal"]).text)
    path = "/api/v1/exports/incidents.csv?from=2025-10-28&to=2025-10-31"
    some = csv_rows(fetch(client, path, demo["internal"]).text)
    assert 0 < len(some) < len(everything)
    for row in some:
        last = row["sulh_date_last"] or row["event_date"]
        assert row["event_date"] <= "2025-10-31" and last >= "2025-10-28"


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/api/v1/exports/incidents.xlsx", "Export format 'xlsx' is not known"),
        ("/api/v1/exports/incidents.csv?from=2025-11-02&to=2025-11-01", "is before from"),
        ("/api/v1/exports/incidents.csv?from=yesterday", "date"),
    ],
)
def test_bad_requests_are_refused(client: TestClient, path: str, says: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert says in json.dumps(response.json()["error"])


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--format", "xlsx"], 2, "Invalid value for '--format'"),
        (["--format", "csv", "--tier", "secret"], 2, "Invalid value for '--tier'"),
        (["--format", "csv", "--from", "2025-11-02", "--to", "2025-11-01"], 1, "is before from"),
    ],
)
def test_cli_refuses_bad_input(cli_run: Run, args: list[str], code: int, says: str) -> None:
    done = cli_run("export", *args)
    assert done.exit_code == code and says in done.output


def test_domain_refuses_unknown_formats_and_tiers() -> None:
    assert format_named("hxl.csv") is format_named("hxl")
    with pytest.raises(UnknownFormat, match="formats: csv, geojson, hxl"):
        format_named("xml")
    with pytest.raises(Invalid, match="tier"):
        reader_of_tier("secret")


# --- streaming ---------------------------------------------------------------------------------


def test_windows_give_the_same_rows(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    play_demo(store)
    reader = reader_of_tier("internal")
    with store.snapshot() as session:
        whole = [(r.id, r.sources, r.killed) for r in incident_rows(session, reader)]
    monkeypatch.setattr(rows_module, "WINDOW", 2)
    with store.snapshot() as session:
        windowed = [(r.id, r.sources, r.killed) for r in incident_rows(session, reader)]
    assert windowed == whole and [i for i, _, _ in whole] == sorted(i for i, _, _ in whole)


# --- escaping and spreadsheet safety --------------------------------------------------------


def make_row(**overrides: Any) -> IncidentRow:
    values: dict[str, Any] = {
        "id": 7,
        "title": "Drone strike",
        "event_type": "air_or_drone_strike",
        "first_day": date(2025, 10, 28),
        "last_day": date(2025, 10, 28),
        "dated": True,
        "time_precision": "hour",
        "place_name": "Barmal",
        "latitude": 32.73,
        "longitude": 69.06,
        "radius_km": 10.0,
        "accused_party": "PK",
        "complainant_party": "AF",
        "tier": "public",
        "confidence": "weak",
        "confidence_rule": "W1-uncorroborated",
        "opened_at": datetime(2025, 10, 29, 6, tzinfo=UTC),
        "case_state": "received",
        "agreement": AGREEMENT,
        "sources": ("Example Wire",),
        "killed": Toll(2, 3, 5),
        "injured": Toll(),
    }
    return IncidentRow(**(values | overrides))


CUT = Cut(
    log_size=3,
    checkpoint_size=None,
    checkpoint_note=None,
    origin="sulh.test/x",
    cut_at=datetime(2025, 11, 2, tzinfo=UTC),
)
NASTY = [
    "plain",
    "comma, inside",
    'a "quoted" word',
    "two\nlines",
    "carriage\r\nreturn",
    '=HYPERLINK("http://x","y")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\tTab first",
    "\rCR first",
    " =lead space",
    "'already quoted",
    "",
]


def _read_back(text: str, fmt: str) -> list[str]:
    lines = list(csv.reader(io.StringIO(text, newline="")))
    return lines[3 if fmt == "hxl" else 1]


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
@pytest.mark.parametrize("nasty", NASTY)
def test_text_cells_survive_and_cannot_run(fmt: str, nasty: str) -> None:
    row = make_row(title=nasty, place_name=nasty or None, sources=(nasty,) if nasty else ())
    write: Callable[..., Iterator[str]] = csv_chunks if fmt == "csv" else hxl_chunks
    values = _read_back("".join(write([row], CUT)), fmt)
    expected = "'" + nasty if nasty.startswith(FORMULA_START) else nasty
    for name in ("notes", "location", "source"):
        assert values[NAMES.index(name)] == expected, name
    if fmt == "hxl":
        (parsed,) = list(_hxl("".join(hxl_chunks([row], CUT))))
        # libhxl reads the file with universal newlines, and an empty cell as None.
        seen = expected.replace("\r\n", "\n").replace("\r", "\n")
        assert (parsed.get("#description+notes") or "") == seen


@settings(max_examples=200, deadline=None)
@given(title=st.text(), place=st.text(min_size=1), source=st.text(min_size=1))
def test_any_text_round_trips_through_csv(title: str, place: str, source: str) -> None:
    row = make_row(title=title, place_name=place, sources=(source,))
    values = _read_back("".join(csv_chunks([row], CUT)), "csv")
    for name, text in (("notes", title), ("location", place), ("source", source)):
        assert values[NAMES.index(name)] == neutralise(text)
        assert not values[NAMES.index(name)].startswith(FORMULA_START)


def test_numbers_are_never_neutralised() -> None:
    row = make_row(latitude=-33.5, longitude=-70.25, killed=Toll(-1, -1, -1))
    values = _read_back("".join(csv_chunks([row], CUT)), "csv")
    assert values[NAMES.index("latitude")] == "-33.5"
    assert values[NAMES.index("longitude")] == "-70.25"
    text_columns = {NAMES[i] for i in TEXT}
    assert {"notes", "location", "source", "actor1", "admin1"} <= text_columns
    assert not text_columns & {"latitude", "longitude", "fatalities", "year", "timestamp"}


# --- the command line ----------------------------------------------------------------------

Run = Callable[..., Any]


@pytest.fixture
def cli_run(engine: Engine, tmp_path: Path, log_signer: Signer) -> Run:
    """`sulh` in-process against the test's database and data folder, with the API's log
    key, after `sulh init` (which keeps a loaded agreement and an existing key)."""
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        env = {"SULH_DATABASE_URL": url, "SULH_DATA_DIR": str(tmp_path)}
        return runner.invoke(cli, list(args), env=env)

    assert invoke("init").exit_code == 0
    return invoke


def test_cli_geojson_and_hxl(cli_run: Run, store: Store) -> None:
    play_demo(store)
    geo = cli_run("export", "--format", "geojson", "--tier", "parties")
    assert geo.exit_code == 0, geo.output
    check_rfc7946(json.loads(geo.stdout))
    tagged = cli_run("export", "--format", "hxl", "--tier", "parties")
    assert tagged.exit_code == 0, tagged.output
    assert len(list(_hxl(tagged.stdout))) == len(json.loads(geo.stdout)["features"]) > 0
