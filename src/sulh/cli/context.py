"""What every command shares: settings, the store, the acting user, error handling."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import BaseModel, ValidationError

from sulh.access import Principal, principal_of, user_by_name
from sulh.access.roles import Role
from sulh.config import Settings
from sulh.errors import SulhError
from sulh.store import Store, make_engine

F = TypeVar("F", bound=Callable[..., Any])

SYSTEM = Principal(user_id=None, username="system", role=Role.admin)

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder (default: $SULH_DATA_DIR or ./sulh-data).",
)
as_option = click.option(
    "--as",
    "as_user",
    default=None,
    metavar="USER",
    help="Act as this user (default: the operator, role admin).",
)


def settings_for(data_dir: Path | None) -> Settings:
    return Settings.load(data_dir=data_dir)


def open_store(settings: Settings) -> Store:
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(make_engine(settings.database_url))
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(store.engine.dispose)
    return store


def acting(store: Store, username: str | None) -> Principal:
    if username is None:
        return SYSTEM
    with store.read() as session:
        return principal_of(user_by_name(session=session, username=username))


def echo_json(value: Any) -> None:
    if isinstance(value, BaseModel):
        click.echo(value.model_dump_json(indent=2))
    else:
        click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def handle_errors(command: F) -> F:
    """Turn Sulh's errors into one line on stderr (details below it) and exit 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SulhError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            for item in exc.details if isinstance(exc.details, list) else []:
                click.echo("  " + _detail_line(item), err=True)
            raise SystemExit(1) from None
        except ValidationError as exc:
            click.echo(f"Error: {exc.error_count()} problem(s) in the input.", err=True)
            for error in exc.errors():
                field = ".".join(str(p) for p in error["loc"]) or "(input)"
                click.echo(f"  {field}: {error['msg']}", err=True)
            raise SystemExit(1) from None

    return wrapper  # type: ignore[return-value]


def _detail_line(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    where = ":".join(str(item[k]) for k in ("file", "line") if item.get(k) is not None)
    field = item.get("field")
    prefix = " ".join(part for part in (where, field and f"{field}:") if part)
    return f"{prefix} {item.get('message', '')}".strip()
