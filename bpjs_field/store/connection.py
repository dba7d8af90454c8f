"""Opening the SQLite file and telling known failures from bugs.

Every connection runs in WAL mode with `synchronous=FULL`, so a committed
registration survives a power cut, and with a busy timeout so a second
process waits instead of failing at once.  `translate_errors()` turns SQLite's
disk-full, locked, read-only and corrupt errors into `KnownError`s with a
message for the officer (qutebrowser's KnownError/BugError split).

With a `key` (32 random bytes, see `bpjs_field.security.keys`) the file is a
SQLCipher database opened through `sqlcipher3`.  Its exceptions are not
`sqlite3` subclasses, so the store catches the tuples below (`OperationalError`,
`DatabaseError`, `IntegrityError`, ...) that hold both kinds.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from bpjs_field.errors import (KnownError, StorageCorruptError, StorageFullError,
                               StorageLockedError, StorageOpenError, StorageReadOnlyError)

try:  # the wheel exists for every platform we ship; a source checkout without it stays usable
    from sqlcipher3 import dbapi2 as cipher
except ImportError:  # pragma: no cover
    cipher = None  # type: ignore[assignment]


def _both(name: str) -> tuple[type[BaseException], ...]:
    kinds: tuple[type[BaseException], ...] = (getattr(sqlite3, name),)
    if cipher is not None:
        kinds += (getattr(cipher, name),)
    return kinds


OperationalError = _both("OperationalError")
DatabaseError = _both("DatabaseError")
IntegrityError = _both("IntegrityError")
InterfaceError = _both("InterfaceError")
ProgrammingError = _both("ProgrammingError")
KEY_BYTES = 32
# SQLCipher 4 defaults except the page HMAC: SHA-256 instead of SHA-512 costs
# noticeably less per written page (a registration writes a few dozen) and is
# still a standard MAC.  Every keyed connection, export and backup uses the same
# settings; a file written with other settings does not open with these.
CIPHER_PRAGMAS = ("PRAGMA cipher_hmac_algorithm = HMAC_SHA256",)

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-32000",
    # Freed pages and cells are zeroed, so an erased person's values do not linger in the
    # file (erasure also checkpoints the WAL once committed).
    "PRAGMA secure_delete=ON",
    # ANALYZE (and `PRAGMA optimize` on closing) samples about this many rows of each
    # index instead of reading it whole: a few ms instead of 219 ms at a million
    # people, and the planner's choices here do not need exact counts.
    "PRAGMA analysis_limit=1000",
)


def key_pragma(key: bytes) -> str:
    """`PRAGMA key` with a raw 256-bit key (no SQLCipher-side key derivation: our key
    is random, and the officers' passwords are stretched by argon2id instead)."""
    if len(key) != KEY_BYTES:
        raise ValueError("database key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def raw_connect(path: Path | str, key: bytes | None = None, **kwargs: Any) -> Any:
    """A bare connection (plain sqlite3 without key, keyed SQLCipher with one),
    checked readable: a wrong key raises `KnownError('security.wrong_key')`."""
    if key is None:
        return sqlite3.connect(str(path), **kwargs)
    if cipher is None:  # pragma: no cover
        raise KnownError("security.no_cipher")
    conn = cipher.connect(str(path), **kwargs)
    try:
        # SQLCipher prints decryption failures to stderr; we report them ourselves.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(key))
        for pragma in CIPHER_PRAGMAS:
            conn.execute(pragma)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except cipher.DatabaseError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorcode", None) == 26 or "not a database" in str(exc):
            raise KnownError("security.wrong_key") from exc
        raise
    return conn


def connect(path: Path | str, key: bytes | None = None) -> Any:
    conn = raw_connect(path, key, isolation_level=None, check_same_thread=False)
    with translate_errors():
        for pragma in PRAGMAS:
            conn.execute(pragma)
    return conn


def is_encrypted(conn: Any) -> bool:
    return cipher is not None and isinstance(conn, cipher.Connection)


def open_database(path: Path | str, key: bytes | None = None) -> sqlite_utils.Database:
    """A sqlite-utils Database over a tuned connection; the folder is created if needed."""
    path = Path(path)
    try:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite_utils.Database(connect(path, key))
    except OSError as exc:
        raise StorageOpenError(path=str(path), detail=exc.strerror or str(exc)) from exc
    except OperationalError as exc:
        if "unable to open" in str(exc):
            raise StorageOpenError(path=str(path), detail=str(exc)) from exc
        raise


def is_disk_full(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == 13 or "database or disk is full" in str(exc)


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
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
    except DatabaseError as exc:
        text = str(exc)
        if is_disk_full(exc):
            raise StorageFullError() from exc
        if "malformed" in text or "not a database" in text:
            raise StorageCorruptError(detail=text) from exc
        raise
