"""Statements on the laptop's tables made for the security rules rather than for a form:
a revoked laptop's wipe (bpjs_field/security/revocation.py), the erasures a USB file or a
restore must respect (bpjs_field/handcarry.py, bpjs_field/backup.py), and the file-level
steps after them (secure delete, search index compaction, WAL checkpoint).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bpjs_field.store.store import Store


def people_not_erased(store: "Store") -> list[str]:
    return [row[0] for row in store.db.execute("SELECT id FROM people WHERE erased_at IS NULL")]


def erased_people(store: "Store") -> set[str]:
    return {r[0] for r in store.db.execute("SELECT id FROM people WHERE erased_at IS NOT NULL")}


def erased_people_at(conn: Any) -> dict[str, str]:
    """Erased people and when, read on a connection to a laptop database."""
    return {r[0]: r[1] for r in conn.execute(
        "SELECT id, erased_at FROM people WHERE erased_at IS NOT NULL")}


def overwrite_person(store: "Store", person_id: str, values: dict[str, Any]) -> None:
    """Set a person's fields in place, no change logged (inside `write()`)."""
    assignments = ", ".join(f"{k} = ?" for k in values)
    store.db.execute(f"UPDATE people SET {assignments} WHERE id = ?", (*values.values(), person_id))


def secure_delete(store: "Store") -> None:
    """Freed pages are overwritten from now on (this connection)."""
    store.db.execute("PRAGMA secure_delete = ON")


def clear_drafts(store: "Store") -> None:
    store.db.execute("DELETE FROM drafts")


def optimize_search(store: "Store") -> None:
    """Merge the search index's segments (old terms leave the file)."""
    store.db.execute("INSERT INTO people_fts(people_fts) VALUES ('optimize')")


def checkpoint(store: "Store") -> None:
    """Copy the WAL into the database and truncate it: old pages leave the WAL file."""
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
