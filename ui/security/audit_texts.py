"""The audit log in words, in the officer's language.

The core records actions as stable codes (`officer.create`) and details as JSON
(`{"role": "supervisor"}`); a supervisor reads "Officer account made" and
"role: supervisor".  A code without words here (added later) is still shown
readably, never as raw JSON.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


ACTIONS = {
    "account_created": QT_TRANSLATE_NOOP("AuditTexts", "Account made"),
    "account_kept": QT_TRANSLATE_NOOP("AuditTexts", "Laptop account kept"),
    "account_received": QT_TRANSLATE_NOOP("AuditTexts", "Account received from the branch"),
    "account_removed": QT_TRANSLATE_NOOP("AuditTexts", "Account removed"),
    "attendance.create": QT_TRANSLATE_NOOP("AuditTexts", "Check-in"),
    "attendance.undo": QT_TRANSLATE_NOOP("AuditTexts", "Check-in taken back"),
    "conflicts.resolve": QT_TRANSLATE_NOOP("AuditTexts", "Sync conflict decided"),
    "conflicts.reveal": QT_TRANSLATE_NOOP("AuditTexts", "Full values of a conflict shown"),
    "demo.fill": QT_TRANSLATE_NOOP("AuditTexts", "Sample data added (training)"),
    "denied": QT_TRANSLATE_NOOP("AuditTexts", "Action refused (role)"),
    "device.revoked_wipe": QT_TRANSLATE_NOOP("AuditTexts", "Laptop revoked: personal data wiped"),
    "event.create": QT_TRANSLATE_NOOP("AuditTexts", "Event made"),
    "event.edit": QT_TRANSLATE_NOOP("AuditTexts", "Event changed"),
    "handcarry.export": QT_TRANSLATE_NOOP("AuditTexts", "Hand-carried export written"),
    "handcarry.import": QT_TRANSLATE_NOOP("AuditTexts", "Hand-carried export read in"),
    "import.csv": QT_TRANSLATE_NOOP("AuditTexts", "Registrations imported from a file"),
    "lock": QT_TRANSLATE_NOOP("AuditTexts", "Screen locked"),
    "login": QT_TRANSLATE_NOOP("AuditTexts", "Logged in"),
    "login_failed": QT_TRANSLATE_NOOP("AuditTexts", "Failed login"),
    "officer.create": QT_TRANSLATE_NOOP("AuditTexts", "Officer added"),
    "password_changed": QT_TRANSLATE_NOOP("AuditTexts", "Password changed"),
    "password_reset": QT_TRANSLATE_NOOP("AuditTexts", "New password set"),
    "person.create": QT_TRANSLATE_NOOP("AuditTexts", "Participant added"),
    "person.edit": QT_TRANSLATE_NOOP("AuditTexts", "Participant changed"),
    "person.erase": QT_TRANSLATE_NOOP("AuditTexts", "Personal data erased"),
    "person.reveal_nik": QT_TRANSLATE_NOOP("AuditTexts", "Full NIK shown"),
    "person.view_full": QT_TRANSLATE_NOOP("AuditTexts", "Full personal data shown"),
    "print": QT_TRANSLATE_NOOP("AuditTexts", "Printed"),
    "reference.update": QT_TRANSLATE_NOOP("AuditTexts", "Rates and notice updated"),
    "registration.create": QT_TRANSLATE_NOOP("AuditTexts", "Registration"),
    "role_changed": QT_TRANSLATE_NOOP("AuditTexts", "Role changed"),
    "role_set": QT_TRANSLATE_NOOP("AuditTexts", "Role given"),
    "sync.done": QT_TRANSLATE_NOOP("AuditTexts", "Synced"),
    "sync.enroll": QT_TRANSLATE_NOOP("AuditTexts", "Laptop enrolled at the branch"),
    "sync.merge": QT_TRANSLATE_NOOP("AuditTexts", "Edits merged at sync"),
    "sync.refused": QT_TRANSLATE_NOOP("AuditTexts", "Change refused by the server"),
    "sync.retry_refused": QT_TRANSLATE_NOOP("AuditTexts", "Refused changes sent again"),
    "unlock": QT_TRANSLATE_NOOP("AuditTexts", "Screen unlocked"),
    "unlock_failed": QT_TRANSLATE_NOOP("AuditTexts", "Failed unlock"),
}

DETAILS = {
    "attempt": QT_TRANSLATE_NOOP("AuditTexts", "attempt"),
    "code": QT_TRANSLATE_NOOP("AuditTexts", "code"),
    "attempted": QT_TRANSLATE_NOOP("AuditTexts", "attempted"),
    "copies": QT_TRANSLATE_NOOP("AuditTexts", "copies printed"),
    "count": QT_TRANSLATE_NOOP("AuditTexts", "count"),
    "document": QT_TRANSLATE_NOOP("AuditTexts", "document"),
    "employee_no": QT_TRANSLATE_NOOP("AuditTexts", "employee number"),
    "event_id": QT_TRANSLATE_NOOP("AuditTexts", "event"),
    "fields": QT_TRANSLATE_NOOP("AuditTexts", "fields"),
    "into": QT_TRANSLATE_NOOP("AuditTexts", "into"),
    "is_reprint": QT_TRANSLATE_NOOP("AuditTexts", "copy (SALINAN)"),
    "locked": QT_TRANSLATE_NOOP("AuditTexts", "account locked"),
    "method": QT_TRANSLATE_NOOP("AuditTexts", "how"),
    "new": QT_TRANSLATE_NOOP("AuditTexts", "new"),
    "old": QT_TRANSLATE_NOOP("AuditTexts", "before"),
    "participants": QT_TRANSLATE_NOOP("AuditTexts", "participants"),
    "queued": QT_TRANSLATE_NOOP("AuditTexts", "queued"),
    "reason": QT_TRANSLATE_NOOP("AuditTexts", "reason"),
    "role": QT_TRANSLATE_NOOP("AuditTexts", "role"),
    "seq": QT_TRANSLATE_NOOP("AuditTexts", "number"),
    "status": QT_TRANSLATE_NOOP("AuditTexts", "status"),
    "subject_id": QT_TRANSLATE_NOOP("AuditTexts", "for"),
    "tag": QT_TRANSLATE_NOOP("AuditTexts", "laptop tag"),
    "version": QT_TRANSLATE_NOOP("AuditTexts", "version"),
    "wiped": QT_TRANSLATE_NOOP("AuditTexts", "wiped"),
    "withdrawn": QT_TRANSLATE_NOOP("AuditTexts", "consent withdrawn"),
}
VALUES = {
    True: QT_TRANSLATE_NOOP("AuditTexts", "yes"),
    False: QT_TRANSLATE_NOOP("AuditTexts", "no"),
    "supervisor": QT_TRANSLATE_NOOP("AuditTexts", "supervisor"),
    "officer": QT_TRANSLATE_NOOP("AuditTexts", "officer"),
    "first_start": QT_TRANSLATE_NOOP("AuditTexts", "first start"),
    "scan": QT_TRANSLATE_NOOP("AuditTexts", "scanned"),
    "search": QT_TRANSLATE_NOOP("AuditTexts", "searched"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("AuditTexts", text)


def _plain(code: str) -> str:
    return code.replace(".", " ").replace("_", " ").capitalize()


def action_text(code: str) -> str:
    """An action in words; an unknown code made readable."""
    return _tr(ACTIONS[code]) if code in ACTIONS else _plain(code or "")


def _value(value: Any) -> str:
    # Booleans and known words only: 1 == True in a dict, and a count of 1 is no "yes".
    if isinstance(value, bool) or (isinstance(value, str) and value in VALUES):
        return _tr(VALUES[value])
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_key(k)} {_value(v)}" for k, v in value.items())
    if value is None:
        return "—"
    return str(value)


def _key(key: str) -> str:
    return _tr(DETAILS[key]) if key in DETAILS else key.replace("_", " ")


def details_text(details: str | None) -> str:
    """The JSON details as `key: value` pairs in words."""
    if not details or details == "{}":
        return ""
    try:
        data = json.loads(details)
    except ValueError:
        return str(details)
    if not isinstance(data, dict):
        return _value(data)
    return " · ".join(f"{_key(k)}: {_value(v)}" for k, v in data.items())
