"""Consent is a record of events, not a field to win.

Every consent a laptop sends (a person's `consent_at` with its notice version, and each
registration's) is kept in `consents`, once per (person, notice version, time): the same
person registered on two laptops has two consents, and both stay.  The person row shows
the newest one, so the fields never raise a conflict for a supervisor to decide.
"""

from __future__ import annotations

from typing import Any

from bpjs_field.domain.entities import CONSENT_FIELDS as _NEWEST

# The person fields merged as a record of events (bpjs_field/domain/entities.py: NEWEST).
CONSENT_FIELDS = frozenset(_NEWEST)


def newest_consent(data: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    """The consent fields the person row takes from `payload`: those of the newer consent."""
    given = payload.get("consent_at")
    if not isinstance(given, str) or not given:
        return {}
    current = data.get("consent_at")
    if isinstance(current, str) and current and current >= given:
        return {}
    return {"consent_at": given, "consent_version": payload.get("consent_version")}


def consent_row(person_id: str, payload: dict[str, Any], change_id: str, device_id: str,
                source: str, now: str) -> tuple | None:
    """A row for `consents`, or None when the change carries no consent."""
    given = payload.get("consent_at")
    if not isinstance(given, str) or not given:
        return None
    version = payload.get("consent_version")
    return (person_id, str(version) if version is not None else "", given, source, change_id,
            device_id, now)


def store_consents(tx: Any, rows: list[tuple]) -> None:
    if not rows:
        return
    tx.executemany(
        "INSERT INTO consents(person_id, consent_version, consent_at, source, change_id, "
        "device_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (person_id, consent_version, consent_at) DO NOTHING", rows)


def consents_of(tx: Any, person_id: str) -> list[dict[str, Any]]:
    return tx.dicts("SELECT consent_version, consent_at, source, device_id FROM consents "
                    "WHERE person_id = ? ORDER BY consent_at", (person_id,))
