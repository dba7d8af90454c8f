"""The change log: the one module that writes and reads the `change_log` table.

Every change made on this laptop is appended here in the same transaction as the change
itself (`record`); sync pushes the unsent rows to the branch or the event hub and marks
them sent or parked; changes carried here from other laptops (the hub's relay, a USB file,
a restored backup) are queued under their own ids.  Callers outside `store/` use these
functions and never the table.

The `column` of a target is `sent_at` (the branch) or `hub_sent_at` (the event hub); the
`unsent` condition of a target comes from `UNSENT` (never from outside text).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from bpjs_field.store.hlc import parse_hlc

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

SENT_COLUMNS = ("sent_at", "hub_sent_at")
# The change-log rows still to push, per target column.
UNSENT = {"sent_at": "sent_at IS NULL AND refused_at IS NULL",
          "hub_sent_at": "hub_sent_at IS NULL"}
INSERT_SQL = ("INSERT INTO change_log(change_id, entity, entity_id, op, payload, hlc, created_at, "
              "signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
# The bulk import's rows (store/bulk.py): always an upsert, never signed.
BULK_INSERT_SQL = ("INSERT INTO change_log(change_id, entity, entity_id, op, payload, hlc, "
                   "created_at, signature) VALUES (?, ?, ?, 'upsert', ?, ?, ?, NULL)")
_PAYLOAD_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
CARRIED_COLUMNS = ("change_id", "entity", "entity_id", "op", "payload", "hlc", "created_at",
                   "signature", "origin_sig")


def _column(column: str) -> str:
    if column not in SENT_COLUMNS:
        raise ValueError(f"not a sent column: {column}")
    return column


# -- writing this laptop's changes ------------------------------------------------------
def record(store: "Store", row: tuple[Any, ...]) -> None:
    """Append one change (`INSERT_SQL`'s columns), in the caller's transaction."""
    store.db.execute(INSERT_SQL, row)


def record_many(conn: Any, rows: Iterable[tuple[Any, ...]]) -> None:
    """The bulk import's changes (`BULK_INSERT_SQL`'s columns), on its connection."""
    conn.executemany(BULK_INSERT_SQL, rows)


def last_hlc(db: Any) -> str | None:
    """The newest hybrid-clock time in the log (the clock continues after it)."""
    return db.execute("SELECT max(hlc) FROM change_log").fetchone()[0]


def restamp_unsent(store: "Store", device_id: str) -> None:
    """Enrolment gave this laptop a new device id: its own unsent changes go under it.  Those
    it carries for other laptops (a USB file, a hub's relay: signed by their origin) stay
    theirs; restamped, they would no longer match their signature and would pass for this
    laptop's own (registration codes under another laptop's tag, refused by the branch)."""
    store.db.execute("UPDATE change_log SET hlc = substr(hlc, 1, 24) || ? "
                     "WHERE sent_at IS NULL AND origin_sig IS NULL", (device_id,))


# -- figures ---------------------------------------------------------------------------
def pending(store: "Store") -> int:
    return store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL")


def oldest_unsent(store: "Store") -> str | None:
    return store.scalar("SELECT min(created_at) FROM change_log WHERE sent_at IS NULL")


def count(store: "Store") -> int:
    return store.scalar("SELECT count(*) FROM change_log")


def max_seq(store: "Store") -> int:
    return store.scalar("SELECT coalesce(max(seq), 0) FROM change_log")


def count_unsent(store: "Store", column: str = "sent_at") -> int:
    return store.scalar(f"SELECT count(*) FROM change_log WHERE {UNSENT[_column(column)]}")


def own_and_carried_unsent(store: "Store") -> tuple[int, int]:
    """Not yet at the branch: (this laptop's own changes, the ones it carries for other
    laptops); parked changes are not counted."""
    own, carried = store.db.execute(
        "SELECT count(*) - count(origin_sig), count(origin_sig) FROM change_log "
        "WHERE sent_at IS NULL AND refused_at IS NULL").fetchone()
    return own, carried


def work_mark(conn: Any) -> tuple[int, int]:
    """Where the officers' work stands on a connection to a laptop database: every save
    writes an audit entry, every synced change a change-log entry."""
    row = conn.execute("SELECT (SELECT coalesce(max(id), 0) FROM audit_log), "
                       "(SELECT coalesce(max(seq), 0) FROM change_log)").fetchone()
    return int(row[0]), int(row[1])


# -- pushing ---------------------------------------------------------------------------
def unsent_batch(store: "Store", column: str, limit: int) -> list[tuple[Any, ...]]:
    """The next unsent changes of a target, not parked, in `seq` order: (seq, change_id,
    entity, entity_id, op, payload, hlc, created_at, signature, origin_sig)."""
    return store.db.execute(
        "SELECT seq, change_id, entity, entity_id, op, payload, hlc, created_at, signature, "
        f"origin_sig FROM change_log WHERE {UNSENT[_column(column)]} ORDER BY seq "
        "LIMIT ?",
        (limit,)).fetchall()


def unsent_rows(store: "Store") -> list[dict[str, Any]]:
    """Every change not yet sent to the branch, whole rows in `seq` order (a USB file)."""
    return store.query("SELECT * FROM change_log WHERE sent_at IS NULL ORDER BY seq")


def mark_sent(store: "Store", column: str, seqs: Iterable[int], now: str) -> None:
    column = _column(column)
    store.db.conn.executemany(
        f"UPDATE change_log SET {column} = ? WHERE seq = ? AND {column} IS NULL",
        [(now, seq) for seq in seqs])


def mark_held(store: "Store", held: dict[str, str], now: str) -> None:
    """Changes the server kept aside: not delivered, kept here with the reason."""
    store.db.conn.executemany(
        "UPDATE change_log SET sent_at = NULL, refused_at = ?, refused_reason = ? "
        "WHERE change_id = ?",
        [(now, f"quarantined {reason}", cid) for cid, reason in held.items()])


def mark_passed_on(store: "Store", column: str, seq: int, now: str) -> None:
    """A change the hub refused goes on to the branch as it is (marked sent to the hub)."""
    store.db.execute(f"UPDATE change_log SET {_column(column)} = ? WHERE seq = ?", (now, seq))


def park(store: "Store", seq: int, reason: str, now: str) -> None:
    """Keep a refused change, marked with the server's reason."""
    store.db.execute("UPDATE change_log SET refused_at = ?, refused_reason = ? "
                     "WHERE seq = ?", (now, reason, seq))


def requeue_reason(store: "Store", reason: str) -> int:
    """Parked changes with this reason are sent again (in the caller's transaction)."""
    return store.db.execute(
        "UPDATE change_log SET refused_at = NULL, refused_reason = NULL WHERE sent_at IS NULL "
        "AND refused_reason = ?", (reason,)).rowcount


def has_parked(store: "Store", reason: str) -> bool:
    """Whether a change not yet sent is parked with this reason (read without a transaction,
    so an idle round opens none)."""
    return bool(store.scalar("SELECT 1 FROM change_log WHERE refused_at IS NOT NULL AND "
                             "sent_at IS NULL AND refused_reason = ? LIMIT 1", (reason,)))


def requeue_change_ids(store: "Store", change_ids: Iterable[str]) -> None:
    """These parked changes are sent again (in the caller's transaction)."""
    store.db.conn.executemany(
        "UPDATE change_log SET refused_at = NULL, refused_reason = NULL "
        "WHERE change_id = ? AND sent_at IS NULL", [(c,) for c in change_ids])


def refused(store: "Store") -> list[tuple[str, int]]:
    """The parked changes as (server's reason, how many), most frequent first."""
    return [(r[0], r[1]) for r in store.db.execute(
        "SELECT refused_reason, count(*) FROM change_log WHERE refused_at IS NOT NULL "
        "AND sent_at IS NULL GROUP BY refused_reason ORDER BY count(*) DESC, refused_reason")]


def requeue_refused(store: "Store") -> int:
    """Every parked change is queued again (in the caller's transaction); how many."""
    return store.db.execute(
        "UPDATE change_log SET refused_at = NULL, refused_reason = NULL "
        "WHERE refused_at IS NOT NULL AND sent_at IS NULL").rowcount


def is_sent(store: "Store", change_id: str | None) -> bool:
    return bool(store.scalar("SELECT sent_at IS NOT NULL FROM change_log WHERE change_id = ?",
                             (change_id,)))


def latest_change_id(store: "Store", entity: str, entity_id: str) -> str | None:
    return store.scalar("SELECT change_id FROM change_log WHERE entity = ? AND entity_id = ? "
                        "ORDER BY seq DESC LIMIT 1", (entity, entity_id))


def unsent_person_ids(store: "Store") -> set[str]:
    """People with a change still waiting to be sent to the branch."""
    return {row[0] for row in store.db.execute(
        "SELECT DISTINCT entity_id FROM change_log WHERE entity = 'person' AND sent_at IS NULL")}


# -- the event hub ---------------------------------------------------------------------
def reset_for_hub(store: "Store", since: int, now: str) -> None:
    """A new hub gets every change after `since` and whatever the branch has not; older
    history the branch holds counts as sent to it."""
    store.db.execute("UPDATE change_log SET hub_sent_at = NULL WHERE seq > ? OR sent_at IS NULL",
                     (since,))
    store.db.execute("UPDATE change_log SET hub_sent_at = ? WHERE seq <= ? AND sent_at IS NOT NULL "
                     "AND hub_sent_at IS NULL", (now, since))


# -- changes carried here from other laptops -------------------------------------------
def queue_carried(store: "Store", rows: Sequence[tuple[Any, ...]],
                  hub_sent_at: str | None = None) -> None:
    """Queue other laptops' changes (`CARRIED_COLUMNS`) under their own ids, for the branch;
    a change already here is skipped.  `hub_sent_at`: they came from the hub."""
    columns = CARRIED_COLUMNS + (("hub_sent_at",) if hub_sent_at is not None else ())
    extra = (hub_sent_at,) if hub_sent_at is not None else ()
    store.db.conn.executemany(
        f"INSERT OR IGNORE INTO change_log({', '.join(columns)}) VALUES "
        f"({', '.join('?' * len(columns))})", [(*row, *extra) for row in rows])


def unsent_erasures(conn: Any) -> list[dict[str, Any]]:
    """Erasures made on a laptop database (a connection to it) and not yet sent, whole rows."""
    cols = [r[1] for r in conn.execute("PRAGMA table_info(change_log)")]
    return [dict(zip(cols, r)) for r in conn.execute(
        "SELECT * FROM change_log WHERE sent_at IS NULL AND entity = 'person' "
        "AND json_extract(payload, '$.erased_at') IS NOT NULL")]


def requeue_rows(store: "Store", rows: Iterable[dict[str, Any]]) -> None:
    """Rows of another copy of this database (the one a restore replaced) put back under
    their ids; columns this version lacks are dropped."""
    columns = {r[1] for r in store.db.execute("PRAGMA table_info(change_log)")}
    for row in rows:
        row = {k: v for k, v in row.items() if k in columns and k != "seq"}
        store.db.execute(f"INSERT OR IGNORE INTO change_log({', '.join(row)}) VALUES "
                         f"({', '.join('?' * len(row))})", tuple(row.values()))


__all__ = ["payload_text", "record", "record_many", "last_hlc", "restamp_unsent", "pending",
           "oldest_unsent", "count", "max_seq", "count_unsent", "work_mark", "unsent_batch",
           "unsent_rows", "mark_sent", "mark_held",
           "mark_passed_on", "park", "requeue_reason", "refused", "requeue_refused", "is_sent",
           "latest_change_id", "unsent_person_ids", "reset_for_hub", "queue_carried",
           "unsent_erasures", "requeue_rows"]


def payload_text(data: dict[str, Any]) -> str:
    """A change's payload as stored and sent: compact JSON, keys sorted, text as UTF-8 (the
    same text as `json.dumps(data, ensure_ascii=False, separators=(",", ":"),
    sort_keys=True)` for the values a row holds; tests/core/test_text_fast_paths.py
    compares them).  Every reader parses it, and signatures cover the parsed value."""
    return orjson.dumps(data, option=_PAYLOAD_OPTIONS).decode()


def scrub_registration_payloads(store: "Store", person_id: str, fields: Iterable[str]) -> None:
    """An erased person's registrations: `fields` cleared in every payload that held them.
    Another laptop's change carried here and not yet delivered that holds any of them is
    dropped instead, not kept scrubbed: the origin's signature covers the payload as made
    (`signing.origin_message`), so a scrubbed copy would reach the branch as altered
    (`push.origin_bad_signature`, quarantined, never applied) and this laptop cannot sign for
    its origin.  Its counts reach the branch from the laptop that made it, which keeps the
    change until the branch acknowledges it; the branch clears the person's fields of a
    registration arriving after the erasure (tests/server/test_carried_registration_erasure.py).
    Each such drop is audited (`erasure.carried_dropped`: the registration's id and the
    origin laptop's, no personal data), so the branch knows which laptop still has to sync.
    A carried registration change without personal values (a follow-up status) is kept as
    it came: nothing in it changes, so its signature still holds."""
    fields = tuple(fields)
    rows = store.db.execute("SELECT seq, payload, origin_sig IS NOT NULL AND sent_at IS NULL, "
                            "entity_id, hlc FROM change_log WHERE entity = 'registration' "
                            "AND json_extract(payload, '$.person_id') = ?", (person_id,)).fetchall()
    for seq, payload, carried, registration_id, hlc in rows:
        data = json.loads(payload)
        if carried and any(data.get(field) is not None for field in fields):
            store.db.execute("DELETE FROM change_log WHERE seq = ?", (seq,))
            # The branch's supervisors learn (ids only) that this registration now reaches
            # the branch only from the laptop that made it.
            store.audit("erasure.carried_dropped", "registration", registration_id,
                        origin=parse_hlc(hlc)[2][:64])
            continue
        for field in fields:
            if field in data:
                data[field] = None
        store.db.execute("UPDATE change_log SET payload = ? WHERE seq = ?",
                         (payload_text(data), seq))


def scrub_person_payloads(store: "Store", person_id: str, erased: dict[str, Any]) -> None:
    """Earlier payloads of an erased person (sent or not) carried the personal fields: each
    field of `erased` is set to its erased value.  Changes carried here for another laptop
    (a USB file, an event hub's relay) and not yet delivered are dropped, not rewritten:
    their origin's signature covers the old payload, and the laptop that made them delivers
    them itself (as for a USB file made before an erasure).  Except the erasure itself: it
    holds no personal data and is kept as it came, for whichever laptop reaches the branch
    first (dropping it left the branch holding the person until the erasing laptop was back,
    and for good if it never came back)."""
    carried = "origin_sig IS NOT NULL AND sent_at IS NULL"
    store.db.execute(f"DELETE FROM change_log WHERE entity = 'person' AND entity_id = ? "
                     f"AND {carried} AND json_extract(payload, '$.erased_at') IS NULL",
                     (person_id,))
    rows = store.db.execute(f"SELECT seq, payload FROM change_log WHERE entity = 'person' "
                            f"AND entity_id = ? AND NOT ({carried})", (person_id,)).fetchall()
    for seq, payload in rows:
        data = json.loads(payload)
        for field, value in erased.items():
            if field in data:
                data[field] = value
        store.db.execute("UPDATE change_log SET payload = ? WHERE seq = ?",
                         (payload_text(data), seq))


def own_unsent(store: "Store", sent_column: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    """This laptop's own changes not yet at the target of `sent_column` (the branch's
    `sent_at`, the event hub's `hub_sent_at`): (entity, entity_id, op, payload).  Changes
    carried for other laptops (they hold their origin's signature) are not included."""
    column = _column(sent_column)
    pending = f"{column} IS NULL AND origin_sig IS NULL"
    if not store.scalar(f"SELECT 1 FROM change_log WHERE {pending} LIMIT 1"):
        return []
    return [(entity, entity_id, op, json.loads(payload)) for entity, entity_id, op, payload in
            store.db.execute(f"SELECT entity, entity_id, op, payload FROM change_log WHERE {pending}")]
