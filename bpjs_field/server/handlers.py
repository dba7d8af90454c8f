"""The branch server's rules for each entity a laptop pushes: a person, a registration, an
attendance (a set of scans), an event, a print-log entry, an officer; and the check of every
pushed value by the laptops' domain rules before any is applied.  Mixed into `PushApplier`
(server/push.py), whose state (`tx`, the loaded rows, the batch's conflicts and consents)
they use; the fields each keeps come from bpjs_field/domain/entities.py."""

from __future__ import annotations

from typing import Any

from bpjs_field.domain.entities import ATTENDANCE, EARLIEST, PERSON
from bpjs_field.domain.names import name_key
from bpjs_field.domain.records import check_values, describe
from bpjs_field.security import signing
from bpjs_field.server import erasure, roles
from bpjs_field.server.consents import consent_row
from bpjs_field.server.erasure import ERASED_REGISTRATION_FIELDS
from bpjs_field.server.roles import Quarantined
from bpjs_field.server.tags import NotYours
from bpjs_field.server.rows import FIELDS, Doc, InvalidChanges, dumps, hlc_device, person_ident
from bpjs_field.protocol import Change

# Personal data an erasure removed never comes back through a late edit (the name included).
PERSONAL = frozenset(PERSON.personal)
# One attendance, several scans: it shows the earliest scan's.
SCAN_FIELDS = ATTENDANCE.names(merge=EARLIEST)


class EntityHandlers:
    """One method per entity, each returning the outcome of one change (or raising
    `Quarantined`)."""

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
                p = {k: v for k, v in p.items() if k not in PERSONAL}
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
        self._check_code(ch, code)
        if self.by_ident("registration", f"code:{code}") is not None:
            raise Quarantined("registration.code_taken")
        self.create("registration", ch.entity_id, data, f"code:{code}", ch.hlc)
        return "applied"

    def _check_code(self, ch: Change, code: str) -> None:
        """A new registration takes a code: only under a tag of the laptop that made it
        (server/tags.py).  Refused with the batch on a push (the laptop parks the change),
        quarantined from a hand-carried file applied on the server."""
        def message() -> bytes:  # what the origin signed, made only when it is needed
            return signing.origin_message(ch.change_id, ch.entity, ch.entity_id, ch.op, ch.hlc,
                                          ch.payload)
        try:
            self.tags.check(code, self.origin, ch.origin_sig, message)
        except NotYours:
            if not self.refuse_invalid:
                raise Quarantined("registration.code_not_yours") from None
            self.not_yours.append({"loc": ["body", "changes", self.index, "payload", "code"],
                                   "msg": "registration.code_not_yours"})
            raise Quarantined("registration.code_not_yours") from None

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
                for key in SCAN_FIELDS:
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

