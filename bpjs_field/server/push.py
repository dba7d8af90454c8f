"""Applying a laptop's pushed batch of changes, exactly once, in one transaction.

The caller opens one write transaction per batch.  `PushApplier.apply()`:

1. drops changes whose `change_id` is already in `applied_changes` (a retry
   after a timeout, a lost response or a crash duplicates nothing; the
   primary key on `applied_changes.change_id` is the final guard inside the
   transaction);
2. applies the rest in the laptop's order, working on an in-memory view of
   the touched rows, loaded in bulk (a few queries per batch, not per change,
   so PostgreSQL over the network stays fast);
3. writes every touched row back with a new revision, plus the change ids,
   scans, conflicts and quarantined changes, with `executemany`.

Rules: a person whose NIK (or passport) is already known becomes an alias
(`merged_into`) of the person who reached the server first, and its fields
fill or, by hybrid-clock order, update the survivor; fields merge one by one,
the later HLC wins, and a losing value is kept in `conflicts`.  Attendance is
a set per (event, person): a second laptop's check-in adds a scan to the same
attendance.  A change that cannot be applied (unknown person, a taken code)
is acknowledged and kept in `quarantine`, so it never blocks the queue; it is
not delivered, though: arriving again, from any laptop, it is tried again.
A change is its origin laptop's (the device of its clock): another laptop may
deliver it only with the origin's signature (`server/quarantine.py`).  A new registration's
code must be under a tag of its origin laptop (`server/tags.py`), else the batch is refused.

Each entity's rules are in `server/handlers.py` (mixed into `PushApplier`), the row and
the fields the server keeps of each entity in `server/rows.py`, both from the entities'
definitions (bpjs_field/domain/entities.py).
"""

from __future__ import annotations

import json
from typing import Any

from bpjs_field.domain.names import name_key
from bpjs_field.domain.records import REQUIRED, check_values
from bpjs_field.server import erasure, quarantine, tags
from bpjs_field.server.consents import CONSENT_FIELDS, newest_consent, store_consents
from bpjs_field.server.db import Tx, marks
from bpjs_field.server.erasure import ERASED_FIELDS, ERASED_REGISTRATION_FIELDS
from bpjs_field.server.handlers import EntityHandlers
from bpjs_field.server.roles import Quarantined
from bpjs_field.server.rows import (FIELDS, FIXED, MAX_ALIAS_HOPS, Doc, InvalidChanges, dumps,
                                    hlc_device, person_ident)
from bpjs_field.protocol import Change

# Importers (server/app.py, handcarry.py, server/erasure.py) and tests find these here.
__all__ = ["Doc", "ERASED_FIELDS", "ERASED_REGISTRATION_FIELDS", "FIELDS", "FIXED",
           "InvalidChanges", "PushApplier", "dumps", "hlc_device", "person_ident"]


class PushApplier(EntityHandlers):
    """Applies one batch inside the caller's write transaction.  `refuse_invalid`: a value
    the domain rules refuse raises `InvalidChanges` (the API answers 422 and the laptop
    parks the change); otherwise (hand-carried files) such a change is quarantined."""

    def __init__(self, tx: Tx, device_id: str, cursor: int, now: str,
                 device_key: str | None = None, *, refuse_invalid: bool = False,
                 device_proof: str | None = None) -> None:
        self.refuse_invalid = refuse_invalid
        self.index = 0  # of the change being applied, in the pushed batch
        self.tx = tx
        self.device = device_id  # the laptop delivering the batch
        self.device_key = device_key
        self.origins = quarantine.Origins(tx)
        # Registration codes only under tags of the laptop that made them (server/tags.py).
        self.tags = tags.Tags(tx, device_id, tags.proven_key(device_id, device_key, device_proof))
        self.not_yours: list[dict[str, Any]] = []  # refused codes (details of the 422)
        self.origin = device_id  # the laptop that made the change being applied
        self._roles: dict[str, str] = {}
        self.erased: list[str] = []  # people erased by this batch (storage reclaimed after)
        self.quarantined_changes: list[dict[str, str]] = []
        self._again: list[tuple] = []
        self._released: list[str] = []
        self._reapplied: list[tuple] = []
        self.cursor = cursor
        self.now = now
        self.docs: dict[tuple[str, str], Doc | None] = {}
        self.idents: dict[tuple[str, str], str | None] = {}
        self.dirty: dict[tuple[str, str], Doc] = {}
        self.scans_new: dict[str, tuple] = {}
        self.known_scans: set[str] = set()
        self.conflicts: list[tuple] = []
        self.quarantine: list[tuple] = []
        self.consents: list[tuple] = []
        self.applied: list[tuple] = []

    # -- loading -------------------------------------------------------------------
    def _load(self, where: str, entity: str, values: list[str]) -> None:
        for start in range(0, len(values), 900):
            chunk = values[start:start + 900]
            for row in self.tx.rows(
                    f"SELECT entity, id, rev, ident, merged_into, deleted, data, meta FROM docs "
                    f"WHERE entity = ? AND {where} IN ({marks(len(chunk))})", (entity, *chunk)):
                self._remember(Doc(row[0], row[1], row[2], row[3], row[4], bool(row[5]),
                                   json.loads(row[6]), json.loads(row[7]), False))

    def _remember(self, doc: Doc) -> None:
        self.docs[(doc.entity, doc.id)] = doc
        if doc.ident:
            self.idents[(doc.entity, doc.ident)] = doc.id

    def preload(self, changes: list[Change]) -> None:
        by_entity: dict[str, set[str]] = {}
        idents: dict[str, set[str]] = {}
        codes: list[Any] = []
        for ch in changes:
            by_entity.setdefault(ch.entity, set()).add(ch.entity_id)
            p = ch.payload
            for key, entity in (("person_id", "person"), ("event_id", "event")):
                if isinstance(p.get(key), str):
                    by_entity.setdefault(entity, set()).add(p[key])
            if ch.entity == "person":
                ident = person_ident(p)
                if ident:
                    idents.setdefault("person", set()).add(ident)
            elif ch.entity == "registration" and p.get("code"):
                idents.setdefault("registration", set()).add(f"code:{p['code']}")
                codes.append(p["code"])
            elif ch.entity == "officer" and p.get("employee_no"):
                idents.setdefault("officer", set()).add(f"emp:{p['employee_no']}")
        self.tags.preload(codes)
        for entity, ids in by_entity.items():
            missing = [i for i in ids if (entity, i) not in self.docs]
            self._load("id", entity, missing)
            for i in missing:
                self.docs.setdefault((entity, i), None)
        for entity, values in idents.items():
            missing = [v for v in values if (entity, v) not in self.idents]
            self._load("ident", entity, missing)
            for v in missing:
                self.idents.setdefault((entity, v), None)
        # Attendance is found by (event, surviving person): resolve aliases first.
        att = set()
        for ch in changes:
            if ch.entity == "attendance" and ch.op == "upsert":
                person = self.resolve(self.get("person", ch.payload.get("person_id")))
                if person is not None and isinstance(ch.payload.get("event_id"), str):
                    att.add(f"{ch.payload['event_id']}|{person.id}")
        missing = [v for v in att if ("attendance", v) not in self.idents]
        self._load("ident", "attendance", missing)
        for v in missing:
            self.idents.setdefault(("attendance", v), None)
        scan_ids = [ch.entity_id for ch in changes if ch.entity == "attendance" and ch.op == "upsert"]
        for start in range(0, len(scan_ids), 900):
            chunk = scan_ids[start:start + 900]
            self.known_scans.update(r[0] for r in self.tx.rows(
                f"SELECT id FROM scans WHERE id IN ({marks(len(chunk))})", chunk))

    def get(self, entity: str, id: Any) -> Doc | None:
        if not isinstance(id, str) or not id:
            return None
        key = (entity, id)
        if key not in self.docs:
            self._load("id", entity, [id])
            self.docs.setdefault(key, None)
        return self.docs[key]

    def by_ident(self, entity: str, ident: str) -> Doc | None:
        key = (entity, ident)
        if key not in self.idents:
            self._load("ident", entity, [ident])
            self.idents.setdefault(key, None)
        doc_id = self.idents[key]
        return self.get(entity, doc_id) if doc_id else None

    def resolve(self, doc: Doc | None) -> Doc | None:
        hops = 0
        while doc is not None and doc.merged_into and hops < MAX_ALIAS_HOPS:
            doc = self.get(doc.entity, doc.merged_into)
            hops += 1
        return doc

    # -- changing ------------------------------------------------------------------------
    def touch(self, doc: Doc) -> None:
        self.dirty.setdefault((doc.entity, doc.id), doc)

    def create(self, entity: str, id: str, data: dict[str, Any], ident: str | None, hlc: str,
               merged_into: str | None = None) -> Doc:
        # Field metadata ([hlc, rev] of the last write): "*" stands for every field
        # written at creation, so a new row does not carry 25 copies of one clock.
        if merged_into is None:
            missing = [f for f in REQUIRED.get(entity, ()) if data.get(f) is None]
            if missing:
                self._invalid([(f, "required") for f in missing], entity)
        meta = {"*": [hlc, None]}
        doc = Doc(entity, id, None, ident, merged_into, False, data, meta, True)
        self._remember(doc)
        self.touch(doc)
        return doc

    def set_ident(self, doc: Doc, ident: str | None) -> None:
        if doc.ident:
            self.idents[(doc.entity, doc.ident)] = None
        doc.ident = ident
        if ident:
            self.idents[(doc.entity, ident)] = doc.id

    def merge_fields(self, doc: Doc, payload: dict[str, Any], ch: Change, *,
                     fill_only: bool = False) -> None:
        """Field-by-field last-writer-wins by HLC; the losing value goes to `conflicts`."""
        allowed, fixed = FIELDS[doc.entity], FIXED[doc.entity]
        if doc.entity == "person":
            # Consent is a record of events (server/consents.py): the row shows the newest.
            for field, value in newest_consent(doc.data, payload).items():
                doc.data[field] = value
                doc.meta[field] = [ch.hlc, None]
            payload = {k: v for k, v in payload.items() if k not in CONSENT_FIELDS}
        for field, value in payload.items():
            if field in fixed or field not in allowed:
                continue
            if fill_only and value in (None, ""):
                continue
            current = doc.data.get(field)
            meta = doc.meta.get(field) or (doc.meta.get("*") if field in doc.data else None)
            if meta is None or ch.hlc > meta[0]:
                overwritten_unseen = (
                    meta is not None and current != value and current not in (None, "")
                    and hlc_device(meta[0]) != hlc_device(ch.hlc)
                    and (meta[1] is None or self.cursor < meta[1]))
                if overwritten_unseen:
                    self._conflict(doc, field, value, current, ch.hlc, meta[0], ch.change_id)
                doc.data[field] = value
                doc.meta[field] = [ch.hlc, None]
                if field == "full_name" and doc.entity == "person" and isinstance(value, str):
                    doc.data["name_key"] = name_key(value)
            elif ch.hlc < meta[0] and current != value:
                self._conflict(doc, field, current, value, meta[0], ch.hlc, ch.change_id)
        # Always a new revision: the pushing laptop then pulls back the server's result.
        self.touch(doc)

    def _conflict(self, doc: Doc, field: str, kept: Any, lost: Any, kept_hlc: str,
                  lost_hlc: str, change_id: str) -> None:
        self.conflicts.append((doc.entity, doc.id, field, dumps(kept), dumps(lost), kept_hlc,
                               lost_hlc, hlc_device(kept_hlc), hlc_device(lost_hlc), change_id,
                               self.now))


    # -- the batch -------------------------------------------------------------------------------
    def apply(self, changes: list[Change]) -> dict[str, int]:
        # Lock first: concurrent pushes (two server processes) are serialised before
        # either reads a row, so neither decides on a stale view of the other's work.
        self.base_rev = self.tx.lock_revisions()
        self.origins.register(self.device, self.device_key, self.now)
        ids = [c.change_id for c in changes]
        seen: set[str] = set()
        held: set[str] = set()  # quarantined before: not delivered, so tried again
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            for change_id, outcome in self.tx.rows(
                    f"SELECT change_id, outcome FROM applied_changes WHERE change_id IN "
                    f"({marks(len(chunk))})", chunk):
                (held if outcome == "quarantined" else seen).add(change_id)
        indexed = []
        for index, ch in enumerate(changes):
            if ch.change_id not in seen:
                seen.add(ch.change_id)
                indexed.append((index, ch))
        invalid = self.check(indexed)
        fresh = [ch for _i, ch in indexed]
        self.preload(fresh)
        handlers = {"person": self._person, "registration": self._registration,
                    "attendance": self._attendance, "event": self._event, "officer": self._officer,
                    "print": self._print}
        counts = {"received": len(changes), "applied": 0, "duplicates": len(changes) - len(fresh),
                  "quarantined": 0}
        for self.index, ch in indexed:
            self.origin = hlc_device(ch.hlc)
            try:
                if ch.change_id in invalid:
                    self._invalid(check_values(ch.entity, ch.payload), ch.entity)
                # A change stamped by another laptop's clock counts only with that laptop's
                # signature: carried by hand or forwarded, never forged or altered.
                if self.origin != self.device:
                    self.origins.check(ch, self.origin)
                outcome = handlers[ch.entity](ch)
                counts["applied"] += 1
                if ch.entity in ("person", "registration") and ch.op == "upsert":
                    self._record_consent(ch)
            except Quarantined as exc:
                outcome = "quarantined"
                counts["quarantined"] += 1
                reason = str(exc)
                self.quarantined_changes.append({"change_id": ch.change_id, "reason": reason})
                payload = dumps(erasure.kept_payload(self, ch))
                if ch.change_id in held:
                    self._again.append((reason, self.device, payload, self.now, self.origin,
                                        ch.change_id))
                else:
                    self.quarantine.append((ch.change_id, self.device, ch.entity, ch.entity_id,
                                            reason, payload, self.now, self.origin))
            if ch.change_id in held:
                if outcome != "quarantined":
                    self._released.append(ch.change_id)
                self._reapplied.append((outcome, self.device, self.now, ch.change_id))
            else:
                self.applied.append((ch.change_id, self.device, ch.entity, ch.entity_id, ch.hlc,
                                     self.now, outcome))
        if self.not_yours:
            # Refused whole, like an invalid value: nothing of the batch is written.
            raise InvalidChanges(self.not_yours[:20], code="push.code_not_yours")
        self.flush()
        return counts

    def flush(self) -> None:
        tx = self.tx
        if self.dirty:
            rev = self.base_rev
            updates, inserts = [], []
            for doc in self.dirty.values():
                rev += 1
                doc.rev = rev
                for meta in doc.meta.values():
                    if meta[1] is None:
                        meta[1] = rev
                row = (rev, doc.ident, doc.merged_into, int(doc.deleted), dumps(doc.data),
                       dumps(doc.meta))
                if doc.new:
                    inserts.append((doc.entity, doc.id, *row))
                else:
                    updates.append((*row, doc.entity, doc.id))
            # Updates first: an identity released by a tombstone may be taken by a new row.
            tx.executemany("UPDATE docs SET rev = ?, ident = ?, merged_into = ?, deleted = ?, "
                           "data = ?, meta = ? WHERE entity = ? AND id = ?", updates)
            tx.insert_many("docs", ("entity", "id", "rev", "ident", "merged_into", "deleted", "data",
                                    "meta"), inserts)
            tx.store_revision(rev)
        tx.insert_many("scans", ("id", "attendance_id", "event_id", "person_id", "device_id",
                                 "checked_in_at", "data"), list(self.scans_new.values()))
        tx.executemany("INSERT INTO conflicts(entity, entity_id, field, kept_value, lost_value, "
                       "kept_hlc, lost_hlc, kept_device, lost_device, change_id, detected_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.conflicts)
        quarantine.write(tx, self.quarantine, self._again, self._released)
        self.tags.write(self.now)
        tx.executemany("UPDATE applied_changes SET outcome = ?, device_id = ?, applied_at = ? "
                       "WHERE change_id = ?", self._reapplied)
        store_consents(tx, self.consents)
        # The exactly-once guard: a concurrent duplicate fails here and the batch rolls back.
        tx.insert_many("applied_changes", ("change_id", "device_id", "entity", "entity_id", "hlc",
                                           "applied_at", "outcome"), self.applied)
