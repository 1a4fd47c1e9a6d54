"""Alerts: rules in the agreement raise them from the record, once each, for one tier; CAP
1.2 documents checked against the official schema; signed webhooks received by a real HTTP
server; the pages and the API show each role only the alerts of its tiers."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from sulh.access import Principal, Role, Tier
from sulh.agreement import parse_agreement, shipped_agreement_path
from sulh.cases import release_incident
from sulh.cli import cli
from sulh.cli.context import SYSTEM
from sulh.config import Settings
from sulh.errors import AgreementInvalid, Forbidden, Invalid
from sulh.ledger.audit import audit
from sulh.outputs.alerts import (
    SIGNATURE_HEADER,
    DeliveryPolicy,
    add_webhook,
    cap_alert,
    clock_step,
    deliver_once,
    raise_alerts,
    read_alert,
    remove_webhook,
)
from sulh.penalties import set_crossing_status
from sulh.store import Store
from sulh.store.tables import Alert, Base, LogEntry, WebhookDelivery
from sulh.web import create_app
from tests.conftest import SHARED, Actors, Clock, make_report
from tests.flow import VIOLATION, complaint_incident, concur, move, ok, ratified_measure

CAP_XSD = SHARED / "testdata" / "cap" / "cap12.xsd"
CAP_NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
SECRET = "a shared secret of some length"
STAFF = Principal(user_id=None, username="staff", role=Role.analyst)


# Small steps ------------------------------------------------------------------------------


def run(store: Store) -> list[Alert]:
    """Raise what the rules find now; return every alert on record, oldest first. (The app's
    ticker may have run the rules too: what counts is what is on record.)"""
    with store.write(SYSTEM) as writer:
        raise_alerts(writer=writer)
    return alerts_on_record(store)


def alerts_on_record(store: Store, rule: str | None = None) -> list[Alert]:
    with store.read() as session:
        query = select(Alert).order_by(Alert.id)
        if rule is not None:
            query = query.where(Alert.rule == rule)
        return list(session.scalars(query))


def incident_near_torkham(
    client: TestClient, actors: Actors, clock: Clock, hours_ago: float, n: int
) -> int:
    """A media report of an event `hours_ago` hours before now, a few km from Torkham, as an
    incident of its own (at tier joint, until the guarantors release it)."""
    kinds = ["armed_clash", "shelling_artillery", "cross_border_raid", "troop_movement"]
    moment = clock.now - timedelta(hours=hours_ago)
    body = make_report(
        event_time=moment.isoformat(),
        event_type=kinds[n % len(kinds)],
        place={"name": "Landi Kotal", "lat": 34.09 + n * 0.01, "lon": 71.14, "precision": "town"},
        source=f"Frontier Paper {n}",
        text=f"Account number {n}: firing was heard near the crossing for an hour.",
        alleged_perpetrator=None,
        casualties=[],
    )
    analyst = actors.headers("analyst")
    report = ok(client.post("/api/v1/reports", headers=analyst, json=body), 201)
    # Fusion may take nearby events of one day for one; the analyst keeps each apart.
    opened = {"report_ids": [report["id"]], "title": f"Firing near Torkham ({n})"}
    incident_id: int = ok(client.post("/api/v1/incidents", headers=analyst, json=opened), 201)["id"]
    return incident_id


def counted(alert: Alert) -> set[int]:
    """The incidents a zone alert names."""
    found = re.search(r"\(incidents ([\d, ]+)\)", alert.description)
    assert found, alert.description
    return {int(n) for n in found.group(1).split(", ")}


def release(store: Store, actors: Actors, incident_id: int) -> None:
    with store.write(actors["guarantor"]) as writer:
        release_incident(
            writer=writer, actor=actors["guarantor"], incident_id=incident_id, tier=Tier.public
        )


def grave_finding(client: TestClient, actors: Actors) -> dict[str, Any]:
    """A complaint against PK ruled a grave violation by both guarantors (tier joint)."""
    incident = complaint_incident(client, actors, "draft_finding")
    case_id = incident["case"]["id"]
    body = {**VIOLATION, "outcome": "violation_grave"}
    finding = ok(
        client.post(
            f"/api/v1/cases/{case_id}/findings", headers=actors.headers("analyst"), json=body
        ),
        201,
    )
    move(client, actors, case_id, "review")
    concur(client, actors, finding["id"], ("guarantor", "guarantor2"))
    return ok(
        client.post(f"/api/v1/findings/{finding['id']}/decide", headers=actors.headers("guarantor"))
    )


def close_crossing(store: Store, actors: Actors, status: str = "closed") -> None:
    with store.write(actors["monitor"]) as writer:
        set_crossing_status(
            writer=writer,
            actor=actors["monitor"],
            crossing="torkham",
            status=status,
            since=writer.now - timedelta(hours=1),
            reason=f"Seen {status} by the joint team at the gate.",
        )


# The rules as data --------------------------------------------------------------------------


def _refusal(old: str, new: str) -> str:
    text = shipped_agreement_path().read_text(encoding="utf-8")
    assert old in text, old
    with pytest.raises(AgreementInvalid) as caught:
        parse_agreement(text.replace(old, new, 1), source="rules.yaml")
    return caught.value.message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("zones: [durand-line]", "zones: [durand-lime]", "'durand-lime' is not a zone (zones:"),
        ('"{crossing} is {status}"', '"{crossing} is {colour}"', "{colour} is not a value"),
        ("deadlines: [reply]\n    tier: joint", "deadlines: [reply]\n    tier: secret", "tier"),
        (
            "statuses: [closed]",
            "statuses: [closed]\n    crossings: [durand-line]",
            "not a crossing",
        ),
        ("kind: crossing_closed", "kind: crossing_shut", "does not match any of the expected"),
        ("radius_km: 10", "radius_km: 0", "greater than 0"),
    ],
)
def test_a_bad_rule_is_refused_when_the_agreement_is_read(
    old: str, new: str, expected: str
) -> None:
    message = _refusal(old, new)
    assert message.startswith("rules.yaml:") and "alerts." in message and expected in message


def test_an_agreement_without_rules_keeps_the_content_it_had_before_rules_existed() -> None:
    text = shipped_agreement_path().read_text(encoding="utf-8")
    without = parse_agreement(text[: text.index("\nalerts:")])
    assert without.alerts == [] and "alerts" not in without.to_data()
    assert len(parse_agreement(text).to_data()["alerts"]) == 8


# Raising, once each, within the tier ------------------------------------------------------


def test_incidents_near_a_crossing_alert_each_tier_only_for_what_it_may_read(
    client: TestClient, actors: Actors, store: Store, clock: Clock
) -> None:
    incidents = [
        incident_near_torkham(client, actors, clock, h, n) for n, h in enumerate((2, 5, 9))
    ]
    assert len(set(incidents)) == 3, "fusion kept the three events apart"
    incident_near_torkham(client, actors, clock, 30, 3)  # before the 24-hour window
    alerts = run(store)
    (joint,) = [a for a in alerts if a.rule == "crossing-incidents-joint"]
    assert joint.tier == "joint" and joint.subject == "zone:torkham"
    assert (
        joint.title == "3 incidents within 15 km of Torkham crossing (Khyber, Pakistan – "
        "Nangarhar, Afghanistan) in 24 hours"
    )
    assert counted(joint) == set(incidents)  # not the one before the window
    assert joint.area == {"desc": joint.area["desc"], "circles": [[34.122, 71.103, 15.0]]}
    # Nothing public yet: fusion's incidents are joint until the guarantors release them.
    assert not alerts_on_record(store, "crossing-incidents-public")
    assert len(run(store)) == len(alerts)  # idempotent
    for incident_id in incidents[:2]:
        release(store, actors, incident_id)
    assert not alerts_on_record(store, "crossing-incidents-public")  # two public: below three
    fourth = incident_near_torkham(client, actors, clock, 1, 5)
    release(store, actors, fourth)
    run(store)
    (public,) = alerts_on_record(store, "crossing-incidents-public")
    assert public.tier == "public" and public.title.startswith("3 released incidents")
    # Only the released incidents are counted, and only their numbers are given.
    assert counted(public) == {*incidents[:2], fourth}
    # The joint rule has alerted this zone within its window: it stays quiet.
    assert len(alerts_on_record(store, "crossing-incidents-joint")) == 1
    clock.advance(hours=25)
    for n in range(3):
        incident_near_torkham(client, actors, clock, 1 + n, 10 + n)
    run(store)
    assert len(alerts_on_record(store, "crossing-incidents-joint")) == 2


def test_a_grave_finding_reaches_the_public_only_once_released(
    client: TestClient, actors: Actors, store: Store
) -> None:
    finding = grave_finding(client, actors)
    run(store)
    (joint,) = alerts_on_record(store, "grave-violation-joint")
    assert joint.title == f"Grave violation found (finding {finding['id']}): Pakistan"
    assert "C2, C4" in joint.description and "Barmal" in joint.description
    assert not alerts_on_record(store, "grave-violation-public")
    ok(
        client.post(
            f"/api/v1/findings/{finding['id']}/release",
            headers=actors.headers("guarantor"),
            json={"tier": "public"},
        )
    )
    run(store)
    (public,) = alerts_on_record(store, "grave-violation-public")
    # The finding is public now; its incident is not: neither its place nor its number shows.
    assert public.area is None and "Barmal" not in public.description
    assert "incident" not in public.description
    run(store)
    assert len(alerts_on_record(store, "grave-violation-public")) == 1


def test_a_reply_window_that_closes_unanswered_raises_an_alert(
    client: TestClient, actors: Actors, store: Store, clock: Clock
) -> None:
    silent = complaint_incident(client, actors, "triaged")
    answered = complaint_incident(client, actors, "triaged")
    ok(
        client.post(
            f"/api/v1/cases/{answered['case']['id']}/reply",
            headers=actors.headers("liaison_pk"),
            json={"text": "Our aircraft did not fly that night."},
        ),
        201,
    )
    run(store)
    assert not alerts_on_record(store, "reply-missed")
    clock.advance(hours=73)
    run(store)
    (missed,) = alerts_on_record(store, "reply-missed")
    assert missed.subject == f"case:{silent['case']['id']}" and missed.tier == "joint"
    assert missed.title == f"Pakistan did not reply by the deadline on case {silent['case']['id']}"


def test_a_measure_and_a_commitment_gone_overdue_raise_their_alerts_in_the_same_tick(
    client: TestClient, actors: Actors, store: Store, clock: Clock
) -> None:
    measure = ratified_measure(client, actors)
    assert measure["deadline"] is not None
    clock.advance(days=31)
    with store.write(SYSTEM) as writer:
        ticked, raised = clock_step(writer=writer)
    assert ticked.overdue_measures == [measure["id"]]
    assert set(ticked.overdue_commitments) == {"pk-principals-meeting", "af-principals-meeting"}
    subjects = {a.subject for a in raised if a.rule == "penalty-deadline-missed"}
    assert subjects == {
        f"measure:{measure['id']}",
        "commitment:pk-principals-meeting",
        "commitment:af-principals-meeting",
    }
    assert all(a.tier == "public" for a in raised if a.rule == "penalty-deadline-missed")
    with store.write(SYSTEM) as writer:
        assert clock_step(writer=writer)[1] == []


def test_a_crossing_alerts_once_for_each_time_it_closes(store: Store, actors: Actors) -> None:
    close_crossing(store, actors)
    (first,) = run(store)
    assert first.rule == "crossing-closed" and first.tier == "public"
    assert first.title == "Torkham crossing (Khyber, Pakistan – Nangarhar, Afghanistan) is closed"
    close_crossing(store, actors)  # the same spell, said again
    close_crossing(store, actors, "refugees_only")  # not a status the rule watches
    assert len(run(store)) == 1
    close_crossing(store, actors)  # closed again after a spell open to refugees
    assert len(run(store)) == 2


def test_every_alert_is_a_logged_row_whose_words_are_sealed_and_audited(
    store: Store, actors: Actors, engine: Engine
) -> None:
    close_crossing(store, actors)
    (alert,) = run(store)
    webhook = subscribe(store, actors, "https://alerts.example.org/sulh", "public")
    with store.write(actors["admin"]) as writer:
        remove_webhook(writer=writer, actor=actors["admin"], webhook_id=webhook)
    with store.read() as session:
        entry = session.scalars(select(LogEntry).where(LogEntry.record_type == "alerts")).one()
    logged = json.loads(entry.data)
    assert logged["type"] == "alert.raised" and logged["record"]["id"] == alert.id
    assert set(logged["public"]) == {"id", "raised_at", "agreement_version_id"}
    assert "Torkham" not in entry.data.decode()
    assert audit(store, log_key=None, workers=1).clean
    with engine.begin() as connection:
        connection.execute(text("UPDATE alerts SET title = 'Nothing to see'"))
    problems = audit(store, log_key=None, workers=1).problems
    assert any("alerts" in problem for problem in problems), problems


# CAP 1.2 ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(CAP_XSD)))


def test_each_alert_is_a_valid_cap_document(
    client: TestClient,
    actors: Actors,
    store: Store,
    engine: Engine,
    cap_schema: etree.XMLSchema,
    tmp_path: Path,
) -> None:
    grave_finding(client, actors)
    close_crossing(store, actors)
    alerts = run(store)
    assert {a.tier for a in alerts} == {"joint", "public"}
    url = engine.url.render_as_string(hide_password=False)
    env = {
        "SULH_DATABASE_URL": url,
        "SULH_DATA_DIR": str(tmp_path),
        "SULH_CAP_SENDER": "sulh@mvm.example",
    }
    for tier, expected in (("internal", len(alerts)), ("public", 1)):
        folder = tmp_path / tier
        done = CliRunner().invoke(
            cli, ["alerts", "export", "--dir", str(folder), "--tier", tier], env=env
        )
        assert done.exit_code == 0, done.output
        files = sorted(folder.glob("*.xml"))
        assert len(files) == expected
        for path in files:
            document = etree.parse(str(path))
            cap_schema.assertValid(document)
            assert document.findtext("cap:sender", namespaces=CAP_NS) == "sulh@mvm.example"
    public = etree.parse(str(tmp_path / "public" / f"sulh-af-pk-2025-alert-{alerts[-1].id}.xml"))
    assert public.findtext("cap:scope", namespaces=CAP_NS) == "Public"
    assert (
        public.findtext("cap:info/cap:area/cap:circle", namespaces=CAP_NS) == "34.12200,71.10300 0"
    )
    joint = next(a for a in alerts if a.tier == "joint")
    cap = client.get(f"/api/v1/alerts/{joint.id}.cap", headers=actors.headers("guarantor"))
    assert cap.status_code == 200 and cap.headers["content-type"] == "application/cap+xml"
    document = etree.fromstring(cap.content)
    cap_schema.assertValid(document)
    assert document.findtext("cap:scope", namespaces=CAP_NS) == "Restricted"
    assert "guarantors" in (document.findtext("cap:restriction", namespaces=CAP_NS) or "")
    same = client.get(
        f"/api/v1/alerts/{joint.id}",
        headers={**actors.headers("guarantor"), "Accept": "application/cap+xml"},
    )
    assert same.content == cap.content


def test_the_api_shows_each_reader_only_the_alerts_of_its_tiers(
    client: TestClient, actors: Actors, store: Store
) -> None:
    grave_finding(client, actors)
    close_crossing(store, actors)
    alerts = run(store)
    joint = next(a for a in alerts if a.tier == "joint")
    seen = {
        role: {
            a["id"] for a in ok(client.get("/api/v1/alerts", headers=actors.headers(role)))["items"]
        }
        for role in ("public", "liaison_pk", "guarantor", "analyst")
    }
    assert joint.id not in seen["public"] | seen["liaison_pk"]
    assert joint.id in seen["guarantor"] and seen["analyst"] == {a.id for a in alerts}
    assert client.get(f"/api/v1/alerts/{joint.id}").status_code == 404
    assert client.get(f"/api/v1/alerts/{joint.id}.cap").status_code == 404
    only = ok(client.get("/api/v1/alerts?tier=public", headers=actors.headers("analyst")))
    assert {a["tier"] for a in only["items"]} == {"public"}


# Webhooks ---------------------------------------------------------------------------------


class Receiver:
    """A real HTTP server on loopback that answers each POST with the next status given."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/sulh"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver([500])
    yield server
    server.close()


def verify(secret: str, header: str, body: bytes) -> int:
    """The recipe of docs/alerts.md: the timestamp if the signature holds."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(expected.hexdigest(), parts["v1"])
    return int(parts["t"])


def subscribe(store: Store, actors: Actors, url: str, tier: str) -> int:
    with store.write(actors["admin"]) as writer:
        return add_webhook(
            writer=writer, actor=actors["admin"], url=url, secret=SECRET, tier=tier
        ).id


def deliveries(store: Store) -> list[WebhookDelivery]:
    with store.read() as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_webhook_gets_each_alert_signed_and_retried_after_a_failure(
    store: Store, actors: Actors, clock: Clock, receiver: Receiver
) -> None:
    subscribe(store, actors, receiver.url, "public")
    close_crossing(store, actors)
    (alert,) = run(store)
    policy = DeliveryPolicy(backoff_seconds=30, attempts=3)
    first = deliver_once(store=store, policy=policy)
    assert (first.delivered, first.retrying) == (0, 1)
    (queued,) = deliveries(store)
    assert queued.attempts == 1 and queued.last_status == 500 and queued.status == "pending"
    assert queued.next_attempt_at == clock.now + timedelta(seconds=30)
    assert deliver_once(store=store, policy=policy).retrying == 0  # not due yet: nothing sent
    assert len(receiver.received) == 1
    clock.advance(seconds=30)
    assert deliver_once(store=store, policy=policy).delivered == 1
    (done,) = deliveries(store)
    assert done.status == "delivered" and done.attempts == 2 and done.last_error is None
    headers, body = receiver.received[-1]
    assert verify(SECRET, headers[SIGNATURE_HEADER], body) == int(clock.now.timestamp())
    sent = json.loads(body)
    assert sent["type"] == "sulh.alert" and sent["alert"]["id"] == alert.id
    assert sent["alert"]["title"] == alert.title and headers["Content-Type"] == "application/json"
    assert deliver_once(store=store, policy=policy).delivered == 0  # once only
    assert len(receiver.received) == 2


def test_backoff_doubles_and_a_delivery_is_given_up_after_its_attempts(
    store: Store, actors: Actors, clock: Clock
) -> None:
    server = Receiver([503, 503, 503])
    try:
        subscribe(store, actors, server.url, "public")
        close_crossing(store, actors)
        run(store)
        policy = DeliveryPolicy(backoff_seconds=10, attempts=3)
        waits = []
        for _ in range(3):
            start = clock.now
            deliver_once(store=store, policy=policy)
            (row,) = deliveries(store)
            waits.append((row.next_attempt_at - start).total_seconds())
            clock.now = row.next_attempt_at
        assert waits[:2] == [10, 20] and row.status == "failed" and row.attempts == 3
        assert "HTTP 503" in (row.last_error or "")
    finally:
        server.close()


def test_a_subscription_never_receives_an_alert_above_its_tier(
    client: TestClient, store: Store, actors: Actors
) -> None:
    public, joint = Receiver([]), Receiver([])
    try:
        subscribe(store, actors, public.url, "public")
        subscribe(store, actors, joint.url, "joint")
        grave_finding(client, actors)
        close_crossing(store, actors)
        alerts = run(store)
        deliver_once(store=store, policy=DeliveryPolicy(backoff_seconds=1))
        tiers = {
            name: {json.loads(body)["alert"]["tier"] for _, body in server.received}
            for name, server in (("public", public), ("joint", joint))
        }
        assert tiers == {"public": {"public"}, "joint": {"public", "joint"}}
        assert len(joint.received) == len(alerts) and len(public.received) == 1
    finally:
        public.close()
        joint.close()


def test_bad_webhooks_are_refused_with_a_clear_message(
    client: TestClient, actors: Actors, store: Store
) -> None:
    admin = actors.headers("admin")
    for body, words in (
        (
            {"url": "ftp://alerts.example.org/in", "secret": SECRET, "tier": "public"},
            "http or https",
        ),
        ({"url": "https:///no-host", "secret": SECRET, "tier": "public"}, "name the host"),
        (
            {"url": "https://alerts.example.org", "secret": SECRET, "tier": "secret"},
            "one of internal",
        ),
        ({"url": "https://alerts.example.org", "secret": "short", "tier": "public"}, "16 to 200"),
    ):
        answer = client.post("/api/v1/webhooks", headers=admin, json=body)
        assert answer.status_code == 422 and words in answer.json()["error"]["message"], answer.text
        assert SECRET not in answer.text
    assert ok(client.get("/api/v1/webhooks", headers=admin)) == []
    good = {"url": "https://alerts.example.org/sulh", "secret": SECRET, "tier": "parties"}
    made = ok(client.post("/api/v1/webhooks", headers=admin, json=good), 201)
    listed = client.get("/api/v1/webhooks", headers=admin)
    assert SECRET not in listed.text and made["tier"] == "parties"
    assert (
        client.post("/api/v1/webhooks", headers=actors.headers("analyst"), json=good).status_code
        == 403
    )
    removed = ok(client.delete(f"/api/v1/webhooks/{made['id']}", headers=admin))
    assert removed["removed_at"] is not None
    assert client.delete(f"/api/v1/webhooks/{made['id']}", headers=admin).status_code == 409
    with store.read() as session:
        logged = b"".join(session.scalars(select(LogEntry.data)))
    assert SECRET.encode() not in logged and b"alerts.example.org" not in logged
    with pytest.raises(Forbidden), store.write(actors["liaison_pk"]) as writer:
        add_webhook(
            writer=writer, actor=actors["liaison_pk"], url=good["url"], secret=SECRET, tier="public"
        )
    with pytest.raises(Invalid, match="one of internal, joint, parties, public"):
        with store.write(actors["admin"]) as writer:
            add_webhook(
                writer=writer, actor=actors["admin"], url=good["url"], secret=SECRET, tier="all"
            )


def test_the_server_delivers_in_the_background(
    store: Store, actors: Actors, clock: Clock, tmp_path: Path
) -> None:
    server = Receiver([500])
    environ = {"SULH_FUSION": "inline", "SULH_WEBHOOK_BACKOFF_SECONDS": "0.05"}
    settings = Settings.load(environ=environ, data_dir=tmp_path)
    try:
        with TestClient(create_app(settings, store=store, clock=clock)):
            subscribe(store, actors, server.url, "public")
            close_crossing(store, actors)
            run(store)
            _wait(lambda: len(server.received) == 1)
            clock.advance(seconds=1)  # the retry's time comes
            _wait(lambda: deliveries(store)[0].status == "delivered")
        assert len(server.received) == 2
    finally:
        server.close()


def _wait(condition: Any, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the background deliverer did not get there"
        time.sleep(0.02)


def test_the_command_line_raises_and_delivers(
    store: Store, actors: Actors, engine: Engine, tmp_path: Path
) -> None:
    server = Receiver([])
    url = engine.url.render_as_string(hide_password=False)
    env = {"SULH_DATABASE_URL": url, "SULH_DATA_DIR": str(tmp_path)}
    try:
        subscribe(store, actors, server.url, "public")
        close_crossing(store, actors)
        raised = CliRunner().invoke(cli, ["alerts", "run"], env=env)
        assert raised.exit_code == 0 and "is closed" in raised.output, raised.output
        assert CliRunner().invoke(cli, ["alerts", "run"], env=env).output == "No new alert.\n"
        sent = CliRunner().invoke(cli, ["alerts", "deliver"], env=env)
        assert sent.exit_code == 0 and "Delivered: 1;" in sent.output, sent.output
        assert len(server.received) == 1
    finally:
        server.close()


# Pages ------------------------------------------------------------------------------------


def test_each_role_sees_its_alerts_on_its_pages(
    client: TestClient, actors: Actors, store: Store
) -> None:
    from tests.test_web_ui import log_in

    grave_finding(client, actors)
    close_crossing(store, actors)
    alerts = run(store)
    joint = next(a for a in alerts if a.tier == "joint")
    public = next(a for a in alerts if a.tier == "public")
    web = TestClient(client.app, base_url="https://testserver", follow_redirects=False)
    dashboard = web.get("/").text
    assert public.title in dashboard and joint.title not in dashboard
    log_in(web, "guarantor")
    page = web.get("/guarantor").text
    assert joint.title in page and public.title in page


# The schema -------------------------------------------------------------------------------


def test_the_migration_makes_the_tables_the_code_expects(engine: Engine) -> None:
    with engine.connect() as connection:
        changes = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    mine = ("'alerts'", "'webhooks'", "'webhook_deliveries'", "ix_alerts", "ix_webhook")
    assert [c for c in changes if any(name in repr(c) for name in mine)] == []


def test_staff_read_every_tier_and_the_cap_identifier_names_the_agreement(
    store: Store, actors: Actors
) -> None:
    close_crossing(store, actors)
    (alert,) = run(store)
    with store.read() as session:
        shown = read_alert(session, STAFF, alert.id)
    assert shown.identifier == f"sulh-af-pk-2025-alert-{alert.id}"
    assert f"<identifier>{shown.identifier}</identifier>".encode() in cap_alert(shown)
