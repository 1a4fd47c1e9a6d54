"""`sulh evidence add`, `sulh evidence verify`: the locker from the command line."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

import click
from sqlalchemy import literal, select

from sulh.cli.context import (
    acting,
    as_option,
    data_dir_option,
    echo_json,
    handle_errors,
    open_store,
    settings_for,
)
from sulh.errors import Invalid
from sulh.evidence import (
    Locker,
    Received,
    add_evidence,
    check_file,
    copies_of,
    locker_for,
    open_evidence,
    received_files,
)
from sulh.evidence.custody import record_custody
from sulh.evidence.metadata import describe
from sulh.store.tables import Evidence, EvidenceCopy, EvidenceMetadata


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
    locker = locker_for(settings)
    with received_files() as received, file.open("rb") as stream:
        received.append(locker.receive(stream, file.name))
        if report_id is None:
            echo_json(_kept_alone(locker, received[0]))
            return
        store = open_store(settings)
        actor = acting(store, as_user)
        with store.write(actor) as writer:
            row = add_evidence(
                writer=writer, actor=actor, locker=locker, report_id=report_id, received=received[0]
            )
            described = writer.session.scalars(
                select(EvidenceMetadata).where(EvidenceMetadata.evidence_id == row.id)
            ).one()
            copies = copies_of(writer.session, [row.id])[row.id]
    metadata = dict(described.data)
    checks = metadata.pop("checks", [])
    echo_json(
        {
            "evidence_id": row.id,
            "report_id": row.report_id,
            "log_index": writer.index_of(row),
            **_summary(row.sha256, row.media_type, row.size, row.filename, metadata),
            "copies": copies,
            "place_and_time": checks,
        }
    )


def _kept_alone(locker: Locker, received: Received) -> dict[str, Any]:
    media_type = check_file(received)
    try:
        metadata = describe(received.path, media_type)
    except Invalid as exc:
        name = received.name
        raise Invalid(f"File {name!r}: {exc.message}", details={"file": name}) from None
    stored = locker.keep(received)
    return _summary(stored.sha256, media_type, received.size, received.name, metadata)


def _summary(
    sha256: str, media_type: str, size: int, filename: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    return {
        "sha256": sha256,
        "media_type": media_type,
        "size": size,
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
    locker = locker_for(settings)
    store = open_store(settings)
    checked = damaged = 0
    with store.read() as session:
        originals = select(Evidence.sha256, Evidence.id, Evidence.filename)
        copies = select(
            EvidenceCopy.sha256,
            EvidenceCopy.evidence_id,
            (EvidenceCopy.kind + literal(" copy of ") + Evidence.filename),
        ).join(Evidence, Evidence.id == EvidenceCopy.evidence_id)
        rows = session.execute(originals.union_all(copies).order_by("sha256", "id"))
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
        return locker.problem(sha256)
    except ValueError:
        return "not a SHA-256, so not in the locker"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return None


@evidence_group.command("export")
@click.argument("evidence_id", type=int)
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the file into (made if missing).",
)
@click.option(
    "--copy",
    "kind",
    type=click.Choice(["original", "redacted", "preview", "thumbnail"]),
    default=None,
    help="Which copy; by default what the acting user may have (see docs/evidence.md).",
)
@click.option("--reason", required=True, help="Why it leaves the locker (for the record).")
@data_dir_option
@as_option
@handle_errors
def export_command(
    evidence_id: int,
    folder: Path,
    kind: str | None,
    reason: str,
    data_dir: Path | None,
    as_user: str | None,
) -> None:
    """Copy an evidence file out of the locker, checked against its hash, and record the
    export as a link in its chain of custody. Prints the path written and its SHA-256.

    \b
    Example:
        sulh evidence export 7 --to ./panel --reason "asked by the panel" --as analyst1
    """
    settings = settings_for(data_dir)
    locker = locker_for(settings)
    store = open_store(settings)
    actor = acting(store, as_user)
    with store.read() as session:
        served = open_evidence(session, actor, evidence_id, locker=locker, kind=kind)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / served.filename
        if target.exists():
            raise Invalid(f"{target} exists already; choose another folder.")
        with store.write(actor) as writer:
            record_custody(
                writer=writer,
                actor=actor,
                evidence=served.evidence,
                kind="exported",
                reason=f"{served.kind} {served.sha256} exported: {reason}",
            )
            shutil.copyfile(served.local.path, target)
    finally:
        served.local.done()
    echo_json({"path": str(target), "copy": served.kind, "sha256": served.sha256})


def register(cli: click.Group) -> None:
    cli.add_command(evidence_group)
