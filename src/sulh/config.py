"""Settings: one table of name, default and help, read from the environment and `.env`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sulh.errors import Invalid


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SULH_DATA_DIR", "./sulh-data", "Folder for the SQLite database and other local data."),
    Setting(
        "SULH_DATABASE_URL",
        "",
        "SQLAlchemy URL of the database; empty means a SQLite file in the data folder. "
        "Use postgresql+psycopg://user@host/db for PostgreSQL.",
    ),
    Setting("SULH_ENV", "development", "development or production."),
    Setting("SULH_MAX_BODY_BYTES", "1048576", "Largest request body the API accepts, in bytes."),
    Setting("SULH_PAGE_SIZE", "50", "Default number of items on one page of a list."),
    Setting("SULH_TOKEN_DAYS", "30", "Days an API token stays valid after login."),
    Setting(
        "SULH_FUSION",
        "background",
        "When the server fuses a filed report: background (queued, fused moments later by a "
        "worker thread, so filing stays fast) or inline (in the filing transaction). The "
        "command line always fuses inline.",
    ),
    Setting(
        "SULH_LOG_KEY",
        "",
        "The log's private key file; empty means keys/log.key in the data folder. "
        "`sulh init` creates it when missing.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _read_dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


@dataclass(frozen=True)
class Settings:
    """The settings in force, resolved once and passed explicitly."""

    data_dir: Path
    database_url: str
    env: str
    max_body_bytes: int
    page_size: int
    token_days: int
    log_key: Path
    fusion: str = "background"

    @classmethod
    def load(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from `.env`, then the environment, then keyword overrides."""
        values = {s.name: s.default for s in SETTINGS}
        values.update(_read_dotenv(Path(".env")))
        env = os.environ if environ is None else environ
        values.update({k: v for k, v in env.items() if k in _BY_NAME})
        data_dir = Path(overrides.pop("data_dir", None) or values["SULH_DATA_DIR"])
        database_url = overrides.pop("database_url", None) or values["SULH_DATABASE_URL"]
        if not database_url:
            database_url = f"sqlite:///{(data_dir / 'sulh.sqlite3').resolve()}"
        settings = cls(
            data_dir=data_dir,
            database_url=database_url,
            env=values["SULH_ENV"],
            max_body_bytes=_integer(values, "SULH_MAX_BODY_BYTES"),
            page_size=_integer(values, "SULH_PAGE_SIZE"),
            token_days=_integer(values, "SULH_TOKEN_DAYS"),
            log_key=Path(values["SULH_LOG_KEY"] or data_dir / "keys" / "log.key"),
            fusion=values["SULH_FUSION"],
        )
        for key, value in overrides.items():
            object.__setattr__(settings, key, value)
        if settings.fusion not in ("background", "inline"):
            raise Invalid(
                f"Setting 'SULH_FUSION' must be background or inline, not {settings.fusion!r}."
            )
        if settings.env not in ("development", "production"):
            raise Invalid(
                f"Setting 'SULH_ENV' must be development or production, not {settings.env!r}."
            )
        return settings

    def __repr__(self) -> str:
        # The URL may carry a password: never show it.
        return f"Settings(data_dir={str(self.data_dir)!r}, env={self.env!r})"


def _integer(values: dict[str, str], name: str) -> int:
    try:
        number = int(values[name])
    except ValueError:
        raise Invalid(f"Setting {name!r} must be a whole number, not {values[name]!r}.") from None
    if number <= 0:
        raise Invalid(f"Setting {name!r} must be positive, not {number}.")
    return number
