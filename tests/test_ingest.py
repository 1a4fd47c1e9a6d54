"""`sulh ingest`: articles become reports with their events; copies are known; nothing is lost."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from sulh.cli import cli
from sulh.extract.articles import Article
from sulh.extract.ingest import ingest_articles
from sulh.store.tables import IngestedArticle, Report
from sulh.store.writer import Store
from tests.conftest import Actors, SigningClient
from tests.test_extract_cli import INDEX, SEEDS, STRIKE, seeds_jsonl


def ingest(engine: Engine, tmp_path: Path, *args: str) -> Result:
    url = engine.url.render_as_string(hide_password=False)
    env = {"SULH_DATABASE_URL": url, "SULH_DATA_DIR": str(tmp_path / "data")}
    return CliRunner().invoke(cli, ["ingest", *args], env=env)


def audit(engine: Engine, tmp_path: Path) -> Result:
    url = engine.url.render_as_string(hide_password=False)
    env = {"SULH_DATABASE_URL": url, "SULH_DATA_DIR": str(tmp_path / "data")}
    return CliRunner().invoke(cli, ["audit"], env=env)


def articles(store: Store) -> list[tuple[IngestedArticle, Report]]:
    with store.read() as session:
        query = select(IngestedArticle, Report).join(Report, Report.id == IngestedArticle.report_id)
        return [(a, r) for a, r in session.execute(query.order_by(IngestedArticle.id)).all()]


def test_seed_articles_become_media_reports_with_their_events(
    store: Store, engine: Engine, tmp_path: Path
) -> None:
    result = ingest(engine, tmp_path, str(seeds_jsonl(tmp_path)))
    assert result.exit_code == 0, result.output
    rows = articles(store)
    assert [a.external_id for a, _ in rows] == [item["file"][:-4] for item in INDEX]
    for (article, report), item in zip(rows, INDEX, strict=True):
        assert report.kind == "media" and report.source.name == item["outlet"]
        assert report.text == (SEEDS / item["file"]).read_text("utf-8").strip()
        assert article.published.isoformat() == item["published"]
        assert article.language == "en" and article.events and article.copy_of_id is None
    assert audit(engine, tmp_path).exit_code == 0


def test_the_same_article_twice_is_filed_once_and_a_reprint_is_a_copy(
    store: Store, engine: Engine, tmp_path: Path
) -> None:
    path = seeds_jsonl(tmp_path)
    assert ingest(engine, tmp_path, str(path)).exit_code == 0
    again = ingest(engine, tmp_path, str(path))
    assert again.exit_code == 0 and again.output.count("already ingested") == len(INDEX)
    original = json.loads(path.read_text("utf-8").splitlines()[2])
    reprints = tmp_path / "reprints.jsonl"
    exact = {**original, "id": "wire-copy", "outlet": "Another Daily"}
    edited = {
        **original,
        "id": "wire-edit",
        "outlet": "A Third Daily",
        "text": "Updated with reactions. "
        + original["text"].replace("Istanbul", "Istanbul, Turkey"),
    }
    unrelated = {"id": "other", "outlet": "Another Daily", "published": original["published"]}
    reprints.write_text(
        "\n".join(json.dumps(x) for x in (exact, edited, {**unrelated, "text": STRIKE})) + "\n"
    )
    result = ingest(engine, tmp_path, str(reprints))
    assert result.exit_code == 0, result.output
    rows = {a.external_id: (a, r) for a, r in articles(store)}
    first = rows[original["id"]][0]
    assert rows["wire-copy"][0].copy_of_id == first.id and rows["wire-copy"][0].copy_kind == "exact"
    assert rows["wire-edit"][0].copy_of_id == first.id and rows["wire-edit"][0].copy_kind == "near"
    assert rows["other"][0].copy_of_id is None
    assert f"a copy of report {rows[original['id']][1].id}" in result.output
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == len(INDEX) + 3


def test_statements_by_a_party_are_filed_as_statements(
    store: Store, engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "ispr.jsonl"
    statement = {
        "id": "ispr-1",
        "outlet": "ISPR",
        "published": "2025-10-23",
        "text": "The ceasefire with Afghanistan continues to hold, the military said on Thursday.",
    }
    path.write_text(json.dumps(statement) + "\n")
    assert ingest(engine, tmp_path, str(path)).exit_code == 0
    [(article, report)] = articles(store)
    assert report.kind == "statement" and report.tier == "public"


def test_one_unreadable_file_stops_the_ingest_before_anything_is_written(
    store: Store, engine: Engine, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(STRIKE)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage\x00")
    result = ingest(engine, tmp_path, str(good), str(bad), "--published", "2025-10-23")
    assert result.exit_code == 1 and "bad.txt is binary" in result.stderr
    assert articles(store) == []


@pytest.mark.parametrize(
    "language_text", ["پاکستان اور افغانستان کے درمیان مذاکرات جاری ہیں اور جنگ بندی برقرار ہے۔"]
)
def test_other_languages_are_filed_with_their_language_and_no_events(
    store: Store, engine: Engine, tmp_path: Path, language_text: str
) -> None:
    path = tmp_path / "ur.txt"
    path.write_text(language_text, encoding="utf-8")
    assert ingest(engine, tmp_path, str(path), "--published", "2025-10-23").exit_code == 0
    [(article, report)] = articles(store)
    assert (article.language, report.language, article.events) == ("ur", "ur", [])


def test_the_report_api_shows_what_was_read_from_the_article(
    client: SigningClient, actors: Actors, store: Store
) -> None:
    first = Article(id="w1", text=STRIKE, published=date(2025, 10, 22), outlet="Wire A")
    reprint = Article(id="w2", text=STRIKE, published=date(2025, 10, 22), outlet="Paper B")
    with store.write(actors["analyst"]) as writer:
        filed = ingest_articles(writer=writer, actor=actors["analyst"], articles=[first, reprint])
    response = client.get(f"/api/v1/reports/{filed[1].report_id}")  # anyone: media is public
    assert response.status_code == 200, response.text
    article = response.json()["article"]
    assert (article["outlet"], article["published"]) == ("Paper B", "2025-10-22")
    assert (article["copy_of_report"], article["copy_kind"]) == (filed[0].report_id, "exact")
    strike = next(e for e in article["events"] if e["type"] == "air_or_drone_strike")
    assert strike["date"] == "2025-10-21" and strike["places"][0]["name"] == "Paktika"
    listed = client.get("/api/v1/reports", headers=actors.headers("analyst")).json()["items"]
    assert sorted(r["article"]["outlet"] for r in listed) == ["Paper B", "Wire A"]
