"""What each role reads: disclosure tiers and protected sources, enforced in the query layer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Actors, make_report
from tests.flow import decided_finding, move, ok

STAFF = ("admin", "analyst", "monitor")


def _ids(client: TestClient, actors: Actors, role: str, path: str) -> set[int]:
    return {item["id"] for item in ok(client.get(path, headers=actors.headers(role)))["items"]}


def _seed_reports(client: TestClient, actors: Actors) -> None:
    def post(role: str, **fields: object) -> None:
        ok(
            client.post(
                "/api/v1/reports", headers=actors.headers(role), json=make_report(**fields)
            ),
            201,
        )

    post("analyst")  # 1: media, public
    post("monitor", kind="observation", source=None)  # 2: internal
    post("liaison_af", kind="complaint", source="AF border command", source_protected=True)  # 3
    post("public", kind="tip", source=None)  # 4: internal
    post("liaison_pk", kind="complaint", source=None, alleged_perpetrator="af-forces")  # 5


def test_reports_each_role_reads(client: TestClient, actors: Actors) -> None:
    _seed_reports(client, actors)
    expected = {
        "public": {1},
        "observer": {1, 3, 5},
        "guarantor": {1, 3, 5},
        "liaison_pk": {1, 3, 5},
        "liaison_af": {1, 3, 5},
        **{role: {1, 2, 3, 4, 5} for role in STAFF},
    }
    for role, ids in expected.items():
        assert _ids(client, actors, role, "/api/v1/reports") == ids, role


def test_protected_source_is_hidden_from_the_other_party(
    client: TestClient, actors: Actors
) -> None:
    _seed_reports(client, actors)
    seen = {
        role: ok(client.get("/api/v1/reports/3", headers=actors.headers(role)))
        for role in ("analyst", "liaison_af", "liaison_pk", "guarantor")
    }
    assert seen["analyst"]["source"] == "AF border command"
    assert seen["liaison_af"]["source"] == "AF border command"
    assert seen["liaison_pk"]["source"] is None and seen["liaison_pk"]["submitted_by"] is None
    assert seen["guarantor"]["source"] is None
    assert seen["liaison_pk"]["text"] == seen["analyst"]["text"]


def test_internal_allegation_reaches_the_accused_party_once_triaged(
    client: TestClient, actors: Actors
) -> None:
    report = ok(
        client.post(
            "/api/v1/reports",
            headers=actors.headers("monitor"),
            json=make_report(kind="observation", source=None),
        ),
        201,
    )
    incident = ok(
        client.post(
            "/api/v1/incidents",
            headers=actors.headers("analyst"),
            json={"report_ids": [report["id"]], "title": "Strike", "tier": "internal"},
        ),
        201,
    )
    assert report["id"] not in _ids(client, actors, "liaison_pk", "/api/v1/reports")
    assert (
        client.get(
            f"/api/v1/incidents/{incident['id']}", headers=actors.headers("liaison_pk")
        ).status_code
        == 404
    )
    move(client, actors, incident["case"]["id"], "triaged")
    assert report["id"] in _ids(client, actors, "liaison_pk", "/api/v1/reports")
    assert report["id"] not in _ids(client, actors, "liaison_af", "/api/v1/reports")
    seen = ok(
        client.get(f"/api/v1/incidents/{incident['id']}", headers=actors.headers("liaison_pk"))
    )
    assert seen["report_ids"] == [report["id"]]
    assert (
        client.get(
            f"/api/v1/incidents/{incident['id']}", headers=actors.headers("observer")
        ).status_code
        == 404
    )


def test_findings_reach_readers_as_decided_and_released(client: TestClient, actors: Actors) -> None:
    finding = decided_finding(client, actors)
    fid = finding["id"]
    readers = {
        role: fid in _ids(client, actors, role, "/api/v1/findings")
        for role in ("public", "observer", "guarantor", "liaison_pk", "liaison_af", "analyst")
    }
    assert readers == {
        "public": False,
        "observer": False,
        "guarantor": True,
        "liaison_pk": True,
        "liaison_af": True,
        "analyst": True,
    }
    ok(
        client.post(
            f"/api/v1/findings/{fid}/release",
            headers=actors.headers("guarantor"),
            json={"tier": "public"},
        )
    )
    assert fid in _ids(client, actors, "public", "/api/v1/findings")
    narrower = client.post(
        f"/api/v1/findings/{fid}/release",
        headers=actors.headers("guarantor"),
        json={"tier": "joint"},
    )
    assert narrower.status_code == 409


def test_draft_findings_stay_with_staff_and_guarantors(client: TestClient, actors: Actors) -> None:
    from tests.flow import finding_under_review

    _, finding = finding_under_review(client, actors)
    for role, visible in (
        ("analyst", True),
        ("guarantor", True),
        ("liaison_pk", False),
        ("observer", False),
        ("public", False),
    ):
        assert (finding["id"] in _ids(client, actors, role, "/api/v1/findings")) is visible, role


def test_lists_are_paginated(client: TestClient, actors: Actors) -> None:
    for _ in range(5):
        ok(
            client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()),
            201,
        )
    first = ok(client.get("/api/v1/reports?limit=2", headers=actors.headers("analyst")))
    second = ok(
        client.get(
            f"/api/v1/reports?limit=2&cursor={first['next_cursor']}",
            headers=actors.headers("analyst"),
        )
    )
    third = ok(
        client.get(
            f"/api/v1/reports?limit=2&cursor={second['next_cursor']}",
            headers=actors.headers("analyst"),
        )
    )
    ids = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert ids == [5, 4, 3, 2, 1] and third["next_cursor"] is None
    assert client.get("/api/v1/reports?limit=501").status_code == 422
