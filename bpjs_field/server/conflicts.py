"""Conflicts on the branch server: listing them for a supervisor and recording a resolution.

A conflict is a value that lost a concurrent edit (see push.py).  A supervisor
decides per conflict:

- `keep`: the current value stays.  Nothing is written to the row; the
  supervisor's laptop sends the clock of the current value it was shown
  (`current_hlc`), and a value that changed since then is refused (409
  `conflict.changed`: look again), so "keep" never silently keeps a value the
  supervisor has not seen.
- `use_other`: the supervisor's laptop first makes a normal supervised edit of
  the field (audited, in its change log, with a hybrid-clock time beyond both
  sides), syncs it, then names that change here.  The server checks that the
  change was applied, came from this laptop, touched this row, beats both
  sides of the conflict and is (still, or was overtaken by a later edit of)
  the field's last write.  The value itself thus travels the ordinary way and
  every laptop gets it at its next pull; this module only writes the record.

A resolution settles every open conflict of the same row and field that it
decides (`resolved_with` names the conflict the supervisor chose): for
`keep`, those whose two clocks are not after the current value's; for
`use_other`, those whose lost value is older than the deciding change and
whose kept value is not newer (the deciding change itself may be the kept
side: a laptop that had not pulled the value it overrides records it as lost
once more).  A conflict that arises later (an even older offline edit
arriving afterwards, or the deciding change itself losing to a newer edit)
stays open for the supervisor.
The values of settled conflicts are removed (they were kept only for this
decision); who, when, which laptop, the choice and the change id stay.

Retries are harmless: resolving a conflict again with the same choice and
change from the same laptop answers the stored result (`repeated: true`);
anything else on a settled conflict is 409 `conflict.resolved`.  A person
erased since is refused (409 `conflict.person_erased`; erasure deletes its
conflicts anyway, so usually the answer is 404 `conflict.unknown`).
"""

from __future__ import annotations

import json
from typing import Any

from bpjs_field.server.db import ServerDatabase, Tx, marks

COLUMNS = ("id, entity, entity_id, field, kept_value, lost_value, kept_hlc, lost_hlc, kept_device, "
           "lost_device, change_id, detected_at, resolved_at, resolution, resolved_by, "
           "resolved_device, resolution_change_id, resolved_with")
MAX_ALIAS_HOPS = 10


class Refused(Exception):
    """A resolution the server does not record: `status` and a stable `code`."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status, self.code = status, code


def _doc(tx: Tx, entity: str, doc_id: str) -> tuple[str, dict[str, Any], dict[str, Any], bool] | None:
    """(id, data, meta, deleted) of the row, following aliases to the surviving row."""
    for _ in range(MAX_ALIAS_HOPS + 1):
        row = tx.one("SELECT id, merged_into, data, meta, deleted FROM docs WHERE entity = ? AND id = ?",
                     (entity, doc_id))
        if row is None:
            return None
        if not row[1]:
            return row[0], json.loads(row[2]), json.loads(row[3]), bool(row[4])
        doc_id = row[1]
    return None


def field_clock(data: dict[str, Any], meta: dict[str, Any], field: str) -> str | None:
    """The hybrid-clock time of the field's last write (the same lookup as the push)."""
    written = meta.get(field) or (meta.get("*") if field in data else None)
    return written[0] if written else None


def _laptops(tx: Tx, device_ids: set[str]) -> dict[str, str]:
    ids = sorted(i for i in device_ids if i)
    if not ids:
        return {}
    rows = tx.rows(f"SELECT d.id, d.name, d.device_tag, a.full_name FROM devices d LEFT JOIN "
                   f"accounts a ON a.id = d.officer_id WHERE d.id IN ({marks(len(ids))})", ids)
    # The laptop's name and tag with the officer who enrolled it: what a supervisor recognises.
    return {r[0]: f"{r[1] or '?'} ({r[2]}, {r[3] or '?'})" for r in rows}


def _shown(tx: Tx, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Conflict rows with the current value and clock of their field, and laptop labels."""
    labels = _laptops(tx, {r["kept_device"] for r in rows} | {r["lost_device"] for r in rows})
    docs: dict[tuple[str, str], Any] = {}
    for row in rows:
        key = (row["entity"], row["entity_id"])
        if key not in docs:
            docs[key] = _doc(tx, *key)
        doc = docs[key]
        if doc is not None:
            row["current_value"] = json.dumps(doc[1].get(row["field"]), ensure_ascii=False)
            row["current_hlc"] = field_clock(doc[1], doc[2], row["field"])
        row["kept_laptop"] = labels.get(row["kept_device"])
        row["lost_laptop"] = labels.get(row["lost_device"])
    return rows


def list_open(db: ServerDatabase, limit: int = 500) -> list[dict[str, Any]]:
    with db.read() as tx:
        return _shown(tx, tx.dicts(f"SELECT {COLUMNS} FROM conflicts WHERE resolved_at IS NULL "
                                   "ORDER BY id DESC LIMIT ?", (limit,)))


def get_one(db: ServerDatabase, conflict_id: int) -> dict[str, Any]:
    with db.read() as tx:
        rows = tx.dicts(f"SELECT {COLUMNS} FROM conflicts WHERE id = ?", (conflict_id,))
        if not rows:
            raise Refused(404, "conflict.unknown")
        return _shown(tx, rows)[0]


def _answer(tx: Tx, row: dict[str, Any], repeated: bool) -> dict[str, Any]:
    settled = [r[0] for r in tx.rows("SELECT id FROM conflicts WHERE resolved_with = ? ORDER BY id",
                                     (row["resolved_with"],))]
    return {"id": row["id"], "resolution": row["resolution"],
            "change_id": row["resolution_change_id"], "resolved_at": row["resolved_at"],
            "resolved_by": row["resolved_by"], "resolved_with": row["resolved_with"],
            "resolved": settled, "repeated": repeated}


def _check_change(tx: Tx, row: dict[str, Any], doc_id: str, value_clock: str | None,
                  device_id: str, change_id: str) -> str:
    """The deciding change's clock, after checking it is this laptop's applied edit of the
    row that beats both sides and wrote the field (or was overtaken by a later write)."""
    change = tx.one("SELECT device_id, entity, entity_id, hlc, outcome FROM applied_changes "
                    "WHERE change_id = ?", (change_id,))
    if change is None:
        raise Refused(409, "conflict.change_unknown")  # not synced yet: sync, then resolve
    owner, entity, entity_id, hlc, outcome = change
    target = _doc(tx, entity, entity_id) if entity == row["entity"] else None
    if (owner != device_id or outcome != "applied" or target is None or target[0] != doc_id
            or not hlc > max(row["kept_hlc"] or "", row["lost_hlc"] or "")
            or value_clock is None or value_clock < hlc):
        raise Refused(409, "conflict.change_mismatch")
    return hlc


def resolve(db: ServerDatabase, conflict_id: int, device: dict[str, Any], choice: str,
            change_id: str | None, current_hlc: str | None, now: str) -> dict[str, Any]:
    """Record a supervisor's decision on one conflict (and on those it settles with it)."""
    with db.write() as tx:
        # The same lock as pushes: no conflict of this field appears or is erased meanwhile.
        tx.lock_revisions()
        rows = tx.dicts(f"SELECT {COLUMNS} FROM conflicts WHERE id = ?", (conflict_id,))
        if not rows:
            raise Refused(404, "conflict.unknown")
        row = rows[0]
        if row["resolved_at"]:
            same = (row["resolution"], row["resolution_change_id"], row["resolved_device"]) == (
                choice, change_id, device["id"])
            if same and row["resolved_with"] == row["id"]:
                return _answer(tx, row, repeated=True)  # a retry after a lost answer
            raise Refused(409, "conflict.resolved")
        doc = _doc(tx, row["entity"], row["entity_id"])
        if doc is None or doc[3]:
            raise Refused(409, "conflict.row_gone")
        doc_id, data, meta, _ = doc
        if row["entity"] == "person" and data.get("erased_at"):
            raise Refused(409, "conflict.person_erased")
        value_clock = field_clock(data, meta, row["field"])
        if choice == "keep":
            if current_hlc is not None and current_hlc != value_clock:
                raise Refused(409, "conflict.changed")

            def settles(kept: str, lost: str) -> bool:
                return max(kept, lost) <= (value_clock or "")
        else:
            deciding = _check_change(tx, row, doc_id, value_clock, device["id"], change_id or "")

            def settles(kept: str, lost: str) -> bool:
                # Kept may be the deciding edit itself: pushed from a laptop that had not
                # pulled the value it overrides, it records that value as lost once more.
                return lost < deciding and kept <= deciding
        # Clocks compare in Python: a PostgreSQL collation may order text differently.
        open_rows = tx.rows("SELECT id, kept_hlc, lost_hlc FROM conflicts WHERE entity = ? AND "
                            "entity_id = ? AND field = ? AND resolved_at IS NULL",
                            (row["entity"], row["entity_id"], row["field"]))
        settled = sorted({conflict_id} | {r[0] for r in open_rows if settles(r[1] or "", r[2] or "")})
        tx.execute(
            "UPDATE conflicts SET resolved_at = ?, resolution = ?, resolved_by = ?, "
            "resolved_device = ?, resolution_change_id = ?, resolved_with = ?, kept_value = NULL, "
            f"lost_value = NULL WHERE id IN ({marks(len(settled))})",
            (now, choice, device["officer_id"], device["id"], change_id, conflict_id, *settled))
        return {"id": conflict_id, "resolution": choice, "change_id": change_id, "resolved_at": now,
                "resolved_by": device["officer_id"], "resolved_with": conflict_id,
                "resolved": settled, "repeated": False}
