"""Rotating backups of the laptop database, and restoring one.

Backups are made with SQLite's online backup API (never a file copy of a live
WAL database), checked with `PRAGMA integrity_check` right after, and rotated
so the newest `backups_keep` (a setting, default 10) stay.  The app makes one
on closing and whenever the newest is more than a day old.  A restore checks
the backup is whole first and keeps the current database aside, then copies
the backup into place through the same API.

An encrypted (SQLCipher) database is backed up between two connections keyed
with the same database key, so a backup is as unreadable as the database
without an officer's password.  Each such backup carries a copy of the key file
as it was (`<backup>.keys.json`: the key wrapped by each officer's password,
useless without one), so a backup copied away with its key file still opens
with a password valid on the day it was taken, even if the laptop's own key
file is lost.

A backup is a picture of the past, so a restore brings the present back into it
before the database is used (`_bring_up_to_date`): every erasure the laptop has
seen since (its ledger outside the backups, and the database being replaced) is
applied again, an erasure made here and not yet sent is queued again, and the
laptop continues after the highest registration number and audit id it had
issued, so nothing it issues afterwards collides with what the branch already
received.  Backups rotate away after `backups_keep` of them (at least one a day,
so about that many days): until then an older backup holds an erased person
whole, and only a restore, which re-applies the erasure, reads it back.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bpjs_field.errors import BpjsFieldError, KnownError, StorageFullError
from bpjs_field.store.connection import DatabaseError, OperationalError, raw_connect, translate_errors
from bpjs_field.store.migrations import LATEST
from bpjs_field.store.store import Store

log = logging.getLogger(__name__)
KEEP_SETTING = "backups_keep"
DEFAULT_KEEP = 10
PREFIX = "bpjs_field-"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int


def backup_dir(db_path: Path) -> Path:
    path = db_path.parent / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of this database, newest first."""
    out = []
    for path in backup_dir(db_path).glob(f"{PREFIX}*.sqlite3"):
        parts = path.stem[len(PREFIX):].split("-", 3)
        try:
            taken = datetime.strptime("".join(parts[:3]), "%Y%m%d%H%M%S%f").replace(tzinfo=timezone.utc)
        except (IndexError, ValueError):
            continue
        out.append(BackupInfo(path, taken, parts[3] if len(parts) > 3 else "", path.stat().st_size))
    return sorted(out, key=lambda b: b.taken_at, reverse=True)


def verify_backup(path: Path, key: bytes | None = None) -> None:
    """Raise KnownError unless `path` is a whole bpjs_field database this version can read
    (with `key`, an encrypted one)."""
    if not path.is_file():
        raise BpjsFieldError("file.missing", path=str(path))
    try:
        conn = raw_connect(f"file:{path}?mode=ro", key, uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except DatabaseError as exc:
        raise KnownError("backup.damaged", path=path.name, detail=str(exc)) from exc
    if result != "ok":
        raise KnownError("backup.damaged", path=path.name, detail=result[:200])
    if not {"people", "registrations", "change_log"} <= tables or not 1 <= version <= LATEST:
        raise KnownError("backup.foreign", path=path.name)


def key_file_copy(backup_path: Path) -> Path:
    """Where a backup keeps its copy of the key file (the name `session.unlock` looks for)."""
    return backup_path.with_name(backup_path.name + ".keys.json")


def create_backup(store: Store, reason: str = "manual") -> BackupInfo:
    assert store.path is not None
    folder = backup_dir(store.path)
    now = datetime.now(timezone.utc)
    target = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    partial = target.with_suffix(".partial")
    with translate_errors():
        dest = raw_connect(partial, store.key)
        try:
            store.db.conn.backup(dest)
            # one self-contained file: a WAL-mode copy opened read-only by the check
            # below would leave -wal/-shm files beside it
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    verify_backup(partial, store.key)
    keys = key_file_copy(store.path)
    if store.key is not None and keys.is_file():
        staged = key_file_copy(target).with_suffix(".tmp")
        try:
            shutil.copyfile(keys, staged)
            os.replace(staged, key_file_copy(target))
        except OSError as exc:
            partial.unlink(missing_ok=True)
            staged.unlink(missing_ok=True)
            if exc.errno == errno.ENOSPC:
                raise StorageFullError() from exc
            raise KnownError("storage.open", path=str(staged), detail=exc.strerror or str(exc)) from exc
    partial.rename(target)
    rotate(store)
    log.info("backup written: %s", target.name)
    return BackupInfo(target, now, reason, target.stat().st_size)


def rotate(store: Store) -> list[Path]:
    keep = max(1, int(store.get_setting(KEEP_SETTING, DEFAULT_KEEP)))
    removed = []
    for info in list_backups(store.path)[keep:]:
        info.path.unlink(missing_ok=True)
        key_file_copy(info.path).unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def backup_if_due(store: Store, *, max_age: timedelta = timedelta(days=1)) -> BackupInfo | None:
    """The daily backup: made when the newest is older than `max_age` (or there is none)."""
    newest = next(iter(list_backups(store.path)), None)
    if newest and datetime.now(timezone.utc) - newest.taken_at < max_age:
        return None
    return create_backup(store, "daily")


def restore_backup(db_path: Path, backup_path: Path, key: bytes | None = None) -> Path:
    """Replace the database at `db_path` with a checked backup; returns where the old one was kept.

    The app must be closed (the CLI and the GUI's restore both close their Store first)."""
    verify_backup(backup_path, key)
    from bpjs_field.security import ledger
    now = datetime.now(timezone.utc)
    aside = db_path.with_name(f"{db_path.stem}.before-restore-{now:%Y%m%d-%H%M%S}{db_path.suffix}")
    current = raw_connect(db_path, key, timeout=1, isolation_level=None)
    try:
        try:
            current.execute("BEGIN EXCLUSIVE")
            current.execute("ROLLBACK")
        except OperationalError as exc:
            raise KnownError("storage.locked") from exc
        keep = raw_connect(aside, key)
        try:
            current.backup(keep)
        finally:
            keep.close()
        present = _present(current)
        source = raw_connect(f"file:{backup_path}?mode=ro", key, uri=True)
        try:
            source.backup(current)
        finally:
            source.close()
    finally:
        current.close()
    known = ledger.load(db_path)
    present["erased"] = {**known["erased"], **present["erased"]}
    present["marks"] = ledger.merge_marks(known, present["marks"])
    _bring_up_to_date(db_path, key, backup_path.name, present)
    log.info("database restored from %s; previous kept as %s", backup_path.name, aside.name)
    return aside


def _present(conn) -> dict:
    """What the database being replaced knows that an older backup may not: erasures (and
    those not yet sent), and its high-water marks.  Empty when it cannot be read (a damaged
    database is a reason to restore): the ledger still holds them."""
    from bpjs_field.security import ledger
    found: dict = {"erased": {}, "unsent": [], "marks": {}}
    try:
        found["erased"] = {r[0]: r[1] for r in conn.execute(
            "SELECT id, erased_at FROM people WHERE erased_at IS NOT NULL")}
        cols = [r[1] for r in conn.execute("PRAGMA table_info(change_log)")]
        found["unsent"] = [dict(zip(cols, r)) for r in conn.execute(
            "SELECT * FROM change_log WHERE sent_at IS NULL AND entity = 'person' "
            "AND json_extract(payload, '$.erased_at') IS NOT NULL")]
        found["marks"] = ledger.marks_of(conn)
    except DatabaseError as exc:
        log.warning("the replaced database could not be read for erasures and marks: %s", exc)
    return found


def _bring_up_to_date(db_path: Path, key: bytes | None, backup_name: str, present: dict) -> None:
    """Re-apply the erasures known since the backup was taken and continue after every code
    and audit id already issued, before anyone uses the restored database."""
    from bpjs_field.security.erasure import apply_known_erasures
    from bpjs_field.store.registrations import CODE_FLOOR_SETTING
    store = Store.open(db_path, key)
    try:
        marks = present["marks"]
        with store.write():
            erased = apply_known_erasures(store, present["erased"])
            columns = {r[1] for r in store.db.execute("PRAGMA table_info(change_log)")}
            for row in present["unsent"]:  # an erasure made here, not yet sent: sent after all
                row = {k: v for k, v in row.items() if k in columns and k != "seq"}
                store.db.execute(f"INSERT OR IGNORE INTO change_log({', '.join(row)}) VALUES "
                                 f"({', '.join('?' * len(row))})", tuple(row.values()))
            floor = dict(store.get_setting(CODE_FLOOR_SETTING) or {})
            for tag, n in marks.get("codes", {}).items():
                floor[tag] = max(int(floor.get(tag, 0)), n)
            store.db.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) "
                             "DO UPDATE SET value = excluded.value",
                             (CODE_FLOOR_SETTING, json.dumps(floor, sort_keys=True)))
            # The restore's own audit entry takes the id after the highest one ever issued,
            # so the entries that follow do not reuse ids the branch already holds.
            last = store.scalar("SELECT coalesce(max(id), 0) FROM audit_log")
            next_id = max(last, int(marks.get("audit_id", 0))) + 1
            store.db.execute(
                "INSERT INTO audit_log(id, at, officer_id, device_id, action, entity, entity_id, "
                "details) VALUES (?, ?, NULL, ?, 'backup.restore', NULL, NULL, ?)",
                (next_id, datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                 store.device_id, json.dumps({"backup": backup_name[:80], "erased_again": erased},
                                             sort_keys=True)))
    finally:
        store.close()
