"""The laptop as a replica: writing pulled rows into the store, inside the caller's
`store.write()`.  The columns written are the entities' synced fields
(bpjs_field/domain/entities.py).

Rows from the server are written with plain SQL and never through the
repositories, so they create no change-log entries (they came from the
server and must not go back).  The FTS triggers of migrations.py keep the
search index right as rows are inserted, updated and remapped.

- Officers, events, people, registrations and attendance are upserted by id,
  in that order; foreign keys are checked at commit (`defer_foreign_keys`),
  and the server sends along any row a page refers to.  A registration or
  check-in whose person or event is still not here is held whole and applied
  when it arrives (`bpjs_field.store.held`), never failing its page.
- A person the server merged into another (same NIK on two laptops) is
  replaced: the laptop's registrations and attendance move to the surviving
  id and the local duplicate row is deleted.  The same happens when a
  surviving person arrives whose NIK a local row still holds.
- Attendance is one row per (event, person): a pulled attendance replaces the
  laptop's own row for the same pair.
- A pulled registration whose code a registration of this laptop holds under another id
  is not stored (the laptop's own stays) and is listed as set aside
  (`registration.code: taken`), not dropped unseen.
- Values the officer changed on this laptop that are not yet pushed are kept
  (the next sync pushes them and the server decides by hybrid clock).
- On an encrypted laptop, pulled officer rows also bring the key file in line
  (`bpjs_field.security.branch_accounts`): the branch's officers log in here.

A row that breaks the domain rules every laptop applies is set aside with its reason
(`bpjs_field.store.set_aside`) and the rest of the page applies; the rows naming it
wait (`bpjs_field.store.held`).  Anything else the
laptop cannot store raises `SyncError("sync.bad_response")`; the caller's transaction
then rolls back the whole page.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.entities import (ATTENDANCE, EVENT, OFFICER, PERSON, PRINT, REGISTRATION,
                                       STATUS, SYNCED_ENTITIES)
from bpjs_field.domain.names import name_key
from bpjs_field.store import changelog
from bpjs_field.store.connection import IntegrityError, InterfaceError, ProgrammingError
from bpjs_field.store.store import utc_now

if TYPE_CHECKING:
    from bpjs_field.store.store import Store
    from bpjs_field.errors import SyncError
    from bpjs_field.protocol import Doc

ORDER = {entity.name: i for i, entity in enumerate(SYNCED_ENTITIES)}
PRINT_COLUMNS = PRINT.synced
OFFICER_COLUMNS = OFFICER.synced
EVENT_COLUMNS = EVENT.synced
# An alias (merged_into) is not stored: its rows move to the survivor (merge_local).
PERSON_COLUMNS = tuple(c for c in PERSON.synced if c != "merged_into") + ("name_key", "updated_at")
REGISTRATION_COLUMNS = REGISTRATION.synced + ("updated_at",)
ATTENDANCE_COLUMNS = ATTENDANCE.synced
FOLLOWUP_KEPT = frozenset(STATUS)
# Never overwritten by an update from the server.
KEEP_ON_UPDATE = {"id", "created_at", "created_device"}


@dataclass
class ApplyStats:
    applied: int = 0
    merged: int = 0
    skipped: int = 0
    deleted: int = 0
    set_aside: int = 0
    held: int = 0  # waiting for their person or event (store/held.py)

    def add(self, other: "ApplyStats") -> None:
        self.set_aside += other.set_aside
        self.held += other.held
        self.applied += other.applied
        self.merged += other.merged
        self.skipped += other.skipped
        self.deleted += other.deleted


def _upsert_sql(table: str, columns: tuple[str, ...], keep: set[str] = frozenset()) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns
                        if c not in KEEP_ON_UPDATE and c not in keep)
    return (f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT(id) DO UPDATE SET {updates}")


def _bad(detail: str) -> "SyncError":
    from bpjs_field.errors import SyncError
    return SyncError("sync.bad_response", detail=detail[:120])


@dataclass(frozen=True)
class ReplicaHooks:
    """What a pulled page asks of the layer above the store, passed in by the caller (the
    sync engine, a hand-carried file) so that the store imports nothing above it:
    `accounts(store, officer_rows)` brings the login key file in line with pulled officer
    rows (bpjs_field/security/branch_accounts.py)."""
    accounts: Callable[["Store", list[dict[str, Any]]], Any]


class PageApplier:
    def __init__(self, store: "Store", sent_column: str, hooks: ReplicaHooks) -> None:
        self.s = store
        self.hooks = hooks
        self.db = store.db
        self.now = utc_now()
        self.stats = ApplyStats()
        self.pending_fields: dict[tuple[str, str], set[str]] = {}
        self.pending_deletes: set[tuple[str, str]] = set()
        self.officer_rows: list[dict[str, Any]] = []  # applied officer rows, for the key file
        self.code_taken: list[tuple[Doc, str]] = []  # registrations whose code a local one holds
        # This laptop's own edits not yet at the server being pulled from (`sent_column`: the
        # branch's `sent_at` or the event hub's `hub_sent_at`) keep their fields until pushed.
        # Changes carried for other laptops (a USB file, the hub's relay: they hold their
        # origin's signature) are not edits of this laptop: the server's merged row wins.
        if sent_column not in ("sent_at", "hub_sent_at"):
            raise ValueError(sent_column)
        for entity, entity_id, op, payload in changelog.own_unsent(store, sent_column):
            if op == "delete":
                self.pending_deletes.add((entity, entity_id))
            else:
                self.pending_fields.setdefault((entity, entity_id), set()).update(payload)

    def apply(self, docs: list[Doc]) -> ApplyStats:
        from bpjs_field.store import held, set_aside
        docs, aside = set_aside.screen(self.s, docs)
        # A registration or check-in whose person or event is not here waits, whole, and
        # applies when it comes (store/held.py): one such row no longer fails the page.
        docs, waiting = held.sort_out(self.s, docs)
        set_aside.record(self.s, docs, aside + waiting)
        self.stats.set_aside = len(aside)
        self.stats.held = len(waiting)
        self.db.execute("PRAGMA defer_foreign_keys = ON")
        groups: dict[str, list[Doc]] = defaultdict(list)
        for doc in docs:
            groups[doc.entity].append(doc)
        try:
            for entity in sorted(groups, key=ORDER.__getitem__):
                getattr(self, f"_{entity}")(groups[entity])
            if self.s.key is not None and self.officer_rows:
                # Accounts of the branch can log in here (see security/branch_accounts.py).
                self.hooks.accounts(self.s, self.officer_rows)
            if self.code_taken:
                set_aside.record(self.s, [], self.code_taken)
                self.stats.set_aside += len(self.code_taken)
        except IntegrityError as exc:
            raise _bad(f"integrity: {exc}") from None
        except InterfaceError + ProgrammingError as exc:
            raise _bad(f"value: {exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise _bad(f"{type(exc).__name__}: {exc}") from None
        return self.stats

    # -- officers and events -------------------------------------------------------------
    def _officer(self, docs: list[Doc]) -> None:
        for doc in docs:
            if doc.deleted or doc.merged_into or not doc.data:
                continue
            d = doc.data
            other = self.s.scalar("SELECT id FROM officers WHERE employee_no = ? AND id <> ?",
                                  (d["employee_no"], doc.id))
            if other:
                # The laptop made this officer before enrolment; the account's id wins.
                self.db.execute("DELETE FROM officers WHERE id = ?", (other,))
                self.db.execute("UPDATE registrations SET officer_id = ? WHERE officer_id = ?",
                                (doc.id, other))
                self.db.execute("UPDATE attendance SET officer_id = ? WHERE officer_id = ?",
                                (doc.id, other))
                self.s.renumber_officer(other, doc.id)
                self.db.execute("UPDATE settings SET value = ? WHERE key = 'current_officer_id' "
                                "AND value = ?", (json.dumps(doc.id), json.dumps(other)))
            self.officer_rows.append(d)
            row = {c: d.get(c) for c in OFFICER_COLUMNS}
            row["id"] = doc.id
            row["active"] = 1 if row["active"] in (None, True, 1) else 0
            row["updated_at"] = row["updated_at"] or row["created_at"] or self.now
            row["created_at"] = row["created_at"] or self.now
            self.db.execute(_upsert_sql("officers", OFFICER_COLUMNS), tuple(row.values()))
            self.stats.applied += 1

    def _event(self, docs: list[Doc]) -> None:
        rows = []
        for doc in docs:
            if doc.deleted or doc.merged_into or not doc.data:
                continue
            row = {c: doc.data.get(c) for c in EVENT_COLUMNS}
            row["id"] = doc.id
            row["targets"] = row["targets"] or "{}"
            row["created_at"] = row["created_at"] or self.now
            row["updated_at"] = row["updated_at"] or row["created_at"]
            rows.append(tuple(row.values()))
        self.db.conn.executemany(_upsert_sql("events", EVENT_COLUMNS), rows)
        self.stats.applied += len(rows)

    # -- people ------------------------------------------------------------------------------
    def merge_local(self, loser: str, winner: str) -> None:
        """Move a local duplicate's registrations and attendance to `winner`, then delete it."""
        self.db.execute(
            "DELETE FROM attendance WHERE person_id = ? AND event_id IN "
            "(SELECT event_id FROM attendance WHERE person_id = ?)", (loser, winner))
        self.db.execute("UPDATE attendance SET person_id = ? WHERE person_id = ?", (winner, loser))
        self.db.execute("UPDATE registrations SET person_id = ? WHERE person_id = ?", (winner, loser))
        from bpjs_field.store.held import follow_merge
        follow_merge(self.s, loser, winner)  # rows waiting for their event name the survivor
        self.db.execute("DELETE FROM people WHERE id = ?", (loser,))
        self.s.audit("sync.merge", "person", loser, into=winner)
        self.stats.merged += 1

    def _person(self, docs: list[Doc]) -> None:
        live = [d for d in docs if not d.merged_into and not d.deleted and d.data]
        aliases = [d for d in docs if d.merged_into]
        niks = {d.data["nik"]: d.id for d in live if d.data.get("nik")}
        clashes: list[tuple[str, str]] = []  # (local loser, incoming winner)
        nik_list = list(niks)
        for start in range(0, len(nik_list), 900):
            chunk = nik_list[start:start + 900]
            for local_id, nik in self.db.execute(
                    f"SELECT id, nik FROM people WHERE nik IN ({','.join('?' * len(chunk))})", chunk):
                if local_id != niks[nik]:
                    clashes.append((local_id, niks[nik]))
        for d in live:
            if d.data.get("passport_no") and not d.data.get("nik"):
                other = self.s.scalar(
                    "SELECT id FROM people WHERE passport_no = ? AND nationality IS ? AND id <> ?",
                    (d.data["passport_no"], d.data.get("nationality"), d.id))
                if other:
                    clashes.append((other, d.id))
        # Free the identity first (the row is deleted below), so the survivor can be stored.
        for loser, _winner in clashes:
            self.db.execute("UPDATE people SET nik = NULL, passport_no = NULL, "
                            "erased_at = coalesce(erased_at, ?) WHERE id = ?", (self.now, loser))
        # People another laptop erased, still whole here: their traces are scrubbed below.
        newly_erased = [row for d in live if d.data.get("erased_at")
                        for row in self.s.query("SELECT id, nik, passport_no FROM people WHERE id = ? "
                                                "AND erased_at IS NULL", (d.id,))]
        groups: dict[frozenset[str], list[tuple]] = defaultdict(list)
        for d in live:
            row = {c: d.data.get(c) for c in PERSON_COLUMNS}
            row["id"] = d.id
            # The server sends name_key (computed once there); older servers did not.
            if not isinstance(row["name_key"], str):
                row["name_key"] = name_key(row["full_name"])
            row["updated_at"] = self.now
            keep = frozenset(self.pending_fields.get(("person", d.id), ()))
            groups[keep].append(tuple(row.values()))
        for keep, rows in groups.items():
            self.db.conn.executemany(_upsert_sql("people", PERSON_COLUMNS, set(keep)), rows)
        self.stats.applied += len(live)
        for loser, winner in clashes:
            self.merge_local(loser, winner)
        if newly_erased:
            from bpjs_field.store.erasure import scrub_pulled_erasures
            scrub_pulled_erasures(self.s, newly_erased)
        for d in aliases:
            if self.s.scalar("SELECT 1 FROM people WHERE id = ?", (d.id,)):
                if self.s.scalar("SELECT 1 FROM people WHERE id = ?", (d.merged_into,)):
                    self.merge_local(d.id, d.merged_into)
                else:
                    self.stats.skipped += 1

    # -- registrations and attendance -------------------------------------------------------
    def _registration(self, docs: list[Doc]) -> None:
        live = [d for d in docs if not d.deleted and d.data]
        codes = {d.data["code"]: d.id for d in live}
        taken: set[str] = set()
        code_list = list(codes)
        for start in range(0, len(code_list), 900):
            chunk = code_list[start:start + 900]
            for local_id, code in self.db.execute(
                    f"SELECT id, code FROM registrations WHERE code IN ({','.join('?' * len(chunk))})",
                    chunk):
                if local_id != codes[code]:
                    taken.add(code)  # two laptops with one device tag: keep the laptop's own
        # A follow-up recorded here and not yet pushed is kept (the next push sends it).
        groups: dict[frozenset[str], list[tuple]] = defaultdict(list)
        for d in live:
            if d.data["code"] in taken:
                # Listed, not dropped unseen: a supervisor sees which row of the branch's
                # this laptop does not hold (its own holds the code).
                self.code_taken.append((d, "registration.code: taken"))
                continue
            row = {c: d.data.get(c) for c in REGISTRATION_COLUMNS}
            row["id"] = d.id
            row["status"] = row["status"] or "baru"
            row["updated_at"] = self.now
            pending = self.pending_fields.get(("registration", d.id), ())
            keep = frozenset(f for f in pending if f in FOLLOWUP_KEPT)
            groups[keep].append(tuple(row.values()))
        for keep, rows in groups.items():
            self.db.conn.executemany(_upsert_sql("registrations", REGISTRATION_COLUMNS, set(keep)),
                                     rows)
            self.stats.applied += len(rows)

    def _attendance(self, docs: list[Doc]) -> None:
        for d in docs:
            if ("attendance", d.id) in self.pending_deletes:
                self.stats.skipped += 1  # undone here, not yet pushed
                continue
            if d.deleted or not d.data:
                done = self.db.execute("DELETE FROM attendance WHERE id = ?", (d.id,))
                self.stats.deleted += done.rowcount
                continue
            row = {c: d.data.get(c) for c in ATTENDANCE_COLUMNS}
            row["id"] = d.id
            # One attendance per (event, person): the server's row replaces this laptop's scan.
            self.db.execute("DELETE FROM attendance WHERE event_id = ? AND person_id = ? AND id <> ?",
                            (row["event_id"], row["person_id"], d.id))
            self.db.execute(_upsert_sql("attendance", ATTENDANCE_COLUMNS), tuple(row.values()))
            self.stats.applied += 1


    def _print(self, docs: list[Doc]) -> None:
        """Prints made on other laptops: so a reprint anywhere is numbered as a copy."""
        rows = []
        for d in docs:
            if d.deleted or not d.data:
                continue
            row = {c: d.data.get(c) for c in PRINT_COLUMNS}
            row["id"] = d.id
            row["copies"] = row["copies"] or 1
            row["is_reprint"] = row["is_reprint"] or 0
            row["device_id"] = row["device_id"] or "?"
            rows.append(tuple(row.values()))
        self.db.conn.executemany(
            f"INSERT OR IGNORE INTO print_log({', '.join(PRINT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(PRINT_COLUMNS))})", rows)
        self.stats.applied += len(rows)


def apply_docs(store: "Store", docs: list[Doc], sent_column: str, hooks: ReplicaHooks) -> ApplyStats:
    """Apply one pulled page inside the caller's `store.write()`.  Should the tables refuse
    the page all the same (a constraint no check above foresaw), it is applied again row by
    row, each in a savepoint of its own, and only the rows they refuse are set aside (with
    the table's reason: constraint and column names, never values): no single row holds up
    the pull, and the cursor moves on."""
    from bpjs_field.errors import SyncError
    applier = PageApplier(store, sent_column, hooks)
    try:
        with store.write():  # a savepoint inside the caller's transaction
            return applier.apply(docs)
    except SyncError as exc:
        if exc.code != "sync.bad_response" or not docs:
            raise
    from bpjs_field.store import set_aside
    stats = ApplyStats()
    refused: list[tuple[Doc, str]] = []
    for doc in sorted(docs, key=lambda d: ORDER[d.entity]):
        one = copy.copy(applier)  # the pending edits read once, for every row
        one.stats, one.officer_rows, one.code_taken = ApplyStats(), [], []
        try:
            with store.write():
                stats.add(one.apply([doc]))
        except SyncError as exc:
            if exc.code != "sync.bad_response":
                raise
            refused.append((doc, f"{doc.entity}.row: {exc.params.get('detail', '')}"[:200]))
    if refused:
        set_aside.record(store, [], refused)
        stats.set_aside += len(refused)
    return stats
