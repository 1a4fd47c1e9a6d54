"""One JSON shape for every error: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _sulh_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SulhError)
    if isinstance(exc, Forbidden) and "authorization" not in request.headers:
        # Anonymous callers are told to log in rather than that they are refused.
        return error_response(401, "not_authenticated", f"Log in first. {exc.message}")
    return error_response(exc.status, exc.code, exc.message, exc.details)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [{"field": _field(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:3])
    return error_response(422, "invalid", f"The request is not valid: {summary}.", problems)


_HTTP_MESSAGES = {
    404: ("not_found", "There is nothing at {path}."),
    405: ("method_not_allowed", "{method} is not allowed on {path}."),
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code, template = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "{detail}."))
    message = template.format(path=request.url.path, method=request.method, detail=exc.detail)
    return error_response(exc.status_code, code, message)


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    logger.error("Unhandled error", exc_info=exc)
    return error_response(
        500, "internal", "Something went wrong on the server; the error was logged."
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(SulhError, _sulh_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (401, 403, 404, 409, 413, 422)
}
