"""Loading many rows at once without the per-row frame: the demo branch (bpjs_field/demo.py).

Rows go straight into the tables (no change log: demo data never syncs); secondary indexes
are dropped for the load and built once, sorted, afterwards, and the search index is
rebuilt in one pass.  Used inside `write()`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

BULK_INDEXES = ("people_name", "registrations_person", "registrations_event",
                "registrations_created", "attendance_event_time")
PEOPLE_SQL = ("INSERT INTO people(id, nik, passport_no, nationality, kitas_no, kitas_expiry, "
              "full_name, name_key, birth_date, sex, phone, address, district_code, "
              "occupation, consent_version, consent_at, created_device, created_at, updated_at) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
REGISTRATIONS_SQL = (
    "INSERT INTO registrations(id, code, person_id, event_id, officer_id, device_id, "
    "segment, programs, declared_income, wage, risk_class, occupation, sector, payer, "
    "months_paid, employer_name, contribution, monthly_total, consent_version, "
    "consent_at, status, source, created_at, updated_at, payer_name, employer_scale, "
    "amount_due) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
ATTENDANCE_SQL = ("INSERT OR IGNORE INTO attendance(id, event_id, person_id, checked_in_at, method, "
                  "device_id, officer_id, registration_id) VALUES (?,?,?,?,?,?,?,?)")


def insert_event_row(store: "Store", row: dict[str, Any]) -> None:
    store.db.execute(f"INSERT INTO events({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))


def codes_issued(store: "Store", tag: str) -> int:
    """How many registration codes of a device tag exist."""
    return store.scalar("SELECT count(*) FROM registrations WHERE code >= ? AND code < ?",
                        (tag, tag + "~")) or 0


@contextlib.contextmanager
def bulk_load(store: "Store") -> Iterator[None]:
    """Search triggers and secondary indexes set aside for the load, rebuilt after it."""
    store.search_index.drop_triggers()
    # Secondary indexes are cheaper to build once, sorted, than to grow row by row.
    index_sql = [store.scalar("SELECT sql FROM sqlite_master WHERE name = ?", (name,))
                 for name in BULK_INDEXES]
    for name in BULK_INDEXES:
        store.db.execute(f"DROP INDEX {name}")
    yield
    for sql in index_sql:
        store.db.execute(sql)
    store.search_index.rebuild()


def insert_rows(store: "Store", people: Sequence[tuple], registrations: Sequence[tuple],
                attendance: Sequence[tuple]) -> None:
    """Rows in the column order of `PEOPLE_SQL`, `REGISTRATIONS_SQL`, `ATTENDANCE_SQL`."""
    store.db.conn.executemany(PEOPLE_SQL, people)
    store.db.conn.executemany(REGISTRATIONS_SQL, registrations)
    store.db.conn.executemany(ATTENDANCE_SQL, attendance)


def analyze(store: "Store") -> None:
    store.db.execute("ANALYZE")


REPORT_UPDATE_TRIGGER = "report_registrations_update"


def set_aside_trigger(store: "Store", name: str) -> str | None:
    """Drop the trigger `name` inside the caller's transaction (its rollback brings it back);
    returns its SQL, to create it again once the rows it would have kept are written, or None
    when there is no such trigger."""
    sql = store.scalar("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,))
    if sql is not None:
        store.db.execute(f"DROP TRIGGER {name}")
    return sql


@contextlib.contextmanager
def report_totals_recounted(store: "Store") -> Iterator[None]:
    """Many registrations changed at once (the demo branch's follow-up): the report's update
    trigger set aside meanwhile (its two upserts a row took 0.4 ms at 3,000 registrations
    and 6 ms at 20,000) and the registrations' totals counted again once.  Inside `write()`:
    a rollback brings the trigger and the totals back as they were."""
    from bpjs_field.store.migrations import report_backfill_sql
    sql = set_aside_trigger(store, REPORT_UPDATE_TRIGGER)
    yield
    store.db.execute("DELETE FROM report_registrations")
    store.db.execute(report_backfill_sql()[0])
    if sql is not None:
        store.db.execute(sql)
