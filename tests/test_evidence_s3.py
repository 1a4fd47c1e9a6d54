"""The locker in S3-compatible object storage, against an S3 server on loopback.

No MinIO or Ceph runs on this machine, so the server is moto's: an S3 implementation that
speaks the S3 HTTP protocol, which boto3 reaches over a real socket as it would any store.
"""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer

from sulh.cli import cli
from sulh.config import Settings
from sulh.errors import Invalid
from sulh.evidence import LockerDamaged, locker_for
from sulh.evidence.s3 import S3Locker
from sulh.store import Store
from sulh.web import create_app
from tests.conftest import Actors, make_report
from tests.flow import ok
from tests.test_evidence import tiny_png

BUCKET = "sulh-evidence"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_env(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "sulh-test",
        "AWS_SECRET_ACCESS_KEY": "sulh-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    return {"SULH_EVIDENCE_STORE": f"s3://{BUCKET}/locker", "SULH_S3_ENDPOINT_URL": s3_endpoint}


def _objects(endpoint: str) -> list[str]:
    listed = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def _clear(endpoint: str) -> None:
    client = boto3.client("s3", endpoint_url=endpoint)
    for key in _objects(endpoint):
        client.delete_object(Bucket=BUCKET, Key=key)


def test_the_s3_locker_keeps_checks_and_hands_back_files(
    s3_env: dict[str, str], tmp_path: Path
) -> None:
    _clear(s3_env["SULH_S3_ENDPOINT_URL"])
    locker = locker_for(Settings.load(environ=s3_env, data_dir=tmp_path))
    assert isinstance(locker, S3Locker)
    first = locker.keep(locker.receive(io.BytesIO(tiny_png()), "a.png"))
    again = locker.keep(locker.receive(io.BytesIO(tiny_png()), "b.png"))
    assert first.created and not again.created
    key = f"locker/{first.sha256[:2]}/{first.sha256[2:4]}/{first.sha256}"
    assert _objects(s3_env["SULH_S3_ENDPOINT_URL"]) == [key]
    assert not any(p.is_file() for p in (tmp_path / "locker").rglob("*"))  # spool emptied
    local = locker.verified(first.sha256)
    assert local.temporary and local.path.read_bytes() == tiny_png()
    local.done()
    assert locker.problem(first.sha256) is None

    client = boto3.client("s3", endpoint_url=s3_env["SULH_S3_ENDPOINT_URL"])
    client.put_object(Bucket=BUCKET, Key=key, Body=tiny_png((0, 0, 9)))
    assert locker.problem(first.sha256) == (
        "altered in the object store: its bytes no longer match the hash"
    )
    with pytest.raises(LockerDamaged, match="altered"):
        locker.verified(first.sha256)
    locker.discard(first)
    assert locker.problem(first.sha256) == "missing from the object store"


def test_a_bad_store_setting_is_named(tmp_path: Path) -> None:
    settings = Settings.load(environ={"SULH_EVIDENCE_STORE": "ftp://x"}, data_dir=tmp_path)
    with pytest.raises(Invalid, match="must be empty .* or s3://bucket/prefix, not 'ftp://x'"):
        locker_for(settings)


@pytest.fixture
def s3_client(store: Store, s3_env: dict[str, str], tmp_path: Path) -> Iterator[TestClient]:
    _clear(s3_env["SULH_S3_ENDPOINT_URL"])
    settings = Settings.load(environ={"SULH_FUSION": "inline", **s3_env}, data_dir=tmp_path)
    with TestClient(create_app(settings, store=store)) as client:
        yield client


def test_evidence_uploaded_to_an_s3_locker_comes_back_whole(
    s3_client: TestClient, actors: Actors, s3_env: dict[str, str], tmp_path: Path
) -> None:
    headers = actors.headers("analyst")
    report = ok(s3_client.post("/api/v1/reports", headers=headers, json=make_report()), 201)
    files = [("file", ("roof.png", tiny_png((1, 2, 3)), "image/png"))]
    stored = ok(
        s3_client.post(f"/api/v1/reports/{report['id']}/evidence", headers=headers, files=files),
        201,
    )["items"][0]
    keys = _objects(s3_env["SULH_S3_ENDPOINT_URL"])
    assert f"locker/{stored['sha256'][:2]}/{stored['sha256'][2:4]}/{stored['sha256']}" in keys
    assert len(keys) == 2  # the photo (its redacted copy has the same bytes) and its thumbnail
    got = s3_client.get(f"/api/v1/evidence/{stored['id']}", headers=headers)
    assert got.status_code == 200 and got.content == tiny_png((1, 2, 3))
    assert not any(p.is_file() for p in (tmp_path / "locker").rglob("*"))  # temp copy gone


def test_evidence_verify_checks_the_objects(s3_env: dict[str, str], tmp_path: Path) -> None:
    _clear(s3_env["SULH_S3_ENDPOINT_URL"])
    env = {"SULH_DATA_DIR": str(tmp_path), **s3_env}
    runner = CliRunner()
    assert runner.invoke(cli, ["init"], env=env).exit_code == 0
    photo = tmp_path / "roof.png"
    photo.write_bytes(tiny_png((4, 5, 6)))
    report = tmp_path / "report.json"
    report.write_text(json.dumps(make_report()))
    filed = runner.invoke(cli, ["report", "file", str(report)], env=env)
    report_id = json.loads(filed.output)["id"]
    added = runner.invoke(cli, ["evidence", "add", str(photo), "--report", str(report_id)], env=env)
    assert added.exit_code == 0, added.output
    clean = runner.invoke(cli, ["evidence", "verify"], env=env)
    assert clean.exit_code == 0 and "all present" in clean.output
    _clear(s3_env["SULH_S3_ENDPOINT_URL"])
    gone = runner.invoke(cli, ["evidence", "verify"], env=env)
    assert gone.exit_code == 1 and "missing from the object store" in gone.output
