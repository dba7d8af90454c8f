"""Reading the append-only audit log, for a supervisor (the audit viewer and the CLI).

Entries hold who (officer), when, which device, the action and the ids it
touched, never personal data, so the viewer can show them as they are.
"""

from __future__ import annotations

from typing import Any

from bpjs_field.security.session import require_supervisor
from bpjs_field.store.store import Store

MAX_ROWS = 2000


def audit_actions(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]


def audit_entries(store: Store, *, action: str | None = None, officer_id: str | None = None,
                  text: str | None = None, since: str | None = None,
                  limit: int = 500) -> list[dict[str, Any]]:
    """Newest first; every filter is a bound parameter (the text one a plain substring)."""
    require_supervisor(store, "audit")
    where, params = [], []
    if action:
        where.append("a.action = ?")
        params.append(action)
    if officer_id:
        where.append("a.officer_id = ?")
        params.append(officer_id)
    if since:
        where.append("a.at >= ?")
        params.append(since)
    if text:
        where.append("(instr(a.details, ?) > 0 OR instr(coalesce(a.entity_id, ''), ?) > 0)")
        params.extend([text[:200], text[:200]])
    sql = ("SELECT a.id, a.at, a.action, a.entity, a.entity_id, a.device_id, a.details, "
           "a.officer_id, o.full_name AS officer_name, o.employee_no FROM audit_log a "
           "LEFT JOIN officers o ON o.id = a.officer_id")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.id DESC LIMIT ?"
    params.append(max(1, min(int(limit), MAX_ROWS)))
    return store.query(sql, params)
