"""`sulh key …`, `sulh checkpoint`, `sulh audit`, `sulh witness`, `sulh verify-receipt`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy import select

from sulh.access.keys import add_user_key, add_witness_key, revoke_key
from sulh.cli.context import SYSTEM, data_dir_option, handle_errors, open_store, settings_for
from sulh.config import Settings
from sulh.errors import Invalid
from sulh.ledger.audit import audit
from sulh.ledger.keys import read_key_file, write_key_file
from sulh.ledger.log import Log
from sulh.ledger.note import COSIGNATURE_V1, ED25519, Signer, Verifier
from sulh.ledger.receipts import verify_receipt
from sulh.ledger.witness import Witness
from sulh.store.tables import Key

log_key_option = click.option(
    "--log-key",
    default=None,
    metavar="VKEY",
    help="The log's verifier key (name+keyid+key) to check signatures against.",
)


def log_verifier(settings: Settings, vkey: str | None) -> Verifier | None:
    if vkey:
        return Verifier.parse(vkey)
    if settings.log_key.is_file():
        return read_key_file(settings.log_key).verifier
    return None


@click.group("key")
def key_group() -> None:
    """Ed25519 keys: generate one, register a user's or a witness's, list, revoke."""


@key_group.command("generate")
@click.argument("name")
@click.option("--cosigner", is_flag=True, help="A witness's cosigning key (type 0x04).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def generate(name: str, cosigner: bool, out: Path) -> None:
    """Make a private key file (mode 600) and print its public verifier key.

    Run it on the machine that will hold the key; give the printed line to the admin.

    \b
    Example:
        sulh key generate witness.pk.sulh --cosigner --out ~/.sulh/witness.key
        sulh key generate liaison.pk --out ~/.sulh/liaison.key
    """
    signer = Signer.generate(name, COSIGNATURE_V1 if cosigner else ED25519)
    try:
        write_key_file(out, signer)
    except FileExistsError:
        raise Invalid(f"{out} already exists; a key file is never overwritten.") from None
    click.echo(signer.verifier.vkey())


@key_group.command("add")
@click.argument("vkey")
@click.option("--user", "username", default=None, help="Register a signing key for this user.")
@click.option("--witness", is_flag=True, help="Register a witness's cosigning key.")
@data_dir_option
@handle_errors
def add(vkey: str, username: str | None, witness: bool, data_dir: Path | None) -> None:
    """Register a public key (as printed by `sulh key generate`).

    \b
    Example:
        sulh key add 'liaison.pk+1a2b3c4d+AX…' --user liaison.pk
        sulh key add 'witness.pk.sulh+5e6f7a8b+BH…' --witness
    """
    if witness == (username is not None):
        raise Invalid("Give either --user USERNAME or --witness.")
    verifier = Verifier.parse(vkey)
    store = open_store(settings_for(data_dir))
    with store.write(SYSTEM) as writer:
        if witness:
            key = add_witness_key(writer=writer, actor=SYSTEM, verifier=verifier)
        else:
            assert username is not None
            key = add_user_key(writer=writer, actor=SYSTEM, username=username, verifier=verifier)
    click.echo(f"Registered key {key.id} for {key.name} ({key.purpose}).")


@key_group.command("list")
@data_dir_option
@handle_errors
def list_keys(data_dir: Path | None) -> None:
    """List registered keys.

    \b
    Example:
        sulh key list
    """
    store = open_store(settings_for(data_dir))
    with store.read() as session:
        for key in session.scalars(select(Key).order_by(Key.id)):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            click.echo(f"{key.id}\t{key.purpose}\t{key.name}\t{key.party or ''}\t{state}")


@key_group.command("revoke")
@click.argument("key_id", type=int)
@data_dir_option
@handle_errors
def revoke(key_id: int, data_dir: Path | None) -> None:
    """Revoke a key; what it signed before stays verifiable in the log.

    \b
    Example:
        sulh key revoke 3
    """
    store = open_store(settings_for(data_dir))
    with store.write(SYSTEM) as writer:
        revoke_key(writer=writer, actor=SYSTEM, key_id=key_id)
    click.echo(f"Revoked key {key_id}.")


@click.command("checkpoint")
@data_dir_option
@handle_errors
def checkpoint(data_dir: Path | None) -> None:
    """Sign a checkpoint of the log as it stands and print it with its cosignatures.

    \b
    Example:
        sulh checkpoint
    """
    settings = settings_for(data_dir)
    if not settings.log_key.is_file():
        raise Invalid(f"There is no log key at {settings.log_key}; run `sulh init` first.")
    log = Log(open_store(settings), read_key_file(settings.log_key))
    latest = log.latest()
    if latest is None:
        raise Invalid("The log is empty: there is nothing to sign.")
    click.echo(log.cosigned_note(latest), nl=False)


@click.command("audit")
@log_key_option
@data_dir_option
@handle_errors
def audit_command(log_key: str | None, data_dir: Path | None) -> None:
    """Recompute the log and check every row against it. Exit 0 only when clean.

    \b
    Example:
        sulh audit
        sulh audit --log-key 'sulh.local/af-pk-2025+0a1b2c3d+AT…'
    """
    settings = settings_for(data_dir)
    report = audit(open_store(settings), log_key=log_verifier(settings, log_key))
    for problem in report.problems:
        click.echo(f"DIVERGENCE: {problem}")
    verdict = "clean" if report.clean else f"{len(report.problems)} divergence(s)"
    click.echo(
        f"Audited {report.entries} entries, {report.checkpoints} checkpoints and "
        f"{report.rows} rows: {verdict}."
    )
    if not report.clean:
        raise SystemExit(1)


@click.command("witness")
@click.option("--log", "log_url", required=True, help="The log's base URL.")
@click.option(
    "--key", "key_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--state", required=True, type=click.Path(file_okay=False, path_type=Path))
@log_key_option
@handle_errors
def witness(log_url: str, key_file: Path, state: Path, log_key: str | None) -> None:
    """Check the log only grew since last time, then cosign its checkpoint.

    Refuses (exit 1) and keeps both checkpoints in STATE/evidence if the log rolled back
    or forked. Without --log-key, the key seen on first contact is pinned in STATE.

    \b
    Example:
        sulh witness --log http://127.0.0.1:8000 --key ~/.sulh/witness.key --state ~/.sulh/w
    """
    signer = read_key_file(key_file)
    if signer.kind != COSIGNATURE_V1:
        raise Invalid("A witness signs with a cosigner key (`sulh key generate --cosigner`).")
    pinned = Verifier.parse(log_key) if log_key else None
    result = Witness(log_url=log_url, signer=signer, state=state, log_key=pinned).run_once()
    click.echo(
        f"Cosigned checkpoint {result.size} as {signer.name}; cosigners now: "
        f"{', '.join(result.response.get('cosigners', []))}."
    )


@click.command("verify-receipt")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@log_key_option
@handle_errors
def verify_receipt_command(file: Path, log_key: str | None) -> None:
    """Check a receipt offline: the log's signature, then the inclusion proof.

    Without --log-key the key inside the receipt is used, which proves consistency but not
    authorship: pin the log's key for that.

    \b
    Example:
        sulh verify-receipt receipt.json --log-key 'sulh.local/af-pk-2025+0a1b2c3d+AT…'
    """
    try:
        receipt = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(f"{file} is not a JSON receipt: {exc}.") from None
    key = Verifier.parse(log_key or str(receipt.get("log_key", "")))
    entry = verify_receipt(receipt, log_key=key)
    click.echo(
        f"Receipt valid: entry {entry['index']} ({entry['type']}, {entry['record']['type']} "
        f"{entry['record']['id']}) is in checkpoint {receipt['size']} signed by {key.name}."
    )


def register(cli: click.Group) -> None:
    for command in (key_group, checkpoint, audit_command, witness, verify_receipt_command):
        cli.add_command(command)
