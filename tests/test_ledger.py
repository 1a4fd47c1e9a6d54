"""The transparency log over HTTP: checkpoints, entries, proofs, cosignatures, receipts."""

from __future__ import annotations

import base64
import json
import time

import pytest
from fastapi.testclient import TestClient

from sulh.access.keys import add_witness_key
from sulh.cli.context import SYSTEM
from sulh.errors import Invalid
from sulh.ledger.checkpoints import parse_checkpoint
from sulh.ledger.merkle import leaf_hash, verify_consistency, verify_inclusion
from sulh.ledger.note import COSIGNATURE_V1, NoteError, Signer, Verifier, cosign, open_note
from sulh.ledger.receipts import verify_receipt
from sulh.store import Store
from tests.conftest import Actors, make_report
from tests.flow import complaint_incident, ok


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _checkpoint(client: TestClient) -> tuple[str, Verifier]:
    key = Verifier.parse(client.get("/api/v1/log/key").text)
    response = client.get("/api/v1/log/checkpoint")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return response.text, key


def test_checkpoint_is_a_signed_note_of_the_whole_log(client: TestClient, actors: Actors) -> None:
    complaint_incident(client, actors, "triaged")
    note_text, key = _checkpoint(client)
    body = parse_checkpoint(open_note(note_text, key).text)
    assert body.origin == "sulh.test/af-pk-2025"
    entries = []
    for start in range(0, body.size, 7):
        page = ok(client.get(f"/api/v1/log/entries?start={start}&end={min(start + 7, body.size)}"))
        entries += [_b64(e["data"]) for e in page["entries"]]
    assert [json.loads(e)["index"] for e in entries] == list(range(body.size))
    leaves = [leaf_hash(e) for e in entries]
    for index in (0, body.size // 2, body.size - 1):
        proof = ok(client.get(f"/api/v1/log/proof/inclusion?index={index}&size={body.size}"))
        assert _b64(proof["leaf_hash"]) == leaves[index]
        verify_inclusion(
            index=index,
            size=body.size,
            leaf=leaves[index],
            proof=[_b64(p) for p in proof["proof"]],
            root=body.root,
        )


def test_checkpoints_only_grow_consistently(client: TestClient, actors: Actors) -> None:
    ok(client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201)
    first = parse_checkpoint(open_note(*_checkpoint(client)).text)
    ok(client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201)
    second = parse_checkpoint(open_note(*_checkpoint(client)).text)
    assert second.size > first.size
    proof = ok(client.get(f"/api/v1/log/proof/consistency?old={first.size}&new={second.size}"))
    verify_consistency(
        old_size=first.size,
        new_size=second.size,
        old_root=first.root,
        new_root=second.root,
        proof=[_b64(p) for p in proof["proof"]],
    )


@pytest.mark.parametrize(
    "query",
    [
        "entries?start=5&end=2",
        "entries?start=0&end=5000",
        "entries?start=0&end=9999",
        "proof/inclusion?index=50&size=10",
        "proof/inclusion?index=0&size=99999",
        "proof/consistency?old=0&new=3",
        "proof/consistency?old=5&new=99999",
    ],
)
def test_requests_out_of_range_are_refused(client: TestClient, actors: Actors, query: str) -> None:
    response = client.get(f"/api/v1/log/{query}")
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"]


def _witness(store: Store, name: str) -> Signer:
    signer = Signer.generate(name, COSIGNATURE_V1)
    with store.write(SYSTEM) as writer:
        add_witness_key(writer=writer, actor=SYSTEM, verifier=signer.verifier)
    return signer


def _cosign(client: TestClient, signer: Signer, stamp: int | None = None) -> object:
    note_text, key = _checkpoint(client)
    note = open_note(note_text, key)
    line = cosign(note.text, signer, stamp or int(time.time())).render()
    size = parse_checkpoint(note.text).size
    return client.post("/api/v1/log/cosignatures", json={"size": size, "cosignature": line})


def test_cosignatures_are_verified_stored_and_counted(
    client: TestClient, actors: Actors, store: Store
) -> None:
    ok(client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201)
    witnesses = {m: _witness(store, f"witness.{m}.sulh") for m in ("pk", "af", "qa")}
    first = ok(_cosign(client, witnesses["pk"]), 201)  # type: ignore[arg-type]
    assert first["routine_quorum_met"] is False
    second = ok(_cosign(client, witnesses["af"]), 201)  # type: ignore[arg-type]
    assert second["routine_quorum_met"] is True and second["cited_quorum_met"] is False
    third = ok(_cosign(client, witnesses["qa"]), 201)  # type: ignore[arg-type]
    assert third["cited_quorum_met"] is True
    note_text, _ = _checkpoint(client)
    assert note_text.count("\u2014 witness.") == 3
    again = _cosign(client, witnesses["pk"])
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_forged_cosignatures_are_refused(client: TestClient, actors: Actors, store: Store) -> None:
    ok(client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201)
    _witness(store, "witness.pk.sulh")
    impostor = Signer.generate("witness.pk.sulh", COSIGNATURE_V1)
    forged = _cosign(client, impostor)
    assert forged.status_code == 422  # type: ignore[attr-defined]
    assert "not by key" in forged.json()["error"]["message"]  # type: ignore[attr-defined]
    stranger = _cosign(client, Signer.generate("witness.xx.sulh", COSIGNATURE_V1))
    assert "not a registered witness" in stranger.json()["error"]["message"]  # type: ignore[attr-defined]
    future = _cosign(client, _witness(store, "witness.af.sulh"), int(time.time()) + 3600)
    assert "future" in future.json()["error"]["message"]  # type: ignore[attr-defined]
    note_text, key = _checkpoint(client)
    line = cosign(
        "other.origin\n1\n" + "A" * 43 + "=\n", _witness(store, "witness.qa.sulh"), int(time.time())
    ).render()
    size = parse_checkpoint(open_note(note_text, key).text).size
    wrong = client.post("/api/v1/log/cosignatures", json={"size": size, "cosignature": line})
    assert "does not match this checkpoint" in wrong.json()["error"]["message"]
    missing = client.post("/api/v1/log/cosignatures", json={"size": 9999, "cosignature": line})
    assert missing.status_code == 404
    assert note_text.count("\u2014 witness.") == 0


def test_witness_key_must_be_named_in_the_agreement(store: Store) -> None:
    with pytest.raises(Invalid, match="not a witness of the agreement"):
        _witness(store, "witness.nobody")


def test_receipt_proves_a_submission_offline(client: TestClient, actors: Actors) -> None:
    report = ok(
        client.post("/api/v1/reports", headers=actors.headers("analyst"), json=make_report()), 201
    )
    receipt = ok(client.get(f"/api/v1/log/receipt?index={report['log_index']}"))
    key = Verifier.parse(client.get("/api/v1/log/key").text)
    entry = verify_receipt(receipt, log_key=key)
    assert entry["record"] == {"type": "reports", "id": report["id"]}
    forged = dict(receipt, entry=base64.b64encode(b'{"index": 0}').decode())
    with pytest.raises(Invalid, match="does not lead to the given root"):
        verify_receipt(forged, log_key=key)
    with pytest.raises(NoteError):
        verify_receipt(receipt, log_key=Signer.generate("sulh.test/af-pk-2025").verifier)


def test_a_decided_finding_cites_a_checkpoint_that_needs_both_parties_and_a_guarantor(
    client: TestClient, actors: Actors, store: Store
) -> None:
    from tests.flow import decided_finding

    finding = decided_finding(client, actors)
    assert finding["cited_checkpoint"] is None  # no checkpoint covers the decision yet
    witnesses = {m: _witness(store, f"witness.{m}.sulh") for m in ("pk", "af", "tr")}
    for member in ("pk", "af"):
        ok(_cosign(client, witnesses[member]), 201)  # type: ignore[arg-type]
    cited = ok(client.get(f"/api/v1/findings/{finding['id']}", headers=actors.headers("analyst")))
    assert cited["cited_checkpoint"]["cosigners"] == ["witness.pk.sulh", "witness.af.sulh"]
    assert cited["cited_checkpoint"]["cited_quorum_met"] is False
    ok(_cosign(client, witnesses["tr"]), 201)  # type: ignore[arg-type]
    cited = ok(client.get(f"/api/v1/findings/{finding['id']}", headers=actors.headers("analyst")))
    assert cited["cited_checkpoint"]["cited_quorum_met"] is True
