"""`Store`: the one object that owns the database file.

It opens and migrates the file, knows which laptop (device) and officer is
writing, and gives every write the same frame: one transaction that holds the
change itself, its entry in the change log (for sync) and its audit entry, so
none of the three can exist without the others.  Repositories for people,
registrations, attendance, events and search hang off it.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils
from uuid6 import uuid7

from bpjs_field.domain.codes import new_device_tag
from bpjs_field.store import changelog
from bpjs_field.store.connection import open_database, translate_errors
from bpjs_field.store.hlc import HybridClock
from bpjs_field.store.migrations import migrate
from bpjs_field.store.session import NO_LOGIN, ChangeSigner, Session

log = logging.getLogger(__name__)


def utc_now() -> str:
    """Current time as ISO 8601 UTC with milliseconds (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def new_id() -> str:
    """A new row id: a UUIDv7, whose leading 48 bits are the time in milliseconds.

    New ids sort after older ones, so each save appends to the right edge of the
    id indexes (people, registrations, their person index, the change log)
    instead of landing on a random page of each: fewer pages read, split and
    written per registration, which the encrypted database pays for twice.
    Ids stay unique across laptops (74 random bits per id) and opaque to sync."""
    return str(uuid7())


# One encoder for every call: `json.dumps` with these settings builds a new one each time.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dumps(value: Any) -> str:
    """Canonical JSON of a setting, an audit entry's details or a stored structure."""
    return _ENCODER.encode(value)


def read_setting(conn: Any, key: str) -> Any:
    """A setting read on a connection of its own to a laptop database (a backup's snapshot,
    the database a restore replaces); None when missing."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else json.loads(row[0])


class Store:
    """The laptop's database.  Not thread-safe: the GUI uses it from one worker thread."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None,
                 key: bytes | None = None, session: Session | None = None) -> None:
        self.db = db
        self.path = path
        # The SQLCipher key (None: a plain database, as tests and the demo use);
        # kept so backups can be written encrypted under the same key.
        self.key = key
        # Who works on this store, fixed at open (store/session.py).  Without a login the
        # officer is the one remembered in the settings (store/views.py, current_officer).
        self._session = session or NO_LOGIN
        self._remembered: str | None = None
        self._write_depth = 0
        # Erasures written in the open transaction (person id -> time): once committed, the
        # WAL is checkpointed and the ledger notes them (store/ledger.py:after_erasure).
        self._erased_now: dict[str, str] = {}
        self._checkpoint_due = False
        self.device_id = self._ensure_setting("device_id", new_id)
        self.device_tag = self._ensure_setting("device_tag", new_device_tag)
        self.clock = HybridClock(self.device_id, changelog.last_hlc(db))
        from bpjs_field.store.attendance import AttendanceRepo
        from bpjs_field.store.events import EventRepo, OfficerRepo
        from bpjs_field.store.people import PeopleRepo
        from bpjs_field.store.registrations import RegistrationRepo
        from bpjs_field.store.search import SearchIndex
        self.people = PeopleRepo(self)
        self.registrations = RegistrationRepo(self)
        self.attendance = AttendanceRepo(self)
        self.events = EventRepo(self)
        self.officers = OfficerRepo(self)
        self.search_index = SearchIndex(self)
        if self._session.employee_no and self._session.officer_id is None:
            row = self.officers.by_employee_no(self._session.employee_no)
            if row is not None:
                self._session = replace(self._session, officer_id=row["id"])

    # -- opening ---------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, key: bytes | None = None,
             session: Session | None = None) -> "Store":
        """Open (and migrate) the file; with `key` it is a SQLCipher database; `session`:
        the logged-in officer, fixed for as long as the store is open.

        A database protected by a key file (`<db>.keys.json`) cannot be opened
        without its key: use `bpjs_field.security.session.unlock()`."""
        path = Path(path)
        if key is None and str(path) != ":memory:":
            # the key file's name (bpjs_field.security.keys.keys_path), without importing
            # the crypto libraries for every plain open
            if path.with_name(path.name + ".keys.json").exists():
                from bpjs_field.errors import KnownError
                raise KnownError("security.needs_login")
        db = open_database(path, key)
        with translate_errors():
            migrate(db, path, key=key)
        return cls(db, path, key, session)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    # -- who works on it (fixed at open) -----------------------------------------
    @property
    def session(self) -> Session:
        """The session to open another connection to this database with (the sync and hub
        threads): the login, or on a plain database the officer remembered here."""
        if self._session.officer_id is None and self._remembered is not None:
            return replace(self._session, officer_id=self._remembered)
        return self._session

    @property
    def officer_id(self) -> str | None:
        return self._session.officer_id or self._remembered

    @property
    def role(self) -> str | None:
        """Role of the logged-in account ("officer"/"supervisor"); None = no login (plain
        databases, tests, command line on a plain file): nothing is restricted."""
        return self._session.role

    @property
    def signer(self) -> ChangeSigner | None:
        """Signs a supervisor's edits when the account came from the branch server
        (bpjs_field/security/signing.py)."""
        return self._session.signer

    def remember_officer(self, officer_id: str | None) -> None:
        """Without a login: the officer this laptop remembers works on it (store/views.py).
        A logged-in officer is fixed for as long as the store is open: another officer logs
        in instead (an account without an officer row yet takes the remembered one)."""
        fixed = self._session.officer_id
        if fixed is not None and self._session.role is not None and officer_id != fixed:
            from bpjs_field.errors import KnownError
            raise KnownError("security.session_fixed")
        self._remembered = officer_id

    def renumber_officer(self, old: str, new: str) -> None:
        """Enrolment gave the officer at work the branch account's id (sync's apply)."""
        if self._session.officer_id == old:
            self._session = replace(self._session, officer_id=new)
        if self._remembered == old:
            self._remembered = new

    def _follow_renumbered_officer(self) -> None:
        """The window keeps one connection and syncs on another (ui/sync/controller.py): when
        that sync gave the officer at work the branch account's id (the laptop-made officer
        row gives way to the account's, store/replica.py), this connection writes with the
        new id from its next write on, never with one the branch has no officer for.  One
        lookup by primary key per write."""
        old = self.officer_id
        if old is None or self.db.conn.execute("SELECT 1 FROM officers WHERE id = ?", (old,)).fetchone():
            return
        if self._session.employee_no:
            row = self.officers.by_employee_no(self._session.employee_no)
            new = row["id"] if row else None
        else:
            from bpjs_field.store.views import CURRENT_OFFICER
            new = self.get_setting(CURRENT_OFFICER)
        if isinstance(new, str) and new != old:
            self.renumber_officer(old, new)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.db.execute("PRAGMA optimize")
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ------------------------------------------------------
    @contextlib.contextmanager
    def _immediate(self) -> Iterator[None]:
        """The outermost write takes the write lock first (`BEGIN IMMEDIATE`, waiting up to the
        busy timeout).  A deferred transaction that reads and then writes fails at once with
        "database is locked" when another connection (the hub's link, every 2 s) committed in
        between; the busy timeout does not cover that case."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._follow_renumbered_officer()
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """One atomic, durable write; known SQLite failures become KnownErrors."""
        self._write_depth += 1
        committed = False
        try:
            with translate_errors(), self._immediate(), self.db.atomic():
                yield
            committed = True
        finally:
            self._write_depth -= 1
            if self._write_depth == 0 and self._checkpoint_due:
                erased, self._erased_now, self._checkpoint_due = self._erased_now, {}, False
                if committed:
                    from bpjs_field.store.ledger import after_erasure
                    after_erasure(self, erased)

    def note_erasure(self, person_id: str | None, at: str | None) -> None:
        """An erasure is part of the open write: checkpoint (and note it) after the commit."""
        self._checkpoint_due = True
        if person_id:
            self._erased_now[person_id] = at or utc_now()

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def query_one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        cursor = self.db.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row))

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None

    # -- settings ----------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any, *, canonical: bool = True) -> None:
        """`canonical=False` keeps a dict's key order (reference files as the branch sent them)."""
        text = dumps(value) if canonical else json.dumps(value, ensure_ascii=False)
        with self.write():
            self.db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, text))

    def adopt_device_id(self, device_id: str) -> None:
        """Take the device id the branch server issued at enrolment (inside `write()`).
        Changes not yet sent are stamped with it, since the server accepts a laptop's
        changes only under its own id; what was sent keeps the id it went under."""
        changelog.restamp_unsent(self, device_id)
        self.set_setting("device_id", device_id)
        self.audit("sync.device_id", "device", device_id, previous=self.device_id)
        self.device_id = device_id
        clock = HybridClock(device_id, changelog.last_hlc(self.db), self.clock.offset_ms)
        clock.observe(self.clock.now())
        self.clock = clock

    def _ensure_setting(self, key: str, make: Any) -> Any:
        value = self.get_setting(key)
        if value is None:
            value = make()
            self.set_setting(key, value)
        return value

    # -- change log and audit (called inside write()) ------------------------
    def record_change(self, entity: str, entity_id: str, payload: dict[str, Any],
                      op: str = "upsert", *, signed: bool = False) -> str:
        """Append to the sync change log, in the caller's transaction.  `signed`: a change
        only a supervisor may make, signed when the officer at work has a branch key."""
        change_id, hlc, signature = new_id(), self.clock.now(), None
        if signed and self.signer is not None:
            signature = self.signer(change_id, entity, entity_id, op, hlc, payload)
        changelog.record(self, (change_id, entity, entity_id, op, changelog.payload_text(payload),
                                hlc, utc_now(), signature))
        return change_id

    def audit(self, action: str, entity: str | None = None, entity_id: str | None = None,
              **details: Any) -> None:
        """Append-only audit entry.  Details hold ids and codes only, never personal data."""
        self.db.execute(
            "INSERT INTO audit_log(at, officer_id, device_id, action, entity, entity_id, details) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (utc_now(), self.officer_id, self.device_id, action, entity, entity_id, dumps(details)))

    # -- drafts (half-typed forms survive a crash) ---------------------------
    def save_draft(self, form: str, data: dict[str, Any]) -> None:
        if isinstance(data.get("nik"), str):
            # Stored as the NIK itself, however it was typed ("3216 0912…", "3216.09…"),
            # so an erasure finds the draft (store/erasure.py).
            from bpjs_field.domain.nik import clean_nik
            data = {**data, "nik": clean_nik(data["nik"])}
        with self.write():
            self.db.execute(
                "INSERT INTO drafts(form, data, saved_at) VALUES (?, ?, ?) ON CONFLICT(form) "
                "DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
                (form, dumps(data), utc_now()))

    def load_draft(self, form: str) -> dict[str, Any] | None:
        value = self.scalar("SELECT data FROM drafts WHERE form = ?", (form,))
        return json.loads(value) if value else None

    def clear_draft(self, form: str) -> None:
        with self.write():
            self.db.execute("DELETE FROM drafts WHERE form = ?", (form,))

    # -- figures ---------------------------------------------------------------
    def pending_changes(self) -> int:
        return changelog.pending(self)

    def stats(self) -> dict[str, Any]:
        by_segment = {row["segment"]: row["n"] for row in self.query(
            "SELECT segment, count(*) AS n FROM registrations GROUP BY segment")}
        return {
            "people": self.people.count(),
            "registrations": self.scalar("SELECT count(*) FROM registrations"),
            "registrations_by_segment": by_segment,
            "attendance": self.scalar("SELECT count(*) FROM attendance"),
            "events": self.scalar("SELECT count(*) FROM events WHERE deleted_at IS NULL"),
            "officers": self.scalar("SELECT count(*) FROM officers"),
            "pending_changes": self.pending_changes(),
        }

    def integrity_check(self) -> str:
        return self.scalar("PRAGMA integrity_check")

    def quick_check(self) -> str:
        return self.scalar("PRAGMA quick_check")
