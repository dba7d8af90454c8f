"""Encrypting an existing plain laptop database in place (first start on a laptop that
already holds a plain database; bpjs_field/security/session.py, create_protected)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from bpjs_field.errors import KnownError
from bpjs_field.store.connection import CIPHER_PRAGMAS, cipher, raw_connect

log = logging.getLogger(__name__)


def encrypt_file(db_path: Path, key: bytes) -> None:
    """Encrypt a plain database in place with `sqlcipher_export`; the plain file is
    overwritten only after the encrypted copy passed its integrity check."""
    if cipher is None:  # pragma: no cover
        raise KnownError("security.no_cipher")
    target = db_path.with_name(db_path.name + ".encrypting")
    target.unlink(missing_ok=True)
    plain = cipher.connect(str(db_path), isolation_level=None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        for pragma in CIPHER_PRAGMAS:
            plain.execute(pragma.replace("PRAGMA ", "PRAGMA encrypted.", 1))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    check = raw_connect(target, key)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise KnownError("storage.corrupt", detail="encrypted copy")
    finally:
        check.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(target, db_path)
    log.info("database encrypted in place")
