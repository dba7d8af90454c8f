"""What a laptop remembers beside its database and outside its backups.

`<database>.ledger.json` holds:

- `erased`: the ids of people whose erasure this laptop has seen (made here, pulled, or
  carried on a USB file), with the time of the erasure.  A restored backup, or a USB file
  made before an erasure, may still hold such a person whole; the restore and the import
  apply these erasures again before the data is used, offline too.
- `codes`: the highest registration number this laptop issued per device tag, and
  `audit_id`: its highest audit-log id, as of its last sync.  A laptop restored from an
  older backup continues after them, so it never issues a code or an audit id the branch
  has already received (together with the database being replaced, read at the restore).
  When neither exists (a new disk), the branch tells them at the next sync and new codes
  continue after a safety gap until then (bpjs_field/sync/marks.py).

Nothing personal is in it: person ids are random UUIDs, the rest are counters.  The file is
small, written whole (temporary file, fsync, rename) under a lock, and never copied into a
backup, so a restore cannot take it back in time.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import filelock

from bpjs_field.domain.codes import ALPHABET, SEQ_LENGTH, TAG_LENGTH

LOCK_TIMEOUT = 10
# A restored laptop whose marks are unknown until the branch tells it (bpjs_field/sync/marks.py).
MARKS_UNKNOWN = "sync.marks_unknown"
log = logging.getLogger(__name__)


def ledger_path(db_path: Path | str) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".ledger.json")


def load(db_path: Path | str) -> dict[str, Any]:
    """The ledger (empty parts when missing or unreadable: it only ever adds safety)."""
    data: dict[str, Any] = {}
    try:
        data = json.loads(ledger_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    if not isinstance(data, dict):
        data = {}
    erased = data.get("erased")
    codes = data.get("codes")
    audit_id = data.get("audit_id")
    return {"erased": {k: v for k, v in erased.items() if isinstance(k, str)}
            if isinstance(erased, dict) else {},
            "codes": {k: v for k, v in codes.items() if isinstance(v, int)}
            if isinstance(codes, dict) else {},
            "audit_id": audit_id if isinstance(audit_id, int) else 0}


def _update(db_path: Path | str, change: Any) -> None:
    path = ledger_path(db_path)
    with filelock.FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT):
        data = load(db_path)
        change(data)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"), sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


def note_erased(db_path: Path | str, erased: dict[str, str]) -> None:
    """Remember erasures (person id -> time erased)."""
    if not erased:
        return

    def add(data: dict[str, Any]) -> None:
        for person_id, at in erased.items():
            data["erased"].setdefault(person_id, at)
    _update(db_path, add)


def code_number(code: str) -> int:
    seq = 0
    for ch in code[TAG_LENGTH:TAG_LENGTH + SEQ_LENGTH]:
        seq = seq * 32 + ALPHABET.index(ch)
    return seq


def marks_of(conn: Any) -> dict[str, Any]:
    """High-water marks read from a laptop database connection: per device tag the highest
    registration number, and the highest audit id."""
    codes: dict[str, int] = {}
    tags = {r[0] for r in conn.execute("SELECT json_extract(value, '$') FROM settings "
                                       "WHERE key = 'device_tag'")}
    for tag in tags:
        if not isinstance(tag, str) or len(tag) != TAG_LENGTH:
            continue
        last = conn.execute("SELECT max(code) FROM registrations WHERE code >= ? AND code < ?",
                            (tag, tag + "~")).fetchone()[0]
        if last:
            codes[tag] = code_number(last)
    audit_id = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
    return {"codes": codes, "audit_id": int(audit_id)}


def merge_marks(*found: dict[str, Any]) -> dict[str, Any]:
    codes: dict[str, int] = {}
    audit_id = 0
    for marks in found:
        for tag, n in marks.get("codes", {}).items():
            codes[tag] = max(codes.get(tag, 0), n)
        audit_id = max(audit_id, marks.get("audit_id", 0))
    return {"codes": codes, "audit_id": audit_id}


def note_marks(store: Any) -> None:
    """After a sync: what this laptop has sent cannot be issued again after a restore."""
    if store.path is None or str(store.path) == ":memory:":
        return
    found = marks_of(store.db.conn)
    known = load(store.path)
    if merge_marks(known, found) == {"codes": known["codes"], "audit_id": known["audit_id"]}:
        return  # the ledger holds them already: nothing to write

    def raise_marks(data: dict[str, Any]) -> None:
        merged = merge_marks(data, found)
        data["codes"], data["audit_id"] = merged["codes"], merged["audit_id"]
    _update(store.path, raise_marks)


def after_erasure(store: Any, erased: dict[str, str]) -> None:
    """Once an erasure is committed (called by `Store.write`): note it in the ledger and
    checkpoint, so the WAL no longer holds the old pages."""
    if store.path is not None and str(store.path) != ":memory:":
        try:
            note_erased(store.path, erased)
        except (OSError, TimeoutError) as exc:  # the erasure stands; the next one notes all again
            log.warning("erasure ledger not written: %s", type(exc).__name__)
    from bpjs_field.store.maintenance import checkpoint
    checkpoint(store)


def unknown_marks(store: Any) -> dict[str, Any] | None:
    value = store.get_setting(MARKS_UNKNOWN)
    return value if isinstance(value, dict) else None


def gapped_floor(store: Any, tag: str) -> int:
    """While the marks are unknown: the number new codes of `tag` continue after (0 else)."""
    state = unknown_marks(store)
    codes = state.get("codes") if state else None
    value = codes.get(tag) if isinstance(codes, dict) else None
    return value if isinstance(value, int) else 0
