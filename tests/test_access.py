"""Every API endpoint, called as every role and as the anonymous public.

The matrix below says what each may do; the test fails if an endpoint exists that the
matrix does not cover, so a new endpoint cannot ship without deciding who may call it.
"""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sulh.access.keys import add_witness_key
from sulh.cli.context import SYSTEM
from sulh.ledger.note import COSIGNATURE_V1, Signer, Verifier, cosign, open_note
from sulh.outputs.alerts import raise_alerts
from sulh.store.tables import Alert
from tests.conftest import PASSWORD, Actors, make_report
from tests.flow import (
    complaint_incident,
    concur,
    decided_finding,
    finding_under_review,
    ok,
    proposed_measure,
    ratified_measure,
)

ROLES = (
    "public",
    "admin",
    "analyst",
    "monitor",
    "guarantor",
    "observer",
    "liaison_pk",
    "liaison_af",
)
Prepare = Callable[[TestClient, Actors], tuple[str, Any]]


@dataclass(frozen=True)
class Rule:
    prepare: Prepare
    allowed: dict[str, int]  # role -> success status; every other role gets `refused`
    refused: int = 403


def _fixed(path: str, body: Any = None) -> Prepare:
    return lambda client, actors: (path, body)


def _new_case(state: str, tail: str, body: Any) -> Prepare:
    def prepare(client: TestClient, actors: Actors) -> tuple[str, Any]:
        case_id = complaint_incident(client, actors, state)["case"]["id"]
        return f"/api/v1/cases/{case_id}{tail}", body

    return prepare


def _new_incident(client: TestClient, actors: Actors) -> tuple[str, Any]:
    incident = complaint_incident(client, actors)
    report = ok(
        client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201
    )
    return f"/api/v1/incidents/{incident['id']}/reports", {"report_id": report["id"]}


def _new_report_for_incident(client: TestClient, actors: Actors) -> tuple[str, Any]:
    report = ok(
        client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201
    )
    return "/api/v1/incidents", {"report_ids": [report["id"]], "title": "Strike"}


def _two_incidents(client: TestClient, actors: Actors) -> tuple[int, int]:
    """Two incidents of fusion's making, a day and 300 km apart."""
    ids = []
    for day, lat in (("2025-10-28", 32.73), ("2025-10-30", 30.2)):
        body = make_report(
            event_time=f"{day}T10:00:00+05:00", place={"name": "Somewhere", "lat": lat, "lon": 67.0}
        )
        report = ok(
            client.post("/api/v1/reports", headers=actors.headers("analyst"), json=body), 201
        )
        ids.append(report["incident_id"])
    return ids[0], ids[1]


def _merge(client: TestClient, actors: Actors) -> tuple[str, Any]:
    keep, absorb = _two_incidents(client, actors)
    return f"/api/v1/incidents/{keep}/merge", {"absorb": absorb, "reason": "one strike"}


def _split(client: TestClient, actors: Actors) -> tuple[str, Any]:
    first = ok(
        client.post(
            "/api/v1/reports",
            headers=actors.headers("analyst"),
            json=make_report(source="Split Paper A"),
        ),
        201,
    )
    second = ok(
        client.post(
            "/api/v1/reports",
            headers=actors.headers("analyst"),
            json=make_report(source="Split Paper B"),
        ),
        201,
    )
    assert first["incident_id"] == second["incident_id"]
    return f"/api/v1/incidents/{first['incident_id']}/split", {
        "accounts": [[second["id"], 0]],
        "reason": "two strikes",
    }


def _revert(client: TestClient, actors: Actors) -> tuple[str, Any]:
    path, body = _merge(client, actors)
    change = ok(client.post(path, headers=actors.headers("analyst"), json=body))["change"]
    return f"/api/v1/incident-changes/{change}/revert", {"reason": "two strikes after all"}


def _source(tail: str, body: Any) -> Prepare:
    return _fixed(f"/api/v1/sources/1{tail}", body)


def _reviewed(tail: str, body: Any, votes: int = 0) -> Prepare:
    def prepare(client: TestClient, actors: Actors) -> tuple[str, Any]:
        _, finding = finding_under_review(client, actors)
        concur(client, actors, finding["id"], ("guarantor", "guarantor2")[:votes])
        return f"/api/v1/findings/{finding['id']}{tail}", body

    return prepare


def _decided(tail: str, body: Any) -> Prepare:
    def prepare(client: TestClient, actors: Actors) -> tuple[str, Any]:
        return f"/api/v1/findings/{decided_finding(client, actors)['id']}{tail}", body

    return prepare


def _appealed(client: TestClient, actors: Actors) -> tuple[str, Any]:
    finding = decided_finding(client, actors)
    appealed = ok(
        client.post(
            f"/api/v1/findings/{finding['id']}/appeal",
            headers=actors.headers("liaison_pk"),
            json={"grounds": "No flight."},
        ),
        201,
    )
    return f"/api/v1/appeals/{appealed['appeal']['id']}/decide", {
        "decision": "dismissed",
        "reason": "Weak.",
    }


def _cosignature(client: TestClient, actors: Actors) -> tuple[str, Any]:
    """A fresh checkpoint, and a valid cosignature of it by a registered witness."""
    signer: Signer | None = getattr(client, "witness", None)
    if signer is None:
        signer = Signer.generate("witness.qa.sulh", COSIGNATURE_V1)
        with client.app.state.store.write(SYSTEM) as writer:  # type: ignore[attr-defined]
            add_witness_key(writer=writer, actor=SYSTEM, verifier=signer.verifier)
        client.witness = signer  # type: ignore[attr-defined]
    ok(client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201)
    key = Verifier.parse(client.get("/api/v1/log/key").text)
    note = open_note(client.get("/api/v1/log/checkpoint").text, key)
    line = cosign(note.text, signer, int(time.time())).render()
    return "/api/v1/log/cosignatures", {"size": int(note.text.split("\n")[1]), "cosignature": line}


def _joint_report_release(client: TestClient, actors: Actors) -> tuple[str, Any]:
    body = make_report(tier="joint")
    report = ok(client.post("/api/v1/reports", headers=actors.headers("analyst"), json=body), 201)
    return f"/api/v1/reports/{report['id']}/release", {"tier": "public"}


def _measure(tail: str, body: Any, *, ratified: bool = False) -> Prepare:
    def prepare(client: TestClient, actors: Actors) -> tuple[str, Any]:
        measure = (ratified_measure if ratified else proposed_measure)(client, actors)
        return f"/api/v1/measures/{measure['id']}{tail}", body

    return prepare


def _photo() -> dict[str, Any]:
    """A file whose bytes differ on every call, so that no upload is a duplicate."""
    unique = time.time_ns().to_bytes(8, "big")
    return {"file": ("photo.png", _png(b"Comment\x00" + unique.hex().encode()), "image/png")}


def _raw_photo() -> bytes:
    """The bytes of a new photo, sent as a raw request body."""
    photo: bytes = _photo()["file"][1]
    return photo


def _png(text: bytes) -> bytes:
    """A valid 1×1 PNG carrying `text` in a tEXt chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x10\x20\x30")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", text)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def _custody(client: TestClient, actors: Actors) -> tuple[str, Any]:
    answer = client.post(
        "/api/v1/reports/1/evidence", headers=actors.headers("monitor"), files=_photo()
    )
    return f"/api/v1/evidence/{ok(answer, 201)['items'][0]['sha256']}/custody", None


def _uploaded(client: TestClient, actors: Actors) -> tuple[str, Any]:
    answer = client.post(
        "/api/v1/reports/1/evidence", headers=actors.headers("monitor"), files=_photo()
    )
    return f"/api/v1/evidence/{ok(answer, 201)['items'][0]['id']}", None


def _marking(client: TestClient, actors: Actors) -> tuple[str, Any]:
    path, _ = _uploaded(client, actors)
    return f"{path}/mark", {"internal_only": True, "reason": "a face is visible"}


def _joint_alert(tail: str) -> Prepare:
    """An alert of tier joint: a reply window that closed unanswered (one, for every role)."""

    def prepare(client: TestClient, actors: Actors) -> tuple[str, Any]:
        store = client.app.state.store  # type: ignore[attr-defined]
        with store.read() as session:
            found = session.scalar(select(Alert.id).where(Alert.tier == "joint"))
        if found is None:
            complaint_incident(client, actors, "triaged")
            store.clock.advance(hours=73)
            with store.write(SYSTEM) as writer:
                found = raise_alerts(writer=writer)[0].id
        return f"/api/v1/alerts/{found}{tail}", None

    return prepare


def _webhook(client: TestClient, actors: Actors) -> tuple[str, Any]:
    made = ok(client.post("/api/v1/webhooks", headers=actors.headers("admin"), json=WEBHOOK), 201)
    return f"/api/v1/webhooks/{made['id']}", None


EVERYONE = {role: 200 for role in ROLES}
STAFF_AND_GUARANTORS = {"admin": 200, "analyst": 200, "monitor": 200, "guarantor": 200}
STAFF = {"admin": 200, "analyst": 200, "monitor": 200}
ANALYSTS = {"admin": 200, "analyst": 200}
NEW_USER = {"username": "newcomer", "role": "observer", "password": "a long enough password"}
WEBHOOK = {"url": "https://alerts.example.org/sulh", "secret": "0123456789abcdef", "tier": "public"}

MATRIX: dict[tuple[str, str], Rule] = {
    ("GET", "/api/v1/health"): Rule(_fixed("/api/v1/health"), EVERYONE),
    ("GET", "/api/v1/me"): Rule(_fixed("/api/v1/me"), EVERYONE),
    ("GET", "/api/v1/agreement"): Rule(_fixed("/api/v1/agreement"), EVERYONE),
    ("GET", "/api/v1/agreement/versions"): Rule(_fixed("/api/v1/agreement/versions"), EVERYONE),
    ("POST", "/api/v1/reports"): Rule(
        _fixed("/api/v1/reports", make_report()), {"admin": 201, "analyst": 201}
    ),
    ("GET", "/api/v1/reports"): Rule(_fixed("/api/v1/reports"), EVERYONE),
    ("GET", "/api/v1/reports/{report_id}"): Rule(
        _fixed("/api/v1/reports/1"), {"admin": 200, "analyst": 200, "monitor": 200}, 404
    ),
    ("POST", "/api/v1/incidents"): Rule(_new_report_for_incident, {"admin": 201, "analyst": 201}),
    ("GET", "/api/v1/incidents"): Rule(_fixed("/api/v1/incidents"), EVERYONE),
    ("GET", "/api/v1/incidents/{incident_id}"): Rule(
        _fixed("/api/v1/incidents/1"), STAFF_AND_GUARANTORS, 404
    ),
    ("POST", "/api/v1/incidents/{incident_id}/reports"): Rule(
        _new_incident, {"admin": 200, "analyst": 200}
    ),
    ("GET", "/api/v1/cases/overdue-replies"): Rule(
        _fixed("/api/v1/cases/overdue-replies"), EVERYONE
    ),
    ("GET", "/api/v1/cases/{case_id}"): Rule(_fixed("/api/v1/cases/1"), STAFF_AND_GUARANTORS, 404),
    ("POST", "/api/v1/cases/{case_id}/transitions"): Rule(
        _new_case("received", "/transitions", {"to": "triaged"}),
        {"admin": 200, "analyst": 200, "guarantor": 200},
    ),
    ("POST", "/api/v1/cases/{case_id}/reply"): Rule(
        _new_case("triaged", "/reply", {"text": "We deny it."}), {"liaison_pk": 201}
    ),
    ("POST", "/api/v1/cases/{case_id}/findings"): Rule(
        _new_case(
            "draft_finding",
            "/findings",
            {"outcome": "not_verifiable", "rationale": "No access to the site."},
        ),
        {"analyst": 201},
    ),
    ("GET", "/api/v1/findings"): Rule(_fixed("/api/v1/findings"), EVERYONE),
    ("GET", "/api/v1/findings/{finding_id}"): Rule(_reviewed("", None), STAFF_AND_GUARANTORS, 404),
    ("POST", "/api/v1/findings/{finding_id}/votes"): Rule(
        _reviewed("/votes", {"vote": "concur"}), {"guarantor": 201}
    ),
    ("POST", "/api/v1/findings/{finding_id}/decide"): Rule(
        _reviewed("/decide", None, votes=2), {"guarantor": 200}
    ),
    ("POST", "/api/v1/findings/{finding_id}/release"): Rule(
        _decided("/release", {"tier": "public"}), {"guarantor": 200}
    ),
    ("POST", "/api/v1/findings/{finding_id}/appeal"): Rule(
        _decided("/appeal", {"grounds": "We dispute it."}), {"liaison_pk": 201, "liaison_af": 201}
    ),
    ("POST", "/api/v1/appeals/{appeal_id}/decide"): Rule(_appealed, {"guarantor": 200}),
    ("POST", "/api/v1/auth/token"): Rule(
        _fixed("/api/v1/auth/token"), {r: 200 for r in ROLES if r != "public"}, 401
    ),
    ("GET", "/api/v1/users"): Rule(_fixed("/api/v1/users"), {"admin": 200}),
    ("GET", "/api/v1/log/checkpoint"): Rule(_fixed("/api/v1/log/checkpoint"), EVERYONE),
    ("GET", "/api/v1/log/key"): Rule(_fixed("/api/v1/log/key"), EVERYONE),
    ("GET", "/api/v1/log/entries"): Rule(_fixed("/api/v1/log/entries?start=0&end=2"), EVERYONE),
    ("GET", "/api/v1/log/proof/inclusion"): Rule(
        _fixed("/api/v1/log/proof/inclusion?index=0&size=2"), EVERYONE
    ),
    ("GET", "/api/v1/log/proof/consistency"): Rule(
        _fixed("/api/v1/log/proof/consistency?old=1&new=2"), EVERYONE
    ),
    ("GET", "/api/v1/log/receipt"): Rule(_fixed("/api/v1/log/receipt?index=0"), EVERYONE),
    ("POST", "/api/v1/log/cosignatures"): Rule(_cosignature, {r: 201 for r in ROLES}),
    ("POST", "/api/v1/users"): Rule(_fixed("/api/v1/users", NEW_USER), {"admin": 201}),
    ("GET", "/api/v1/timeline"): Rule(_fixed("/api/v1/timeline?from=2025-10-01"), EVERYONE),
    ("POST", "/api/v1/incidents/{incident_id}/merge"): Rule(_merge, ANALYSTS),
    ("POST", "/api/v1/incidents/{incident_id}/split"): Rule(_split, ANALYSTS),
    ("POST", "/api/v1/incident-changes/{change_id}/revert"): Rule(_revert, ANALYSTS),
    ("GET", "/api/v1/sources"): Rule(_fixed("/api/v1/sources"), STAFF),
    ("GET", "/api/v1/sources/{source_id}"): Rule(_source("", None), STAFF),
    ("POST", "/api/v1/sources/{source_id}/grade"): Rule(
        _source("/grade", {"grade": "C", "reason": "checked"}), ANALYSTS
    ),
    ("POST", "/api/v1/sources/{source_id}/group"): Rule(
        _source("/group", {"group": "wire:ap", "reason": "reprints AP"}), ANALYSTS
    ),
    ("POST", "/api/v1/reports/{report_id}/release"): Rule(
        _joint_report_release, {"guarantor": 200}
    ),
    ("GET", "/api/v1/measures"): Rule(_fixed("/api/v1/measures"), EVERYONE),
    ("GET", "/api/v1/measures/{measure_id}"): Rule(
        _measure("", None), {**STAFF_AND_GUARANTORS, "liaison_pk": 200}, 404
    ),
    ("POST", "/api/v1/measures/{measure_id}/decisions"): Rule(
        _measure("/decisions", {"decision": "ratify", "reason": "It stands."}), {"guarantor": 201}
    ),
    ("POST", "/api/v1/measures/{measure_id}/evidence"): Rule(
        _measure("/evidence", {"text": "We named the unit."}, ratified=True), {"liaison_pk": 201}
    ),
    ("POST", "/api/v1/measures/{measure_id}/compliance"): Rule(
        _measure("/compliance", {"outcome": "complied", "reason": "Shown."}, ratified=True),
        {"guarantor": 200},
    ),
    ("POST", "/api/v1/measures/{measure_id}/lift"): Rule(
        _measure("/lift", {"reason": "Overtaken by talks."}, ratified=True), {"guarantor": 200}
    ),
    ("GET", "/api/v1/commitments"): Rule(_fixed("/api/v1/commitments"), EVERYONE),
    ("POST", "/api/v1/commitments/{commitment_id}/evidence"): Rule(
        _fixed("/api/v1/commitments/pk-principals-meeting/evidence", {"text": "We attended."}),
        {"liaison_pk": 201},
    ),
    ("POST", "/api/v1/commitments/{commitment_id}/decision"): Rule(
        _fixed(
            "/api/v1/commitments/af-principals-meeting/decision",
            {"outcome": "met", "reason": "Attended."},
        ),
        {"guarantor": 200},
    ),
    ("GET", "/api/v1/crossings"): Rule(_fixed("/api/v1/crossings"), EVERYONE),
    ("POST", "/api/v1/crossings/{crossing_id}/status"): Rule(
        _fixed(
            "/api/v1/crossings/torkham/status",
            {"status": "closed", "since": "2025-10-12T06:00:00+05:00", "reason": "Seen shut."},
        ),
        {"admin": 201, "analyst": 201, "monitor": 201, "guarantor": 201},
    ),
    ("GET", "/api/v1/scorecard"): Rule(_fixed("/api/v1/scorecard"), EVERYONE),
    ("POST", "/api/v1/reports/{report_id}/evidence"): Rule(
        _fixed("/api/v1/reports/1/evidence", _photo), {r: 201 for r in STAFF}, 404
    ),
    ("GET", "/api/v1/reports/{report_id}/evidence"): Rule(
        _fixed("/api/v1/reports/1/evidence"), STAFF, 404
    ),
    ("PUT", "/api/v1/reports/{report_id}/evidence/{filename}"): Rule(
        _fixed("/api/v1/reports/1/evidence/roof.png", _raw_photo), {r: 201 for r in STAFF}, 404
    ),
    ("GET", "/api/v1/evidence/{evidence_id}"): Rule(_uploaded, STAFF, 404),
    ("POST", "/api/v1/evidence/{evidence_id}/mark"): Rule(_marking, ANALYSTS),
    ("GET", "/api/v1/evidence/{sha256}/custody"): Rule(_custody, STAFF, 404),
    ("GET", "/api/v1/alerts"): Rule(_fixed("/api/v1/alerts"), EVERYONE),
    ("GET", "/api/v1/alerts/{alert_id}"): Rule(_joint_alert(""), STAFF_AND_GUARANTORS, 404),
    ("GET", "/api/v1/alerts/{alert_id}.cap"): Rule(_joint_alert(".cap"), STAFF_AND_GUARANTORS, 404),
    ("GET", "/api/v1/webhooks"): Rule(_fixed("/api/v1/webhooks"), {"admin": 200}),
    ("POST", "/api/v1/webhooks"): Rule(_fixed("/api/v1/webhooks", WEBHOOK), {"admin": 201}),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): Rule(_webhook, {"admin": 200}),
    ("GET", "/api/v1/statistics"): Rule(_fixed("/api/v1/statistics?date=2025-10-31"), EVERYONE),
    ("GET", "/api/v1/exports/incidents.{fmt}"): Rule(
        _fixed("/api/v1/exports/incidents.csv?from=2025-10-01"), EVERYONE
    ),
    ("GET", "/api/v1/sitreps/{kind}"): Rule(
        _fixed("/api/v1/sitreps/daily?date=2025-10-28&format=md"), EVERYONE
    ),
    ("POST", "/api/v1/reports/{report_id}/credibility"): Rule(
        _fixed("/api/v1/reports/1/credibility", {"credibility": 2, "reason": "seen"}), ANALYSTS
    ),
}


def test_matrix_covers_every_endpoint(client: TestClient) -> None:
    operations = {
        (method.upper(), path)
        for path, item in client.get("/openapi.json").json()["paths"].items()
        for method in item
    }
    assert operations == set(MATRIX)


def _seed(client: TestClient, actors: Actors) -> None:
    """Report 1 is an internal observation in incident 1 (tier internal, not triaged)."""
    observation = make_report(kind="observation", source=None)
    ok(client.post("/api/v1/reports", headers=actors.headers("monitor"), json=observation), 201)
    ok(
        client.post(
            "/api/v1/incidents",
            headers=actors.headers("analyst"),
            json={"report_ids": [1], "title": "Observed strike", "tier": "joint"},
        ),
        201,
    )


def _call(client: TestClient, actors: Actors, method: str, role: str, path: str, body: Any) -> Any:
    if body is _photo:
        return client.request(method, path, headers=actors.headers(role), files=_photo())
    if body is _raw_photo:
        return client.request(method, path, headers=actors.headers(role), content=_raw_photo())
    if path == "/api/v1/auth/token":
        username = role.replace("_", ".") if role != "public" else "nobody"
        body = {"username": username, "password": PASSWORD}
        return client.post(path, json=body)
    return client.request(method, path, headers=actors.headers(role), json=body)


@pytest.mark.parametrize("endpoint", sorted(MATRIX), ids=lambda e: f"{e[0]} {e[1]}")
def test_role_may_call_endpoint(
    client: TestClient, actors: Actors, endpoint: tuple[str, str]
) -> None:
    method, _ = endpoint
    rule = MATRIX[endpoint]
    _seed(client, actors)
    for role in ROLES:
        path, body = rule.prepare(client, actors)
        response = _call(client, actors, method, role, path, body)
        expected = rule.allowed.get(role, rule.refused)
        if role == "public" and expected == 403:
            expected = 401
        assert response.status_code == expected, f"{role}: {response.text}"
        if expected >= 400:
            assert set(response.json()) == {"error"}, role
