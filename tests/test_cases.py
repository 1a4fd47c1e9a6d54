"""The verification case: state machine, right of reply, findings, votes, appeals."""

from __future__ import annotations

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sulh.cases.workflow import ENTERED_BY_DECISION, STATES, TRANSITIONS
from tests.conftest import Actors, Clock
from tests.flow import VIOLATION, complaint_incident, decided_finding, finding_under_review, ok


def test_refused_transition_names_the_allowed_ones(client: TestClient, actors: Actors) -> None:
    case_id = complaint_incident(client, actors)["case"]["id"]
    response = client.post(
        f"/api/v1/cases/{case_id}/transitions",
        headers=actors.headers("analyst"),
        json={"to": "review"},
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert "'received' to 'review'" in error["message"]
    assert error["details"]["allowed"] == ["triaged", "closed"]
    assert (
        ok(client.get(f"/api/v1/cases/{case_id}", headers=actors.headers("analyst")))["state"]
        == "received"
    )


def test_decided_is_reached_only_by_a_decision(client: TestClient, actors: Actors) -> None:
    incident = complaint_incident(client, actors, "review")
    response = client.post(
        f"/api/v1/cases/{incident['case']['id']}/transitions",
        headers=actors.headers("analyst"),
        json={"to": "decided"},
    )
    assert response.status_code == 409
    assert "guarantors decide" in response.json()["error"]["message"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from([s for s in STATES if s not in ENTERED_BY_DECISION]), max_size=8))
def test_any_sequence_follows_the_machine(
    client: TestClient, actors: Actors, steps: list[str]
) -> None:
    case_id = complaint_incident(client, actors)["case"]["id"]
    state = "received"
    for target in steps:
        response = client.post(
            f"/api/v1/cases/{case_id}/transitions",
            headers=actors.headers("analyst"),
            json={"to": target},
        )
        if target in TRANSITIONS[state]:
            assert response.status_code == 200, response.text
            state = target
        else:
            assert response.status_code == 409
        assert (
            ok(client.get(f"/api/v1/cases/{case_id}", headers=actors.headers("analyst")))["state"]
            == state
        )


def test_reply_window_comes_from_the_agreement(
    client: TestClient, actors: Actors, clock: Clock
) -> None:
    case = complaint_incident(client, actors, "triaged")["case"]
    detail = ok(client.get(f"/api/v1/cases/{case['id']}", headers=actors.headers("liaison_pk")))
    assert detail["reply_due_at"].startswith("2025-11-05T09:00:00")  # 72 h after triage
    clock.advance(hours=71)
    reply = ok(
        client.post(
            f"/api/v1/cases/{case['id']}/reply",
            headers=actors.headers("liaison_pk"),
            json={"text": "No aircraft of ours flew there that night. <b>None.</b>"},
        ),
        201,
    )
    assert reply["text"] == "No aircraft of ours flew there that night. <b>None.</b>"
    again = client.post(
        f"/api/v1/cases/{case['id']}/reply",
        headers=actors.headers("liaison_pk"),
        json={"text": "A second answer."},
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate"


def test_reply_after_the_deadline_is_refused_and_listed_overdue(
    client: TestClient, actors: Actors, clock: Clock
) -> None:
    case = complaint_incident(client, actors, "triaged")["case"]
    clock.advance(hours=72, seconds=1)
    late = client.post(
        f"/api/v1/cases/{case['id']}/reply",
        headers=actors.headers("liaison_pk"),
        json={"text": "Late answer."},
    )
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "deadline_passed"
    overdue = ok(client.get("/api/v1/cases/overdue-replies", headers=actors.headers("analyst")))
    assert [c["id"] for c in overdue["items"]] == [case["id"]]
    detail = ok(client.get(f"/api/v1/cases/{case['id']}", headers=actors.headers("analyst")))
    assert detail["replies"] == [] and detail["reply_overdue"] is True


def test_only_the_accused_party_replies(client: TestClient, actors: Actors) -> None:
    case = complaint_incident(client, actors, "triaged")["case"]
    for name, status in (("liaison_af", 403), ("analyst", 403), ("guarantor", 403)):
        response = client.post(
            f"/api/v1/cases/{case['id']}/reply",
            headers=actors.headers(name),
            json={"text": "Not mine to give."},
        )
        assert response.status_code == status, name


def test_no_reply_before_triage(client: TestClient, actors: Actors) -> None:
    case = complaint_incident(client, actors)["case"]
    response = client.post(
        f"/api/v1/cases/{case['id']}/reply",
        headers=actors.headers("liaison_pk"),
        json={"text": "Early."},
    )
    assert response.status_code in (404, 409)


def test_finding_clauses_are_checked_against_the_agreement(
    client: TestClient, actors: Actors
) -> None:
    case_id = complaint_incident(client, actors, "draft_finding")["case"]["id"]
    unknown = client.post(
        f"/api/v1/cases/{case_id}/findings",
        headers=actors.headers("analyst"),
        json={**VIOLATION, "clauses": ["C9"]},
    )
    assert unknown.status_code == 422
    assert "Clause 'C9' is not in agreement 'af-pk-2025' v1" in unknown.json()["error"]["message"]
    not_bound = client.post(
        f"/api/v1/cases/{case_id}/findings",
        headers=actors.headers("analyst"),
        json={**VIOLATION, "clauses": ["C4"], "attributed_to": "AF"},
    )
    assert not_bound.status_code == 422
    assert "binds PK, not AF" in not_bound.json()["error"]["message"]
    no_clause = client.post(
        f"/api/v1/cases/{case_id}/findings",
        headers=actors.headers("analyst"),
        json={**VIOLATION, "clauses": []},
    )
    assert no_clause.status_code == 422


def test_attribution_to_a_group_names_no_party(client: TestClient, actors: Actors) -> None:
    case_id = complaint_incident(client, actors, "draft_finding")["case"]["id"]
    finding = ok(
        client.post(
            f"/api/v1/cases/{case_id}/findings",
            headers=actors.headers("analyst"),
            json={**VIOLATION, "clauses": ["C1"], "attributed_to": "ttp"},
        ),
        201,
    )
    assert finding["attribution_kind"] == "group" and finding["responsible_party"] is None


def test_majority_decision_keeps_dissent_verbatim(client: TestClient, actors: Actors) -> None:
    incident, finding = finding_under_review(client, actors)
    fid = finding["id"]
    ok(
        client.post(
            f"/api/v1/findings/{fid}/votes",
            headers=actors.headers("guarantor"),
            json={"vote": "concur"},
        ),
        201,
    )
    early = client.post(f"/api/v1/findings/{fid}/decide", headers=actors.headers("guarantor"))
    assert early.status_code == 409 and "2 are needed" in early.json()["error"]["message"]
    dissent = "The imagery does not show the crater; I would rule it not verifiable."
    ok(
        client.post(
            f"/api/v1/findings/{fid}/votes",
            headers=actors.headers("guarantor2"),
            json={"vote": "dissent", "statement": dissent},
        ),
        201,
    )
    tied = client.post(f"/api/v1/findings/{fid}/decide", headers=actors.headers("guarantor"))
    assert tied.status_code == 409 and "not carried" in tied.json()["error"]["message"]
    twice = client.post(
        f"/api/v1/findings/{fid}/votes",
        headers=actors.headers("guarantor2"),
        json={"vote": "concur"},
    )
    assert twice.status_code == 409


def test_decided_finding_moves_the_case_and_can_be_appealed_once(
    client: TestClient, actors: Actors, clock: Clock
) -> None:
    finding = decided_finding(client, actors)
    assert finding["status"] == "decided" and finding["decision_method"] == "consensus"
    case = ok(client.get(f"/api/v1/cases/{finding['case_id']}", headers=actors.headers("analyst")))
    assert case["state"] == "decided"
    assert (
        client.post(
            f"/api/v1/findings/{finding['id']}/appeal",
            headers=actors.headers("analyst"),
            json={"grounds": "x"},
        ).status_code
        == 403
    )
    appealed = ok(
        client.post(
            f"/api/v1/findings/{finding['id']}/appeal",
            headers=actors.headers("liaison_pk"),
            json={"grounds": "The aircraft tracks we hold show no flight."},
        ),
        201,
    )
    assert appealed["appeal"]["status"] == "pending"
    again = client.post(
        f"/api/v1/findings/{finding['id']}/appeal",
        headers=actors.headers("liaison_af"),
        json={"grounds": "We want it graver."},
    )
    assert again.status_code == 409


def test_appeal_after_the_window_is_refused(
    client: TestClient, actors: Actors, clock: Clock
) -> None:
    finding = decided_finding(client, actors)
    clock.advance(hours=168, seconds=1)
    late = client.post(
        f"/api/v1/findings/{finding['id']}/appeal",
        headers=actors.headers("liaison_pk"),
        json={"grounds": "Late grounds."},
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "deadline_passed"


def test_granted_appeal_supersedes_the_finding(client: TestClient, actors: Actors) -> None:
    finding = decided_finding(client, actors)
    appeal = ok(
        client.post(
            f"/api/v1/findings/{finding['id']}/appeal",
            headers=actors.headers("liaison_pk"),
            json={"grounds": "Wrong grade."},
        ),
        201,
    )
    revised = {
        **VIOLATION,
        "outcome": "violation_minor",
        "rationale": "Damage was to an empty post.",
    }
    standing = ok(
        client.post(
            f"/api/v1/appeals/{appeal['appeal']['id']}/decide",
            headers=actors.headers("guarantor"),
            json={
                "decision": "granted",
                "reason": "Casualty evidence was weak.",
                "revised": revised,
            },
        )
    )
    assert standing["outcome"] == "violation_minor" and standing["supersedes"] == finding["id"]
    old = ok(client.get(f"/api/v1/findings/{finding['id']}", headers=actors.headers("analyst")))
    assert old["status"] == "superseded" and old["appeal"]["status"] == "granted"
