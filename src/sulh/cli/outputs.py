"""`sulh sitrep`, `sulh verify-sitrep`: situation reports from the command line."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from sulh.access.roles import TIER_ORDER, reader_of_tier
from sulh.agreement import current_agreement
from sulh.cli.context import data_dir_option, handle_errors, open_store, settings_for
from sulh.cli.ledger import log_key_option, log_verifier
from sulh.errors import Invalid
from sulh.ledger.keys import read_key_file
from sulh.ledger.log import Log
from sulh.outputs.signed import verify_output
from sulh.outputs.sitrep_render import FORMATS, read_signed
from sulh.outputs.sitreps import Schedule, make_sitrep

KINDS = ("daily", "weekly", "monthly", "spot")


@click.command("sitrep")
@click.option("--period", "kind", type=click.Choice(KINDS), default="daily", show_default=True)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the report is dated (YYYY-MM-DD); weekly: the week ending then; "
    "monthly: that day's month.",
)
@click.option(
    "--incident", "incident_id", type=int, default=None, help="Spot report: the incident."
)
@click.option(
    "--tier",
    type=click.Choice([str(t) for t in TIER_ORDER]),
    default="public",
    show_default=True,
    help="Who the report is for: it shows only what this tier may read.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@data_dir_option
@handle_errors
def sitrep_command(
    kind: str,
    day: datetime | None,
    incident_id: int | None,
    tier: str,
    fmt: str,
    out: Path | None,
    data_dir: Path | None,
) -> None:
    """Write a situation report, signed with the log's key.

    The daily report dated D covers the 24 hours up to SULH_SITREP_CUTOFF on D in
    SULH_SITREP_ZONE; weekly, the 7 days up to then; monthly, D's calendar month; spot,
    the day of one incident. Each counts incidents by accused party, type, clause and area
    against the period before, and lists findings, penalties, commitments due, crossings and
    access denials, as the tier may see them.

    \b
    Example:
        sulh sitrep --period daily --date 2025-10-20 --tier public --format pdf --out day.pdf
        sulh sitrep --period spot --incident 3 --tier joint --format md
    """
    settings = settings_for(data_dir)
    store = open_store(settings)
    signer = read_key_file(settings.log_key) if settings.log_key.is_file() else None
    with store.read() as session:
        agreement = current_agreement(session)[1]
    content = make_sitrep(
        log=Log(store, signer),
        agreement=agreement,
        reader=reader_of_tier(tier),
        kind=kind,
        fmt=fmt,
        schedule=Schedule.of(settings),
        day=day.date() if day else None,
        incident_id=incident_id,
    )
    if out is not None:
        out.write_bytes(content)
        click.echo(f"Wrote {out} ({len(content)} bytes).", err=True)
    else:
        sys.stdout.buffer.write(content)


@click.command("verify-sitrep")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@log_key_option
@data_dir_option
@handle_errors
def verify_sitrep_command(file: Path, log_key: str | None, data_dir: Path | None) -> None:
    """Check a situation report (HTML, Markdown or PDF): its signature by the log's key,
    that its numbers are the ones signed, and the checkpoint it was cut from.

    Without --log-key, the key of the log in the data folder is used.

    \b
    Example:
        sulh verify-sitrep day.pdf --log-key 'sulh.local/af-pk-2025+0a1b2c3d+AT…'
    """
    verifier = log_verifier(settings_for(data_dir), log_key)
    if verifier is None:
        raise Invalid("Give the log's verifier key with --log-key: no log key is here.")
    data, note = read_signed(file.read_bytes())
    checked = verify_output(data=data, note=note, verifier=verifier)
    within = (
        f"within checkpoint {checked.checkpoint_size}"
        if checked.checkpoint_size is not None
        else "cited by no checkpoint yet"
    )
    click.echo(
        f"Report valid: {checked.kind}, tier {data.get('tier')}, signed by {verifier.name}; "
        f"its numbers come from the first {checked.log_size} log entries, {within}."
    )


def register(cli: click.Group) -> None:
    cli.add_command(sitrep_command)
    cli.add_command(verify_sitrep_command)
