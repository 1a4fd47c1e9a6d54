"""Errors that know their HTTP status and say what went wrong in a sentence."""

from __future__ import annotations

from typing import Any


class SulhError(Exception):
    """Base of every error Sulh raises on purpose."""

    status = 500
    code = "internal"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class Invalid(SulhError):
    status = 422
    code = "invalid"


class UnknownReference(Invalid):
    """An id (clause, party, actor, report…) that does not exist where it should."""

    code = "unknown_reference"


class NotFound(SulhError):
    status = 404
    code = "not_found"


class NotAuthenticated(SulhError):
    status = 401
    code = "not_authenticated"


class Forbidden(SulhError):
    status = 403
    code = "forbidden"


class Conflict(SulhError):
    status = 409
    code = "conflict"


class Duplicate(Conflict):
    code = "duplicate"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class DeadlinePassed(Conflict):
    code = "deadline_passed"


class TooLarge(SulhError):
    status = 413
    code = "too_large"


class AgreementInvalid(Invalid):
    """An agreement file that does not validate; `details` lists every problem."""

    code = "agreement_invalid"
