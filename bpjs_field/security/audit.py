"""Reading the append-only audit log, for a supervisor (the audit viewer and the CLI).

Entries hold who (officer), when, which device, the action and the ids it
touched, never personal data, so the viewer can show them as they are.
"""

from __future__ import annotations

from typing import Any

from bpjs_field.store import auditlog
from bpjs_field.store.session import require_supervisor
from bpjs_field.store.store import Store

MAX_ROWS = 2000


def audit_actions(store: Store) -> list[str]:
    return auditlog.actions(store)


def audit_entries(store: Store, *, action: str | None = None, officer_id: str | None = None,
                  text: str | None = None, since: str | None = None,
                  limit: int = 500) -> list[dict[str, Any]]:
    """Newest first; every filter is a bound parameter (the text one a plain substring)."""
    require_supervisor(store, "audit")
    return auditlog.entries(store, action=action, officer_id=officer_id, text=text, since=since,
                            limit=max(1, min(int(limit), MAX_ROWS)))
