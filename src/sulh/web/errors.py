"""One JSON shape for every error: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from sulh.errors import Forbidden, SulhError

logger = logging.getLogger("sulh.web")


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorBody


def error_response(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status)


# Renders an error as a page for the web interface: (request, status, code, message).
HtmlErrors = Callable[[Request, int, str, str], Response]


def _respond(
    request: Request, status: int, code: str, message: str, details: Any = None
) -> Response:
    html: HtmlErrors | None = getattr(request.app.state, "html_errors", None)
    if html is not None and not request.url.path.startswith(("/api/", "/openapi")):
        return html(request, status, code, message)
    return error_response(status, code, message, details)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _sulh_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SulhError)
    anonymous = "authorization" not in request.headers and "sulh_session" not in request.cookies
    if isinstance(exc, Forbidden) and anonymous:
        # Anonymous callers are told to log in rather than that they are refused.
        return _respond(request, 401, "not_authenticated", f"Log in first. {exc.message}")
    return _respond(request, exc.status, exc.code, exc.message, exc.details)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [{"field": _field(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:3])
    return _respond(request, 422, "invalid", f"The request is not valid: {summary}.", problems)


_HTTP_MESSAGES = {
    404: ("not_found", "There is nothing at {path}."),
    405: ("method_not_allowed", "{method} is not allowed on {path}."),
}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code, template = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "{detail}."))
    message = template.format(path=request.url.path, method=request.method, detail=exc.detail)
    return _respond(request, exc.status_code, code, message)


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.error("Unhandled error", exc_info=exc)
    message = "Something went wrong on the server; the error was logged."
    return _respond(request, 500, "internal", message)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(SulhError, _sulh_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (401, 403, 404, 409, 413, 422)
}
