"""Recording a registration's follow-up (bpjs_field/domain/followup.py) in the store.

A status change is a change like any other: one transaction holding the registration's new
columns, a registration change in the change log (id, code, person and the follow-up fields
it wrote, merged field by field on the branch server by hybrid clock) and an audit entry with
the officer, the old and the new status (never the KPJ number: it identifies the person).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.followup import STOPPED, StatusChange
from bpjs_field.domain.formatting import today_wib
from bpjs_field.errors import NotFoundError, ValidationError
from bpjs_field.store.store import utc_now

if TYPE_CHECKING:
    from bpjs_field.store.store import Store


def kpj_holder(store: "Store", kpj_no: str) -> str | None:
    """The person holding this KPJ on this laptop, if any."""
    return store.scalar("SELECT person_id FROM registrations WHERE kpj_no = ? LIMIT 1", (kpj_no,))


def set_status(store: "Store", registration_id: str, change: StatusChange, *,
               today: date | None = None, source: str = "form") -> dict[str, Any]:
    """Validate and record one follow-up change; returns the registration as stored.
    Writing the same values again changes nothing (no change-log entry, no audit)."""
    with store.write():
        return _set_status(store, registration_id, change, today=today, source=source)[0]


def _set_status(store: "Store", registration_id: str, change: StatusChange, *,
                today: date | None, source: str) -> tuple[dict[str, Any], bool]:
    current = store.registrations.get(registration_id)
    if current is None:
        raise NotFoundError("registration.unknown", value=registration_id[:40])
    values = change.validate(current, today or today_wib())
    kpj = values.get("kpj_no")
    if kpj:
        holder = kpj_holder(store, kpj)
        if holder is not None and holder != current["person_id"]:
            raise ValidationError("kpj_no", "kpj.taken")
        if current.get("kpj_no") and current["kpj_no"] != kpj and source == "import":
            # A different number already recorded: the branch's file does not overwrite it.
            raise ValidationError("kpj_no", "kpj.differs")
    diff = {k: v for k, v in values.items() if current.get(k) != v}
    if not diff:
        return current, False
    now = utc_now()
    diff.update(status_at=now, status_by=store.officer_id)
    assignments = ", ".join(f"{k} = ?" for k in diff)
    store.db.execute(f"UPDATE registrations SET {assignments}, updated_at = ? WHERE id = ?",
                     (*diff.values(), now, registration_id))
    row = store.registrations.get(registration_id)
    # Only what this change wrote: the server merges field by field by hybrid clock, so a
    # submission recorded offline on one laptop does not blank a KPJ recorded on another.
    payload = {"id": registration_id, "code": row["code"], "person_id": row["person_id"],
               **{k: row[k] for k in diff}}
    store.record_change("registration", registration_id, payload)
    store.audit("registration.followup", "registration", registration_id,
                code=row["code"], previous=current["status"], status=row["status"],
                fields=sorted(k for k in diff if k not in ("status_at", "status_by")),
                source=source)
    return row, True


def history(store: "Store", registration_id: str) -> list[dict[str, Any]]:
    return store.query("SELECT at, officer_id, details FROM audit_log WHERE entity = "
                       "'registration' AND entity_id = ? AND action = 'registration.followup' "
                       "ORDER BY id", (registration_id,))


def open_registrations(store: "Store", person_id: str) -> list[dict[str, Any]]:
    """A person's registrations still being followed up (not stopped)."""
    return store.query("SELECT * FROM registrations WHERE person_id = ? AND status <> ? "
                       "ORDER BY created_at", (person_id, STOPPED))
