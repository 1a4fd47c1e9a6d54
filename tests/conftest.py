"""Fixtures: a fresh record per test, on SQLite and (when reachable) PostgreSQL."""

from __future__ import annotations

import base64
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from sulh.access import Principal, Role, add_user, issue_token, principal_of
from sulh.access.keys import add_user_key
from sulh.agreement import add_agreement_version, load_agreement, shipped_agreement_path
from sulh.canonical import canonical_json
from sulh.cli.context import SYSTEM
from sulh.config import Settings
from sulh.ledger.keys import write_key_file
from sulh.ledger.note import Signer
from sulh.store import Store, make_engine, upgrade
from sulh.store.tables import Base
from sulh.web import create_app
from tests.browser import CHROMIUM, DESKTOP, PHONE, LiveDemo, launch_chromium, start_live_demo

PG_URL = os.environ.get(
    "SULH_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = Path(__file__).with_name("data")
PASSWORD = "correct horse battery"


@dataclass
class Clock:
    """A clock the test moves by hand: deadlines pass when the test says so."""

    now: datetime = field(default_factory=lambda: datetime(2025, 11, 2, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _postgres_reachable() -> bool:
    try:
        engine = create_engine(PG_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Real argon2, at the lowest cost: tests create many users and need no brute-force margin."""
    from argon2 import PasswordHasher

    import sulh.access.users as users

    production = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    users._hasher = production


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "sulh.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    if not _postgres_reachable():
        if os.environ.get("SULH_TEST_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required but not reachable at {PG_URL}")
        pytest.skip("PostgreSQL is not reachable")
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    names = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name != "log_head")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.execute(text("UPDATE log_head SET size = 0"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        path = tmp_path / "sulh.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        sqlite_engine = make_engine(f"sqlite:///{path}")
        yield sqlite_engine
        sqlite_engine.dispose()
    else:
        pg = request.getfixturevalue("postgres_engine")
        _truncate(pg)
        yield pg


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(engine: Engine, clock: Clock) -> Store:
    """A migrated record with the shipped agreement loaded."""
    record = Store(engine, clock=clock)
    with record.write(SYSTEM) as writer:
        add_agreement_version(writer=writer, agreement=load_agreement(shipped_agreement_path()))
    return record


ROLE_USERS: dict[str, tuple[Role, str | None]] = {
    "admin": (Role.admin, None),
    "analyst": (Role.analyst, None),
    "monitor": (Role.monitor, None),
    "guarantor": (Role.guarantor, "QA"),
    "guarantor2": (Role.guarantor, "TR"),
    "observer": (Role.observer, None),
    "liaison_pk": (Role.liaison, "PK"),
    "liaison_af": (Role.liaison, "AF"),
}


SIGNERS = ("liaison_pk", "liaison_af", "monitor")


@dataclass
class Actors:
    principals: dict[str, Principal]
    tokens: dict[str, str]
    signers: dict[str, Signer] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Principal:
        return self.principals[name]

    def headers(self, name: str) -> dict[str, str]:
        if name == "public":
            return {}
        return {"Authorization": f"Bearer {self.tokens[name]}"}


@pytest.fixture
def actors(store: Store) -> Actors:
    """One user of every role, with an API token each."""
    principals: dict[str, Principal] = {}
    tokens: dict[str, str] = {}
    signers: dict[str, Signer] = {}
    with store.write(SYSTEM) as writer:
        for name, (role, party) in ROLE_USERS.items():
            user = add_user(
                writer=writer,
                username=name.replace("_", "."),
                role=role,
                party=party,
                password=PASSWORD,
            )
            principals[name] = principal_of(user)
            tokens[name] = issue_token(writer=writer, user=user, days=30)
            if name in SIGNERS:
                signers[name] = Signer.generate(user.username)
                add_user_key(
                    writer=writer,
                    actor=SYSTEM,
                    username=user.username,
                    verifier=signers[name].verifier,
                )
    return Actors(principals, tokens, signers)


def sign_body(signer: Signer, body: dict[str, Any], now: datetime) -> tuple[dict[str, Any], str]:
    """Add a fresh nonce and the signing time, and sign the canonical JSON."""
    body = {**body, "nonce": secrets.token_hex(16), "signed_at": now.isoformat()}
    return body, base64.b64encode(signer.private.sign(canonical_json(body))).decode()


class SigningClient(TestClient):
    """A test client that signs what liaisons and monitors submit, as their software would.

    Tests of signatures themselves send their own Sulh-Signature header, or `unsigned=True`.
    """

    actors: Actors | None = None
    clock: Clock | None = None

    def request(  # type: ignore[override]
        self, method: str, url: Any, *, unsigned: bool = False, **kwargs: Any
    ) -> Any:
        headers = dict(kwargs.get("headers") or {})
        body = kwargs.get("json")
        signer = self._signer(headers) if method.upper() == "POST" else None
        if (
            signer
            and not unsigned
            and isinstance(body, dict)
            and "Sulh-Signature" not in headers
            and (str(url).split("?")[0] == "/api/v1/reports" or str(url).endswith("/reply"))
        ):
            assert self.clock is not None
            kwargs["json"], headers["Sulh-Signature"] = sign_body(signer, body, self.clock())
            kwargs["headers"] = headers
        return super().request(method, url, **kwargs)

    def post(self, url: Any, *, unsigned: bool = False, **kwargs: Any) -> Any:  # type: ignore[override]
        return self.request("POST", url, unsigned=unsigned, **kwargs)

    def _signer(self, headers: dict[str, str]) -> Signer | None:
        if self.actors is None:
            return None
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        name = next((n for n, t in self.actors.tokens.items() if t == token), None)
        return self.actors.signers.get(name) if name else None


@pytest.fixture
def log_signer(tmp_path: Path) -> Signer:
    signer = Signer.generate("sulh.test/af-pk-2025")
    write_key_file(tmp_path / "keys" / "log.key", signer)
    return signer


@pytest.fixture
def client(
    store: Store, tmp_path: Path, request: pytest.FixtureRequest, clock: Clock, log_signer: Signer
) -> Iterator[SigningClient]:
    settings = Settings.load(environ={"SULH_FUSION": "inline"}, data_dir=tmp_path)
    with SigningClient(create_app(settings, store=store)) as test_client:
        test_client.clock = clock
        if "actors" in request.fixturenames:
            test_client.actors = request.getfixturevalue("actors")
        yield test_client


def make_report(**overrides: Any) -> dict[str, Any]:
    """A valid media report as JSON; override any field."""
    report: dict[str, Any] = {
        "kind": "media",
        "event_time": "2025-10-28T21:30:00+04:30",
        "time_precision": "hour",
        "event_type": "air_or_drone_strike",
        "text": "Residents describe a drone strike on a compound outside the district centre.",
        "language": "en",
        "source": "Example Wire",
        "place": {"name": "Barmal", "lat": 32.73, "lon": 69.06, "precision": "town"},
        "alleged_perpetrator": "pk-air-force",
        "targets": ["civilians"],
        "casualties": [{"group": "civilian", "outcome": "killed", "low": 2, "best": 3, "high": 5}],
    }
    report.update(overrides)
    return report


@pytest.fixture
def report_factory() -> Callable[..., dict[str, Any]]:
    return make_report


@pytest.fixture(scope="session")
def live_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDemo]:
    """The demo scenario on SQLite, served by uvicorn on a free port for the whole session."""
    demo = start_live_demo(tmp_path_factory.mktemp("live-demo"))
    yield demo
    demo.stop()


def _require_chromium() -> None:
    if not CHROMIUM.is_file():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("SULH_TEST_REQUIRE_BROWSER"):
            pytest.fail(f"The browser tests require Chromium. {message}.")
        pytest.skip(message)


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture, so that a missing browser does not first start the live demo.
    if item.get_closest_marker("browser"):
        _require_chromium()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's headless Chromium: skipped when missing, unless SULH_TEST_REQUIRE_BROWSER=1."""
    _require_chromium()
    playwright = sync_playwright().start()
    browser = launch_chromium(playwright)
    yield browser
    browser.close()
    playwright.stop()


class NewPage(Protocol):
    def __call__(
        self,
        *,
        locale: str = "en-US",
        timezone_id: str = "Asia/Karachi",
        offline: bool = False,
        phone: bool = False,
    ) -> Page: ...


@pytest.fixture
def new_page(chromium: Browser) -> Iterator[NewPage]:
    """Open a page in a fresh browser context (desktop 1280x900, or a 390x844 phone)."""
    contexts: list[BrowserContext] = []

    def open_page(
        *,
        locale: str = "en-US",
        timezone_id: str = "Asia/Karachi",
        offline: bool = False,
        phone: bool = False,
    ) -> Page:
        context = chromium.new_context(
            locale=locale,
            timezone_id=timezone_id,
            offline=offline,
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
