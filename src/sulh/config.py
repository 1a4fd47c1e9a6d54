"""Settings: one table of name, default and help, read from the environment and `.env`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
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
    Setting(
        "SULH_LOCKER_DIR",
        "",
        "Folder of the evidence locker, where files are kept by their SHA-256; empty means "
        "locker/ in the data folder.",
    ),
    Setting(
        "SULH_EVIDENCE_STORE",
        "",
        "Where evidence files are kept: empty means on disk in SULH_LOCKER_DIR; "
        "s3://bucket/prefix means S3-compatible object storage (needs the s3 extra; "
        "credentials as boto3 finds them, e.g. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).",
    ),
    Setting(
        "SULH_S3_ENDPOINT_URL",
        "",
        "Address of an S3-compatible store (MinIO, Ceph…) for SULH_EVIDENCE_STORE; "
        "empty means AWS.",
    ),
    Setting(
        "SULH_MAX_EVIDENCE_BYTES",
        "209715200",
        "Largest evidence file accepted, in bytes (200 MiB); also what one upload may carry.",
    ),
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
        "SULH_TICK_SECONDS",
        "60",
        "How often the server runs the clock-driven step (`sulh tick`): deadlines passed, "
        "measures overdue, escalations proposed.",
    ),
    Setting(
        "SULH_SITREP_CUTOFF",
        "24:00",
        "When the mechanism's day ends, HH:MM in SULH_SITREP_ZONE: the daily situation report "
        "dated D covers the 24 hours up to this time on D (24:00 means all of D).",
    ),
    Setting(
        "SULH_SITREP_ZONE",
        "UTC",
        "Time zone of the situation reports' days and cut-off, e.g. Asia/Karachi or Asia/Kabul.",
    ),
    Setting(
        "SULH_CAP_SENDER",
        "",
        "The sender of the CAP 1.2 alerts Sulh writes (CAP <sender>), e.g. "
        "alerts@mechanism.example.org; empty means sulh:<agreement id>.",
    ),
    Setting(
        "SULH_WEBHOOK_BACKOFF_SECONDS",
        "30",
        "Seconds before a failed webhook delivery is tried again; the wait doubles after each "
        "failure (up to 6 hours). Decimals are allowed.",
    ),
    Setting(
        "SULH_WEBHOOK_ATTEMPTS",
        "10",
        "Tries of one alert to one webhook before the delivery is marked failed.",
    ),
    Setting(
        "SULH_SECRET_KEY",
        "",
        "Secret for the web interface's CSRF tokens (32+ characters). Empty means a random "
        "one per process, which development allows and production refuses.",
    ),
    Setting(
        "SULH_SECURE_COOKIES",
        "true",
        "Mark the web interface's cookies Secure (browsers still send them to localhost over "
        "plain HTTP). Set false only behind a proxy that cannot serve HTTPS.",
    ),
    Setting(
        "SULH_MAP_TILES",
        "",
        "Tile URL template for the map's background, e.g. https://tiles.example/{z}/{x}/{y}.png; "
        "empty means the map draws only the boundaries Sulh ships, with no tile server.",
    ),
    Setting("SULH_MAP_ATTRIBUTION", "", "Attribution shown with the configured map tiles."),
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
    locker_dir: Path = Path("sulh-data/locker")
    max_evidence_bytes: int = 200 * 1024 * 1024
    evidence_store: str = ""
    s3_endpoint_url: str = ""
    tick_seconds: int = 60
    sitrep_cutoff: str = "24:00"
    sitrep_zone: str = "UTC"
    cap_sender: str = ""
    webhook_backoff_seconds: float = 30.0
    webhook_attempts: int = 10
    secret_key: str = field(default="", repr=False)
    secure_cookies: bool = True
    map_tiles: str = ""
    map_attribution: str = ""

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
            locker_dir=Path(values["SULH_LOCKER_DIR"] or data_dir / "locker"),
            max_evidence_bytes=_integer(values, "SULH_MAX_EVIDENCE_BYTES"),
            evidence_store=values["SULH_EVIDENCE_STORE"],
            s3_endpoint_url=values["SULH_S3_ENDPOINT_URL"],
            tick_seconds=_integer(values, "SULH_TICK_SECONDS"),
            sitrep_cutoff=values["SULH_SITREP_CUTOFF"],
            sitrep_zone=values["SULH_SITREP_ZONE"],
            cap_sender=values["SULH_CAP_SENDER"],
            webhook_backoff_seconds=_seconds(values, "SULH_WEBHOOK_BACKOFF_SECONDS"),
            webhook_attempts=_integer(values, "SULH_WEBHOOK_ATTEMPTS"),
            secret_key=values["SULH_SECRET_KEY"],
            secure_cookies=_boolean(values, "SULH_SECURE_COOKIES"),
            map_tiles=values["SULH_MAP_TILES"],
            map_attribution=values["SULH_MAP_ATTRIBUTION"],
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
        _check_secret(settings)
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


def _seconds(values: dict[str, str], name: str) -> float:
    try:
        number = float(values[name])
    except ValueError:
        raise Invalid(
            f"Setting {name!r} must be a number of seconds, not {values[name]!r}."
        ) from None
    if not 0 < number < 86400:
        raise Invalid(f"Setting {name!r} must be more than 0 and less than a day, not {number}.")
    return number


def _boolean(values: dict[str, str], name: str) -> bool:
    value = values[name].strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise Invalid(f"Setting {name!r} must be true or false, not {values[name]!r}.")
    return value in ("true", "1", "yes")


def _check_secret(settings: Settings) -> None:
    if settings.secret_key and len(settings.secret_key) < 32:
        raise Invalid("Setting 'SULH_SECRET_KEY' must be at least 32 characters long.")
    if settings.env == "production" and not settings.secret_key:
        raise Invalid(
            "Setting 'SULH_SECRET_KEY' is required in production: every server process "
            "must share one secret."
        )
