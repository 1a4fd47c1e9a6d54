"""The report form: which field becomes which part of a submission, in one place.

The same table drives the Python builder (plain form posts) and, through `data-sign`
attributes on the inputs, the browser's builder (static/js/sign.js), which signs a liaison's
complaint or a monitor's observation with a key that never leaves the browser. Either way
the server validates the submission as `ReportCreate` and stores exactly what was signed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args
from zoneinfo import ZoneInfo

from sulh.intake.schema import ReportCreate
from sulh.intake.signatures import Signed
from sulh.vocabulary import CasualtyGroup, CasualtyOutcome, EventType, PlacePrecision, TimePrecision
from sulh.web.ui.forms import Form, build
from sulh.web.ui.i18n import Speaker
from sulh.web.ui.i18n import _ as mark


@dataclass(frozen=True)
class Part:
    field: str  # the form field's name
    path: str  # where its value goes in the submission ("place.name", "casualties")
    kind: str = "string"  # string, datetime (local time in the viewer's zone), number, integer


GROUPS: tuple[str, ...] = get_args(CasualtyGroup)
OUTCOMES: tuple[str, ...] = get_args(CasualtyOutcome)
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
TIME_PRECISIONS: tuple[str, ...] = get_args(TimePrecision)
PLACE_PRECISIONS: tuple[str, ...] = get_args(PlacePrecision)

PARTS: tuple[Part, ...] = (
    Part("event_type", "event_type"),
    Part("event_time", "event_time", "datetime"),
    Part("time_precision", "time_precision"),
    Part("place_name", "place.name"),
    Part("latitude", "place.lat", "number"),
    Part("longitude", "place.lon", "number"),
    Part("place_precision", "place.precision"),
    Part("accused", "alleged_perpetrator"),
    Part("text", "text"),
    Part("language", "language"),
    *(
        Part(f"casualties_{group}_{outcome}", f"casualties.{group}.{outcome}", "integer")
        for group in GROUPS
        for outcome in OUTCOMES
    ),
)
# Where pydantic reports a problem, and the field it belongs beside.
FIELDS = {part.path: part.field for part in PARTS} | {
    "place": "place_name",
    "event_end": "event_time",
    "casualties": "casualties_civilian_killed",
}
NOT_SIGNED = mark("A %(kind)s must be signed: choose your key file, then send the form again.")


def parts_by_field() -> dict[str, Part]:
    return {part.field: part for part in PARTS}


def _value(part: Part, raw: str, zone: ZoneInfo) -> Any:
    if part.kind == "datetime":
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            return raw  # left for validation to name
        return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()
    if part.kind in ("number", "integer"):
        try:
            return int(raw) if part.kind == "integer" else float(raw)
        except ValueError:
            return raw
    return raw


def submission(form: Form, kind: str, speaker: Speaker) -> dict[str, Any]:
    """The submission the form's fields describe (what sign.js builds in the browser)."""
    body: dict[str, Any] = {"kind": kind}
    casualties: list[dict[str, Any]] = []
    for part in PARTS:
        raw = form.get(part.field)
        if raw == "":
            continue
        value = _value(part, raw, speaker.zone)
        head, _, rest = part.path.partition(".")
        if head == "casualties":
            group, outcome = rest.split(".")
            casualties.append({"group": group, "outcome": outcome, "best": value})
        elif rest:
            body.setdefault(head, {})[rest] = value
        else:
            body[head] = value
    if casualties:
        body["casualties"] = casualties
    if set(body.get("place", {})) <= {"precision"}:
        body.pop("place", None)  # a precision alone places nothing
    return body


def read_submission(
    form: Form, kind: str, speaker: Speaker
) -> tuple[ReportCreate | None, Signed | None]:
    """The validated report and its signature, if the browser signed it; errors go on `form`."""
    signature = form.get("signature")
    signed_text = form.get("signed_body")
    if signature and signed_text:
        try:
            body = json.loads(signed_text)
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("kind") != kind:
            form.problem = speaker.gettext(NOT_SIGNED, kind=kind)
            return None, None
        signed: Signed | None = Signed(body=body, signature=signature)
    else:
        body, signed = submission(form, kind, speaker), None
    data = build(ReportCreate, body, form, speaker, FIELDS)
    return data, signed
