"""Errors as pages, in the viewer's language; a visitor who must log in is sent to do so."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from sulh.web.ui.i18n import _ as mark
from sulh.web.ui.render import page
from sulh.web.ui.sessions import get_visit

TITLES = {
    400: mark("The request could not be understood"),
    401: mark("Please log in"),
    403: mark("This is not open to you"),
    404: mark("Not found"),
    409: mark("This cannot be done now"),
    413: mark("Too large"),
    422: mark("This was not accepted"),
}
FALLBACK = mark("Something went wrong")


def error_page(request: Request, status: int, code: str, message: str) -> Response:
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    visit = get_visit(request)
    title = visit.speaker.gettext(TITLES.get(status, FALLBACK))
    return page(
        request, visit, "error.html", status=status, title=title, message=message, code=code
    )
