"""Local storage: one SQLite file (WAL, durable commits) owned by `Store`; no SQL outside this package."""

from bpjs_field.store.connection import open_database
from bpjs_field.store.store import Store

__all__ = ["Store", "open_database"]
