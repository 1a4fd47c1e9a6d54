"""Situation reports: the demo's daily report in HTML, Markdown and PDF, opened and read back,
its signature checked and its tampering caught, its tier kept, its periods cut right."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from sulh.cli import cli
from sulh.cli.server import initialise
from sulh.config import Settings
from sulh.errors import Invalid
from sulh.ledger.keys import read_key_file
from sulh.ledger.note import Signer
from sulh.outputs.periods import parse_cutoff, report_period, zone_named
from sulh.outputs.signed import verify_output
from sulh.outputs.sitrep_render import read_signed
from sulh.scenario import play_demo
from tests.conftest import Actors, make_report
from tests.flow import ok

# The demo's incidents: one released to the public on 23 October, one kept internal on
# 2 November (monitors turned back at a crossing).
PUBLIC_DAY, INTERNAL_DAY = "2025-10-23", "2025-11-02"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sitrep-demo")
    settings = Settings.load(environ={}, data_dir=folder, fusion="inline")
    store = initialise(settings, None)
    play_demo(store, keys=folder / "demo-keys")
    store.engine.dispose()
    return folder


def _sulh(demo_dir: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, [*args, "--data-dir", str(demo_dir)], env={"SULH_DATABASE_URL": ""}
    )


def _report(demo_dir: Path, tmp_path: Path, fmt: str, *options: str) -> Path:
    out = tmp_path / f"report.{fmt}"
    made = _sulh(demo_dir, "sitrep", "--format", fmt, "--out", str(out), *options)
    assert made.exit_code == 0, made.output
    return out


def test_the_demos_daily_report_opens_as_html_with_its_numbers(
    demo_dir: Path, tmp_path: Path
) -> None:
    path = _report(demo_dir, tmp_path, "html", "--period", "daily", "--date", PUBLIC_DAY)
    page = lxml_html.fromstring(path.read_bytes())
    assert page.findtext(".//h1") == f"Daily situation report, {PUBLIC_DAY}"
    assert "Tier: public" in page.text_content()
    listed = [row.text_content() for row in page.xpath("//table//tr")]
    assert any("Alleged drone strike" in row and "2025-10-23 00:00 UTC" in row for row in listed)
    assert len(page.xpath("//svg")) == 5  # four charts and the map
    data, note = read_signed(path.read_bytes())
    assert data["incidents_total"] == 1 and data["tier"] == "public"
    assert data["period"] == {
        "start": "2025-10-23T00:00:00+00:00",
        "end": "2025-10-24T00:00:00+00:00",
    }
    assert {r["value"]: r["now"] for r in data["counts"]["party"]} == {"PK": 1}
    assert note.startswith("sulh-output/v1\n")


def test_the_demos_daily_report_as_pdf_reads_back(demo_dir: Path, tmp_path: Path) -> None:
    path = _report(demo_dir, tmp_path, "pdf", "--period", "daily", "--date", PUBLIC_DAY)
    reader = pypdf.PdfReader(path)
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        f"Daily situation report, {PUBLIC_DAY}",
        "TIER: PUBLIC",
        "Incidents: 1 in the period",
        "Alleged drone strike",
        "Torkham crossing",
        "How to check this report",
    ):
        assert expected in text, expected
    assert set(reader.attachments) == {"sulh-data.json", "sulh-signature.txt"}
    checked = _sulh(demo_dir, "verify-sitrep", str(path))
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("Report valid: sitrep-daily, tier public")


def test_markdown_carries_its_data_and_signature(demo_dir: Path, tmp_path: Path) -> None:
    path = _report(demo_dir, tmp_path, "md", "--period", "weekly", "--date", "2025-10-29")
    text = path.read_text()
    assert text.startswith("# Weekly situation report, 2025-10-29\n")
    assert "| 1 | 2025-10-23 00:00 UTC | air or drone strike |" in text
    assert _sulh(demo_dir, "verify-sitrep", str(path)).exit_code == 0


def _log_key(demo_dir: Path) -> Signer:
    return read_key_file(demo_dir / "keys" / "log.key")


def test_changed_numbers_a_changed_signature_or_another_key_are_caught(
    demo_dir: Path, tmp_path: Path
) -> None:
    path = _report(demo_dir, tmp_path, "html", "--period", "daily", "--date", PUBLIC_DAY)
    original = path.read_text()
    verifier = _log_key(demo_dir).verifier
    forged = re.sub(r'"incidents_total": 1', '"incidents_total": 0', original)
    assert forged != original
    data, note = read_signed(forged.encode())
    with pytest.raises(Invalid, match="numbers were changed after signing"):
        verify_output(data=data, note=note, verifier=verifier)
    path.write_text(forged)
    refused = _sulh(demo_dir, "verify-sitrep", str(path))
    assert refused.exit_code == 1 and "numbers were changed" in refused.output

    data, note = read_signed(original.encode())
    other = Signer.generate(verifier.name).verifier
    with pytest.raises(Invalid, match="signature does not hold"):
        verify_output(data=data, note=note, verifier=other)
    bent = note.replace(note.split("\n")[4], "0" * 64)
    with pytest.raises(Invalid, match="signature does not hold"):
        verify_output(data=data, note=bent, verifier=verifier)
    cut = dict(data["cut"], checkpoint_size=data["cut"]["checkpoint_size"] + 1)
    with pytest.raises(Invalid):
        verify_output(data={**data, "cut": cut}, note=note, verifier=verifier)
    with pytest.raises(Invalid, match="not a Sulh situation report"):
        read_signed(b"<html><body>Hello</body></html>")


def test_each_tier_sees_only_its_own(demo_dir: Path, tmp_path: Path) -> None:
    def data(tier: str) -> dict[str, Any]:
        path = _report(demo_dir, tmp_path, "md", "--date", INTERNAL_DAY, "--tier", tier)
        return read_signed(path.read_bytes())[0]

    inside, public = data("internal"), data("public")
    assert [i["title"][:30] for i in inside["incidents"]] == ["Monitors turned back at the We"]
    # Monitors were turned back on the case of incident 2, which the parties' tier sees.
    assert [d["incident"] for d in inside["access_denials"]] == [2]
    assert public["incidents"] == [] and public["access_denials"] == []
    assert [d["incident"] for d in data("parties")["access_denials"]] == [2]
    assert public["tier"] == "public" and inside["tier"] == "internal"


def test_a_spot_report_is_about_its_incident(demo_dir: Path, tmp_path: Path) -> None:
    path = _report(demo_dir, tmp_path, "md", "--period", "spot", "--incident", "1")
    data = read_signed(path.read_bytes())[0]
    assert data["kind"] == "spot" and data["incident"]["id"] == 1
    assert data["incident"]["case_state"] and data["dated"] == PUBLIC_DAY
    hidden = _sulh(demo_dir, "sitrep", "--period", "spot", "--incident", "8", "--tier", "public")
    assert hidden.exit_code == 1 and "Incident 8 does not exist or is not visible" in hidden.output
    missing = _sulh(demo_dir, "sitrep", "--period", "daily")
    assert missing.exit_code == 1 and "needs its date (--date)" in missing.output


# Periods --------------------------------------------------------------------------------------


def _span(kind: str, day: str, cutoff: str = "24:00", zone: str = "UTC") -> tuple[str, str]:
    period = report_period(
        kind, date.fromisoformat(day), cutoff=parse_cutoff(cutoff), zone=zone_named(zone)
    )
    return period.start.isoformat(), period.end.isoformat()


def test_a_day_ends_at_the_cut_off_in_the_mechanisms_zone() -> None:
    assert _span("daily", "2025-10-20") == (
        "2025-10-20T00:00:00+00:00",
        "2025-10-21T00:00:00+00:00",
    )
    assert _span("daily", "2025-10-20", "18:00", "Asia/Karachi") == (
        "2025-10-19T13:00:00+00:00",
        "2025-10-20T13:00:00+00:00",
    )
    assert _span("weekly", "2025-10-20", "06:00", "Asia/Kabul") == (
        "2025-10-13T01:30:00+00:00",
        "2025-10-20T01:30:00+00:00",
    )
    # Berlin's clocks went back on 26 October 2025: that day had 25 hours.
    start, end = _span("daily", "2025-10-26", "24:00", "Europe/Berlin")
    assert datetime.fromisoformat(end) - datetime.fromisoformat(start) == timedelta(hours=25)


def test_a_month_is_compared_with_the_month_before() -> None:
    period = report_period(
        "monthly", date(2025, 11, 17), cutoff=parse_cutoff("24:00"), zone=zone_named("UTC")
    )
    assert (period.start, period.end) == (
        datetime(2025, 11, 1, tzinfo=UTC),
        datetime(2025, 12, 1, tzinfo=UTC),
    )
    assert (period.previous.start, period.previous.end) == (
        datetime(2025, 10, 1, tzinfo=UTC),
        datetime(2025, 11, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize("bad", ["25:00", "7pm", "00:00", "12:60", ""])
def test_a_bad_cut_off_is_named(bad: str) -> None:
    with pytest.raises(Invalid, match=f"between 00:01 and 24:00, not {bad!r}"):
        parse_cutoff(bad)


def test_a_bad_zone_is_named() -> None:
    with pytest.raises(Invalid, match="Time zone 'Mars/Olympus' is not known"):
        zone_named("Mars/Olympus")


# Over HTTP ------------------------------------------------------------------------------------


@pytest.fixture
def filed(client: TestClient, actors: Actors) -> Iterator[None]:
    for who, overrides in (
        ("analyst", {}),
        ("monitor", {"kind": "observation", "source": None}),
    ):
        body = make_report(**overrides)
        ok(client.post("/api/v1/reports", headers=actors.headers(who), json=body), 201)
    yield


def test_statistics_count_each_tiers_view(client: TestClient, actors: Actors, filed: None) -> None:
    query = "/api/v1/statistics?period=weekly&date=2025-10-31"
    inside = ok(client.get(query, headers=actors.headers("analyst")))
    public = ok(client.get(query, headers=actors.headers("public")))
    assert inside["tier"] == "internal" and public["tier"] == "public"
    assert sum(r["now"] for r in inside["counts"]["type"]) == 1  # both reports fused to one
    assert {k for k in inside["counts"]} == {"party", "type", "clause", "area"}
    assert inside["log_size"] > 0 and inside["period"]["end"] == "2025-11-01T00:00:00+00:00"


def test_a_sitrep_over_http_is_a_signed_download(
    client: TestClient, actors: Actors, filed: None
) -> None:
    got = client.get(
        "/api/v1/sitreps/daily?date=2025-10-28&format=md", headers=actors.headers("guarantor")
    )
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/markdown")
    assert got.headers["content-disposition"].startswith("attachment;")
    data, note = read_signed(got.content)
    assert data["tier"] == "joint" and note.startswith("sulh-output/v1")
    pdf = client.get(
        "/api/v1/sitreps/weekly?date=2025-10-31&format=pdf", headers=actors.headers("public")
    )
    assert pdf.status_code == 200 and pypdf.PdfReader(io.BytesIO(pdf.content)).attachments
    undated = client.get("/api/v1/sitreps/daily", headers=actors.headers("public"))
    assert undated.status_code == 422 and "needs the day it is dated" in undated.text
    assert json.loads(json.dumps(data))["kind"] == "daily"


def test_the_dashboard_offers_a_report_at_the_viewers_tier(
    client: TestClient, actors: Actors, filed: None
) -> None:
    dashboard = client.get("/")
    assert 'action="/sitreps"' in dashboard.text and "Situation reports" in dashboard.text
    got = client.get("/sitreps?period=weekly&date=2025-10-31&format=md")
    assert got.status_code == 200 and got.headers["content-disposition"].startswith("attachment")
    data, _ = read_signed(got.content)
    assert data["tier"] == "public" and data["kind"] == "weekly"
    bad = client.get("/sitreps?period=hourly&date=2025-10-31")
    assert bad.status_code == 422
