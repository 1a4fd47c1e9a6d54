"""`sulh extract` and `sulh ingest`: reading the news, offline."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import click

from sulh.agreement import load_agreement, shipped_agreement_path
from sulh.cli.context import (
    acting,
    as_option,
    data_dir_option,
    handle_errors,
    open_store,
    settings_for,
)
from sulh.errors import Invalid, SulhError
from sulh.extract.articles import Article, parse_jsonl_line, read_articles
from sulh.extract.ingest import ingest_articles
from sulh.extract.pipeline import extract_article

published_option = click.option(
    "--published",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Publication date (YYYY-MM-DD) for input that does not carry one.",
)


@click.command("extract")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--jsonl",
    "jsonl",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help='Articles, one JSON object per line: {"id", "url", "outlet", "published", "text"}.',
)
@published_option
@click.option(
    "--agreement",
    "agreement_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Agreement whose actors to look for (default: the shipped one).",
)
@handle_errors
def extract_command(
    file: Path | None, jsonl: Path | None, published: datetime | None, agreement_file: Path | None
) -> None:
    """Write each article's events and claims as one JSON line (format: docs/extract.md).

    Reads plain text, HTML, RSS/Atom or JSONL; touches no database. A line that cannot
    be read is named on stderr and skipped, and the exit status is then 1.

    \b
    Example:
        sulh extract --jsonl articles.jsonl > events.jsonl
        sulh extract statement.txt --published 2025-10-19
    """
    if (file is None) == (jsonl is None):
        raise Invalid("Give one FILE or --jsonl FILE.")
    agreement = load_agreement(agreement_file or shipped_agreement_path())
    day = published.date() if published else None
    failed = 0
    for article in _articles(file, jsonl, day):
        if isinstance(article, SulhError):
            click.echo(f"Skipped: {article.message}", err=True)
            failed += 1
            continue
        result = extract_article(article, agreement=agreement)
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    if failed:
        raise SystemExit(1)


def _articles(
    file: Path | None, jsonl: Path | None, published: date | None
) -> Iterator[Article | SulhError]:
    if file is not None:
        yield from read_articles(file, published=published)
        return
    assert jsonl is not None
    with jsonl.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                article = parse_jsonl_line(line, where=f"{jsonl}, line {number}")
            except SulhError as exc:
                yield exc
                continue
            if article.published is None and published is not None:
                article = replace(article, published=published)
            yield article


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@published_option
@data_dir_option
@as_option
@handle_errors
def ingest_command(
    paths: tuple[Path, ...], published: datetime | None, data_dir: Path | None, as_user: str | None
) -> None:
    """File articles and statements as reports, with their events and claims attached.

    PATH may be a text, HTML, RSS/Atom or JSONL file, or a folder of them. Every file is
    read before anything is written: one unreadable file stops the whole ingest. An
    article already ingested is not filed twice; a copy from another outlet is filed and
    marked as a copy of the first.

    \b
    Example:
        sulh ingest news/ --as analyst1
        sulh ingest feed.xml statement.html --published 2025-10-31
    """
    day = published.date() if published else None
    articles = [a for path in _files(paths) for a in read_articles(path, published=day)]
    store = open_store(settings_for(data_dir))
    actor = acting(store, as_user)
    with store.write(actor) as writer:
        results = ingest_articles(writer=writer, actor=actor, articles=articles)
    for result in results:
        if result.outcome == "already":
            click.echo(f"{result.id}: already ingested as report {result.report_id}; skipped.")
        elif result.outcome == "copy":
            click.echo(
                f"{result.id}: report {result.report_id}, a copy of report "
                f"{result.copy_of_report} (similarity {result.similarity:.2f})."
            )
        else:
            click.echo(
                f"{result.id}: report {result.report_id} ({result.language}, "
                f"{result.events} events)."
            )


def _files(paths: tuple[Path, ...]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


def register(cli: click.Group) -> None:
    cli.add_command(extract_command)
    cli.add_command(ingest_command)
