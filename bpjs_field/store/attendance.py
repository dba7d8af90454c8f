"""Attendance: at most one per person per event; a second scan answers "already checked in"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bpjs_field.store.store import new_id, utc_now

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

CHECKED_IN, ALREADY, UNKNOWN = "checked_in", "already", "unknown"
# What an undo did: the check-in taken back; or only this laptop's scan of it, the person
# staying checked in by another desk (see AttendanceRepo.undo).
UNDONE, KEPT_BY_OTHER_DESK = "undone", "kept_by_other_desk"

RECENT_SQL = (
    "SELECT a.id, a.person_id, a.checked_in_at, a.method, p.full_name, p.nik, p.passport_no, "
    "p.nationality, o.full_name AS officer_name FROM attendance a "
    "JOIN people p ON p.id = a.person_id LEFT JOIN officers o ON o.id = a.officer_id "
    "WHERE a.event_id = ? ORDER BY a.checked_in_at DESC, a.rowid DESC LIMIT ?")


@dataclass
class CheckInResult:
    status: str  # checked_in, already, unknown
    person: dict[str, Any] | None = None
    attendance: dict[str, Any] | None = None
    registration: dict[str, Any] | None = None


class AttendanceRepo:
    def __init__(self, store: "Store") -> None:
        self.s = store

    def get(self, event_id: str, person_id: str) -> dict[str, Any] | None:
        return self.s.query_one("SELECT * FROM attendance WHERE event_id = ? AND person_id = ?",
                                (event_id, person_id))

    def add(self, event_id: str, person_id: str, method: str, *,
            registration_id: str | None = None) -> tuple[dict[str, Any], bool]:
        """Inside a write(): check in, or return the existing attendance with created=False."""
        existing = self.get(event_id, person_id)
        if existing is not None:
            return existing, False
        row = {"id": new_id(), "event_id": event_id, "person_id": person_id,
               "checked_in_at": utc_now(), "method": method, "device_id": self.s.device_id,
               "officer_id": self.s.officer_id, "registration_id": registration_id}
        self.s.db.execute(f"INSERT INTO attendance({', '.join(row)}) VALUES "
                          f"({', '.join('?' * len(row))})", tuple(row.values()))
        self.s.record_change("attendance", row["id"], row)
        self.s.audit("attendance.create", "attendance", row["id"], event_id=event_id, method=method)
        return row, True

    def check_in(self, event_id: str, person_id: str, method: str = "search") -> CheckInResult:
        person = self.s.people.get(person_id)
        if person is None:
            return CheckInResult(UNKNOWN)
        with self.s.write():
            row, created = self.add(event_id, person_id, method)
        return CheckInResult(CHECKED_IN if created else ALREADY, person, row)

    def check_in_code(self, event_id: str, text: str) -> CheckInResult:
        """What the door scanner calls: a registration code, as scanned or typed."""
        registration = self.s.registrations.by_code(text)
        if registration is None:
            return CheckInResult(UNKNOWN)
        result = self.check_in(event_id, registration["person_id"], "scan")
        result.registration = registration
        return result

    def undo(self, attendance_id: str, *, event_id: str | None = None,
             person_id: str | None = None) -> str:
        """Take back a check-in this laptop made (the officer scanned the wrong card): UNDONE.

        A sync between the scan and the undo may have joined this laptop's check-in to
        another desk's check-in of the same person at the branch: the row here then carries
        the other desk's id.  Given the check-in's event and person, this laptop's scan is
        still taken back (the branch takes back that scan alone) and the answer says the
        person stays checked in by the other desk (KEPT_BY_OTHER_DESK), or UNDONE when no
        desk's check-in is left.  "" when there is nothing to take back."""
        row = self.s.query_one("SELECT * FROM attendance WHERE id = ?", (attendance_id,))
        if row is None:
            if event_id is None or person_id is None:
                return ""
            kept = self.get(event_id, person_id)
            with self.s.write():
                self.s.record_change("attendance", attendance_id, {"id": attendance_id}, op="delete")
                self.s.audit("attendance.undo", "attendance", attendance_id, event_id=event_id)
            return KEPT_BY_OTHER_DESK if kept is not None else UNDONE
        with self.s.write():
            self.s.db.execute("DELETE FROM attendance WHERE id = ?", (attendance_id,))
            self.s.record_change("attendance", attendance_id, {"id": attendance_id}, op="delete")
            self.s.audit("attendance.undo", "attendance", attendance_id, event_id=row["event_id"])
        return UNDONE

    def for_event(self, event_id: str) -> list[dict[str, Any]]:
        return self.s.query(
            "SELECT a.*, p.full_name, p.nik, p.passport_no FROM attendance a "
            "JOIN people p ON p.id = a.person_id WHERE a.event_id = ? ORDER BY a.checked_in_at",
            (event_id,))

    def recent(self, event_id: str, limit: int = 10) -> list[dict[str, Any]]:
        """The last check-ins at the event, newest first, with the person's name and identity
        numbers and the checking officer's name (None when that officer is not on this laptop).

        Walks `attendance_event_time` backwards and stops after `limit` rows, so the cost does
        not grow with the event.  Ties on the millisecond (imports, demo data, sync) fall back
        on the rowid, which the index carries: ordering by `a.id` instead would sort every
        check-in of the event in a temporary B-tree."""
        return self.s.query(RECENT_SQL, (event_id, limit))

    def for_person(self, person_id: str) -> list[dict[str, Any]]:
        return self.s.query(
            "SELECT a.*, e.title FROM attendance a JOIN events e ON e.id = a.event_id "
            "WHERE a.person_id = ? ORDER BY a.checked_in_at", (person_id,))

    def count(self, event_id: str) -> int:
        return self.s.scalar("SELECT count(*) FROM attendance WHERE event_id = ?", (event_id,))


__all__ = ["AttendanceRepo", "CheckInResult", "CHECKED_IN", "ALREADY", "UNKNOWN", "UNDONE",
           "KEPT_BY_OTHER_DESK"]
