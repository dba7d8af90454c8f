"""Serving pulls: the rows changed since a laptop's cursor, one page at a time.

The cursor is a server revision (never a laptop clock).  A page holds rows
with `rev > cursor` in revision order; `next_cursor` is the last revision in
it, so a laptop that stores the cursor with each applied page resumes where
it stopped.  Rows that a page refers to (the person and event of a
registration, the survivor of a merged person) but that would only come in a
later page are sent along too: a repeated row is harmless, a missing one
would break the laptop's foreign keys.

The JSON is assembled from the stored row texts without decoding them again,
so a first pull of 100,000 people is bounded by the network, not by Python.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bpjs_field.server.db import ServerDatabase, Tx, marks
from bpjs_field.store.hlc import format_hlc
from bpjs_field.protocol import digest_rows

REFERENCES = {"registration": (("person_id", "person"), ("event_id", "event")),
              "attendance": (("person_id", "person"), ("event_id", "event"))}


def server_hlc() -> str:
    return format_hlc(int(time.time() * 1000), 0, "server")


def _item(entity: str, id: str, rev: int, deleted: Any, merged_into: str | None, data: str) -> str:
    return (f'{{"entity":"{entity}","id":{json.dumps(id)},"rev":{rev},'
            f'"deleted":{"true" if deleted else "false"},'
            f'"merged_into":{json.dumps(merged_into)},"data":{data}}}')


def _referenced(tx: Tx, rows: list[tuple], after: int) -> list[tuple]:
    wanted: dict[str, set[str]] = {}
    present = {(r[0], r[1]) for r in rows}
    for entity, id, _rev, _deleted, merged_into, data in rows:
        if merged_into:
            wanted.setdefault(entity, set()).add(merged_into)
        refs = REFERENCES.get(entity)
        if refs:
            values = json.loads(data)
            for key, target in refs:
                if values.get(key):
                    wanted.setdefault(target, set()).add(values[key])
    extra: list[tuple] = []
    for entity, ids in wanted.items():
        ids_list = [i for i in ids if (entity, i) not in present]
        for start in range(0, len(ids_list), 900):
            chunk = ids_list[start:start + 900]
            extra += tx.rows(
                f"SELECT entity, id, rev, deleted, merged_into, data FROM docs WHERE entity = ? "
                f"AND rev > ? AND id IN ({marks(len(chunk))})", (entity, after, *chunk))
    return extra


def pull_page(db: ServerDatabase, cursor: int, limit: int, server_id: str,
              device_id: str | None = None) -> bytes:
    """One page; with `device_id`, account rows carry a login only where that laptop needs
    it (server/distribution.py)."""
    with db.read() as tx:
        rows = tx.rows("SELECT entity, id, rev, deleted, merged_into, data FROM docs "
                       "WHERE rev > ? ORDER BY rev LIMIT ?", (cursor, limit + 1))
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = rows[-1][2] if rows else cursor
        head = int(tx.scalar("SELECT value FROM counters WHERE name = 'rev'"))
        extra = _referenced(tx, rows, next_cursor) if more else []
        if device_id is not None and any(r[0] == "officer" for r in (*rows, *extra)):
            from bpjs_field.server.distribution import needed_accounts, withhold
            needed = needed_accounts(tx, device_id)
            rows, extra = ([(*r[:5], withhold(r[5], needed)) if r[0] == "officer" and r[5] else r
                            for r in part] for part in (rows, extra))
    from bpjs_field.server.accounts import utc_now
    items = ",".join(_item(*row) for row in (*extra, *rows))
    return (f'{{"items":[{items}],"next_cursor":{next_cursor},"head":{head},'
            f'"more":{"true" if more else "false"},"server_id":{json.dumps(server_id)},'
            f'"server_time":"{utc_now()}","server_hlc":"{server_hlc()}"}}').encode("utf-8")


def server_digest(db: ServerDatabase) -> dict[str, Any]:
    """The same fingerprint as `laptop_digest`, from the server's live rows."""
    with db.read() as tx:
        def live(entity: str) -> list[dict[str, Any]]:
            return [json.loads(r[0]) for r in tx.rows(
                "SELECT data FROM docs WHERE entity = ? AND deleted = 0 AND merged_into IS NULL",
                (entity,))]
        return digest_rows(live("person"), live("registration"), live("attendance"))

