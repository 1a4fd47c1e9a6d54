"""Witnesses as their operators run them: separate processes, own keys, over loopback HTTP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.conftest import make_report

SULH = str(Path(sys.executable).with_name("sulh"))
pytestmark = pytest.mark.slow


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SULH_")}
    env["SULH_DATA_DIR"] = str(data)
    return env


def _sulh(data: Path, *args: str, database: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = _env(data)
    if database is not None:
        env["SULH_DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run([SULH, *args], env=env, capture_output=True, text=True, timeout=120)


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(data: Path, command: str = "serve") -> Iterator[str]:
    port = _port()
    data.mkdir(parents=True, exist_ok=True)
    log = data / f"{command}-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [SULH, command, "--port", str(port)], env=_env(data), stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(url + "/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"sulh {command} did not start:\n{log.read_text()}")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _witness_key(home: Path, name: str) -> str:
    home.mkdir(parents=True)
    result = _sulh(home, "key", "generate", name, "--cosigner", "--out", str(home / "key"))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _run_witness(home: Path, url: str) -> subprocess.CompletedProcess[str]:
    return _sulh(
        home, "witness", "--log", url, "--key", str(home / "key"), "--state", str(home / "state")
    )


def test_two_witnesses_cosign_the_demo_checkpoint(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    with _server(data, "demo") as url:
        for member in ("pk", "af"):
            vkey = _witness_key(tmp_path / member, f"witness.{member}.sulh")
            added = _sulh(data, "key", "add", vkey, "--witness", database=data / "demo.sqlite3")
            assert added.returncode == 0, added.stderr
        results = [_run_witness(tmp_path / member, url) for member in ("pk", "af")]
        for result in results:
            assert result.returncode == 0, result.stderr
        assert "witness.pk.sulh, witness.af.sulh" in results[1].stdout
        note = httpx.get(url + "/api/v1/log/checkpoint").text
    assert "\u2014 witness.pk.sulh " in note and "\u2014 witness.af.sulh " in note
    assert (tmp_path / "pk" / "state" / "log.vkey").read_text().startswith("sulh.local/af-pk-2025+")


def test_witness_refuses_a_log_rolled_back(tmp_path: Path) -> None:
    data = tmp_path / "log"
    assert _sulh(data, "init").returncode == 0
    report = tmp_path / "report.json"
    report.write_text(json.dumps(make_report(event_time="2025-11-01T10:00:00+00:00")))
    assert _sulh(data, "report", "file", str(report)).returncode == 0
    database = data / "sulh.sqlite3"
    shutil.copy(database, tmp_path / "earlier.sqlite3")
    vkey = _witness_key(tmp_path / "w", "witness.pk.sulh")
    assert _sulh(data, "key", "add", vkey, "--witness").returncode == 0
    for _ in range(2):
        assert _sulh(data, "report", "file", str(report)).returncode == 0
    with _server(data) as url:
        first = _run_witness(tmp_path / "w", url)
    assert first.returncode == 0, first.stderr
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "earlier.sqlite3", database)
    assert _sulh(data, "key", "add", vkey, "--witness").returncode == 0
    with _server(data) as url:
        refused = _run_witness(tmp_path / "w", url)
    assert refused.returncode == 1
    assert "rolled back" in refused.stderr
    evidence = list((tmp_path / "w" / "state" / "evidence").iterdir())
    assert len(evidence) == 1
    assert {p.name for p in evidence[0].iterdir()} == {"cosigned-checkpoint", "offered-checkpoint"}
