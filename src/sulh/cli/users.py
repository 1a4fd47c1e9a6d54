"""`sulh user …`: accounts, roles and API tokens."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import select

from sulh.access import Role, add_user, issue_token, new_password, user_by_name
from sulh.cli.context import SYSTEM, data_dir_option, handle_errors, open_store, settings_for
from sulh.store.tables import User


@click.group("user")
def group() -> None:
    """Users, roles and API tokens."""


@group.command("add")
@click.argument("username")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role if r is not Role.public])
)
@click.option("--party", default=None, help="The party a liaison acts for (e.g. PK, AF).")
@click.option("--display-name", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@data_dir_option
@handle_errors
def add(
    username: str,
    role: str,
    party: str | None,
    display_name: str | None,
    password_stdin: bool,
    data_dir: Path | None,
) -> None:
    """Create a user. Without --password-stdin a password is generated and printed once.

    \b
    Example:
        sulh user add liaison.pk --role liaison --party PK
        echo 'a long passphrase' | sulh user add envoy.qa --role guarantor --password-stdin
    """
    password = sys.stdin.readline().rstrip("\n") if password_stdin else new_password()
    store = open_store(settings_for(data_dir))
    with store.write(SYSTEM) as writer:
        add_user(
            writer=writer,
            username=username,
            role=Role(role),
            party=party,
            display_name=display_name,
            password=password,
        )
    click.echo(f"Created {role} {username!r}" + (f" for {party}" if party else "") + ".")
    if not password_stdin:
        click.echo(f"Password (shown once): {password}")


@group.command("token")
@click.argument("username")
@data_dir_option
@handle_errors
def token(username: str, data_dir: Path | None) -> None:
    """Issue an API token for a user and print it (only its hash is kept).

    \b
    Example:
        sulh user token analyst1
    """
    settings = settings_for(data_dir)
    store = open_store(settings)
    with store.write(SYSTEM) as writer:
        user = user_by_name(session=writer.session, username=username)
        click.echo(issue_token(writer=writer, user=user, days=settings.token_days))


@group.command("list")
@data_dir_option
@handle_errors
def list_users(data_dir: Path | None) -> None:
    """List users with their roles and parties.

    \b
    Example:
        sulh user list
    """
    store = open_store(settings_for(data_dir))
    with store.read() as session:
        for user in session.scalars(select(User).order_by(User.id)):
            click.echo(f"{user.username}\t{user.role}\t{user.party or ''}")


def register(cli: click.Group) -> None:
    cli.add_command(group)
