"""Pulled registrations and check-ins that wait for their person or event.

A registration or a check-in names its person and event by id, and the laptop's tables
hold it only when both are there (foreign keys).  The server sends along any row a page
refers to, yet a row can still reach a laptop before, or without, its parent:
- the parent was set aside (`bpjs_field.store.set_aside`: a value this laptop's rules
  refuse) and comes again only once the branch corrects it;
- the row names a person the server has since turned into an alias of another (an event
  hub's seed meeting the same NIK under another id) and the alias came in an earlier page;
- a hand-carried file holds a check-in of a person this laptop has not pulled yet;
- a server or hub that did not send the parent (an older version, a hub seeded without it).
Before this, one such row failed its whole page on a foreign key, and with it every later
pull of that laptop.  Now the row is held here whole, with the person and event it names;
the rest of its page applies and the cursor moves on.  It applies as soon as its parent is
here (a later page, an event hub's pull, a USB file), with an alias followed to the person
it stands for; a newer revision of the same row replaces it, a deletion drops it.

Nothing is lost: the row waits whole in the (encrypted) database, not only its id, so it
applies without the branch having to send it again; rows set aside used to be dropped with
the registrations hanging on them.  Nothing is doubled: a row is kept once by entity and
id, and applies as an upsert by id like any pulled row.  A row that never applies stays
visible: it is listed with the rows set aside (`set_aside_rows`, reason
`<entity>.person_id: waiting`) on the sync page and by `bpjs-field sync`, and noted once in
the audit log (`sync.row_set_aside`), which reaches the branch's supervisors.  An erasure
clears the person's fields of held registrations too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.records import describe
from bpjs_field.store.store import dumps, utc_now

if TYPE_CHECKING:
    from bpjs_field.protocol import Doc
    from bpjs_field.store.store import Store

WAITING = "waiting"
# (field, parent table, required): what each held entity names.
PARENTS = {"registration": (("person_id", "people", True), ("event_id", "events", False)),
           "attendance": (("person_id", "people", True), ("event_id", "events", True))}
MAX_ALIAS_HOPS = 10


def _live(doc: "Doc") -> bool:
    return not doc.deleted and not doc.merged_into and bool(doc.data)


def _chunks(values: list[Any], size: int = 900) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _present(store: "Store", table: str, ids: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(ids)):
        found.update(r[0] for r in store.db.execute(
            f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return found


def count(store: "Store") -> int:
    return int(store.scalar("SELECT count(*) FROM held_rows"))


def _forget(store: "Store", keys: set[tuple[str, str]]) -> None:
    for entity in PARENTS:
        ids = sorted(i for e, i in keys if e == entity)
        for chunk in _chunks(ids):
            store.db.execute(f"DELETE FROM held_rows WHERE entity = ? AND id IN "
                             f"({','.join('?' * len(chunk))})", (entity, *chunk))


@dataclass
class HeldDoc:
    """A held row as the page applier reads a pulled one (`bpjs_field.protocol.Doc`'s fields;
    the store imports nothing above the domain)."""
    entity: str
    id: str
    rev: int
    data: dict[str, Any]
    deleted: bool = False
    merged_into: str | None = None


def _released(store: "Store", people: set[str], events: set[str]) -> list[HeldDoc]:
    """Held rows whose parents are here now or arrive in this page (or an alias of them)."""
    rows: dict[tuple[str, str], tuple] = {}
    columns = "entity, id, rev, data"
    # Parents already in the tables (they came by another way: an event hub's pull, a file).
    for row in store.db.execute(
            f"SELECT {columns} FROM held_rows h WHERE EXISTS (SELECT 1 FROM people p WHERE "
            f"p.id = h.person_id) AND (h.event_id IS NULL OR EXISTS (SELECT 1 FROM events e "
            f"WHERE e.id = h.event_id))"):
        rows[(row[0], row[1])] = row
    for column, ids in (("person_id", people), ("event_id", events)):
        for chunk in _chunks(sorted(ids)):
            for row in store.db.execute(f"SELECT {columns} FROM held_rows WHERE {column} IN "
                                        f"({','.join('?' * len(chunk))})", chunk):
                rows[(row[0], row[1])] = row
    return [HeldDoc(e, i, rev, json.loads(data)) for e, i, rev, data in rows.values()]


def sort_out(store: "Store", docs: list["Doc"]) -> tuple[list["Doc"], list[tuple["Doc", str]]]:
    """(rows to apply now, rows held with their reason), inside the caller's `write()`.
    Held rows whose parents arrived are among the rows to apply."""
    people = {d.id for d in docs if d.entity == "person" and _live(d)}
    events = {d.id for d in docs if d.entity == "event" and _live(d)}
    aliases = {d.id: d.merged_into for d in docs if d.entity == "person" and d.merged_into}
    erased = {d.id for d in docs if d.entity == "person" and _live(d) and d.data.get("erased_at")}
    page_keys = {(d.entity, d.id) for d in docs if d.entity in PARENTS}
    held_before = bool(store.scalar("SELECT 1 FROM held_rows LIMIT 1"))
    released: list[HeldDoc] = []
    if held_before:
        _forget(store, page_keys)  # the page brings a newer revision (or the deletion)
        released = _released(store, people | set(aliases), events)
        _forget(store, {(d.entity, d.id) for d in released})
    candidates = [*released, *docs]
    survivor: dict[int, str] = {}  # a row naming a merged person: the person it stands for
    wanted: dict[str, set[str]] = {"people": set(), "events": set()}
    for n, doc in enumerate(candidates):
        if doc.entity in PARENTS and _live(doc):
            target = doc.data.get("person_id")
            for _ in range(MAX_ALIAS_HOPS):
                if target not in aliases:
                    break
                target = aliases[target]
            if target != doc.data.get("person_id"):
                survivor[n] = target
                wanted["people"].add(target)
            for field, table, _required in PARENTS[doc.entity]:
                value = doc.data.get(field)
                if isinstance(value, str):
                    wanted[table].add(value)
    here = {"people": people | _present(store, "people", wanted["people"] - people),
            "events": events | _present(store, "events", wanted["events"] - events)}
    kept: list[Any] = []
    held: list[tuple[Any, str]] = []
    for n, doc in enumerate(candidates):
        if doc.entity not in PARENTS or not _live(doc):
            kept.append(doc)
            continue
        # A merged person's rows go to the survivor (as merge_local moves this laptop's own),
        # or stay with the person while only that one is here.
        if n in survivor and (survivor[n] in here["people"]
                              or doc.data.get("person_id") not in here["people"]):
            doc.data["person_id"] = survivor[n]
        missing = [field for field, table, required in PARENTS[doc.entity]
                   if (doc.data.get(field) is not None or required)
                   and doc.data.get(field) not in here[table]]
        if missing:
            held.append((doc, describe(doc.entity, [(f, WAITING) for f in missing])))
        else:
            kept.append(doc)
    if released:
        # A registration that waited while its person was erased keeps its counts only.
        ids = sorted({d.data.get("person_id") for d in released if d.entity == "registration"}
                     - {None})
        erased |= {r[0] for chunk in _chunks(ids) for r in store.db.execute(
            f"SELECT id FROM people WHERE erased_at IS NOT NULL AND id IN "
            f"({','.join('?' * len(chunk))})", chunk)}
        waiting = {id(d) for d, _ in held}
        for doc in released:
            if doc.entity == "registration" and id(doc) not in waiting \
                    and doc.data.get("person_id") in erased:
                _clear_personal(doc.data)
    _hold(store, held)
    return kept, held


def _clear_personal(data: dict[str, Any]) -> None:
    from bpjs_field.domain.entities import REGISTRATION
    for field in REGISTRATION.cleared:
        if field in data:
            data[field] = None


def _hold(store: "Store", held: list[tuple["Doc", str]]) -> None:
    if not held:
        return
    now = utc_now()
    store.db.conn.executemany(
        "INSERT OR REPLACE INTO held_rows(entity, id, rev, data, person_id, event_id, reason, "
        "held_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(d.entity, d.id, d.rev, dumps(d.data), d.data.get("person_id"), d.data.get("event_id"),
          reason, now) for d, reason in held])


def scrub_registrations(store: "Store", person_id: str) -> None:
    """An erased person's held registrations keep their counts, not what they said about the
    person (inside the caller's transaction)."""
    for entity, id_, data in store.db.execute(
            "SELECT entity, id, data FROM held_rows WHERE entity = 'registration' AND "
            "person_id = ?", (person_id,)).fetchall():
        values = json.loads(data)
        _clear_personal(values)
        store.db.execute("UPDATE held_rows SET data = ? WHERE entity = ? AND id = ?",
                         (dumps(values), entity, id_))


def follow_merge(store: "Store", loser: str, winner: str) -> None:
    """A person merged into another here: rows waiting (for their event) name the survivor."""
    store.db.execute("UPDATE held_rows SET person_id = ?, data = json_set(data, '$.person_id', ?) "
                     "WHERE person_id = ?", (winner, winner, loser))


def forget_all(store: "Store") -> None:
    """A revoked laptop keeps no synced rows (inside the caller's transaction)."""
    store.db.execute("DELETE FROM held_rows")
