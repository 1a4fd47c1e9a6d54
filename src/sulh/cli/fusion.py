"""`sulh timeline`: the consolidated timeline of incidents."""

from __future__ import annotations

from datetime import date, datetime
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
from sulh.fusion.timeline import timeline

_day = click.DateTime(formats=["%Y-%m-%d"])


@click.command("timeline")
@click.option("--from", "first", type=_day, default=None, help="First day (YYYY-MM-DD).")
@click.option("--to", "last", type=_day, default=None, help="Last day (YYYY-MM-DD).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl"]),
    default="json",
    show_default=True,
    help="One JSON list, or one JSON object per line.",
)
@data_dir_option
@as_option
@handle_errors
def timeline_command(
    first: datetime | None,
    last: datetime | None,
    fmt: str,
    data_dir: Path | None,
    as_user: str | None,
) -> None:
    """Print one row per incident whose days meet the period, earliest first.

    Each row: incident, date (ISO day or interval), type, places, actors, confidence, the
    reconciled casualties and the reports it rests on (docs/grading.md).

    \b
    Example:
        sulh timeline --from 2025-10-09 --to 2025-10-31 --format json
    """
    store = open_store(settings_for(data_dir))
    reader = acting(store, as_user)
    with store.read() as session:
        rows = timeline(session, reader, first=_date(first), last=_date(last))
    if fmt == "jsonl":
        for row in rows:
            echo_json_line(row)
    else:
        echo_json(rows)


def _date(value: datetime | None) -> date | None:
    return value.date() if value else None


def echo_json_line(row: object) -> None:
    import json

    click.echo(json.dumps(row, ensure_ascii=False, default=str))


def register(cli: click.Group) -> None:
    cli.add_command(timeline_command)
