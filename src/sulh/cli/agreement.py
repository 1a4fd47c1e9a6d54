"""`sulh agreement …`: validate, load and show agreement files."""

from __future__ import annotations

from pathlib import Path

import click

from sulh.agreement import Agreement, add_agreement_version, current_agreement, load_agreement
from sulh.cli.context import SYSTEM, data_dir_option, handle_errors, open_store, settings_for


def summary(agreement: Agreement) -> str:
    lines = [
        f"{agreement.id} v{agreement.version}: {agreement.title}",
        f"  in effect from {agreement.effective.isoformat()}",
        f"  parties: {', '.join(p.id + ' (' + p.name + ')' for p in agreement.parties)}",
        f"  guarantors: {', '.join(g.id + ' (' + g.name + ')' for g in agreement.guarantors)}",
        f"  {len(agreement.actors)} actors, {len(agreement.clauses)} clauses "
        f"({', '.join(agreement.clause_ids())}), {len(agreement.zones)} zones, "
        f"{len(agreement.commitments)} commitments",
        f"  reply window {agreement.reply_window_hours} h, appeal window "
        f"{agreement.appeal_window_hours} h, decisions by {agreement.decision.rule} "
        f"(quorum {agreement.decision.quorum})",
        f"  penalty ladder ({agreement.penalty_ladder.status}): "
        f"{len(agreement.penalty_ladder.steps)} steps",
    ]
    return "\n".join(lines)


@click.group("agreement")
def group() -> None:
    """Agreement files: validate, load a new version, show the one in force."""


@group.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def validate(file: Path) -> None:
    """Check an agreement file and print a short summary.

    Exits 1 with every problem, each naming the file, line and field.

    \b
    Example:
        sulh agreement validate agreements/af-pk-2025.yaml
    """
    click.echo(summary(load_agreement(file)))


@group.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@data_dir_option
@handle_errors
def load(file: Path, data_dir: Path | None) -> None:
    """Load an amended agreement as a new version.

    \b
    Example:
        sulh agreement load agreements/af-pk-2025-v2.yaml
    """
    agreement = load_agreement(file)
    store = open_store(settings_for(data_dir))
    with store.write(SYSTEM) as writer:
        row, created = add_agreement_version(writer=writer, agreement=agreement)
    state = "loaded as a new version" if created else "already loaded, unchanged"
    click.echo(f"{row.slug} v{row.version} {state} (sha256 {row.sha256[:16]}…).")


@group.command("show")
@data_dir_option
@handle_errors
def show(data_dir: Path | None) -> None:
    """Summarise the agreement version in force.

    \b
    Example:
        sulh agreement show
    """
    store = open_store(settings_for(data_dir))
    with store.read() as session:
        _, agreement = current_agreement(session)
    click.echo(summary(agreement))


def register(cli: click.Group) -> None:
    cli.add_command(group)
