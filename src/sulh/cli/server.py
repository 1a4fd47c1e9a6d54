"""`sulh init`, `sulh serve`, `sulh demo`."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from sulh.agreement import add_agreement_version, load_agreement, shipped_agreement_path
from sulh.cli.context import SYSTEM, data_dir_option, handle_errors, open_store, settings_for
from sulh.config import Settings
from sulh.ledger.keys import read_key_file, write_key_file
from sulh.ledger.note import Signer
from sulh.store import Store, upgrade

host_option = click.option("--host", default="127.0.0.1", show_default=True)
port_option = click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))


def initialise(settings: Settings, agreement_file: Path | None) -> Store:
    store = open_store(settings)
    upgrade(store.engine)
    agreement = load_agreement(agreement_file or shipped_agreement_path())
    with store.write(SYSTEM) as writer:
        row, created = add_agreement_version(writer=writer, agreement=agreement)
    state = "loaded" if created else "already loaded"
    click.echo(f"Database ready; agreement {row.slug} v{row.version} {state}.")
    if not settings.log_key.exists():
        write_key_file(settings.log_key, Signer.generate(f"sulh.local/{row.slug}"))
        click.echo(f"Created the log key {settings.log_key}.")
    click.echo(f"Log key: {read_key_file(settings.log_key).verifier.vkey()}")
    return store


@click.command("init")
@click.option(
    "--agreement",
    "agreement_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Agreement file to load (default: the shipped af-pk-2025).",
)
@data_dir_option
@handle_errors
def init(agreement_file: Path | None, data_dir: Path | None) -> None:
    """Create or migrate the database and load an agreement.

    \b
    Example:
        sulh init
        SULH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/sulh sulh init
    """
    initialise(settings_for(data_dir), agreement_file)


def run_server(settings: Settings, store: Store, host: str, port: int) -> None:
    import uvicorn

    from sulh.web import create_app

    uvicorn.run(create_app(settings, store=store), host=host, port=port, log_level="info")


@click.command("serve")
@host_option
@port_option
@data_dir_option
@handle_errors
def serve(host: str, port: int, data_dir: Path | None) -> None:
    """Serve the API for an existing database.

    \b
    Example:
        sulh serve --host 127.0.0.1 --port 8000
    """
    settings = settings_for(data_dir)
    run_server(settings, open_store(settings), host, port)


@click.command("demo")
@host_option
@port_option
@data_dir_option
@handle_errors
def demo(host: str, port: int, data_dir: Path | None) -> None:
    """Start a demo: a fresh SQLite record (demo.sqlite3 in the data folder), the shipped
    agreement, demo users and the demo scenario.

    \b
    Example:
        sulh demo --port 8000 --data-dir /tmp/sulh-demo
    """
    from sulh.scenario import play_demo

    folder = settings_for(data_dir).data_dir
    folder.mkdir(parents=True, exist_ok=True)
    database = (folder / "demo.sqlite3").resolve()
    # The demo always starts afresh on SQLite, beside (never over) a real record.
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    settings = Settings.load(data_dir=folder, database_url=f"sqlite:///{database}")
    store = initialise(settings, None)
    keys = folder / "demo-keys"
    shutil.rmtree(keys, ignore_errors=True)
    passwords = play_demo(store, keys=keys)
    click.echo("Demo users (passwords shown once):")
    for username, (role, password) in passwords.items():
        click.echo(f"  {username:<14} {role:<10} {password}")
    click.echo(f"Liaisons' and monitors' signing keys, to choose in the browser: {keys.resolve()}")
    click.echo(f"Serving on http://{host}:{port}/ (API at /api/v1, its documentation at /api/docs)")
    run_server(settings, store, host, port)


def register(cli: click.Group) -> None:
    for command in (init, serve, demo):
        cli.add_command(command)
