"""The demo: the scenario plays into a fresh record, and `sulh demo` serves it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import select

from sulh.access import Principal, Role
from sulh.clock import system_clock
from sulh.scenario import play_demo
from sulh.store import Store, queries
from sulh.store.tables import Case, Incident


def test_demo_scenario_reaches_every_stage(store: Store) -> None:
    store.clock = system_clock
    analyst = Principal(user_id=None, username="reader", role=Role.analyst)
    passwords = play_demo(store)
    assert {"liaison.pk", "liaison.af", "envoy.qa", "envoy.tr"} <= set(passwords)
    with store.read() as session:
        states = set(session.scalars(select(Case.state)))
        findings = queries.list_findings(session, analyst).items
        overdue = queries.list_overdue_replies(session, analyst, now=store.clock()).items
    assert {"received", "triaged", "access_blocked", "decided"} <= states
    assert any(v.vote == "dissent" and v.statement for f in findings for v in f.votes)
    assert any(f.appeal is not None for f in findings)
    assert overdue
    with store.read() as session:
        graded = {
            i.title: (i.status, i.confidence, i.confidence_rule)
            for i in session.scalars(select(Incident))
        }
    barmal = graded["Alleged drone strike on a family compound, Barmal district, Paktika"]
    sperah = graded["Alleged drone strike on a pickup, Sperah district, Khost"]
    assert barmal == ("open", "confirmed", "C1-monitor-observed")
    assert sperah == ("open", "contested", "X1-allegation-denied")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_sulh_demo_serves_health(tmp_path: Path) -> None:
    port = _free_port()
    sulh = Path(sys.executable).with_name("sulh")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SULH_")}
    server = subprocess.Popen(
        [str(sulh), "demo", "--port", str(port), "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                time.sleep(0.3)
        else:
            pytest.fail("sulh demo did not answer within 60 s")
        assert health.json()["agreement"] == "af-pk-2025 v1"
        released = httpx.get(f"http://127.0.0.1:{port}/api/v1/findings").json()["items"]
        assert released and all(f["tier"] == "public" for f in released)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert re.search(r"envoy\.qa\s+guarantor\s+\S{12,}", output)
