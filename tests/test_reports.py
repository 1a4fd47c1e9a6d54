"""Filing reports: what is accepted, and every kind of bad input refused with nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sulh.canonical import canonical_json
from sulh.ledger.entries import commitment
from sulh.store import RecordIntegrityError, Store
from sulh.store.tables import LogEntry, LogSalt, Report
from tests.conftest import Actors, make_report
from tests.flow import ok


def _counts(store: Store) -> tuple[int, int]:
    with store.read() as session:
        return (
            session.scalar(select(func.count(Report.id))) or 0,
            session.scalar(select(func.count(LogEntry.idx))) or 0,
        )


def test_filed_report_enters_the_log_with_its_text_sealed(
    client: TestClient, actors: Actors, store: Store
) -> None:
    before = _counts(store)
    report = ok(
        client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201
    )
    assert report["casualties"][0] == {
        "group": "civilian",
        "outcome": "killed",
        "low": 2,
        "best": 3,
        "high": 5,
    }
    assert report["accused_party"] == "PK" and report["agreement_version_id"] == 1
    with store.read() as session:
        entry_row = session.get(LogEntry, report["log_index"])
        assert entry_row is not None
        salt = session.get(LogSalt, entry_row.idx)
    assert salt is not None
    entry = json.loads(entry_row.data)
    assert entry_row.data == canonical_json(entry)
    assert entry["type"] == "report.filed" and entry["actor"] == "analyst"
    assert entry["record"] == {"type": "reports", "id": report["id"]}
    assert entry["public"]["kind"] == "media" and "text" not in entry["public"]
    assert make_report()["text"] not in entry_row.data.decode()
    assert entry["sealed"]["text"] == commitment(salt.salt, "text", make_report()["text"])
    assert _counts(store)[0] == before[0] + 1
    with store.read() as session:
        types = session.scalars(
            select(LogEntry.record_type).where(LogEntry.idx >= before[1]).order_by(LogEntry.idx)
        ).all()
    # The new source and its first grade, the report, and the incident fusion opened for it.
    assert sorted(types) == sorted(
        ["sources", "source_grades", "reports", "incidents", "cases", "incident_reports"]
    )


BAD: dict[str, tuple[dict[str, Any], int, str]] = {
    "unknown field": (make_report(colour="red"), 422, "colour"),
    "future event": (make_report(event_time="2025-11-03T09:00:00+00:00"), 422, "event_time"),
    # An account of a violation must postdate the agreement; the press may tell of the war.
    "before the agreement": (
        make_report(kind="tip", event_time="2025-10-15T09:00:00+05:00"),
        422,
        "event_time",
    ),
    "naive time": (make_report(event_time="2025-10-28T21:30:00"), 422, "event_time"),
    "latitude out of range": (
        make_report(place={"name": "X", "lat": 91, "lon": 69}),
        422,
        "place.lat",
    ),
    "longitude out of range": (
        make_report(place={"name": "X", "lat": 32, "lon": 181}),
        422,
        "place.lon",
    ),
    "unknown perpetrator": (
        make_report(alleged_perpetrator="martians"),
        422,
        "alleged_perpetrator",
    ),
    "unknown kind": (make_report(kind="rumour"), 422, "kind"),
    "casualties out of order": (
        make_report(casualties=[{"group": "civilian", "outcome": "killed", "low": 5, "best": 3}]),
        422,
        "casualties",
    ),
    "complaint for nobody": (make_report(kind="complaint"), 422, "on_behalf_of"),
    "complaint for an unknown party": (
        make_report(kind="complaint", on_behalf_of="IN"),
        422,
        "on_behalf_of",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_report_is_refused_naming_the_field(
    client: TestClient, actors: Actors, store: Store, case: str
) -> None:
    body, status, field = BAD[case]
    before = _counts(store)
    response = client.post("/api/v1/reports", headers=actors.headers("analyst"), json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert field in error["message"] or field in json.dumps(error["details"])
    assert _counts(store) == before


def test_malformed_json_is_refused(client: TestClient, actors: Actors, store: Store) -> None:
    before = _counts(store)
    response = client.post(
        "/api/v1/reports",
        content=b'{"kind": "media",',
        headers={**actors.headers("analyst"), "content-type": "application/json"},
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"
    assert _counts(store) == before


def test_body_over_one_mebibyte_is_refused(
    client: TestClient, actors: Actors, store: Store
) -> None:
    before = _counts(store)
    response = client.post(
        "/api/v1/reports",
        headers=actors.headers("analyst"),
        json=make_report(text="x" * (1024 * 1024 + 1)),
    )
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert _counts(store) == before


def test_repeated_submission_is_refused(client: TestClient, actors: Actors, store: Store) -> None:
    headers = {**actors.headers("analyst"), "Idempotency-Key": "tablet-7-00042"}
    first = ok(client.post("/api/v1/reports", headers=headers, json=make_report()), 201)
    before = _counts(store)
    again = client.post("/api/v1/reports", headers=headers, json=make_report())
    assert again.status_code == 409
    assert f"already filed as report {first['id']}" in again.json()["error"]["message"]
    assert _counts(store) == before


def test_liaison_cannot_act_for_the_other_party(
    client: TestClient, actors: Actors, store: Store
) -> None:
    before = _counts(store)
    response = client.post(
        "/api/v1/reports",
        headers=actors.headers("liaison_pk"),
        json=make_report(kind="complaint", source=None, on_behalf_of="AF"),
    )
    assert (
        response.status_code == 403
        and "acts for PK, not for AF" in response.json()["error"]["message"]
    )
    assert _counts(store) == before
    own = ok(
        client.post(
            "/api/v1/reports",
            headers=actors.headers("liaison_pk"),
            json=make_report(kind="complaint", source=None, alleged_perpetrator="af-forces"),
        ),
        201,
    )
    assert own["filed_for_party"] == "PK" and own["accused_party"] == "AF"


def test_markup_is_kept_verbatim_as_data(client: TestClient, actors: Actors) -> None:
    text = '<script>alert("x")</script> shelling reported'
    report = ok(
        client.post(
            "/api/v1/reports", headers=actors.headers("analyst"), json=make_report(text=text)
        ),
        201,
    )
    assert (
        ok(client.get(f"/api/v1/reports/{report['id']}", headers=actors.headers("analyst")))["text"]
        == text
    )


def test_a_correction_supersedes_and_the_original_stays(client: TestClient, actors: Actors) -> None:
    first = ok(
        client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201
    )
    fixed = ok(
        client.post(
            "/api/v1/reports",
            headers=actors.headers("analyst"),
            json=make_report(text="Corrected: four killed.", supersedes=first["id"]),
        ),
        201,
    )
    assert fixed["supersedes"] == first["id"]
    assert (
        ok(client.get(f"/api/v1/reports/{first['id']}", headers=actors.headers("analyst")))["text"]
        == make_report()["text"]
    )
    other = client.post(
        "/api/v1/reports",
        headers=actors.headers("liaison_pk"),
        json=make_report(kind="complaint", source=None, supersedes=first["id"]),
    )
    assert other.status_code == 403


def test_reports_cannot_be_edited_or_deleted(
    client: TestClient, actors: Actors, store: Store
) -> None:
    ok(client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201)
    with (
        pytest.raises(RecordIntegrityError, match="never changed"),
        store.write(actors["admin"]) as w,
    ):
        report = w.session.get(Report, 1)
        assert report is not None
        report.text = "something else"
    with (
        pytest.raises(RecordIntegrityError, match="never deleted"),
        store.write(actors["admin"]) as w,
    ):
        w.session.delete(w.session.get(Report, 1))
    with store.read() as session:
        kept = session.get(Report, 1)
        assert kept is not None and kept.text == make_report()["text"]


def test_no_write_bypasses_the_journal(store: Store, actors: Actors) -> None:
    from sulh.store.tables import Source

    with pytest.raises(RecordIntegrityError, match="only change inside"), store.read() as session:
        session.add(Source(name="sneaky", kind="media", reliability="F", independence_group="x"))
        session.flush()
    with (
        pytest.raises(RecordIntegrityError, match="without recording"),
        store.write(actors["admin"]) as w,
    ):
        w.session.add(Source(name="sneaky", kind="media", reliability="F", independence_group="x"))
    with store.read() as session:
        assert session.scalar(select(Source.id).where(Source.name == "sneaky")) is None


def test_anonymous_tip_is_accepted_and_not_readable_back(client: TestClient) -> None:
    tip = ok(client.post("/api/v1/reports", json=make_report(kind="tip", source=None)), 201)
    assert tip["source"] == "public tip line" and tip["tier"] == "internal"
    assert client.get(f"/api/v1/reports/{tip['id']}").status_code == 404
    media = client.post("/api/v1/reports", json=make_report())
    assert media.status_code == 401


def test_the_press_may_report_the_war_before_the_agreement(
    client: TestClient, actors: Actors
) -> None:
    body = make_report(event_time="2025-10-12T22:00:00+05:00", time_precision="day")
    response = client.post("/api/v1/reports", headers=actors.headers("analyst"), json=body)
    assert response.status_code == 201, response.text


def test_a_guarantor_releases_a_report_to_the_public_and_never_narrows_it(
    client: TestClient, actors: Actors
) -> None:
    body = make_report(tier="joint")
    report = client.post("/api/v1/reports", headers=actors.headers("analyst"), json=body).json()
    path = f"/api/v1/reports/{report['id']}"
    assert client.get(path).status_code == 404
    released = client.post(
        f"{path}/release", headers=actors.headers("guarantor"), json={"tier": "public"}
    )
    assert released.status_code == 200, released.text
    assert client.get(path).status_code == 200
    assert client.get(path, headers=actors.headers("liaison_af")).status_code == 200
    again = client.post(
        f"{path}/release", headers=actors.headers("guarantor"), json={"tier": "parties"}
    )
    assert again.status_code == 409 and "only widen" in again.json()["error"]["message"]
    refused = client.post(
        f"{path}/release", headers=actors.headers("analyst"), json={"tier": "public"}
    )
    assert refused.status_code == 403
