"""Fusion in the record: reports become incidents as they are filed, analysts correct them.

Runs on SQLite and PostgreSQL through the API, as analysts and liaisons would use it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sulh.cli import cli
from sulh.fusion.match import ATTACH
from sulh.ledger.audit import audit
from sulh.store import Store
from sulh.store.tables import Incident, LogEntry
from tests.conftest import Actors, make_report


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _file(client: TestClient, actors: Actors, who: str = "analyst", **fields: Any) -> Any:
    return ok(
        client.post("/api/v1/reports", headers=actors.headers(who), json=make_report(**fields)),
        201,
    )


def _incident(client: TestClient, actors: Actors, incident_id: int) -> Any:
    return ok(client.get(f"/api/v1/incidents/{incident_id}", headers=actors.headers("analyst")))


def test_reports_of_one_strike_fuse_and_a_decoy_does_not(
    client: TestClient, actors: Actors
) -> None:
    first = _file(client, actors)
    second = _file(
        client,
        actors,
        source="Another Paper",
        text="A drone hit a house near Barmal overnight; villagers counted three dead.",
        place={"name": "Barmal", "lat": 32.76, "lon": 69.10, "precision": "town"},
    )
    decoy = _file(
        client,
        actors,
        source="Third Paper",
        event_type="armed_clash",
        event_time="2025-10-28T10:00:00+05:00",
        text="Border guards exchanged fire near Chaman for an hour.",
        place={"name": "Chaman", "lat": 30.92, "lon": 66.45, "precision": "town"},
    )
    assert first["incident_id"] == second["incident_id"] is not None
    assert decoy["incident_id"] not in (None, first["incident_id"])
    incident = _incident(client, actors, first["incident_id"])
    attached = next(a for a in incident["accounts"] if a["report_id"] == second["id"])
    assert attached["score"] >= ATTACH
    assert "same day" in attached["reason"] and "km apart" in attached["reason"]
    assert "both air strikes" in attached["reason"]
    assert incident["confidence"] == "fair" and incident["confidence_rule"] == "F1-two-sources"


def test_a_wire_story_and_its_credit_count_once(client: TestClient, actors: Actors) -> None:
    wire = _file(client, actors, source="Reuters", text="Three killed in a drone strike in Barmal.")
    credit = _file(
        client,
        actors,
        source="Daily Example",
        text="Three people were killed in a drone strike in Barmal, according to Reuters.",
    )
    assert wire["incident_id"] == credit["incident_id"]
    incident = _incident(client, actors, wire["incident_id"])
    assert {a["origin"] for a in incident["accounts"]} == {"wire:reuters"}
    assert incident["confidence"] == "weak"  # one origin, however many outlets


def test_an_allegation_denied_is_contested_until_monitors_see_it(
    client: TestClient, actors: Actors
) -> None:
    complaint = _file(client, actors, "liaison_af", kind="complaint", source=None)
    denial = _file(
        client,
        actors,
        kind="statement",
        source="ISPR (press release)",
        stance="denies",
        alleged_perpetrator=None,
        text="The military says no Pakistani aircraft struck anywhere in Barmal.",
    )
    assert complaint["incident_id"] == denial["incident_id"]
    incident = _incident(client, actors, complaint["incident_id"])
    assert (incident["confidence"], incident["confidence_rule"]) == (
        "contested",
        "X1-allegation-denied",
    )
    assert "AF alleges and PK denies" in incident["confidence_reason"]
    _file(client, actors, "monitor", kind="observation", source=None, tier="internal")
    incident = _incident(client, actors, complaint["incident_id"])
    assert incident["confidence_rule"] == "C1-monitor-observed"


def test_partisan_casualty_figures_are_kept_beside_the_estimates(
    client: TestClient, actors: Actors
) -> None:
    complaint = _file(
        client,
        actors,
        "liaison_af",
        kind="complaint",
        source=None,
        casualties=[{"group": "civilian", "outcome": "killed", "best": 9}],
    )
    _file(client, actors, casualties=[{"group": "civilian", "outcome": "killed", "best": 3}])
    _file(
        client,
        actors,
        source="Second Paper",
        casualties=[{"group": "civilian", "outcome": "killed", "low": 4, "best": 5, "high": 6}],
    )
    incident = _incident(client, actors, complaint["incident_id"])
    (killed,) = incident["casualties"]
    assert (killed["low"], killed["best"], killed["high"]) == (3, 3, 6)
    partisan = [f for f in killed["figures"] if f["partisan"]]
    assert [f["best"] for f in partisan] == [9]
    assert len(killed["figures"]) == 3


def test_merge_split_and_undo_are_logged_with_reasons(
    client: TestClient, actors: Actors, store: Store
) -> None:
    a = _file(client, actors)
    b = _file(
        client,
        actors,
        source="Far Paper",
        place={"name": "Chaman", "lat": 30.92, "lon": 66.45, "precision": "town"},
    )
    assert a["incident_id"] != b["incident_id"]
    analyst = actors.headers("analyst")
    url = f"/api/v1/incidents/{a['incident_id']}/merge"
    refused = client.post(url, headers=analyst, json={"absorb": b["incident_id"], "reason": " "})
    assert refused.status_code == 422 and "reason" in refused.text
    merged = ok(
        client.post(
            url,
            headers=analyst,
            json={"absorb": b["incident_id"], "reason": "same strike, misplaced"},
        )
    )
    assert sorted(merged["incident"]["report_ids"]) == sorted([a["id"], b["id"]])
    gone = _incident(client, actors, b["incident_id"])
    assert (gone["status"], gone["merged_into"]) == ("merged", a["incident_id"])
    undo = ok(
        client.post(
            f"/api/v1/incident-changes/{merged['change']}/revert",
            headers=analyst,
            json={"reason": "the places were right after all"},
        )
    )
    assert undo["incident"]["report_ids"] == [a["id"]]
    assert _incident(client, actors, b["incident_id"])["status"] == "open"
    again = client.post(
        f"/api/v1/incident-changes/{merged['change']}/revert",
        headers=analyst,
        json={"reason": "twice"},
    )
    assert again.status_code == 409 and "already undone" in again.text
    ok(
        client.post(
            f"/api/v1/incidents/{a['incident_id']}/merge",
            headers=analyst,
            json={"absorb": b["incident_id"], "reason": "one strike"},
        )
    )
    parted = ok(
        client.post(
            f"/api/v1/incidents/{a['incident_id']}/split",
            headers=analyst,
            json={"accounts": [[b["id"], 0]], "reason": "two strikes"},
        )
    )
    assert parted["incident"]["report_ids"] == [a["id"]]
    assert parted["other"] not in (a["incident_id"], b["incident_id"])  # a new incident
    assert _incident(client, actors, parted["other"])["report_ids"] == [b["id"]]
    changes = [c["kind"] for c in _incident(client, actors, a["incident_id"])["changes"]]
    assert changes == ["merge", "revert", "merge", "split"]
    with store.read() as session:
        kinds = session.scalars(
            select(LogEntry.record_type).where(LogEntry.record_type == "incident_changes")
        ).all()
    assert len(kinds) == 4
    assert audit(store, log_key=None).problems == []


def test_merges_and_splits_that_cannot_be_are_refused(client: TestClient, actors: Actors) -> None:
    a = _file(client, actors)
    analyst = actors.headers("analyst")
    itself = client.post(
        f"/api/v1/incidents/{a['incident_id']}/merge",
        headers=analyst,
        json={"absorb": a["incident_id"], "reason": "x"},
    )
    assert itself.status_code == 422 and "into itself" in itself.text
    empty = client.post(
        f"/api/v1/incidents/{a['incident_id']}/split",
        headers=analyst,
        json={"accounts": [[a["id"], 0]], "reason": "x"},
    )
    assert empty.status_code == 422 and "empty" in empty.text
    stranger = client.post(
        f"/api/v1/incidents/{a['incident_id']}/split",
        headers=analyst,
        json={"accounts": [[999, 0]], "reason": "x"},
    )
    assert stranger.status_code == 422 and "[999, 0]" in stranger.text
    liaison = client.post(
        f"/api/v1/incidents/{a['incident_id']}/merge",
        headers=actors.headers("liaison_pk"),
        json={"absorb": a["incident_id"], "reason": "x"},
    )
    assert liaison.status_code == 403


def test_a_split_that_would_orphan_a_finding_is_refused(client: TestClient, actors: Actors) -> None:
    a = _file(client, actors)
    b = _file(client, actors, source="Second Paper")
    incident = _incident(client, actors, a["incident_id"])
    analyst = actors.headers("analyst")
    case = incident["case"]["id"]
    for state in ("triaged", "inquiry", "draft_finding"):
        ok(client.post(f"/api/v1/cases/{case}/transitions", headers=analyst, json={"to": state}))
    ok(
        client.post(
            f"/api/v1/cases/{case}/findings",
            headers=analyst,
            json={
                "outcome": "violation_serious",
                "clauses": ["C2"],
                "attributed_to": "PK",
                "rationale": "Two sources agree.",
            },
        ),
        201,
    )
    refused = client.post(
        f"/api/v1/incidents/{a['incident_id']}/split",
        headers=analyst,
        json={"accounts": [[b["id"], 0]], "reason": "two strikes"},
    )
    assert refused.status_code == 409 and "orphan" in refused.text


def test_source_grades_keep_their_history_and_regrade_incidents(
    client: TestClient, actors: Actors
) -> None:
    a = _file(client, actors)
    _file(client, actors, source="Second Paper")
    _file(client, actors, source="Third Paper")
    analyst = actors.headers("analyst")
    sources = ok(client.get("/api/v1/sources", headers=analyst))
    wire = next(s for s in sources if s["name"] == "Example Wire")
    assert [g["value"] for g in wire["grades"]] == ["F"]
    assert _incident(client, actors, a["incident_id"])["confidence_rule"] == "F1-two-sources"
    graded = ok(
        client.post(
            f"/api/v1/sources/{wire['id']}/grade",
            headers=analyst,
            json={"grade": "B", "reason": "accurate in 40 checked reports"},
        )
    )
    assert [(g["value"], g["reason"]) for g in graded["grades"]][-1] == (
        "B",
        "accurate in 40 checked reports",
    )
    assert _incident(client, actors, a["incident_id"])["confidence_rule"] == "C3-corroborated"
    bad = client.post(
        f"/api/v1/sources/{wire['id']}/grade", headers=analyst, json={"grade": "G", "reason": "x"}
    )
    assert bad.status_code == 422
    public = client.get("/api/v1/sources", headers=actors.headers("liaison_pk"))
    assert public.status_code == 403


def test_independence_group_corrections_move_origins(client: TestClient, actors: Actors) -> None:
    a = _file(client, actors)
    _file(client, actors, source="Sister Paper")
    assert _incident(client, actors, a["incident_id"])["confidence"] == "fair"
    analyst = actors.headers("analyst")
    sister = next(
        s for s in ok(client.get("/api/v1/sources", headers=analyst)) if s["name"] == "Sister Paper"
    )
    ok(
        client.post(
            f"/api/v1/sources/{sister['id']}/group",
            headers=analyst,
            json={"group": "Example Wire", "reason": "same owner, same newsroom"},
        )
    )
    incident = _incident(client, actors, a["incident_id"])
    assert {x["origin"] for x in incident["accounts"]} == {"Example Wire"}
    assert incident["confidence"] == "weak"


def test_analysts_grade_credibility_in_place_of_the_proposal(
    client: TestClient, actors: Actors
) -> None:
    a = _file(client, actors)
    _file(client, actors, source="Second Paper")
    account = _incident(client, actors, a["incident_id"])["accounts"][0]
    assert (account["credibility"], account["credibility_proposed"]) == (2, True)
    analyst = actors.headers("analyst")
    ok(
        client.post(
            f"/api/v1/reports/{a['id']}/credibility",
            headers=analyst,
            json={"credibility": 5, "reason": "photos shown to be from 2019"},
        )
    )
    account = _incident(client, actors, a["incident_id"])["accounts"][0]
    assert (account["credibility"], account["credibility_proposed"]) == (5, False)
    refused = client.post(
        f"/api/v1/reports/{a['id']}/credibility",
        headers=actors.headers("monitor"),
        json={"credibility": 1, "reason": "x"},
    )
    assert refused.status_code == 403


def test_a_report_with_nothing_to_match_on_is_held_not_forced(
    client: TestClient, actors: Actors, store: Store
) -> None:
    _file(client, actors, text="Drone strike outside the district centre.")
    held = _file(
        client,
        actors,
        source="Vague Radio",
        kind="statement",
        place=None,
        alleged_perpetrator=None,
        event_type="hostile_rhetoric",
        text="A minister says more is coming.",
    )
    assert held["incident_id"] is None
    with store.read() as session:
        assert session.scalar(select(func.count(Incident.id))) == 1


def test_the_timeline_lists_incidents_in_order_for_every_reader(
    client: TestClient, actors: Actors
) -> None:
    _file(client, actors)
    _file(
        client,
        actors,
        source="Late Paper",
        event_time="2025-11-02T08:00:00+05:00",
        place={"name": "Chaman", "lat": 30.92, "lon": 66.45, "precision": "town"},
    )
    rows = ok(
        client.get(
            "/api/v1/timeline?from=2025-10-01&to=2025-11-30", headers=actors.headers("analyst")
        )
    )
    assert [r["date"] for r in rows] == ["2025-10-28", "2025-11-02"]
    assert set(rows[0]) >= {
        "incident",
        "date",
        "type",
        "places",
        "actors",
        "confidence",
        "casualties",
        "reports",
    }
    assert rows[0]["type"] == "air_or_drone_strike" and rows[0]["places"] == ["Barmal"]
    narrow = ok(
        client.get(
            "/api/v1/timeline?from=2025-11-01&to=2025-11-30", headers=actors.headers("analyst")
        )
    )
    assert [r["date"] for r in narrow] == ["2025-11-02"]
    # Incidents opened by fusion are for staff and guarantors until released.
    assert ok(client.get("/api/v1/timeline", headers=actors.headers("public"))) == []
    backwards = client.get(
        "/api/v1/timeline?from=2025-11-30&to=2025-11-01", headers=actors.headers("analyst")
    )
    assert backwards.status_code == 422 and "before" in backwards.text


def test_init_ingest_timeline_on_a_fresh_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    feed = tmp_path / "news.jsonl"
    lines = [
        {
            "id": "a1",
            "outlet": "Example Wire",
            "published": "2025-10-28",
            "text": "A Pakistani drone strike hit Barmal in Paktika on Monday, killing three "
            "civilians, Afghan officials said.",
        },
        {
            "id": "a2",
            "outlet": "Other Paper",
            "published": "2025-10-28",
            "text": "On Monday a drone strike hit Barmal district in Paktika province. "
            "Residents said three civilians died.",
        },
    ]
    feed.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    runner = CliRunner()
    for args in (["init"], ["ingest", str(feed)]):
        result = runner.invoke(cli, [*args, "--data-dir", str(data)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli,
        [
            "timeline",
            "--data-dir",
            str(data),
            "--from",
            "2025-10-01",
            "--to",
            "2025-10-31",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    strikes = [r for r in rows if r["type"] == "air_or_drone_strike"]
    assert len(strikes) == 1 and strikes[0]["date"] == "2025-10-27"
    assert strikes[0]["reports"] == [1, 2] and "Barmal" in strikes[0]["places"]


def test_only_statements_carry_a_stance(client: TestClient, actors: Actors) -> None:
    refused = client.post(
        "/api/v1/reports", headers=actors.headers("analyst"), json=make_report(stance="denies")
    )
    assert refused.status_code == 422 and "only statements carry a stance" in refused.text


def test_opening_an_incident_from_what_fusion_joined_names_it(
    client: TestClient, actors: Actors
) -> None:
    a = _file(client, actors)
    b = _file(client, actors, source="Second Paper")
    named = ok(
        client.post(
            "/api/v1/incidents",
            headers=actors.headers("analyst"),
            json={"report_ids": [a["id"], b["id"]], "title": "Strike on a compound, Barmal"},
        ),
        201,
    )
    assert named["id"] == a["incident_id"] and named["title"] == "Strike on a compound, Barmal"


def test_moving_reports_out_of_an_incident_with_a_finding_is_refused(
    client: TestClient, actors: Actors
) -> None:
    a = _file(client, actors)
    analyst = actors.headers("analyst")
    case = _incident(client, actors, a["incident_id"])["case"]["id"]
    for state in ("triaged", "inquiry", "draft_finding"):
        ok(client.post(f"/api/v1/cases/{case}/transitions", headers=analyst, json={"to": state}))
    finding = {"outcome": "not_verifiable", "rationale": "No access to the site."}
    ok(client.post(f"/api/v1/cases/{case}/findings", headers=analyst, json=finding), 201)
    elsewhere = _file(
        client,
        actors,
        source="Far Paper",
        place={"name": "Chaman", "lat": 30.92, "lon": 66.45, "precision": "town"},
    )
    taken = client.post(
        f"/api/v1/incidents/{elsewhere['incident_id']}/reports",
        headers=analyst,
        json={"report_id": a["id"]},
    )
    assert taken.status_code == 409 and "orphan" in taken.text
    absorbed = client.post(
        f"/api/v1/incidents/{elsewhere['incident_id']}/merge",
        headers=analyst,
        json={"absorb": a["incident_id"], "reason": "same"},
    )
    assert absorbed.status_code == 409 and "finding" in absorbed.text


def test_an_undo_after_later_changes_is_refused(client: TestClient, actors: Actors) -> None:
    a = _file(client, actors)
    b = _file(
        client,
        actors,
        source="Far Paper",
        place={"name": "Chaman", "lat": 30.92, "lon": 66.45, "precision": "town"},
    )
    c = _file(
        client,
        actors,
        source="Third Paper",
        place={"name": "Torkham", "lat": 34.11, "lon": 71.09, "precision": "town"},
    )
    analyst = actors.headers("analyst")
    first = ok(
        client.post(
            f"/api/v1/incidents/{b['incident_id']}/merge",
            headers=analyst,
            json={"absorb": c["incident_id"], "reason": "one exchange"},
        )
    )
    ok(
        client.post(
            f"/api/v1/incidents/{a['incident_id']}/merge",
            headers=analyst,
            json={"absorb": b["incident_id"], "reason": "all one night"},
        )
    )
    late = client.post(
        f"/api/v1/incident-changes/{first['change']}/revert",
        headers=analyst,
        json={"reason": "two exchanges"},
    )
    assert late.status_code == 409 and "undo the later change first" in late.text


def test_incidents_of_two_agreements_never_merge(
    client: TestClient, actors: Actors, store: Store
) -> None:
    from sulh.cli.context import SYSTEM
    from sulh.store.tables import AgreementVersion

    before = _file(client, actors)
    # One record holds one agreement (add_agreement_version refuses a second); a record
    # pieced together from two must still never mix their incidents.
    with store.write(SYSTEM) as writer:
        first = writer.session.get(AgreementVersion, 1)
        assert first is not None
        other = AgreementVersion(
            slug="af-pk-2026",
            version=1,
            title="Another",
            effective=first.effective,
            content=first.content,
            sha256="0" * 64,
            loaded_at=writer.now,
        )
        writer.add(other)
        writer.record("agreement.loaded", other)
    after = _file(client, actors, source="Second Paper")
    assert after["incident_id"] != before["incident_id"]  # matched only within its agreement
    refused = client.post(
        f"/api/v1/incidents/{after['incident_id']}/merge",
        headers=actors.headers("analyst"),
        json={"absorb": before["incident_id"], "reason": "same strike"},
    )
    assert refused.status_code == 409 and "different agreements" in refused.text


def test_the_server_queues_reports_and_its_worker_fuses_them(
    store: Store, tmp_path: Path, actors: Actors
) -> None:
    import time

    from sulh.config import Settings
    from sulh.fusion.queue import pending
    from sulh.web import create_app

    settings = Settings.load(environ={"SULH_FUSION": "background"}, data_dir=tmp_path)
    with TestClient(create_app(settings, store=store)) as background:
        filed = [
            ok(
                background.post(
                    "/api/v1/reports",
                    headers=actors.headers("analyst"),
                    json=make_report(source=f"Paper {n}"),
                ),
                201,
            )
            for n in range(3)
        ]
        deadline = time.monotonic() + 60
        while pending(store) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pending(store) == 0
        seen = [
            ok(background.get(f"/api/v1/reports/{r['id']}", headers=actors.headers("analyst")))
            for r in filed
        ]
    assert all(r["incident_id"] is None for r in filed)  # filed at once, fused moments later
    assert len({r["incident_id"] for r in seen}) == 1 and seen[0]["incident_id"] is not None
    assert store.fusion == "queued"
