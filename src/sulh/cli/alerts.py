"""`sulh alerts run|list|export|deliver`."""

from __future__ import annotations

from pathlib import Path

import click

from sulh.cli.context import (
    SYSTEM,
    data_dir_option,
    echo_json,
    handle_errors,
    open_store,
    settings_for,
)
from sulh.outputs.alerts import (
    DeliveryPolicy,
    alerts_for_tier,
    cap_alert,
    deliver_once,
    raise_alerts,
    tiers_from,
)

TIERS = click.Choice(["internal", "joint", "parties", "public"])


@click.group("alerts")
def alerts_group() -> None:
    """Alerts raised by the agreement's rules: raise, list, export as CAP, deliver."""


@alerts_group.command("run")
@data_dir_option
@handle_errors
def run_command(data_dir: Path | None) -> None:
    """Hold the agreement's alert rules against the record now and raise, once each, the
    alerts they find. `sulh tick` does this too, after marking deadlines passed; the server
    does it every SULH_TICK_SECONDS.

    \b
    Example:
        sulh alerts run --data-dir ./sulh-data
    """
    store = open_store(settings_for(data_dir))
    with store.write(SYSTEM) as writer:
        raised = raise_alerts(writer=writer)
        lines = [f"{a.id}\t{a.tier}\t{a.title}" for a in raised]
    click.echo("\n".join(lines) if lines else "No new alert.")


@alerts_group.command("list")
@click.option("--tier", type=TIERS, default="internal", show_default=True, help="Narrowest tier.")
@data_dir_option
@handle_errors
def list_command(tier: str, data_dir: Path | None) -> None:
    """Print the alerts of TIER and wider, oldest first, as JSON.

    \b
    Example:
        sulh alerts list --tier public
    """
    store = open_store(settings_for(data_dir))
    with store.read() as session:
        echo_json([a.model_dump(mode="json") for a in alerts_for_tier(session, tiers_from(tier))])


@alerts_group.command("export")
@click.option(
    "--dir",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the CAP files to (made if missing).",
)
@click.option(
    "--tier",
    type=TIERS,
    default="public",
    show_default=True,
    help="Export alerts of this tier and wider only.",
)
@data_dir_option
@handle_errors
def export_command(folder: Path, tier: str, data_dir: Path | None) -> None:
    """Write each alert of TIER and wider as a CAP 1.2 document, one file per alert
    (sulh-<agreement>-alert-<id>.xml); files already there are written again.

    \b
    Example:
        sulh alerts export --dir ./cap --tier public
    """
    settings = settings_for(data_dir)
    store = open_store(settings)
    with store.read() as session:
        alerts = alerts_for_tier(session, tiers_from(tier))
    folder.mkdir(parents=True, exist_ok=True)
    for alert in alerts:
        path = folder / f"{alert.identifier}.xml"
        path.write_bytes(cap_alert(alert, sender=settings.cap_sender))
    click.echo(f"Wrote {len(alerts)} CAP file(s) to {folder}.")


@alerts_group.command("deliver")
@data_dir_option
@handle_errors
def deliver_command(data_dir: Path | None) -> None:
    """Make one delivery pass to the webhooks: queue new alerts, send those due, record the
    outcome; failures wait (SULH_WEBHOOK_BACKOFF_SECONDS, doubling) for a later pass. The
    server makes these passes itself.

    \b
    Example:
        sulh alerts deliver --data-dir ./sulh-data
    """
    settings = settings_for(data_dir)
    policy = DeliveryPolicy(
        backoff_seconds=settings.webhook_backoff_seconds, attempts=settings.webhook_attempts
    )
    done = deliver_once(store=open_store(settings), policy=policy)
    click.echo(
        f"Delivered: {done.delivered}; to try again later: {done.retrying}; "
        f"given up: {done.failed}."
    )


def register(cli: click.Group) -> None:
    cli.add_command(alerts_group)
