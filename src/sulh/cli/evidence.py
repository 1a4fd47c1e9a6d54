"""`sulh evidence add`, `sulh evidence verify`: the locker from the command line."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from sulh.cli.context import (
    acting,
    as_option,
    data_dir_option,
    echo_json,
    handle_errors,
    open_store,
    settings_for,
)
from sulh.errors import Invalid, TooLarge
from sulh.evidence import Locker, LockerDamaged, add_evidence, check_file
from sulh.evidence.metadata import describe, place_and_time_check
from sulh.store.tables import Evidence, Report


@click.group("evidence")
def evidence_group() -> None:
    """Put files in the evidence locker, attach them to reports, check the locker."""


@evidence_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--report", "report_id", type=int, default=None, metavar="ID", help="Attach it to this report."
)
@data_dir_option
@as_option
@handle_errors
def add_command(
    file: Path, report_id: int | None, data_dir: Path | None, as_user: str | None
) -> None:
    """Put a file in the locker and print its hash, type and metadata.

    With --report, the file is also attached to that report and enters the log; the
    output then carries the evidence id, the log index (the receipt), and any way the
    file's capture time or GPS position disagrees with the report.

    \b
    Example:
        sulh evidence add roof.jpg
        sulh evidence add roof.jpg --report 12 --as monitor1
    """
    # pypdf logs what it repairs in passing; the refusal, if any, says what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    settings = settings_for(data_dir)
    locker = Locker(settings.locker_dir, max_bytes=settings.max_evidence_bytes)
    data = _read_limited(file, locker.max_bytes)
    media_type = check_file(locker=locker, filename=file.name, data=data)
    try:
        metadata = describe(data, media_type)
    except Invalid as exc:
        raise Invalid(f"File {file.name!r}: {exc.message}", details={"file": file.name}) from None
    if report_id is None:
        stored = locker.put(data)
        echo_json(_summary(stored.sha256, media_type, data, file.name, metadata))
        return
    store = open_store(settings)
    actor = acting(store, as_user)
    with store.write(actor) as writer:
        row = add_evidence(
            writer=writer,
            actor=actor,
            locker=locker,
            report_id=report_id,
            filename=file.name,
            data=data,
        )
        report = writer.session.get_one(Report, row.report_id)
    echo_json(
        {
            "evidence_id": row.id,
            "report_id": row.report_id,
            "log_index": writer.index_of(row),
            **_summary(row.sha256, media_type, data, row.filename, metadata),
            "place_and_time": place_and_time_check(metadata, report),
        }
    )


def _read_limited(file: Path, limit: int) -> bytes:
    # One byte past the limit is enough to refuse the file; the rest need not be read.
    with file.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(
            f"File {file.name!r} is larger than the {limit} bytes the locker accepts "
            "(SULH_MAX_EVIDENCE_BYTES).",
            details={"file": file.name, "limit": limit},
        )
    return data


def _summary(
    sha256: str, media_type: str, data: bytes, filename: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    return {
        "sha256": sha256,
        "media_type": media_type,
        "size": len(data),
        "filename": filename,
        "metadata": metadata,
    }


@evidence_group.command("verify")
@data_dir_option
@handle_errors
def verify_command(data_dir: Path | None) -> None:
    """Hash every file the record refers to again; exit 1 if any is missing or altered.

    Prints one line per damaged file (its hash, the evidence rows and names that use it),
    then how many files were checked.

    \b
    Example:
        sulh evidence verify
    """
    settings = settings_for(data_dir)
    locker = Locker(settings.locker_dir, max_bytes=settings.max_evidence_bytes)
    store = open_store(settings)
    checked = damaged = 0
    with store.read() as session:
        rows = session.execute(
            select(Evidence.sha256, Evidence.id, Evidence.filename).order_by(
                Evidence.sha256, Evidence.id
            )
        )
        for sha256, uses in _by_file(rows):
            checked += 1
            problem = _problem(locker, sha256)
            if problem:
                damaged += 1
                ids = ", ".join(str(evidence_id) for evidence_id, _ in uses)
                names = ", ".join(sorted({repr(name) for _, name in uses}))
                click.echo(f"{sha256} (evidence {ids}; {names}): {problem}")
    files = "1 file" if checked == 1 else f"{checked} files"
    if damaged:
        click.echo(f"Checked {files}: {damaged} missing or altered.")
        raise SystemExit(1)
    click.echo(f"Checked {files}: all present and matching their hashes.")


def _by_file(rows: Iterable[Any]) -> Iterator[tuple[str, list[tuple[int, str]]]]:
    for sha256, group in groupby(rows, key=lambda row: row[0]):
        yield sha256, [(row[1], row[2]) for row in group]


def _problem(locker: Locker, sha256: str) -> str | None:
    try:
        if not locker.path_of(sha256).is_file():
            return "missing from the locker"
        locker.verified(sha256)
    except LockerDamaged:
        return "altered on disk: its bytes no longer match the hash"
    except ValueError:
        return "not a SHA-256, so not in the locker"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return None


def register(cli: click.Group) -> None:
    cli.add_command(evidence_group)
