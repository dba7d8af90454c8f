"""Whole-table reads that compare a laptop with the branch (bpjs_field/sync/digest.py), read
a laptop's rows in pages to offer an event hub (bpjs_field/sync/hub_seed.py), and rows
written as the changes of other laptops carried here describe them (bpjs_field/handcarry.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bpjs_field.store.store import Store


def digest_source(store: "Store", person_keys: Sequence[str], registration_keys: Sequence[str],
                  attendance_keys: Sequence[str]) -> tuple[list[dict[str, Any]], ...]:
    """The rows a laptop's fingerprint is made of (people merged into others are left out)."""
    return (store.query(f"SELECT {', '.join(person_keys)} FROM people WHERE merged_into IS NULL"),
            store.query(f"SELECT {', '.join(registration_keys)} FROM registrations"),
            store.query(f"SELECT {', '.join(attendance_keys)} FROM attendance"))


# -- rows written as other laptops' changes describe them (bpjs_field/handcarry.py) --------
REPLICATED = ("people", "registrations", "attendance", "events", "officers")


def _table(name: str) -> str:
    if name not in REPLICATED:
        raise ValueError(f"not a replicated table: {name}")
    return name


def has_row(store: "Store", table: str, row_id: str) -> bool:
    return bool(store.scalar(f"SELECT 1 FROM {_table(table)} WHERE id = ?", (row_id,)))


def delete_attendance(store: "Store", attendance_id: str) -> None:
    store.db.execute("DELETE FROM attendance WHERE id = ?", (attendance_id,))


def update_row(store: "Store", table: str, row_id: str, fields: dict[str, Any]) -> None:
    """Set the given columns of one row (inside `write()`; no change logged: the change that
    describes it is queued under its own id)."""
    store.db.execute(f"UPDATE {_table(table)} SET {', '.join(f'{k} = ?' for k in fields)} "
                     "WHERE id = ?", (*fields.values(), row_id))


# -- rows offered to an event hub, page by page (bpjs_field/sync/hub_seed.py) -------------
def last_rowid(store: "Store", table: str) -> int:
    return int(store.scalar(f"SELECT coalesce(max(rowid), 0) FROM {_table(table)}"))


def rows_after(store: "Store", table: str, stamp: str, columns: Sequence[str],
               clauses: Sequence[str], params: Sequence[Any], after: int,
               limit: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Rows of `table` past rowid `after` meeting `clauses` (SQL conditions on its own
    columns, with `params`), in rowid order: (column names, rows of (rowid, stamp,
    *columns))."""
    where = " AND ".join([*clauses, "rowid > ?"])
    cur = store.db.execute(f"SELECT rowid, {stamp}, {', '.join(columns)} FROM {_table(table)} "
                           f"WHERE {where} ORDER BY rowid LIMIT ?", (*params, after, limit))
    return [d[0] for d in cur.description][2:], cur.fetchall()
