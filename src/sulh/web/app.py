"""The app factory: settings in, a FastAPI app out, nothing built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from sulh import __version__
from sulh.clock import Clock, system_clock
from sulh.config import Settings
from sulh.evidence import locker_for
from sulh.fusion.queue import Worker
from sulh.ledger.keys import read_key_file
from sulh.ledger.log import Log
from sulh.outputs.alerts import Deliverer, DeliveryPolicy, clock_step
from sulh.penalties.tick import Ticker
from sulh.store import Store, make_engine
from sulh.web.api import body_limits, router
from sulh.web.errors import install_error_handlers
from sulh.web.limits import BodyLimit
from sulh.web.ui import body_limits as ui_body_limits
from sulh.web.ui import install_ui


def create_app(
    settings: Settings, *, store: Store | None = None, clock: Clock = system_clock
) -> FastAPI:
    """Build the web app over the record that `settings` (or `store`) points to."""
    store = store or Store(make_engine(settings.database_url), clock=clock)
    lifespan = _background(store, settings)
    app = FastAPI(
        lifespan=lifespan,
        title="Sulh",
        version=__version__,
        summary="Ceasefire monitoring and verification mechanism",
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    signer = read_key_file(settings.log_key) if settings.log_key.is_file() else None
    app.state.log = Log(app.state.store, signer)
    app.state.locker = locker_for(settings)
    install_error_handlers(app)
    app.include_router(router)
    install_ui(app, settings)
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        paths=body_limits(settings) | ui_body_limits(settings),
    )
    return app


def _background(
    store: Store, settings: Settings
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """While the app is up: the clock-driven step (deadlines, escalations, alerts), the
    deliverer of alerts to webhooks and, unless fusion is inline, the worker that fuses
    queued reports."""
    policy = DeliveryPolicy(
        backoff_seconds=settings.webhook_backoff_seconds, attempts=settings.webhook_attempts
    )
    # Deliveries are looked for at least as often as the shortest wait before a retry.
    every = max(0.05, min(settings.tick_seconds, settings.webhook_backoff_seconds))
    workers: list[Worker | Ticker | Deliverer] = [
        Ticker(store, interval=settings.tick_seconds, step=clock_step),
        Deliverer(store, policy, interval=every),
    ]
    if settings.fusion == "background":
        worker = Worker(store)
        store.fusion, store.on_queued = "queued", worker.wake
        workers.append(worker)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        for worker in workers:
            worker.start()
        try:
            yield
        finally:
            for worker in workers:
                worker.stop()

    return lifespan
