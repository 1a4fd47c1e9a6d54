"""Walk a case through the workflow over the API, for tests that need one at a given stage."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import Actors, make_report

PATH_TO = {
    "received": [],
    "triaged": ["triaged"],
    "inquiry": ["triaged", "inquiry"],
    "draft_finding": ["triaged", "inquiry", "draft_finding"],
    "review": ["triaged", "inquiry", "draft_finding", "review"],
}

VIOLATION = {
    "outcome": "violation_serious",
    "clauses": ["C2", "C4"],
    "attributed_to": "PK",
    "rationale": "Two independent accounts and the monitors' site visit agree on the strike.",
}


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def complaint_incident(
    client: TestClient, actors: Actors, state: str = "received"
) -> dict[str, Any]:
    """An AF complaint against PK, as an incident whose case is at `state`."""
    report = ok(
        client.post(
            "/api/v1/reports",
            headers=actors.headers("liaison_af"),
            json=make_report(kind="complaint", source=None),
        ),
        201,
    )
    incident = ok(
        client.post(
            "/api/v1/incidents",
            headers=actors.headers("analyst"),
            json={"report_ids": [report["id"]], "title": "Strike near Barmal"},
        ),
        201,
    )
    for step in PATH_TO[state]:
        move(client, actors, incident["case"]["id"], step)
    return incident


def move(client: TestClient, actors: Actors, case_id: int, to: str) -> dict[str, Any]:
    return ok(
        client.post(
            f"/api/v1/cases/{case_id}/transitions",
            headers=actors.headers("analyst"),
            json={"to": to},
        )
    )


def finding_under_review(
    client: TestClient, actors: Actors
) -> tuple[dict[str, Any], dict[str, Any]]:
    incident = complaint_incident(client, actors, "draft_finding")
    case_id = incident["case"]["id"]
    finding = ok(
        client.post(
            f"/api/v1/cases/{case_id}/findings", headers=actors.headers("analyst"), json=VIOLATION
        ),
        201,
    )
    move(client, actors, case_id, "review")
    return incident, finding


def concur(client: TestClient, actors: Actors, finding_id: int, members: tuple[str, ...]) -> None:
    """Each named guarantor votes to concur with the finding."""
    for member in members:
        ok(
            client.post(
                f"/api/v1/findings/{finding_id}/votes",
                headers=actors.headers(member),
                json={"vote": "concur"},
            ),
            201,
        )


def decided_finding(client: TestClient, actors: Actors) -> dict[str, Any]:
    _, finding = finding_under_review(client, actors)
    concur(client, actors, finding["id"], ("guarantor", "guarantor2"))
    return ok(
        client.post(f"/api/v1/findings/{finding['id']}/decide", headers=actors.headers("guarantor"))
    )


def proposed_measure(client: TestClient, actors: Actors) -> dict[str, Any]:
    """A measure the ladder proposed against PK after a decided serious violation."""
    decided_finding(client, actors)
    measures = ok(client.get("/api/v1/measures?status=proposed", headers=actors.headers("analyst")))
    return measures[0]


def ratified_measure(client: TestClient, actors: Actors) -> dict[str, Any]:
    """That measure, ratified by both guarantors (the shipped ladder asks for both)."""
    measure = proposed_measure(client, actors)
    for member in ("guarantor", "guarantor2"):
        measure = ok(
            client.post(
                f"/api/v1/measures/{measure['id']}/decisions",
                headers=actors.headers(member),
                json={"decision": "ratify", "reason": "The finding stands."},
            ),
            201,
        )
    assert measure["status"] == "ratified", measure
    return measure
