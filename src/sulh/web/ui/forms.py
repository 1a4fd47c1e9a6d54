"""Forms: what was typed, the errors next to each field in the viewer's language, and CSRF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from sulh.errors import SulhError
from sulh.web.ui.i18n import Speaker
from sulh.web.ui.i18n import _ as mark
from sulh.web.ui.sessions import Visit, check_csrf

# Pydantic's error types, in words each language can carry.
_MESSAGES = {
    "missing": mark("This field is required."),
    "string_too_short": mark("This field is required."),
    "string_too_long": mark("This is too long: at most %(max)s characters."),
    "datetime_parsing": mark("Give a date and time."),
    "datetime_from_date_parsing": mark("Give a date and time."),
    "timezone_aware": mark("Give a date and time."),
    "date_parsing": mark("Give a date."),
    "date_from_datetime_parsing": mark("Give a date."),
    "int_parsing": mark("Give a whole number."),
    "float_parsing": mark("Give a number."),
    "greater_than_equal": mark("This must be at least %(min)s."),
    "less_than_equal": mark("This must be at most %(max)s."),
    "literal_error": mark("Choose one of the options."),
    "enum": mark("Choose one of the options."),
    "string_pattern_mismatch": mark("This is not in the expected form."),
}
_REJECTED = mark("Not accepted: %(reason)s")


@dataclass(frozen=True)
class Upload:
    """A file sent with a form, as the multipart parser spooled it (to disk past 1 MiB)."""

    filename: str
    stream: BinaryIO
    declared_type: str | None


@dataclass
class Form:
    """A form as the viewer filled it in, with any errors to show beside its fields."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    files: list[Upload] = field(default_factory=list)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.problem is None

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def close(self) -> None:
        """Close the spooled files: a page that takes files calls this once it is done."""
        for upload in self.files:
            upload.stream.close()


async def read_form(request: Request, visit: Visit) -> Form:
    """Read a posted form after checking its CSRF token."""
    data = await request.form()
    check_csrf(request, visit, _text(data.get("csrf")))
    form = Form()
    for name, value in data.multi_items():
        if isinstance(value, UploadFile):
            if value.filename:
                form.files.append(Upload(value.filename, value.file, value.content_type))
            else:
                await value.close()
        elif name != "csrf":
            form.values[name] = value if name == "password" else value.replace("\r\n", "\n").strip()
    return form


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def validation_errors(
    form: Form, speaker: Speaker, exc: ValidationError, fields: dict[str, str]
) -> None:
    """Put each of pydantic's errors beside the form field it concerns.

    `fields` maps a model's field path (e.g. "place.name") to the form's field name."""
    for error in exc.errors():
        path = ".".join(str(p) for p in error["loc"])
        name = fields.get(path) or fields.get(path.split(".")[0]) or ""
        form.fail(name or "_form", _message(speaker, error))
    if "_form" in form.errors:
        form.problem = form.errors.pop("_form")


def _message(speaker: Speaker, error: Any) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind in _MESSAGES:
        values = {k: context[k] for k in ("max", "min") if k in context}
        if kind == "string_too_long":
            values = {"max": context.get("max_length", "")}
        elif kind in ("greater_than_equal", "less_than_equal"):
            values = {"min": context.get("ge", ""), "max": context.get("le", "")}
        return speaker.gettext(_MESSAGES[kind], **values)
    reason = str(error.get("msg", "")).removeprefix("Value error, ")
    return speaker.gettext(_REJECTED, reason=reason)


def refused(form: Form, speaker: Speaker, exc: SulhError) -> None:
    """A domain refusal, shown above the form; what was typed stays in place."""
    form.problem = speaker.gettext(_REJECTED, reason=exc.message)


def build(
    model: type[BaseModel],
    data: dict[str, Any],
    form: Form,
    speaker: Speaker,
    fields: dict[str, str],
) -> Any:
    """Validate `data` as `model`, or record the errors on `form` and return None."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        validation_errors(form, speaker, exc, fields)
        return None
