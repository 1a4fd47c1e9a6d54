"""The store: migrations match the tables, and the settings resolve as documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy.engine import Engine

from sulh.config import Settings
from sulh.errors import Invalid
from sulh.store.migrate import alembic_config


def test_migrations_match_the_tables(engine: Engine) -> None:
    """Autogenerate finds nothing to add: the migrations build exactly what tables.py says."""
    command.check(alembic_config(engine))


def test_settings_default_to_sqlite_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings.load(environ={"SULH_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{(tmp_path / 'sulh.sqlite3').resolve()}"
    assert "secret" not in repr(
        Settings.load(environ={"SULH_DATABASE_URL": "postgresql+psycopg://sulh:secret@db/sulh"})
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("SULH_PAGE_SIZE", "many"), ("SULH_ENV", "staging"), ("SULH_MAX_BODY_BYTES", "-5")],
)
def test_bad_settings_are_named(name: str, value: str) -> None:
    with pytest.raises(Invalid, match=name if name != "SULH_ENV" else "SULH_ENV"):
        Settings.load(environ={name: value})
