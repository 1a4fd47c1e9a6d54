"""Signed submissions: forged, altered, replayed, stale and unsigned ones are refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from sulh.ledger.note import Signer
from sulh.store import Store
from sulh.store.tables import LogEntry, SubmissionSignature
from tests.conftest import Actors, Clock, SigningClient, make_report, sign_body
from tests.flow import complaint_incident, ok

COMPLAINT = make_report(kind="complaint", source=None)


def _entries(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count(LogEntry.idx))) or 0


def _post(client: SigningClient, actors: Actors, body: dict[str, Any], signature: str) -> Any:
    headers = {**actors.headers("liaison_af"), "Sulh-Signature": signature}
    return client.post("/api/v1/reports", headers=headers, json=body)


def test_signed_complaint_is_kept_with_its_signature(
    client: SigningClient, actors: Actors, store: Store, clock: Clock
) -> None:
    body, signature = sign_body(actors.signers["liaison_af"], COMPLAINT, clock())
    report = ok(_post(client, actors, body, signature), 201)
    with store.read() as session:
        kept = session.scalars(select(SubmissionSignature)).one()
    assert (kept.record_type, kept.record_id, kept.signature) == (
        "reports",
        report["id"],
        signature,
    )


def test_forged_signature_is_refused(
    client: SigningClient, actors: Actors, store: Store, clock: Clock
) -> None:
    before = _entries(store)
    body, signature = sign_body(Signer.generate("liaison.af"), COMPLAINT, clock())
    response = _post(client, actors, body, signature)
    assert response.status_code == 403 and response.json()["error"]["code"] == "bad_signature"
    assert "does not verify" in response.json()["error"]["message"]
    assert _entries(store) == before


def test_signature_over_different_bytes_is_refused(
    client: SigningClient, actors: Actors, clock: Clock
) -> None:
    body, signature = sign_body(actors.signers["liaison_af"], COMPLAINT, clock())
    body = {**body, "text": "A different account from the one signed."}
    response = _post(client, actors, body, signature)
    assert response.status_code == 403 and "does not verify" in response.text


def test_replayed_submission_is_refused(
    client: SigningClient, actors: Actors, clock: Clock
) -> None:
    body, signature = sign_body(actors.signers["liaison_af"], COMPLAINT, clock())
    ok(_post(client, actors, body, signature), 201)
    replay = _post(client, actors, body, signature)
    assert replay.status_code == 409 and "replay" in replay.json()["error"]["message"]


def test_signature_outside_the_time_window_is_refused(
    client: SigningClient, actors: Actors, clock: Clock
) -> None:
    body, signature = sign_body(actors.signers["liaison_af"], COMPLAINT, clock())
    clock.advance(minutes=6)
    response = _post(client, actors, body, signature)
    assert response.status_code == 403 and "outside the 5-minute window" in response.text


def test_unsigned_complaint_observation_and_reply_are_refused(
    client: SigningClient, actors: Actors
) -> None:
    for name, body in (
        ("liaison_af", COMPLAINT),
        ("monitor", make_report(kind="observation", source=None)),
    ):
        response = client.post(
            "/api/v1/reports", headers=actors.headers(name), json=body, unsigned=True
        )
        assert response.status_code == 403 and "must be signed" in response.text, name
    case = complaint_incident(client, actors, "triaged")["case"]
    reply = client.post(
        f"/api/v1/cases/{case['id']}/reply",
        headers=actors.headers("liaison_pk"),
        json={"text": "Denied."},
        unsigned=True,
    )
    assert reply.status_code == 403 and "must be signed" in reply.text


def test_a_key_revoked_no_longer_signs(client: SigningClient, actors: Actors, store: Store) -> None:
    from sulh.access.keys import revoke_key
    from sulh.cli.context import SYSTEM

    with store.read() as session:
        from sulh.store.tables import Key

        key_id = session.scalars(select(Key.id).where(Key.name == "liaison.af")).one()
    with store.write(SYSTEM) as writer:
        revoke_key(writer=writer, actor=SYSTEM, key_id=key_id)
    response = client.post("/api/v1/reports", headers=actors.headers("liaison_af"), json=COMPLAINT)
    assert response.status_code == 403
