"""`sulh export`: incidents as CSV, GeoJSON or HXL on standard output."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from sulh.access.roles import TIER_ORDER, reader_of_tier
from sulh.cli.context import data_dir_option, handle_errors, open_store, settings_for
from sulh.errors import Invalid
from sulh.ledger.keys import read_key_file
from sulh.ledger.log import Log
from sulh.outputs.exports import FORMATS, check_period, export_incidents

_day = click.DateTime(formats=["%Y-%m-%d"])


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    required=True,
    help="csv (ACLED's columns), geojson (RFC 7946) or hxl (HXL-tagged CSV).",
)
@click.option(
    "--tier",
    type=click.Choice([str(t) for t in TIER_ORDER]),
    default="public",
    show_default=True,
    help="Export what a reader of this tier may see.",
)
@click.option("--from", "first", type=_day, default=None, help="First day (YYYY-MM-DD).")
@click.option("--to", "last", type=_day, default=None, help="Last day (YYYY-MM-DD).")
@click.option(
    "--cut",
    "cut_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Also write the cut (log size and signed checkpoint) to this file as JSON.",
)
@data_dir_option
@handle_errors
def export_command(
    fmt: str,
    tier: str,
    first: datetime | None,
    last: datetime | None,
    cut_file: Path | None,
    data_dir: Path | None,
) -> None:
    """Write the incidents a reader of TIER may see, whose days meet the period, to
    standard output, streamed from one read of the record (docs/exports.md).

    The CSV keeps to ACLED's shape, so its cut goes to --cut; the GeoJSON and HXL files
    also carry it inside.

    \b
    Example:
        sulh export --format csv --tier public --cut cut.json > incidents.csv
        sulh export --format geojson --from 2025-10-19 --to 2025-10-31 > incidents.geojson
    """
    start, end = (value.date() if value else None for value in (first, last))
    check_period(start, end)
    reader = reader_of_tier(tier)
    settings = settings_for(data_dir)
    if not settings.log_key.is_file():
        raise Invalid(f"There is no log key at {settings.log_key}; run `sulh init` first.")
    store = open_store(settings)
    log = Log(store, read_key_file(settings.log_key))
    with store.snapshot() as session:
        export = export_incidents(
            session=session, log=log, reader=reader, format=fmt, first=start, last=end
        )
        if cut_file is not None:
            cut = json.dumps(export.cut.as_dict(), indent=2, ensure_ascii=False)
            cut_file.write_text(cut + "\n", encoding="utf-8")
        for chunk in export.chunks:
            click.echo(chunk.encode("utf-8"), nl=False)  # bytes: UTF-8 whatever the locale


def register(cli: click.Group) -> None:
    cli.add_command(export_command)
