"""Alembic environment: runs migrations on the engine Sulh hands it."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from sulh.store.tables import Base

engine = context.config.attributes["engine"]


def _pragma(connection: Connection, pragma: str) -> list[Any]:
    # Straight to the driver: through SQLAlchemy it would open a transaction first.
    driver = connection.connection.driver_connection
    assert driver is not None
    return list(driver.execute(f"PRAGMA {pragma}").fetchall())


with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table by copy and drop, which a table others refer to survives
        # only with foreign keys off. The pragma is ignored inside a transaction: set it first.
        _pragma(connection, "foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if sqlite:
        problems = _pragma(connection, "foreign_key_check")
        _pragma(connection, "foreign_keys=ON")
        if problems:
            raise RuntimeError(f"The migration left rows that break foreign keys: {problems[:5]}")
