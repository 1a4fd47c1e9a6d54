"""The API's common contract: one error shape, the OpenAPI document, health."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Actors


def test_health_names_the_database_and_agreement(client: TestClient) -> None:
    health = client.get("/api/v1/health").json()
    assert health["status"] == "ok" and health["agreement"] == "af-pk-2025 v1"
    assert health["database"] in ("sqlite", "postgresql")


def test_every_error_has_one_shape(client: TestClient, actors: Actors) -> None:
    responses = [
        client.get("/api/v1/nowhere"),
        client.delete("/api/v1/health"),
        client.get("/api/v1/reports/999", headers=actors.headers("analyst")),
        client.get("/api/v1/reports?limit=0"),
        client.get("/api/v1/me", headers={"Authorization": "Bearer sulh_forged"}),
        client.get("/api/v1/users", headers=actors.headers("analyst")),
    ]
    assert [r.status_code for r in responses] == [404, 405, 404, 422, 401, 403]
    for response in responses:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
        assert body["error"]["message"].endswith(".")


def test_expired_token_is_refused(client: TestClient, actors: Actors, clock) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/me", headers=actors.headers("analyst")).json()["authenticated"]
    clock.advance(days=31)
    expired = client.get("/api/v1/me", headers=actors.headers("analyst"))
    assert expired.status_code == 401 and "expired" in expired.json()["error"]["message"]


def test_login_issues_a_working_token(client: TestClient, actors: Actors) -> None:
    from tests.conftest import PASSWORD

    token = client.post("/api/v1/auth/token", json={"username": "liaison.pk", "password": PASSWORD})
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.json()['token']}"})
    assert me.json() == {
        "username": "liaison.pk",
        "role": "liaison",
        "party": "PK",
        "authenticated": True,
    }
    wrong = client.post("/api/v1/auth/token", json={"username": "liaison.pk", "password": "guess"})
    assert wrong.status_code == 401


def test_openapi_declares_a_response_model_for_every_route(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert success, (method, path)
            content = operation["responses"][success[0]].get("content", {})
            schemas = [media.get("schema") for media in content.values()]
            assert schemas and all(schemas), (method, path)
