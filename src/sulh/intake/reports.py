"""Filing reports: checked against the agreement and the filer's role, then never changed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from sulh.access.roles import Principal, Role
from sulh.agreement import Agreement, parsed
from sulh.errors import Duplicate, Forbidden, Invalid, NotFound, UnknownReference
from sulh.fusion.grading import DEFAULT_GRADE
from sulh.fusion.independence import default_group
from sulh.fusion.queue import fuse_or_queue
from sulh.intake.schema import ReportCreate
from sulh.intake.signatures import Signed, attach, check_signed
from sulh.store.tables import Report, Source, SourceGrade
from sulh.store.writer import Writer

CLOCK_SKEW = timedelta(minutes=5)
MAX_IMPORT_ERRORS = 1000

# Who may file each kind of report.
FILERS: dict[str, frozenset[Role]] = {
    "complaint": frozenset({Role.liaison, Role.analyst, Role.admin}),
    "observation": frozenset({Role.monitor, Role.analyst}),
    "statement": frozenset({Role.analyst, Role.admin}),
    "media": frozenset({Role.analyst, Role.admin}),
    "tip": frozenset(Role),
}
DEFAULT_TIER = {
    "complaint": "parties",
    "observation": "internal",
    "statement": "public",
    "media": "public",
    "tip": "internal",
}


def _field_error(field: str, message: str, cls: type[Invalid] = Invalid) -> Invalid:
    return cls(f"{field}: {message}", details={"field": field})


def check_report(
    *, writer: Writer, actor: Principal, agreement: Agreement, data: ReportCreate
) -> None:
    """Refuse a report the actor may not file or the agreement cannot take."""
    if actor.role not in FILERS[data.kind]:
        raise Forbidden(f"Role {actor.role} may not file {data.kind} reports.")
    if data.credibility is not None and actor.role is not Role.analyst:
        raise Forbidden("Only analysts grade a report's credibility.")
    if data.kind == "complaint":
        if data.on_behalf_of is None and actor.role is not Role.liaison:
            raise _field_error("on_behalf_of", "say which party the complaint is filed for")
        party = data.on_behalf_of or actor.party
        if actor.role is Role.liaison and party != actor.party:
            raise Forbidden(
                f"Liaison {actor.username!r} acts for {actor.party}, not for {party}.",
                details={"field": "on_behalf_of"},
            )
        if party not in agreement.party_ids():
            raise _field_error(
                "on_behalf_of",
                f"{party!r} is not a party to {agreement.id!r} "
                f"(parties: {', '.join(agreement.party_ids())})",
                UnknownReference,
            )
    elif data.on_behalf_of is not None:
        raise _field_error("on_behalf_of", "only complaints are filed on behalf of a party")
    now = writer.now
    if data.event_time > now + CLOCK_SKEW:
        raise _field_error("event_time", f"{data.event_time.isoformat()} is in the future")
    if data.event_end is not None and data.event_end > now + CLOCK_SKEW:
        raise _field_error("event_end", f"{data.event_end.isoformat()} is in the future")
    # The press and the parties' statements may tell of anything, the war before the
    # ceasefire included; only accounts of violations must postdate the agreement.
    if data.event_time < agreement.effective and data.kind not in ("media", "statement"):
        raise _field_error(
            "event_time",
            f"{data.event_time.isoformat()} is before agreement {agreement.id!r} took effect "
            f"({agreement.effective.isoformat()})",
        )
    if data.alleged_perpetrator is not None and not agreement.is_known_actor_or_party(
        data.alleged_perpetrator
    ):
        raise _field_error(
            "alleged_perpetrator",
            f"{data.alleged_perpetrator!r} is neither a party nor an actor of {agreement.id!r} "
            f"v{agreement.version}",
            UnknownReference,
        )


def _source(writer: Writer, actor: Principal, data: ReportCreate) -> Source:
    name = data.source or _default_source_name(actor, data)
    cache: dict[str, Source] = writer.session.info.setdefault("sources", {})
    if name in cache:
        return cache[name]
    source = writer.session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        # A monitor's own name as source stands for the mechanism's field team.
        grade_as = "observation" if actor.role is Role.monitor and not data.source else data.kind
        source = add_source(writer, name=name, kind=data.kind, grade_as=grade_as)
    cache[name] = source
    return source


def add_source(writer: Writer, *, name: str, kind: str, grade_as: str | None = None) -> Source:
    """A source first seen: its default grade and independence group (docs/grading.md)."""
    grade = DEFAULT_GRADE.get(grade_as or kind, "F")
    group = default_group(name=name, kind=kind, agreement=parsed(writer.agreement))
    source = Source(name=name, kind=kind, reliability=grade, independence_group=group)
    writer.add(source)
    writer.record("source.added", source)
    why = "the mechanism's own monitors" if grade != "F" else "a new source, not yet graded"
    history = SourceGrade(
        source_id=source.id, grade=grade, reason=f"default: {why}", by_user=None, at=writer.now
    )
    writer.add(history)
    writer.record("source.graded", history)
    return source


def _default_source_name(actor: Principal, data: ReportCreate) -> str:
    if data.kind == "complaint":
        return f"party:{data.on_behalf_of or actor.party}"
    if data.kind == "tip" and actor.user_id is None:
        return "public tip line"
    return f"user:{actor.username}"


def _check_supersedes(writer: Writer, actor: Principal, data: ReportCreate) -> None:
    if data.supersedes is None:
        return
    old = writer.session.get(Report, data.supersedes)
    if old is None:
        raise _field_error(
            "supersedes", f"report {data.supersedes} does not exist", UnknownReference
        )
    if not actor.is_staff and (actor.user_id is None or old.submitted_by != actor.user_id):
        raise Forbidden(f"Report {old.id} was filed by someone else; file a new report instead.")


def _check_idempotency(writer: Writer, actor: Principal, key: str | None) -> None:
    if key is None or actor.user_id is None:
        return
    earlier = writer.session.scalar(
        select(Report.id).where(Report.submitted_by == actor.user_id, Report.idempotency_key == key)
    )
    if earlier is not None:
        raise Duplicate(
            f"This submission (idempotency key {key!r}) was already filed as report {earlier}.",
            details={"field": "idempotency_key", "report": earlier},
        )


def build_report(
    *, writer: Writer, actor: Principal, data: ReportCreate, check_key: bool = True
) -> Report:
    agreement = parsed(writer.agreement)
    check_report(writer=writer, actor=actor, agreement=agreement, data=data)
    _check_supersedes(writer, actor, data)
    if check_key:
        _check_idempotency(writer, actor, data.idempotency_key)
    place = data.place
    return Report(
        kind=data.kind,
        source=_source(writer, actor, data),
        source_protected=data.source_protected,
        submitted_by=actor.user_id,
        filed_for_party=(data.on_behalf_of or actor.party) if data.kind == "complaint" else None,
        received_at=writer.now,
        event_time=data.event_time,
        event_end=data.event_end,
        time_precision=data.time_precision,
        place_name=place.name if place else None,
        latitude=place.lat if place else None,
        longitude=place.lon if place else None,
        place_precision=place.precision if place else None,
        event_type=data.event_type,
        alleged_perpetrator=data.alleged_perpetrator,
        accused_party=(
            agreement.answerable_party(data.alleged_perpetrator)
            if data.alleged_perpetrator
            else None
        ),
        targets=list(data.targets),
        casualties=[c.model_dump() for c in data.casualties],
        text=data.text,
        language=data.language,
        credibility=data.credibility,
        stance=data.stance,
        tier=str(data.tier or DEFAULT_TIER[data.kind]),
        supersedes_id=data.supersedes,
        idempotency_key=data.idempotency_key,
        agreement_version_id=writer.agreement.id,
    )


def file_report(
    *,
    writer: Writer,
    actor: Principal,
    data: ReportCreate,
    signed: Signed | None = None,
    fuse: bool = True,
) -> Report:
    """File one report; it enters the log and never changes afterwards.

    Fusion then matches it with the incidents on record, now or from the queue (see
    fusion/queue.py), unless the caller fuses it itself (`sulh ingest` does, once the
    article's events are stored).
    """
    report = build_report(writer=writer, actor=actor, data=data)
    signature = check_signed(writer=writer, actor=actor, kind=data.kind, signed=signed)
    writer.add(report)
    writer.record("report.filed", report)
    attach(writer, signature, report)
    if fuse:
        fuse_or_queue(writer=writer, report=report)
    return report


def import_reports(*, writer: Writer, actor: Principal, lines: Iterable[str]) -> list[Report]:
    """File every report of a JSONL file, or none: bad lines are listed by number."""
    problems: list[dict[str, Any]] = []
    parsed_lines: list[tuple[int, ReportCreate]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            parsed_lines.append((number, ReportCreate.model_validate(json.loads(line))))
        except json.JSONDecodeError as exc:
            problems.append({"line": number, "message": f"not valid JSON: {exc.msg}"})
        except ValidationError as exc:
            problems.extend(
                {"line": number, "field": _loc(e["loc"]), "message": e["msg"]} for e in exc.errors()
            )
        if len(problems) >= MAX_IMPORT_ERRORS:
            break
    seen = _filed_keys(writer, actor, [d.idempotency_key for _, d in parsed_lines])
    reports: list[Report] = []
    for number, data in parsed_lines:
        try:
            _check_key_once(data.idempotency_key, seen, number)
            check_signed(writer=writer, actor=actor, kind=data.kind, signed=None)
            reports.append(build_report(writer=writer, actor=actor, data=data, check_key=False))
        except (Invalid, Forbidden, Duplicate) as exc:
            field = exc.details.get("field") if isinstance(exc.details, dict) else None
            problems.append({"line": number, "field": field, "message": exc.message})
        if len(problems) >= MAX_IMPORT_ERRORS:
            break
    if problems:
        problems.sort(key=lambda p: int(p["line"]))
        summary = "; ".join(f"line {p['line']}: {p['message']}" for p in problems[:3])
        raise Invalid(
            f"Nothing was imported: {len(problems)} problem(s). {summary}", details=problems
        )
    if not reports:
        raise Invalid("Nothing was imported: the file holds no reports.")
    writer.session.add_all(reports)
    for report in reports:
        writer.record("report.filed", report)
    writer.session.flush()
    for report in reports:
        fuse_or_queue(writer=writer, report=report)
    return reports


def _filed_keys(writer: Writer, actor: Principal, keys: list[str | None]) -> dict[str, str]:
    """Idempotency keys of this file already filed by the actor: key -> where."""
    wanted = sorted({k for k in keys if k is not None})
    if actor.user_id is None or not wanted:
        return {}
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        rows = writer.session.execute(
            select(Report.idempotency_key, Report.id).where(
                Report.submitted_by == actor.user_id,
                Report.idempotency_key.in_(wanted[start : start + 500]),
            )
        )
        found.update((key, f"report {report_id}") for key, report_id in rows if key)
    return found


def _check_key_once(key: str | None, seen: dict[str, str], number: int) -> None:
    if key is None:
        return
    if key in seen:
        raise Duplicate(
            f"idempotency key {key!r} was already used ({seen[key]})",
            details={"field": "idempotency_key"},
        )
    seen[key] = f"line {number}"


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def get_report(*, writer: Writer, report_id: int) -> Report:
    report = writer.session.get(Report, report_id)
    if report is None:
        raise NotFound(f"Report {report_id} does not exist.")
    return report
