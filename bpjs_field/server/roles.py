"""Who may change what on the branch server, whatever a laptop claims.

- A change to a person the server already has (an edit, an erasure, withdrawn
  consent) is a supervisor's: `supervised()` is true when the pushing laptop was
  enrolled by an active supervisor account, or when the change carries a signature
  by an active supervisor account of the branch over exactly this change
  (`bpjs_field.security.signing`).  A signature that does not verify is a forgery
  or an altered payload: `Quarantined`.  The caller completes only blank fields
  for an unsupervised edit and quarantines an unsupervised erasure.
- The branch's own accounts (officer rows the server publishes) are the server's
  to change: `is_account()` tells them from officer rows a laptop made.
"""

from __future__ import annotations

import json
from typing import Any

from bpjs_field.security import signing
from bpjs_field.server.db import Tx
from bpjs_field.protocol import Change


class Quarantined(Exception):
    """A change that is acknowledged but kept aside, with its reason."""


def device_role(tx: Tx, device_id: str) -> str | None:
    """The role of the active account that enrolled this laptop (None: none or disabled)."""
    row = tx.one("SELECT a.role, a.active FROM devices d JOIN accounts a ON a.id = d.officer_id "
                 "WHERE d.id = ?", (device_id,))
    return row[0] if row and row[1] else None


def supervisor_key(tx: Tx, employee_no: str) -> str | None:
    """The published signing key of an active supervisor account, or None."""
    row = tx.one("SELECT login FROM accounts WHERE upper(employee_no) = upper(?) "
                 "AND role = 'supervisor' AND active = 1", (employee_no,))
    if not row or not row[0]:
        return None
    return json.loads(row[0]).get("sign_public_key")


def supervised(tx: Tx, role: str | None, ch: Change) -> bool:
    """Whether this change comes with a supervisor's authority (see the module text)."""
    if role == "supervisor":
        return True
    sig = ch.signature
    if sig is None:
        return False
    key = supervisor_key(tx, sig.by)
    message = signing.change_message(ch.change_id, ch.entity, ch.entity_id, ch.op, ch.hlc, ch.payload)
    if key is None or not signing.verify(key, message, sig.sig):
        raise Quarantined("person.edit_bad_signature")
    return True


def is_account(tx: Tx, doc_id: str, data: dict[str, Any]) -> bool:
    return bool(data.get("account")) or bool(tx.one("SELECT 1 FROM accounts WHERE id = ?", (doc_id,)))


__all__ = ["Quarantined", "device_role", "supervisor_key", "supervised", "is_account"]
