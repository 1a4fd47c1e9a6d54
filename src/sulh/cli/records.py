"""`sulh report …`, `sulh import`, `sulh case …`: the record from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sulh.cli.context import (
    acting,
    as_option,
    data_dir_option,
    echo_json,
    handle_errors,
    open_store,
    settings_for,
)
from sulh.errors import Invalid, TooLarge
from sulh.intake import ReportCreate, file_report, import_reports
from sulh.store import queries

MAX_REPORT_FILE = 1024 * 1024


@click.group("report")
def report_group() -> None:
    """File and list reports."""


@report_group.command("file")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_dir_option
@as_option
@handle_errors
def file_command(file: Path, data_dir: Path | None, as_user: str | None) -> None:
    """File one report from a JSON file and print it as stored.

    \b
    Example:
        sulh report file complaint.json --as liaison.pk
    """
    if file.stat().st_size > MAX_REPORT_FILE:
        raise TooLarge(f"{file} is larger than the 1 MiB a report may be.")
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise Invalid(f"{file} is not valid JSON: {exc}.") from None
    data = ReportCreate.model_validate(raw)
    store = open_store(settings_for(data_dir))
    actor = acting(store, as_user)
    with store.write(actor) as writer:
        report = file_report(writer=writer, actor=actor, data=data)
        echo_json(queries.describe_report(writer.session, actor, report))


@report_group.command("list")
@data_dir_option
@as_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@handle_errors
def list_command(data_dir: Path | None, as_user: str | None, limit: int) -> None:
    """List the newest reports visible to the acting user.

    \b
    Example:
        sulh report list --limit 5
    """
    store = open_store(settings_for(data_dir))
    actor = acting(store, as_user)
    with store.read() as session:
        page = queries.list_reports(session, actor, limit=limit)
    for item in page.items:
        click.echo(
            f"{item.id}\t{item.kind}\t{item.event_time:%Y-%m-%d}\t{item.event_type}\t"
            f"{(item.place.name if item.place else '') or ''}"
        )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_dir_option
@as_option
@handle_errors
def import_command(file: Path, data_dir: Path | None, as_user: str | None) -> None:
    """Import reports from a JSONL file: all of them, or none.

    Every bad line is listed with its number, and nothing is written.

    \b
    Example:
        sulh import reports.jsonl --as analyst1
    """
    store = open_store(settings_for(data_dir))
    actor = acting(store, as_user)
    with file.open(encoding="utf-8", errors="strict") as lines, store.write(actor) as writer:
        try:
            reports = import_reports(writer=writer, actor=actor, lines=lines)
        except UnicodeDecodeError as exc:
            raise Invalid(f"{file} is not UTF-8 text (byte {exc.start}).") from None
        first, last = reports[0].id, reports[-1].id
    click.echo(f"Imported {len(reports)} reports (ids {first}–{last}).")


@click.group("case")
def case_group() -> None:
    """Follow verification cases."""


@case_group.command("overdue")
@data_dir_option
@as_option
@handle_errors
def overdue_command(data_dir: Path | None, as_user: str | None) -> None:
    """List cases whose accused party did not reply within the window.

    \b
    Example:
        sulh case overdue
    """
    store = open_store(settings_for(data_dir))
    actor = acting(store, as_user)
    now = store.clock()
    cursor = None
    with store.read() as session:
        while True:
            page = queries.list_overdue_replies(session, actor, now=now, cursor=cursor, limit=500)
            for case in page.items:
                due = case.reply_due_at.isoformat() if case.reply_due_at else "-"
                click.echo(f"case {case.id}\t{case.state}\treply was due {due}")
            if page.next_cursor is None:
                break
            cursor = page.next_cursor


def register(cli: click.Group) -> None:
    cli.add_command(report_group)
    cli.add_command(import_command)
    cli.add_command(case_group)
