"""`sulh scorecard` and `sulh tick`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from sulh.agreement import current_agreement
from sulh.cli.context import (
    SYSTEM,
    data_dir_option,
    echo_json,
    handle_errors,
    open_store,
    settings_for,
)
from sulh.outputs.alerts import clock_step
from sulh.penalties import scorecards

_day = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z"])


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


@click.command("scorecard")
@click.option("--party", default=None, help="One party's id; all parties when left out.")
@click.option("--from", "first", type=_day, default=None, help="Start (YYYY-MM-DD, UTC).")
@click.option("--to", "last", type=_day, default=None, help="End, exclusive (default now).")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@data_dir_option
@handle_errors
def scorecard_command(
    party: str | None,
    first: datetime | None,
    last: datetime | None,
    fmt: str,
    data_dir: Path | None,
) -> None:
    """Print each party's scorecard for a period (default the last 30 days): complaints
    filed and faced, violations by grade and clause, replies in time, access denials,
    measures imposed and complied with, commitments met. One JSON object per party.

    \b
    Example:
        sulh scorecard --party PK --from 2025-10-19 --to 2025-11-19 --format json
    """
    store = open_store(settings_for(data_dir))
    end = _aware(last) or store.clock()
    start = _aware(first) or end - timedelta(days=30)
    with store.read() as session:
        agreement = current_agreement(session)[1]
        echo_json(scorecards(session, agreement, start=start, end=end, party=party))


@click.command("tick")
@data_dir_option
@handle_errors
def tick_command(data_dir: Path | None) -> None:
    """Run the clock-driven step once: mark measures and agreed commitments whose deadline
    has passed as overdue, propose the escalations the ladder calls for, and raise the
    alerts the agreement's rules find (`sulh alerts run`). Running it again at once changes
    nothing. `sulh serve` runs it every SULH_TICK_SECONDS.

    \b
    Example:
        sulh tick --data-dir ./sulh-data
    """
    store = open_store(settings_for(data_dir))
    with store.write(SYSTEM) as writer:
        done, alerts = clock_step(writer=writer)
    click.echo(
        f"Overdue measures: {done.overdue_measures or 'none'}; escalations proposed: "
        f"{done.escalations or 'none'}; overdue commitments: {done.overdue_commitments or 'none'}; "
        f"alerts raised: {len(alerts)}."
    )


def register(cli: click.Group) -> None:
    cli.add_command(scorecard_command)
    cli.add_command(tick_command)
