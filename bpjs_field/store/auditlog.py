"""Reading the append-only audit log, and the entries written under an id of their own.

`Store.audit` appends an entry in the caller's transaction; this module holds the other
statements on `audit_log`: the supervisor's viewer (bpjs_field/security/audit.py), the
sync's push of the log in id order, and the entries a restore or the branch's marks place
after every id already issued (bpjs_field/backup.py, bpjs_field/sync/marks.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bpjs_field.store.store import Store


def max_id(store: "Store") -> int:
    return store.scalar("SELECT coalesce(max(id), 0) FROM audit_log")


def actions(store: "Store") -> list[str]:
    return [r[0] for r in store.db.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]


def entries(store: "Store", *, action: str | None = None, officer_id: str | None = None,
            text: str | None = None, since: str | None = None,
            limit: int = 500) -> list[dict[str, Any]]:
    """Newest first with the officer's name; every filter is a bound parameter (the text
    one a plain substring)."""
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
    params.append(limit)
    return store.query(sql, params)


def entries_after(store: "Store", cursor: int, limit: int) -> list[tuple[Any, ...]]:
    """(id, at, officer_id, action, entity, entity_id, details) after `cursor`, in id order."""
    return store.db.execute(
        "SELECT id, at, officer_id, action, entity, entity_id, details FROM audit_log "
        "WHERE id > ? ORDER BY id LIMIT ?", (cursor, limit)).fetchall()


def append_with_id(store: "Store", entry_id: int, at: str, officer_id: str | None, action: str,
                   details: str) -> None:
    """An entry under a given id (inside `write()`): the ids that follow continue after it."""
    store.db.execute(
        "INSERT INTO audit_log(id, at, officer_id, device_id, action, entity, entity_id, "
        "details) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)",
        (entry_id, at, officer_id, store.device_id, action, details))
