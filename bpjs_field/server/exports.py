"""Excel exports for the branch on the server (`bpjs-field server-export`): every laptop's
registrations or attendance as synced, in the same columns and cell types as the laptop's
export (bpjs_field/reporting/exports.py), NIK, No. KK and phone masked (the server's command
line has no login, so no full export here: a supervisor exports in full on a laptop)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bpjs_field.domain.regions import get_region
from bpjs_field.domain.segments import SEGMENTS, label
from bpjs_field.reporting import exports
from bpjs_field.server.db import ServerDatabase


def _docs(tx, entity: str) -> Iterator[dict[str, Any]]:
    for (data,) in tx.rows("SELECT data FROM docs WHERE entity = ? AND deleted = 0 AND "
                           "merged_into IS NULL ORDER BY rev", (entity,)):
        yield json.loads(data)


def server_export(db: ServerDatabase, kind: str, path: Path) -> int:
    masker = exports.Masker(False)
    with db.read() as tx:
        people = {p["id"]: p for p in _docs(tx, "person")}
        events = {e["id"]: e for e in _docs(tx, "event")}
        officers = {o["id"]: o.get("full_name") for o in _docs(tx, "officer") if "id" in o}
        rows = list(_docs(tx, "registration" if kind == "registrations" else "attendance"))
    with exports._book(path) as book:
        if kind == "registrations":
            return book.sheet("Pendaftaran", exports.REGISTRATION_COLUMNS,
                              (_registration(r, people, events, officers, masker) for r in rows))
        return book.sheet("Kehadiran", exports.ATTENDANCE_COLUMNS,
                          (_attendance(a, people, events, officers, masker) for a in rows))


def _registration(r, people, events, officers, masker) -> list:
    p = people.get(r.get("person_id"), {})
    e = events.get(r.get("event_id"), {})
    district = e.get("district_code") or p.get("district_code")
    region = get_region(district) if district else None
    return [r.get("code"), r.get("created_at"), label(SEGMENTS, r.get("segment") or ""),
            e.get("title"), officers.get(r.get("officer_id")), p.get("full_name"),
            masker.nik(p["nik"]) if p.get("nik") else p.get("passport_no"),
            masker.kk(p.get("kk_no")), masker.phone(p.get("phone")),
            region.name if region else None, exports._status(r.get("status")), r.get("kpj_no"),
            r.get("payment_code"), r.get("kpj_at"), r.get("first_paid_at"),
            r.get("first_paid_months"), r.get("monthly_total"), r.get("amount_due"),
            r.get("consent_version")]


def _attendance(a, people, events, officers, masker) -> list:
    p = people.get(a.get("person_id"), {})
    return [events.get(a.get("event_id"), {}).get("title"), a.get("checked_in_at"),
            p.get("full_name"), masker.nik(p["nik"]) if p.get("nik") else p.get("passport_no"),
            masker.phone(p.get("phone")), a.get("method"), officers.get(a.get("officer_id")), None]
