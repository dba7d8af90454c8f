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
deliver it only with the origin's signature (`server/quarantine.py`).
"""

from __future__ import annotations

import json
from typing import Any

from bpjs_field.domain.names import name_key
from bpjs_field.domain.records import REQUIRED, check_values, describe
from bpjs_field.server import erasure, quarantine, roles
from bpjs_field.server.consents import CONSENT_FIELDS, consent_row, newest_consent, store_consents
from bpjs_field.server.erasure import ERASED_FIELDS, ERASED_REGISTRATION_FIELDS
from bpjs_field.server.roles import Quarantined
from bpjs_field.server.db import Tx, marks
from bpjs_field.store.people import SYNCED as PERSON_SYNCED
from bpjs_field.store.registrations import SYNCED_ALL as REGISTRATION_SYNCED
from bpjs_field.sync.protocol import Change

FIELDS: dict[str, frozenset[str]] = {
    "person": frozenset(PERSON_SYNCED),
    "registration": frozenset(REGISTRATION_SYNCED),
    "attendance": frozenset(("id", "event_id", "person_id", "checked_in_at", "method",
                             "device_id", "officer_id", "registration_id")),
    "event": frozenset(("id", "kind", "title", "starts_at", "ends_at", "venue", "district_code",
                        "partner_org", "targets", "branch", "created_by", "created_at",
                        "updated_at", "deleted_at")),
    "officer": frozenset(("id", "employee_no", "full_name", "branch", "role", "active",
                          "created_at", "updated_at")),
    "print": frozenset(("id", "at", "document", "subject_id", "version", "copies", "is_reprint",
                        "printer", "officer_id", "device_id")),
}
# Identity and provenance never change by a merge of fields.
FIXED: dict[str, frozenset[str]] = {
    "person": frozenset(("id", "nik", "passport_no", "nationality", "created_device",
                         "created_at", "merged_into")),
    "registration": frozenset(("id", "code", "person_id", "created_at", "device_id")),
    "attendance": frozenset(("id",)),
    "event": frozenset(("id", "created_at", "created_by")),
    "officer": frozenset(("id", "employee_no", "created_at")),
    "print": FIELDS["print"],
}
MAX_ALIAS_HOPS = 10

_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
dumps = _encoder.encode


def hlc_device(hlc: str) -> str:
    return hlc.split("-", 2)[2]


def person_ident(data: dict[str, Any]) -> str | None:
    if data.get("nik"):
        return f"nik:{data['nik']}"
    if data.get("passport_no"):
        return f"pp:{data['passport_no']}/{data.get('nationality') or ''}"
    return None


class Doc:
    __slots__ = ("entity", "id", "rev", "ident", "merged_into", "deleted", "data", "meta", "new",
                 "orig_ident")

    def __init__(self, entity: str, id: str, rev: int | None, ident: str | None,
                 merged_into: str | None, deleted: bool, data: dict[str, Any],
                 meta: dict[str, list], new: bool) -> None:
        self.entity, self.id, self.rev, self.ident = entity, id, rev, ident
        self.merged_into, self.deleted, self.data, self.meta, self.new = (
            merged_into, deleted, data, meta, new)
        self.orig_ident = ident


class InvalidChanges(Exception):
    """Values the laptops' domain rules refuse (bpjs_field/domain/records.py): the batch is
    refused whole, with each change's index, field and reason (never the value)."""

    def __init__(self, details: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(details)} invalid values")
        self.details = details


class PushApplier:
    """Applies one batch inside the caller's write transaction.  `refuse_invalid`: a value
    the domain rules refuse raises `InvalidChanges` (the API answers 422 and the laptop
    parks the change); otherwise (hand-carried files) such a change is quarantined."""

    def __init__(self, tx: Tx, device_id: str, cursor: int, now: str,
                 device_key: str | None = None, *, refuse_invalid: bool = False) -> None:
        self.refuse_invalid = refuse_invalid
        self.index = 0  # of the change being applied, in the pushed batch
        self.tx = tx
        self.device = device_id  # the laptop delivering the batch
        self.device_key = device_key
        self.origins = quarantine.Origins(tx)
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
            elif ch.entity == "officer" and p.get("employee_no"):
                idents.setdefault("officer", set()).add(f"emp:{p['employee_no']}")
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

    # -- handlers ----------------------------------------------------------------------------
    def _person(self, ch: Change) -> str:
        if ch.op != "upsert":
            raise Quarantined("person.delete_unsupported")
        p = ch.payload
        doc = self.get("person", ch.entity_id)
        if doc is not None:
            target = self.resolve(doc)
            outcome = "applied"
            if not self._supervised(ch):
                # An officer's registration may complete a person's blank fields; changing
                # or erasing what is there is a supervisor's (laptop and server alike).
                if p.get("erased_at") or p.get("consent_withdrawn_at"):
                    raise Quarantined("person.erase_needs_supervisor")
                p = {k: v for k, v in p.items() if target.data.get(k) in (None, "")}
                outcome = "blanks_only"
            if target.data.get("erased_at"):
                # Erasure is final: a late edit from a laptop that had not heard of it
                # must not bring personal data back, the name included (nor leave it
                # behind as a losing value in `conflicts`).
                p = {k: v for k, v in p.items() if k not in ERASED_FIELDS and k != "full_name"}
            if p.get("erased_at") and not target.data.get("erased_at"):
                self._erase(target, p, ch)
                return outcome
            self.merge_fields(target, p, ch)
            return outcome
        ident = person_ident(p)
        if ident is None and not p.get("erased_at"):
            raise Quarantined("person.no_identity")
        if not isinstance(p.get("full_name"), str) or not p.get("full_name"):
            raise Quarantined("person.no_name")
        survivor = self.resolve(self.by_ident("person", ident)) if ident else None
        if survivor is not None:
            self.create("person", ch.entity_id, {"id": ch.entity_id, "merged_into": survivor.id},
                        None, ch.hlc, merged_into=survivor.id)
            self.merge_fields(survivor, p, ch, fill_only=True)
            return "merged"
        data = {k: v for k, v in p.items() if k in FIELDS["person"]}
        data["id"] = ch.entity_id
        data["merged_into"] = None
        # An erasure arriving before the person (carried by another laptop from an event's
        # hub) makes the row: it still says which laptop and when, as laptops require.
        if data.get("erased_at"):  # any other new row without them is refused (REQUIRED)
            data.setdefault("created_device", hlc_device(ch.hlc))
            data.setdefault("created_at", ch.created_at)
        data["name_key"] = name_key(data["full_name"])
        self.create("person", ch.entity_id, data, ident, ch.hlc)
        return "applied"

    def _erase(self, doc: Doc, payload: dict[str, Any], ch: Change) -> None:
        erasure.erase(self, doc, payload, ch)

    def _registration(self, ch: Change) -> str:
        if ch.op != "upsert":
            raise Quarantined("registration.delete_unsupported")
        p = ch.payload
        person = self.resolve(self.get("person", p.get("person_id")))
        if person is None or person.deleted:
            raise Quarantined("registration.unknown_person")
        event_id = p.get("event_id")
        if event_id is not None and self.get("event", event_id) is None:
            raise Quarantined("registration.unknown_event")
        data = {k: v for k, v in p.items() if k in FIELDS["registration"]}
        data["person_id"] = person.id
        data["id"] = ch.entity_id
        if person.data.get("erased_at"):
            # Made before the erasure, arriving after it: the counts stay, the person's
            # descriptions do not come back.
            data.update({k: None for k in ERASED_REGISTRATION_FIELDS if k in data})
        doc = self.get("registration", ch.entity_id)
        if doc is not None:
            self.merge_fields(doc, data, ch)
            return "applied"
        code = p.get("code")
        if not isinstance(code, str) or not code:
            raise Quarantined("registration.no_code")
        if self.by_ident("registration", f"code:{code}") is not None:
            raise Quarantined("registration.code_taken")
        self.create("registration", ch.entity_id, data, f"code:{code}", ch.hlc)
        return "applied"

    def _attendance(self, ch: Change) -> str:
        if ch.op == "delete":
            return self._attendance_delete(ch.entity_id)
        p = ch.payload
        person = self.resolve(self.get("person", p.get("person_id")))
        if person is None:
            raise Quarantined("attendance.unknown_person")
        if self.get("event", p.get("event_id")) is None:
            raise Quarantined("attendance.unknown_event")
        if not isinstance(p.get("checked_in_at"), str):
            raise Quarantined("attendance.no_time")
        if ch.entity_id in self.scans_new or ch.entity_id in self.known_scans:
            return "applied"  # the same scan under another change id: nothing new
        data = {k: v for k, v in p.items() if k in FIELDS["attendance"]}
        data["person_id"] = person.id
        ident = f"{p['event_id']}|{person.id}"
        doc = self.by_ident("attendance", ident)
        if doc is None or doc.deleted:
            data["id"] = ch.entity_id
            doc = self.create("attendance", ch.entity_id, data, ident, ch.hlc)
            outcome = "applied"
        else:
            # One attendance, several scans: it shows the earliest check-in.
            if data["checked_in_at"] < str(doc.data.get("checked_in_at") or "~"):
                for key in ("checked_in_at", "method", "device_id", "officer_id", "registration_id"):
                    doc.data[key] = data.get(key)
            self.touch(doc)
            outcome = "joined"
        self.scans_new[ch.entity_id] = (ch.entity_id, doc.id, p["event_id"], person.id,
                                        str(p.get("device_id") or self.device),
                                        p["checked_in_at"], dumps(data))
        return outcome

    def _attendance_delete(self, attendance_id: str) -> str:
        doc = self.get("attendance", attendance_id)
        if doc is None:
            row = self.tx.one("SELECT attendance_id FROM scans WHERE id = ? AND deleted = 0",
                              (attendance_id,))
            new = self.scans_new.pop(attendance_id, None)
            if row is None and new is None:
                return "applied"  # nothing (left) to undo
            parent = row[0] if row else new[1]
            self.tx.execute("UPDATE scans SET deleted = 1 WHERE id = ?", (attendance_id,))
            left = self.tx.scalar("SELECT count(*) FROM scans WHERE attendance_id = ? AND "
                                  "deleted = 0", (parent,))
            left += sum(1 for s in self.scans_new.values() if s[1] == parent)
            if left:
                return "applied"
            doc = self.get("attendance", parent)
            if doc is None:
                return "applied"
        if not doc.deleted:
            # Undoing the attendance itself takes back every laptop's scan of it.
            self.tx.execute("UPDATE scans SET deleted = 1 WHERE attendance_id = ?", (doc.id,))
            for key in [k for k, s in self.scans_new.items() if s[1] == doc.id]:
                del self.scans_new[key]
            self.set_ident(doc, None)
            doc.deleted = True
            doc.data = {"id": doc.id}
            self.touch(doc)
        return "applied"

    def _event(self, ch: Change) -> str:
        if ch.op != "upsert":
            raise Quarantined("event.delete_unsupported")
        doc = self.get("event", ch.entity_id)
        if doc is not None:
            self.merge_fields(doc, ch.payload, ch)
            return "applied"
        data = {k: v for k, v in ch.payload.items() if k in FIELDS["event"]}
        for key in ("kind", "title", "starts_at", "venue"):
            if not isinstance(data.get(key), str):
                raise Quarantined("event.incomplete")
        data["id"] = ch.entity_id
        data.setdefault("updated_at", data.get("created_at"))
        self.create("event", ch.entity_id, data, None, ch.hlc)
        return "applied"

    def _print(self, ch: Change) -> str:
        """A print-log entry: an immutable fact (what, for whom, which version, by whom, when)."""
        if ch.op != "upsert":
            raise Quarantined("print.delete_unsupported")
        if self.get("print", ch.entity_id) is not None:
            return "applied"
        data = {k: v for k, v in ch.payload.items() if k in FIELDS["print"]}
        if not isinstance(data.get("document"), str) or not isinstance(data.get("at"), str):
            raise Quarantined("print.incomplete")
        data["id"] = ch.entity_id
        self.create("print", ch.entity_id, data, None, ch.hlc)
        return "applied"

    def _officer(self, ch: Change) -> str:
        if ch.op != "upsert":
            raise Quarantined("officer.delete_unsupported")
        p = ch.payload
        doc = self.get("officer", ch.entity_id)
        if doc is not None:
            target = self.resolve(doc)
            if target is not None and self._is_account(target):
                # The branch's accounts are the server's own (name, role, active, login):
                # laptops follow them and cannot change them.  Acknowledged, not applied.
                return "ignored"
            self.merge_fields(target, p, ch)
            return "applied"
        number = p.get("employee_no")
        if not isinstance(number, str) or not isinstance(p.get("full_name"), str):
            raise Quarantined("officer.incomplete")
        other = self.resolve(self.by_ident("officer", f"emp:{number}"))
        if other is not None:
            self.create("officer", ch.entity_id, {"id": ch.entity_id, "merged_into": other.id},
                        None, ch.hlc, merged_into=other.id)
            return "merged"
        data = {k: v for k, v in p.items() if k in FIELDS["officer"]}
        data["id"] = ch.entity_id
        self.create("officer", ch.entity_id, data, f"emp:{number}", ch.hlc)
        return "applied"

    def _supervised(self, ch: Change) -> bool:
        # The role of whoever enrolled the laptop that made the change (not the deliverer's).
        if self.origin not in self._roles:
            self._roles[self.origin] = roles.device_role(self.tx, self.origin) or ""
        return roles.supervised(self.tx, self._roles[self.origin], ch)

    def _invalid(self, problems: list[tuple[str, str]], entity: str) -> None:
        if self.refuse_invalid:
            raise InvalidChanges([{"loc": ["body", "changes", self.index, "payload", field],
                                   "msg": reason} for field, reason in problems])
        raise Quarantined(f"invalid: {describe(entity, problems)}")

    def check(self, changes: list[tuple[int, Change]]) -> set[str]:
        """Every pushed value by the laptops' domain rules, before anything is applied: the
        change ids to quarantine (or InvalidChanges for the whole batch)."""
        details, bad = [], {}
        for index, ch in changes:
            if ch.op != "upsert":
                continue
            problems = check_values(ch.entity, ch.payload)
            if problems:
                bad[ch.change_id] = problems
                details += [{"loc": ["body", "changes", index, "payload", field], "msg": reason}
                            for field, reason in problems]
        if details and self.refuse_invalid:
            raise InvalidChanges(details[:20])
        return set(bad)

    def _record_consent(self, ch: Change) -> None:
        person_id = ch.entity_id if ch.entity == "person" else ch.payload.get("person_id")
        person = self.resolve(self.get("person", person_id))
        if person is not None:
            row = consent_row(person.id, ch.payload, ch.change_id, self.origin, ch.entity, self.now)
            if row is not None:
                self.consents.append(row)

    def _is_account(self, doc: Doc) -> bool:
        return roles.is_account(self.tx, doc.id, doc.data)

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
        tx.executemany("UPDATE applied_changes SET outcome = ?, device_id = ?, applied_at = ? "
                       "WHERE change_id = ?", self._reapplied)
        store_consents(tx, self.consents)
        # The exactly-once guard: a concurrent duplicate fails here and the batch rolls back.
        tx.insert_many("applied_changes", ("change_id", "device_id", "entity", "entity_id", "hlc",
                                           "applied_at", "outcome"), self.applied)
