"""Logging in and out, and the viewer's language and time zone."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sulh.access import check_password, issue_token, principal_of
from sulh.access.users import revoke_token
from sulh.errors import NotAuthenticated
from sulh.store import Store
from sulh.web.ui.forms import Form, read_form
from sulh.web.ui.i18n import LANGUAGES, match_tag, valid_zone, zone_names
from sulh.web.ui.i18n import _ as mark
from sulh.web.ui.render import page, redirect
from sulh.web.ui.sessions import LANGUAGE, SESSION, YEAR, ZONE, VisitDep, set_cookie

router = APIRouter()
WRONG = mark("The username or password is wrong.")
HOMES = {
    "liaison": "/liaison",
    "monitor": "/monitor",
    "analyst": "/analyst",
    "guarantor": "/guarantor",
    "admin": "/admin",
}


def _local(url: str | None, default: str = "/") -> str:
    """Only ever send a browser on to a page of ours."""
    if not url or not url.startswith("/") or url.startswith("//") or urlsplit(url).netloc:
        return default
    return url


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, visit: VisitDep) -> HTMLResponse:
    form = Form(values={"next": _local(request.query_params.get("next"), "")})
    return page(request, visit, "login.html", form=form)


@router.post("/login", response_model=None)
async def login(request: Request, visit: VisitDep) -> Response:
    form = await read_form(request, visit)
    store: Store = request.app.state.store
    settings = request.app.state.settings
    try:
        with store.read() as session:
            user = check_password(
                session=session, username=form.get("username"), password=form.get("password")
            )
        with store.write(principal_of(user)) as writer:
            token = issue_token(writer=writer, user=user, days=settings.token_days)
    except NotAuthenticated:
        form.problem = visit.speaker.gettext(WRONG)
        form.values.pop("password", None)
        return page(request, visit, "login.html", status=401, form=form)
    response = redirect(request, _local(form.get("next"), HOMES.get(user.role, "/")))
    set_cookie(response, settings, SESSION, token, max_age=settings.token_days * 24 * 3600)
    return response


@router.post("/logout", response_model=None)
async def logout(request: Request, visit: VisitDep) -> Response:
    await read_form(request, visit)
    if visit.session:
        store: Store = request.app.state.store
        with store.write(visit.principal) as writer:
            revoke_token(writer=writer, token=visit.session)
    response = redirect(request, "/")
    response.delete_cookie(SESSION, path="/")
    return response


@router.post("/language", response_model=None)
async def language(request: Request, visit: VisitDep) -> Response:
    form = await read_form(request, visit)
    response = redirect(request, _local(form.get("next")))
    chosen = match_tag(form.get("language"))
    if chosen:
        set_cookie(response, request.app.state.settings, LANGUAGE, chosen, max_age=YEAR)
        save_preferences(request, visit, language=chosen)
    return response


@router.get("/settings", response_class=HTMLResponse)
def settings_form(request: Request, visit: VisitDep) -> HTMLResponse:
    form = Form(values={"language": visit.speaker.code, "zone": visit.speaker.zone.key})
    return page(request, visit, "settings.html", form=form, **_choices())


@router.post("/settings", response_model=None)
async def save_settings(request: Request, visit: VisitDep) -> Response:
    form = await read_form(request, visit)
    chosen, zone = match_tag(form.get("language")), valid_zone(form.get("zone"))
    if zone is None:
        form.fail("zone", visit.speaker.gettext("Choose a time zone from the list."))
    if chosen is None:
        form.fail("language", visit.speaker.gettext("Choose one of the options."))
    if not form.ok:
        return page(request, visit, "settings.html", status=422, form=form, **_choices())
    assert chosen is not None and zone is not None
    response = redirect(request, "/settings", "saved")
    settings = request.app.state.settings
    set_cookie(response, settings, LANGUAGE, chosen, max_age=YEAR)
    set_cookie(response, settings, ZONE, zone, max_age=YEAR)
    save_preferences(request, visit, language=chosen, zone=zone)
    return response


def _choices() -> dict[str, Any]:
    zones = sorted(z for z in zone_names() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return {
        "language_options": [(lang.code, lang.name) for lang in LANGUAGES.values()],
        "zone_options": [("UTC", "UTC"), *((z, z) for z in zones)],
    }


def save_preferences(
    request: Request, visit: VisitDep, *, language: str, zone: str | None = None
) -> None:
    """A signed-in user's choice follows them to any browser."""
    if not visit.signed_in:
        return
    from sulh.access.users import set_preferences

    store: Store = request.app.state.store
    with store.write(visit.principal) as writer:
        set_preferences(writer=writer, actor=visit.principal, language=language, zone=zone)
