"""Migrations carry existing records forward and back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from sulh.store import make_engine, upgrade
from sulh.store.migrate import alembic_config

NOW = "2025-10-28 10:00:00.000000+00:00"


def _record_at_0002(conn: object) -> None:
    statements = [
        "INSERT INTO agreement_versions (id, slug, version, title, effective, content, sha256,"
        " loaded_at) VALUES (1, 'a', 1, 'A', :now, '{}', 'x', :now)",
        "INSERT INTO sources (id, name, kind, reliability, independence_group)"
        " VALUES (1, 'Paper', 'media', 'C', 'Paper')",
        "INSERT INTO reports (id, kind, source_id, source_protected, received_at, event_time,"
        " time_precision, event_type, targets, casualties, text, language, tier,"
        " agreement_version_id) VALUES (7, 'media', 1, 0, :now, :now, 'day',"
        " 'armed_clash', '[]', '[]', 'Fire at the gate.', 'en', 'public', 1)",
        "INSERT INTO incidents (id, title, event_type, event_time, time_precision, tier,"
        " opened_at, agreement_version_id) VALUES (3, 'Fire', 'armed_clash', :now, 'day',"
        " 'joint', :now, 1)",
        "INSERT INTO incident_reports (report_id, incident_id, attached_at) VALUES (7, 3, :now)",
    ]
    for statement in statements:
        conn.execute(text(statement), {"now": NOW})  # type: ignore[attr-defined]


def test_0003_keeps_each_link_as_the_reports_first_account_and_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0002")
    with engine.begin() as conn:
        _record_at_0002(conn)
    upgrade(engine)
    with engine.connect() as conn:
        link = conn.execute(
            text("SELECT id, report_id, event, incident_id, score, reason FROM incident_reports")
        ).one()
        incident = conn.execute(text("SELECT status, confidence FROM incidents")).one()
    assert tuple(link) == (7, 7, 0, 3, None, "")
    assert tuple(incident) == ("open", None)
    command.downgrade(alembic_config(engine), "0002")
    with engine.connect() as conn:
        back = conn.execute(text("SELECT report_id, incident_id FROM incident_reports")).one()
    assert tuple(back) == (7, 3)
    engine.dispose()
