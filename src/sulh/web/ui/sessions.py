"""Who is visiting: the session cookie, CSRF tokens, and the viewer's language and zone.

A session is an API token (hashed in the record like any other) held in an HttpOnly,
SameSite=Lax cookie. Every form carries a CSRF token: an HMAC of the session (or, before
login, of a random browser cookie) under the server's secret, and a request whose Origin
names another site is refused whatever it carries.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response

from sulh.access import ANONYMOUS, Principal, principal_for_token
from sulh.access.users import preferences_of
from sulh.config import Settings
from sulh.errors import Forbidden, NotAuthenticated
from sulh.store import Store
from sulh.web.ui.i18n import DEFAULT, Speaker, from_accept_language, match_tag, valid_zone

SESSION = "sulh_session"
BROWSER = "sulh_browser"
LANGUAGE = "sulh_lang"
ZONE = "sulh_tz"
YEAR = 365 * 24 * 3600


class CsrfFailed(Forbidden):
    code = "csrf_failed"


@dataclass(frozen=True)
class Visit:
    """The request's principal, the words it is spoken to in, and its CSRF token."""

    principal: Principal
    speaker: Speaker
    csrf: str
    session: str | None

    @property
    def signed_in(self) -> bool:
        return self.principal.user_id is not None


def secret_of(request: Request) -> bytes:
    secret: bytes = request.app.state.ui_secret
    return secret


def csrf_for(secret: bytes, binding: str) -> str:
    return hmac.new(secret, b"csrf:" + binding.encode(), hashlib.sha256).hexdigest()


def _principal(request: Request) -> tuple[Principal, str | None]:
    token = request.cookies.get(SESSION)
    if not token:
        return ANONYMOUS, None
    try:
        return principal_for_token(store=request.app.state.store, token=token), token
    except NotAuthenticated:
        return ANONYMOUS, None


def _saved(request: Request, principal: Principal) -> tuple[str | None, str | None]:
    if principal.user_id is None:
        return None, None
    store: Store = request.app.state.store
    with store.read() as session:
        return preferences_of(session, principal.user_id)


def _language(request: Request, saved: str | None) -> str:
    for choice in (saved, request.cookies.get(LANGUAGE)):
        if choice and match_tag(choice):
            return match_tag(choice) or DEFAULT
    return from_accept_language(request.headers.get("accept-language", "")) or DEFAULT


def get_visit(request: Request) -> Visit:
    principal, token = _principal(request)
    binding = token or request.cookies.get(BROWSER) or ""
    if not binding:
        # First visit: the browser cookie is set on the response by `remember_browser`.
        binding = request.state.new_browser = secrets.token_urlsafe(24)
    language, zone = _saved(request, principal)
    zone = valid_zone(zone) or valid_zone(request.cookies.get(ZONE)) or "UTC"
    speaker = Speaker(_language(request, language), zone)
    return Visit(principal, speaker, csrf_for(secret_of(request), binding), token)


VisitDep = Annotated[Visit, Depends(get_visit)]


def check_csrf(request: Request, visit: Visit, token: str | None) -> None:
    """Refuse a form post that did not come from one of our own pages."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise CsrfFailed(f"This form was sent from another site ({origin}); it was not accepted.")
    if not token or not hmac.compare_digest(token, visit.csrf):
        raise CsrfFailed(
            "This form's security token is missing or has expired; reload the page and send "
            "it again."
        )


def set_cookie(
    response: Response, settings: Settings, name: str, value: str, *, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=name in (SESSION, BROWSER),
        secure=settings.secure_cookies,
        samesite="lax",
        path="/",
    )


def remember_browser(request: Request, response: Response, settings: Settings) -> None:
    new = getattr(request.state, "new_browser", None)
    if new:
        set_cookie(response, settings, BROWSER, new, max_age=YEAR)
