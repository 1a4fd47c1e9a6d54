"""Filing a report from a form (a liaison's complaint, a monitor's observation), with files."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from sulh.agreement import Agreement
from sulh.errors import SulhError
from sulh.evidence import Locker, add_evidence, received_files
from sulh.intake import file_report
from sulh.store import Store
from sulh.web.ui.forms import Form, refused
from sulh.web.ui.i18n import LANGUAGES
from sulh.web.ui.labels import label
from sulh.web.ui.render import agreement_of, page
from sulh.web.ui.reportform import (
    EVENT_TYPES,
    GROUPS,
    NOT_SIGNED,
    OUTCOMES,
    PLACE_PRECISIONS,
    TIME_PRECISIONS,
    parts_by_field,
    read_submission,
)
from sulh.web.ui.sessions import Visit

# Languages an account may be written in: the interface's, and the parties' others.
ACCOUNT_LANGUAGES = {
    "en": "English",
    "ur": "اردو",
    "ps": "پښتو",
    "fa": "دری / فارسی",
    "ar": "العربية",
    "tr": "Türkçe",
}


def form_context(visit: Visit, agreement: Agreement | None, form: Form) -> dict[str, Any]:
    """What the report fields need to draw themselves in the viewer's language."""
    speaker = visit.speaker
    accused: list[tuple[str, str]] = []
    if agreement is not None:
        language = speaker.language.tag.split("-")[0]
        accused = [
            (p.id, p.names.get(speaker.code) or p.names.get(language) or p.name)
            for p in agreement.parties
        ]
        accused += [(a.id, a.name) for a in agreement.actors if a.answerable is not None]
    if not form.values:
        form.values.update(
            time_precision="day",
            place_precision="town",
            language=LANGUAGES[speaker.code].tag.split("-")[0],
        )
    return {
        "form": form,
        "parts": parts_by_field(),
        "event_types": [(t, label(speaker, t)) for t in EVENT_TYPES],
        "time_precisions": [(t, label(speaker, t)) for t in TIME_PRECISIONS],
        "place_precisions": [(t, label(speaker, f"place_{t}")) for t in PLACE_PRECISIONS],
        "account_languages": list(ACCOUNT_LANGUAGES.items()),
        "accused_options": accused,
        "groups": GROUPS,
        "outcomes": OUTCOMES,
        "locate": visit.principal.role == "monitor",
    }


def file_from_form(
    request: Request, visit: Visit, form: Form, kind: str, *, must_sign: bool
) -> tuple[int, int] | None:
    """File the form's report and its files; return (report id, log index), or None with
    the errors on `form` and nothing written."""
    try:
        data, signed = read_submission(form, kind, visit.speaker)
        if data is None:
            return None
        if must_sign and signed is None:
            form.problem = visit.speaker.gettext(
                NOT_SIGNED, kind=label(visit.speaker, kind).lower()
            )
            return None
        return _file(request, visit, form, data, signed)
    finally:
        form.close()


def _file(
    request: Request, visit: Visit, form: Form, data: Any, signed: Any
) -> tuple[int, int] | None:
    store: Store = request.app.state.store
    locker: Locker = request.app.state.locker
    try:
        with received_files() as received:
            for upload in form.files:
                received.append(locker.receive(upload.stream, upload.filename))
            with store.write(visit.principal) as writer:
                report = file_report(writer=writer, actor=visit.principal, data=data, signed=signed)
                for upload, one in zip(form.files, received, strict=True):
                    add_evidence(
                        writer=writer,
                        actor=visit.principal,
                        locker=locker,
                        report_id=report.id,
                        received=one,
                        declared_type=upload.declared_type,
                    )
    except SulhError as exc:
        refused(form, visit.speaker, exc)
        return None
    return report.id, writer.index_of(report)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def report_page(
    request: Request, visit: Visit, template: str, form: Form, *, active: str, status: int = 200
) -> HTMLResponse:
    """A page with the report form (a complaint or an observation) drawn in."""
    agreement = agreement_of(request)
    return page(
        request,
        visit,
        template,
        status=status,
        active=active,
        agreement=agreement,
        **form_context(visit, agreement, form),
    )
