"""Rows as the log recorded them, read fast for the audit.

The writer logs each row as `snapshot()` makes it: every column as JSON (datetimes in UTC
ISO 8601, dates in ISO 8601, bytes in base64). Reading a million rows through SQLAlchemy's
result processing and then converting them again costs more than the audit's hashing, so
the audit reads the driver's own values and converts each column once, by its type and the
database's storage form. `tests/test_audit.py` holds this reader to `snapshot()` for every
logged table on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Generator, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, LargeBinary, Table, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

from sulh.clock import as_utc
from sulh.store.types import UTCDateTime

Convert = Callable[[Any], Any]
BATCH = 5000


def stream_rows(session: Session, table: Table, where: list[Any]) -> Iterator[dict[str, Any]]:
    """`table`'s rows matching `where`, in primary-key order, as the log records them."""
    dialect = session.connection().dialect
    key = next(iter(table.primary_key.columns))
    names = [column.key for column in table.columns]
    converters = [
        (index, name, convert)
        for index, (name, column) in enumerate(zip(names, table.columns, strict=True))
        if (convert := _converter(column.type, dialect.name)) is not None
    ]
    query = select(table).where(*where).order_by(key)
    for row in driver_rows(session, query, name=f"audit_{table.name}"):
        values = dict(zip(names, row, strict=True))
        for index, name, convert in converters:
            value = row[index]
            if value is not None:
                values[name] = convert(value)
        yield values


def driver_rows(
    session: Session, query: ClauseElement, *, name: str
) -> Generator[tuple[Any, ...], None, None]:
    """The rows of `query` straight from the driver's cursor, in the session's transaction
    (a server-side cursor called `name` on PostgreSQL), with no type processing."""
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    driver = connection.connection.dbapi_connection
    assert driver is not None
    postgres = connection.dialect.name == "postgresql"
    cursor = driver.cursor(name) if postgres else driver.cursor()
    try:
        cursor.execute(str(compiled))
        while rows := cursor.fetchmany(BATCH):
            yield from rows
    finally:
        cursor.close()


def scalar_columns(table: Table) -> frozenset[str]:
    """Columns that `stream_rows` gives as strings, booleans, integers or nulls only."""
    return frozenset(
        column.key for column in table.columns if not isinstance(column.type, JSON | Float)
    )


def _converter(kind: Any, dialect: str) -> Convert | None:
    if isinstance(kind, UTCDateTime | DateTime):
        return _sqlite_datetime if dialect == "sqlite" else _aware_datetime
    if isinstance(kind, Date):
        return str if dialect == "sqlite" else date.isoformat
    if isinstance(kind, JSON):
        return _json
    if isinstance(kind, Boolean):
        return bool
    if isinstance(kind, LargeBinary):
        return _base64
    return None


def _sqlite_datetime(stored: str) -> str:
    # SQLAlchemy stores UTC as "YYYY-MM-DD HH:MM:SS.ffffff"; isoformat() drops a zero fraction.
    fraction = stored[20:26]
    whole = f"{stored[:10]}T{stored[11:19]}"
    return f"{whole}.{fraction}+00:00" if fraction.strip("0") else f"{whole}+00:00"


def _aware_datetime(value: datetime) -> str:
    return as_utc(value).isoformat()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _base64(value: bytes | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode()
