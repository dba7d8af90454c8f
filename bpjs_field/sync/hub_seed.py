"""Seeding the event hub with what the laptops knew before the event (PROTOCOL.md, *Event hub*).

The hub starts empty and learns the event from the changes the laptops push.  But a laptop
also holds rows that are in no change it still has to send: people, events, registrations
and check-ins it pulled from the branch (each laptop as of its own last branch sync), and its
own earlier work the branch already acknowledged.  Without them the hub cannot take a
check-in of such a person (`attendance.unknown_person`), and the door cannot find a person
only desk 2's laptop knows.

So before its first push to a hub (and again after each branch sync that moved its branch
cursor), a laptop *offers* the hub what it holds: pages of `[entity, id, stamp]` (the stamp is
`time|digest`: the row's `updated_at` here, a check-in's time, and a digest of what the row
holds).  The hub answers which rows it wants: those it does not hold, and those it holds only
from a seed, holding something else and older than the one offered.  The laptop
sends those rows; the hub stores them as *seed* rows: a clock older than any change
(`SEED_HLC`), so any change pushed at the event wins field by field, and no conflict is
recorded against them.  The hub thus holds the union of what the laptops knew, newest first,
and hands it out by the ordinary pull.

Seed rows are not changes: they get no change id, are not kept for the relay and never go to
the branch, which had them already (the rows a laptop made and the branch has not
acknowledged go to the hub as changes, as always).  A seeded person whose NIK (or passport)
the hub already holds under another id becomes an alias of that person, as a pushed one
does; a registration whose code, or a check-in whose (event, person), is already taken is
not taken.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable

import pydantic

from bpjs_field.store import tables
from bpjs_field.store.hlc import format_hlc

if TYPE_CHECKING:
    from bpjs_field.server.db import Tx
    from bpjs_field.store.store import Store
    from bpjs_field.sync.client import SyncClient

log = logging.getLogger(__name__)
SEED_HLC = format_hlc(0, 0, "seed")  # older than every change's clock
SEED_KEY = "~seed"  # in a seed row's meta: [SEED_HLC, 0, stamp offered]
SEEDED = "hub.seeded"  # {"hub": hub id, "branch_cursor": the branch cursor when last offered}
SINCE_MARGIN = timedelta(minutes=5)  # a branch pull may commit rows stamped before an offer began
OFFER_PAGE = 5000
SEND_PAGE = 1000
# What a laptop offers, parents first (a registration's person and event come before it).
ENTITIES = ("event", "person", "registration", "attendance")
STAMP = {"event": "updated_at", "person": "updated_at", "registration": "updated_at",
         "attendance": "checked_in_at"}


STAMP_FIELD = "~stamp"  # in a seed row sent: the stamp it was offered with


# -- the laptop's side -------------------------------------------------------------------
def _digest(row: dict[str, Any]) -> str:
    """What a row holds, in 16 hex digits (its local `updated_at` left out: a pull sets it)."""
    text = json.dumps({k: v for k, v in row.items() if k != "updated_at"}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _tables() -> dict[str, tuple[str, tuple[str, ...], str]]:
    from bpjs_field.store.replica import ATTENDANCE_COLUMNS, EVENT_COLUMNS
    from bpjs_field.store.people import SYNCED as PERSON_SYNCED
    from bpjs_field.store.registrations import SYNCED_ALL as REGISTRATION_SYNCED
    person = tuple(c for c in PERSON_SYNCED if c != "merged_into")
    return {"event": ("events", EVENT_COLUMNS, ""),
            "person": ("people", person, "WHERE merged_into IS NULL"),
            "registration": ("registrations", REGISTRATION_SYNCED, ""),
            "attendance": ("attendance", ATTENDANCE_COLUMNS, "")}


def due(store: "Store", hub_id: str | None) -> dict[str, Any] | None:
    """What to offer the hub now, or None when this laptop has offered everything it holds
    to this hub since its branch cursor last moved.  The first offer to a hub is whole; the
    next ones (after a branch sync brought rows) offer the people and registrations written
    here since the last offer began (a pulled row's `updated_at` is when it was applied
    here), less a margin for a pull committing meanwhile, the check-ins added since, and the
    events (few) whole."""
    from bpjs_field.sync.engine import CURSOR
    cursor = int(store.get_setting(CURSOR) or 0)
    held = store.get_setting(SEEDED) or {}
    if held.get("hub") == hub_id and held.get("branch_cursor") == cursor:
        return None
    again = held.get("hub") == hub_id and held.get("since")
    return {"hub": hub_id, "branch_cursor": cursor, "since": held["since"] if again else None,
            "attendance_rowid": int(held.get("attendance_rowid") or 0) if again else 0}


def offer(store: "Store", client: "SyncClient", check_cancel: Callable[[], None],
          state: dict[str, Any] | None = None) -> dict[str, int]:
    """Offer what this laptop holds (everything, or what `state` says is new); send what
    the hub wants.  Returns counts; `state` gets where the next offer starts."""
    state = state if state is not None else {"since": None, "attendance_rowid": 0}
    began = datetime.now(timezone.utc) - SINCE_MARGIN
    next_since = began.isoformat(timespec="milliseconds")
    next_attendance = tables.last_rowid(store, "attendance")
    counts = {"offered": 0, "sent": 0, "taken": 0, "aliased": 0, "skipped": 0}
    for entity, (table, columns, where) in _tables().items():
        stamp = STAMP[entity]
        rowid = 0
        clauses, params = ([where[len("WHERE "):]] if where else []), []
        if entity in ("person", "registration") and state["since"]:
            clauses.append("updated_at >= ?")
            params.append(state["since"])
        if entity == "attendance":
            rowid = int(state["attendance_rowid"])
        while True:
            check_cancel()
            names, rows = tables.rows_after(store, table, stamp, columns, clauses, params, rowid,
                                            OFFER_PAGE)
            if not rows:
                break
            rowid = rows[-1][0]
            data = [dict(zip(names, r[2:])) for r in rows]
            items = [[entity, d["id"], f"{r[1] or ''}|{_digest(d)}"] for r, d in zip(rows, data)]
            want = client._request("POST", "/hub/seed/offer", _Want,
                                   content=json.dumps({"items": items}).encode("utf-8")).want
            counts["offered"] += len(rows)
            chosen = [{**data[i], STAMP_FIELD: items[i][2]} for i in want if 0 <= i < len(rows)]
            for start in range(0, len(chosen), SEND_PAGE):
                check_cancel()
                chunk = chosen[start:start + SEND_PAGE]
                body = json.dumps({"entity": entity, "rows": chunk}, ensure_ascii=False,
                                  separators=(",", ":"))
                answer = client._request("POST", "/hub/seed", _Taken, content=body.encode("utf-8"))
                counts["sent"] += len(chunk)
                counts["taken"] += answer.taken
                counts["aliased"] += answer.aliased
                counts["skipped"] += answer.skipped
    state["since"], state["attendance_rowid"] = next_since, next_attendance
    return counts


class _Want(pydantic.BaseModel):
    want: list[int]


class _Taken(pydantic.BaseModel):
    taken: int
    aliased: int
    skipped: int


# -- the hub's side ----------------------------------------------------------------------
def _seed_only(meta: dict[str, Any]) -> bool:
    return set(meta) == {"*", SEED_KEY} and meta["*"][0] == SEED_HLC


def _newer(offered: Any, held: Any) -> bool:
    """An offered stamp (`time|digest`) holds something else, from a later time, than the
    one the hub holds (for a person or registration the time is when that laptop last
    received or changed the row: a later branch pull brings the later version)."""
    when, _, digest = str(offered).partition("|")
    held_when, _, held_digest = str(held).partition("|")
    return digest != held_digest and when > held_when


def wanted(tx: "Tx", items: list[list[str]]) -> list[int]:
    """Indexes of the offered rows the hub wants (absent, or seeded older)."""
    from bpjs_field.server.db import marks
    held: dict[tuple[str, str], tuple[dict[str, Any], bool]] = {}
    by_entity: dict[str, list[str]] = {}
    for entity, id_, _stamp in items:
        by_entity.setdefault(entity, []).append(id_)
    for entity, ids in by_entity.items():
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            for id_, meta, erased in tx.rows(
                    f"SELECT id, meta, json_extract(data, '$.erased_at') FROM docs WHERE entity = ? "
                    f"AND id IN ({marks(len(chunk))})", (entity, *chunk)):
                held[(entity, id_)] = (json.loads(meta), bool(erased))
    want = []
    for i, (entity, id_, stamp) in enumerate(items):
        if entity not in STAMP:
            continue
        found = held.get((entity, id_))
        if found is None:
            want.append(i)
            continue
        meta, erased = found
        if entity != "attendance" and not erased and _seed_only(meta) and _newer(stamp, meta[SEED_KEY][2]):
            want.append(i)
    return want


def take(tx: "Tx", entity: str, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Store seed rows (see the module's docstring); one transaction, the caller's."""
    from bpjs_field.domain.names import name_key
    from bpjs_field.domain.records import REQUIRED
    from bpjs_field.server.push import FIELDS, dumps, person_ident
    counts = {"taken": 0, "aliased": 0, "skipped": 0}
    if entity not in STAMP:
        counts["skipped"] = len(rows)
        return counts
    rev = tx.lock_revisions()
    allowed = FIELDS[entity]
    for row in rows:
        data = {k: v for k, v in row.items() if k in allowed}
        id_ = data.get("id")
        stamp = str(row.get(STAMP_FIELD) or "")
        if not isinstance(id_, str) or not id_ or any(data.get(f) is None for f in REQUIRED.get(entity, ())
                                                        if not (entity == "person" and data.get("erased_at"))):
            counts["skipped"] += 1
            continue
        current = tx.one("SELECT meta, json_extract(data, '$.erased_at') FROM docs "
                         "WHERE entity = ? AND id = ?", (entity, id_))
        if current is not None and (entity == "attendance" or current[1]
                                    or not _seed_only(json.loads(current[0]))
                                    or not _newer(stamp, json.loads(current[0])[SEED_KEY][2])):
            counts["skipped"] += 1  # the hub's own row stands (changed at the event, or newer)
            continue
        merged_into, ident = None, None
        if entity == "person":
            data["merged_into"] = None
            if isinstance(data.get("full_name"), str):
                data["name_key"] = name_key(data["full_name"])
            ident = person_ident(data)
        elif entity == "registration":
            ident = f"code:{data['code']}"
            person = _survivor(tx, data["person_id"])
            if person is None or tx.one("SELECT 1 FROM docs WHERE entity = 'event' AND id = ?",
                                        (data["event_id"],)) is None and data.get("event_id"):
                counts["skipped"] += 1
                continue
            data["person_id"] = person
        elif entity == "attendance":
            person = _survivor(tx, data["person_id"])
            if person is None or tx.one("SELECT 1 FROM docs WHERE entity = 'event' AND id = ?",
                                        (data["event_id"],)) is None:
                counts["skipped"] += 1
                continue
            data["person_id"] = person
            ident = f"{data['event_id']}|{person}"
        if ident is not None:
            holder = tx.scalar("SELECT id FROM docs WHERE entity = ? AND ident = ? AND id <> ?",
                               (entity, ident, id_))
            if holder is not None:
                if entity != "person":
                    counts["skipped"] += 1
                    continue
                # The NIK merge, as for a pushed person: an alias of who was there first.
                merged_into, ident = _survivor(tx, holder) or holder, None
                data = {"id": id_, "merged_into": merged_into}
        rev += 1
        meta = dumps({"*": [SEED_HLC, 0], SEED_KEY: [SEED_HLC, 0, stamp]})
        if current is None:
            tx.execute("INSERT INTO docs(entity, id, rev, ident, merged_into, deleted, data, meta) "
                       "VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                       (entity, id_, rev, ident, merged_into, dumps(data), meta))
        else:
            tx.execute("UPDATE docs SET rev = ?, ident = ?, merged_into = ?, data = ?, meta = ? "
                       "WHERE entity = ? AND id = ?",
                       (rev, ident, merged_into, dumps(data), meta, entity, id_))
        if entity == "attendance" and current is None:
            tx.execute("INSERT INTO scans(id, attendance_id, event_id, person_id, device_id, "
                       "checked_in_at, data) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                       (id_, id_, data["event_id"], data["person_id"], str(data.get("device_id") or ""),
                        data["checked_in_at"], dumps(data)))
        counts["aliased" if merged_into else "taken"] += 1
    tx.store_revision(rev)
    return counts


def _survivor(tx: "Tx", person_id: Any) -> str | None:
    """The live person an id stands for at the hub (following aliases), or None."""
    for _ in range(10):
        if not isinstance(person_id, str):
            return None
        row = tx.one("SELECT merged_into, deleted FROM docs WHERE entity = 'person' AND id = ?",
                     (person_id,))
        if row is None or row[1]:
            return None
        if not row[0]:
            return person_id
        person_id = row[0]
    return None
