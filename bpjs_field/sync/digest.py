"""An order-independent fingerprint of people, registrations and attendance.

The laptop and the server compute the same lines from their own tables; equal
counts and an equal SHA-256 mean both hold the same rows (CommCare's state
hash, Anki's count check).  Personal data only enters the hash, never a log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

PERSON_KEYS = ("id", "nik", "passport_no", "nationality", "full_name", "birth_date", "phone")
REGISTRATION_KEYS = ("id", "code", "person_id", "event_id", "segment", "monthly_total")
ATTENDANCE_KEYS = ("id", "event_id", "person_id", "checked_in_at")


def _line(tag: str, row: dict[str, Any], keys: tuple[str, ...]) -> str:
    return tag + "|" + "|".join("" if row.get(k) is None else str(row.get(k)) for k in keys)


def digest_rows(people: Iterable[dict[str, Any]], registrations: Iterable[dict[str, Any]],
                attendance: Iterable[dict[str, Any]]) -> dict[str, Any]:
    lines: list[str] = []
    counts = {}
    for tag, name, rows, keys in (("P", "people", people, PERSON_KEYS),
                                  ("R", "registrations", registrations, REGISTRATION_KEYS),
                                  ("A", "attendance", attendance, ATTENDANCE_KEYS)):
        before = len(lines)
        lines.extend(_line(tag, row, keys) for row in rows)
        counts[name] = len(lines) - before
    lines.sort()
    counts["digest"] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return counts


def laptop_digest(store: Any) -> dict[str, Any]:
    """The fingerprint of a laptop's store (people merged into others are left out)."""
    from bpjs_field.store.tables import digest_source
    return digest_rows(*digest_source(store, PERSON_KEYS, REGISTRATION_KEYS, ATTENDANCE_KEYS))
