"""The record's storage: engine, tables, migrations, the write path and tier-aware queries."""

from sulh.store.engine import make_engine
from sulh.store.migrate import upgrade
from sulh.store.writer import RecordIntegrityError, Store, Writer, agreement_in_force

__all__ = [
    "RecordIntegrityError",
    "Store",
    "Writer",
    "agreement_in_force",
    "make_engine",
    "upgrade",
]
