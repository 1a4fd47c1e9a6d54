"""The web interface: server-rendered pages for every role, in six languages.

`install_ui` adds the pages, their static files and their error pages to the app. Pages
are thin: they read through the store's tier-aware queries and change the record only
through the domain functions the API also calls.
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from sulh.config import Settings
from sulh.web.ui.cache import Versioned
from sulh.web.ui.errors import error_page
from sulh.web.ui.pages import account, admin, analyst, guarantor, liaison, monitor, public
from sulh.web.ui.render import make_environment

STATIC = __path__[0] + "/static"


def _policy(settings: Settings) -> str:
    images = "'self' data: blob:"
    if settings.map_tiles:
        from urllib.parse import urlsplit

        parts = urlsplit(settings.map_tiles.replace("{s}", "a"))
        images += f" {parts.scheme}://{parts.netloc.split('{')[0] or parts.netloc}"
        if "{s}" in settings.map_tiles:
            images += f" {parts.scheme}://*.{parts.netloc.split('.', 1)[-1]}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


class _Headers(BaseHTTPMiddleware):
    """Security headers on every page (the API's documentation page keeps its own)."""

    def __init__(self, app: object, policy: str) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.policy = policy

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith(("/api/docs", "/openapi")):
            response.headers.setdefault("Content-Security-Policy", self.policy)
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def body_limits(settings: Settings) -> dict[str, int]:
    """The pages that take evidence files may carry as much as the API's upload."""
    upload = settings.max_evidence_bytes + settings.max_body_bytes
    return {"/liaison/complaints/new": upload, "/monitor/observations": upload}


def install_ui(app: FastAPI, settings: Settings) -> None:
    app.state.ui_environment = make_environment()
    app.state.ui_secret = (settings.secret_key or secrets.token_hex(32)).encode()
    app.state.html_errors = error_page
    app.state.ui_cache = Versioned()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (public, account, liaison, monitor, analyst, guarantor, admin):
        app.include_router(module.router, include_in_schema=False)
    app.add_middleware(_Headers, policy=_policy(settings))
