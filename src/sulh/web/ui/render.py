"""Rendering pages: one Jinja2 environment, translated through the visit's catalogue."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sulh import __version__
from sulh.agreement import Agreement, current_agreement
from sulh.errors import NotFound
from sulh.store import Store
from sulh.web.ui.i18n import LANGUAGES, Speaker
from sulh.web.ui.i18n import _ as mark
from sulh.web.ui.labels import label
from sulh.web.ui.sessions import Visit, remember_browser

# What a page may say after a successful post: a code and whole numbers in the query string,
# so that no one can put words of their own on our pages through a link.
NOTICES = {
    "filed": mark("Filed as report %(id)s, log index %(index)s."),
    "replied": mark("Reply filed, log index %(index)s."),
    "appealed": mark("Appeal filed."),
    "moved": mark("The case moved on."),
    "drafted": mark("Finding %(id)s drafted."),
    "voted": mark("Vote recorded."),
    "decided": mark("Finding decided."),
    "released": mark("Released."),
    "merged": mark("Incidents merged."),
    "split": mark("Incident split."),
    "marked": mark("The file's mark is saved."),
    "saved": mark("Saved."),
    "created": mark("Created. The password is shown once: %(secret)s"),
}

_speaker: ContextVar[Speaker] = ContextVar("speaker")
_agreement: ContextVar[Agreement | None] = ContextVar("agreement", default=None)


def _gettext(message: str, **values: Any) -> str:
    return _speaker.get().gettext(message, **values)


def _ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    return _speaker.get().ngettext(singular, plural, n, **values)


def _when(moment: datetime | None, with_time: bool = True) -> str:
    return _speaker.get().when(moment, with_time=with_time)


def _label(code: str | None) -> str:
    return label(_speaker.get(), code)


def _party_name(party_id: str | None) -> str:
    """A party's or guarantor's name in the viewer's language, as the agreement gives it."""
    agreement = _agreement.get()
    if party_id is None or agreement is None:
        return party_id or ""
    speaker = _speaker.get()
    for party in [*agreement.parties, *agreement.guarantors]:
        if party.id == party_id:
            language = speaker.language.tag.split("-")[0]
            return party.names.get(speaker.code) or party.names.get(language) or party.name
    return party_id


def agreement_of(request: Request) -> Agreement | None:
    store: Store = request.app.state.store
    with store.read() as session:
        try:
            return current_agreement(session)[1]
        except NotFound:
            return None


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sulh.web.ui", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        languages=LANGUAGES, version=__version__, label=_label, party_name=_party_name
    )
    env.filters["when"] = _when
    env.filters["number"] = lambda value: _speaker.get().number(value)
    env.filters["pair_label"] = lambda code: (str(code), _label(str(code)))
    return env


def page(
    request: Request, visit: Visit, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render `template` for this visit."""
    environment: Environment = request.app.state.ui_environment
    agreement = context.pop("agreement", None) or agreement_of(request)
    context.setdefault("notice", _notice(request, visit))
    context.setdefault("active", "")
    token, held = _speaker.set(visit.speaker), _agreement.set(agreement)
    try:
        html = environment.get_template(template).render(
            request=request, visit=visit, me=visit.principal, agreement=agreement, **context
        )
    finally:
        _speaker.reset(token)
        _agreement.reset(held)
    response = HTMLResponse(html, status_code=status)
    remember_browser(request, response, request.app.state.settings)
    return response


def _notice(request: Request, visit: Visit) -> str | None:
    code = request.query_params.get("notice")
    if code not in NOTICES:
        return None
    values = {k: v for k, v in request.query_params.items() if k in ("id", "index") and v.isdigit()}
    try:
        return visit.speaker.gettext(NOTICES[code], **values, secret="")
    except (KeyError, ValueError):
        return None


def redirect(
    request: Request, url: str, notice: str | None = None, **values: int
) -> RedirectResponse:
    """After a successful post, send the browser to a page it can reload safely."""
    if notice is not None:
        query = urlencode({"notice": notice, **{k: str(v) for k, v in values.items()}})
        url = f"{url}{'&' if '?' in url else '?'}{query}"
    response = RedirectResponse(url, status_code=303)
    remember_browser(request, response, request.app.state.settings)
    return response
