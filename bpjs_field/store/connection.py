"""Opening the SQLite file and telling known failures from bugs.

Every connection runs in WAL mode with `synchronous=FULL`, so a committed
registration survives a power cut, and with a busy timeout so a second
process waits instead of failing at once.  `translate_errors()` turns SQLite's
disk-full, locked, read-only and corrupt errors into `KnownError`s with a
message for the officer (qutebrowser's KnownError/BugError split).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from bpjs_field.errors import (StorageCorruptError, StorageFullError, StorageLockedError,
                               StorageOpenError, StorageReadOnlyError)

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-32000",
)


def connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    with translate_errors():
        for pragma in PRAGMAS:
            conn.execute(pragma)
    return conn


def open_database(path: Path | str) -> sqlite_utils.Database:
    """A sqlite-utils Database over a tuned connection; the folder is created if needed."""
    path = Path(path)
    try:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite_utils.Database(connect(path))
    except OSError as exc:
        raise StorageOpenError(path=str(path), detail=exc.strerror or str(exc)) from exc
    except sqlite3.OperationalError as exc:
        if "unable to open" in str(exc):
            raise StorageOpenError(path=str(path), detail=str(exc)) from exc
        raise


def is_disk_full(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "database or disk is full" in str(exc)


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if is_disk_full(exc):
            raise StorageFullError() from exc
        if "locked" in text or "busy" in text:
            raise StorageLockedError() from exc
        if "readonly" in text or "read-only" in text:
            raise StorageReadOnlyError() from exc
        if "disk I/O error" in text:
            raise StorageFullError() from exc
        raise
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if is_disk_full(exc):
            raise StorageFullError() from exc
        if "malformed" in text or "not a database" in text:
            raise StorageCorruptError(detail=text) from exc
        raise
