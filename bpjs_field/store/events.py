"""Events (senam bersama, wayang interaktif, sosialisasi …) and the officers who run them."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.entities import EVENT
from bpjs_field.domain.names import normalize_name
from bpjs_field.domain.regions import get_region
from bpjs_field.domain.registration import clean_text
from bpjs_field.domain.segments import EVENT_KINDS, SEGMENTS
from bpjs_field.errors import NotFoundError, ValidationError, ValidationErrors
from bpjs_field.store.store import dumps, new_id, utc_now

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

EVENT_FIELDS = EVENT.editable  # bpjs_field/domain/entities.py
ACTIVE_EVENT = "active_event_id"


def _clean_event(data: dict[str, Any]) -> dict[str, Any]:
    errors: list[ValidationError] = []
    out: dict[str, Any] = {}

    def attempt(key, fn):
        try:
            out[key] = fn()
        except ValidationError as exc:
            errors.append(exc)

    if data.get("kind") not in EVENT_KINDS:
        errors.append(ValidationError("kind", "required"))
    else:
        out["kind"] = data["kind"]
    attempt("title", lambda: clean_text(data.get("title"), "title", maximum=120, required=True))
    attempt("venue", lambda: clean_text(data.get("venue"), "venue", maximum=160, required=True))
    attempt("partner_org", lambda: clean_text(data.get("partner_org"), "partner_org", maximum=120))
    attempt("branch", lambda: clean_text(data.get("branch"), "branch", maximum=80))
    for key in ("starts_at", "ends_at"):
        value = data.get(key)
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        if value in (None, "") and key == "ends_at":
            out[key] = None
            continue
        try:
            datetime.fromisoformat(str(value))
            out[key] = str(value)
        except ValueError:
            errors.append(ValidationError(key, "date.invalid", value=str(value)[:30]))
    district = (data.get("district_code") or "").replace(".", "") or None
    if district and (get_region(district) is None or get_region(district).level != "district"):
        errors.append(ValidationError("district_code", "not_found", what="Kecamatan", value=district))
    out["district_code"] = district
    targets = data.get("targets") or {}
    if isinstance(targets, str):
        targets = json.loads(targets)
    clean_targets = {}
    for segment, value in targets.items():
        if segment not in SEGMENTS and segment != "attendance":
            errors.append(ValidationError("targets", "segment.unknown", value=segment))
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.append(ValidationError("targets", "number.invalid", value=str(value)))
        else:
            clean_targets[segment] = value
    out["targets"] = dumps(clean_targets)
    if errors:
        raise ValidationErrors(errors)
    return out


class EventRepo:
    def __init__(self, store: "Store") -> None:
        self.s = store

    def get(self, event_id: str) -> dict[str, Any] | None:
        return self.s.query_one("SELECT * FROM events WHERE id = ? AND deleted_at IS NULL", (event_id,))

    def require(self, event_id: str) -> dict[str, Any]:
        row = self.get(event_id)
        if row is None:
            raise NotFoundError("event.unknown", value=event_id)
        return row

    def find(self, text: str) -> dict[str, Any]:
        """An event by id, or by a unique id prefix (what an officer types at the command line)."""
        row = self.get(text)
        if row:
            return row
        rows = self.s.query("SELECT * FROM events WHERE id LIKE ? AND deleted_at IS NULL LIMIT 2",
                            (text.replace("%", "").replace("_", "") + "%",)) if len(text) >= 4 else []
        if len(rows) == 1:
            return rows[0]
        raise NotFoundError("event.unknown", value=text[:40])

    def create(self, data: dict[str, Any]) -> dict[str, Any]:
        row = _clean_event(data)
        now = utc_now()
        with self.s.write():  # the officer as of this write (Store._follow_renumbered_officer)
            row.update(id=data.get("id") or new_id(), created_by=self.s.officer_id,
                       created_at=now, updated_at=now)
            self.s.db.execute(f"INSERT INTO events({', '.join(row)}) VALUES "
                              f"({', '.join('?' * len(row))})", tuple(row.values()))
            self.s.record_change("event", row["id"], {k: v for k, v in row.items() if k != "updated_at"})
            self.s.audit("event.create", "event", row["id"])
        return self.require(row["id"])

    def update(self, event_id: str, data: dict[str, Any]) -> dict[str, Any]:
        current = self.require(event_id)
        merged = {k: current[k] for k in EVENT_FIELDS}
        merged.update(data)
        row = _clean_event(merged)
        diff = {k: v for k, v in row.items() if v != current.get(k)}
        if diff:
            diff["updated_at"] = utc_now()
            with self.s.write():
                self.s.db.execute(f"UPDATE events SET {', '.join(f'{k} = ?' for k in diff)} WHERE id = ?",
                                  (*diff.values(), event_id))
                self.s.record_change("event", event_id, {"id": event_id, **diff})
                self.s.audit("event.edit", "event", event_id, fields=sorted(diff))
        return self.require(event_id)

    def list(self, *, upcoming_only: bool = False) -> list[dict[str, Any]]:
        sql = "SELECT * FROM events WHERE deleted_at IS NULL"
        if upcoming_only:
            sql += " AND date(starts_at) >= date('now', '-1 day')"
        return self.s.query(sql + " ORDER BY starts_at DESC")

    def set_active(self, event_id: str | None) -> None:
        if event_id is not None:
            self.require(event_id)
        self.s.set_setting(ACTIVE_EVENT, event_id)

    def active(self) -> dict[str, Any] | None:
        event_id = self.s.get_setting(ACTIVE_EVENT)
        return self.get(event_id) if event_id else None

    def summary(self, event_id: str, *, day: str | None = None) -> dict[str, Any]:
        """Registrations and attendance by segment against the event's targets."""
        event = self.require(event_id)
        where, params = "event_id = ?", [event_id]
        if day:
            where += " AND date(created_at, '+7 hours') = ?"
            params.append(day)
        regs = {r["segment"]: r["n"] for r in self.s.query(
            f"SELECT segment, count(*) AS n FROM registrations WHERE {where} GROUP BY segment", params)}
        attendance = self.s.scalar("SELECT count(*) FROM attendance WHERE event_id = ?", (event_id,))
        officers = self.s.query(
            "SELECT o.full_name, o.employee_no, count(*) AS registrations FROM registrations r "
            "JOIN officers o ON o.id = r.officer_id WHERE r.event_id = ? GROUP BY o.id "
            "ORDER BY o.full_name", (event_id,))
        return {"event": event, "targets": json.loads(event["targets"]),
                "registrations": regs, "registrations_total": sum(regs.values()),
                "attendance": attendance, "officers": officers}


class OfficerRepo:
    def __init__(self, store: "Store") -> None:
        self.s = store

    def create(self, *, full_name: str, employee_no: str, branch: str,
               role: str = "officer") -> dict[str, Any]:
        errors = []
        try:
            name = normalize_name(full_name)
        except ValidationError as exc:
            errors.append(exc)
        try:
            number = clean_text(employee_no, "employee_no", maximum=30, required=True)
            branch_name = clean_text(branch, "branch", maximum=80, required=True)
        except ValidationError as exc:
            errors.append(exc)
        if role not in ("officer", "supervisor"):
            errors.append(ValidationError("role", "required"))
        if errors:
            raise ValidationErrors(errors)
        existing = self.s.query_one("SELECT * FROM officers WHERE employee_no = ?", (number,))
        if existing:
            return existing
        now = utc_now()
        row = {"id": new_id(), "employee_no": number, "full_name": name, "branch": branch_name,
               "role": role, "active": 1, "created_at": now, "updated_at": now}
        with self.s.write():
            self.s.db.execute(f"INSERT INTO officers({', '.join(row)}) VALUES "
                              f"({', '.join('?' * len(row))})", tuple(row.values()))
            self.s.record_change("officer", row["id"], row)
            self.s.audit("officer.create", "officer", row["id"], role=role)
        return row

    def get(self, officer_id: str) -> dict[str, Any] | None:
        return self.s.query_one("SELECT * FROM officers WHERE id = ?", (officer_id,))

    def list(self) -> list[dict[str, Any]]:
        return self.s.query("SELECT * FROM officers ORDER BY full_name")

    def by_employee_no(self, employee_no: str) -> dict[str, Any] | None:
        """The officer row of an account (its employee number as the key file spells it)."""
        return self.s.query_one("SELECT * FROM officers WHERE upper(employee_no) = ?",
                                (employee_no,))

    def set_role(self, officer_id: str, role: str, *, touch: bool = True) -> None:
        """The role of an account, as the key file or the branch says (inside `write()`);
        `touch`: the row's `updated_at` moves too."""
        if touch:
            self.s.db.execute("UPDATE officers SET role = ?, updated_at = ? WHERE id = ?",
                              (role, utc_now(), officer_id))
        else:
            self.s.db.execute("UPDATE officers SET role = ? WHERE id = ?", (role, officer_id))

    def adopt_account(self, officer: dict[str, Any]) -> bool:
        """Enrolment: the branch account's officer row (inside `write()`).  False when another
        row has its employee number: then the first pull adopts the account's id."""
        clash = self.s.scalar("SELECT 1 FROM officers WHERE employee_no = ? AND id <> ?",
                              (officer["employee_no"], officer["id"]))
        if clash:
            return False
        now = utc_now()
        self.s.db.execute(
            "INSERT INTO officers(id, employee_no, full_name, branch, role, active, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "full_name = excluded.full_name, branch = excluded.branch, role = excluded.role",
            (officer["id"], officer["employee_no"], officer["full_name"], officer["branch"],
             officer["role"], now, now))
        return True


def read_officer(path: Any, key: bytes | None, officer_id: str) -> dict[str, Any] | None:
    """An officer row read on a connection of its own (the event hub's threads never share
    the officer's connection)."""
    from bpjs_field.store.connection import raw_connect
    conn = raw_connect(path, key, check_same_thread=False)
    try:
        row = conn.execute("SELECT id, employee_no, full_name, branch, role, active FROM officers "
                           "WHERE id = ?", (officer_id,)).fetchone()
    finally:
        conn.close()
    return None if row is None else dict(
        zip(("id", "employee_no", "full_name", "branch", "role", "active"), row))
