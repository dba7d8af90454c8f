"""Saving many validated registrations at once (a partner's list), as `register()` would.

`RegistrationRepo.register()` is one durable transaction per registration:
right for the officer at the form, about 1,400 a second for a file.  A list of
20,000 workers should take seconds, so `save_batch()` writes a batch of
already validated registrations in the caller's transaction with the same rows
`register()` writes (the person found by NIK or passport, or created; the
registration with its code; a change-log entry for each; the audit entries),
but reads the existing people and registrations of the whole batch in a few
queries, inserts each table's rows with one `executemany`, and writes each new
person's search-index row once, with its code (the per-row triggers write it,
then rewrite it for the code).

A batch either goes in whole or not at all (the caller's transaction): when a
row is refused by the database (a constraint the validation did not foresee),
the caller rolls the batch back and saves its rows one by one to find it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.names import name_key
from bpjs_field.domain.registration import CleanRegistration
from bpjs_field.store import changelog
from bpjs_field.store.bulkload import set_aside_trigger
from bpjs_field.store.migrations import (REPORT_REGISTRATIONS_INSERT, report_registrations_add_sql,
                                         search_columns)
from bpjs_field.store.people import EDITABLE
from bpjs_field.store.people import SYNCED as PERSON_SYNCED
from bpjs_field.store.registrations import SYNCED as REGISTRATION_SYNCED
from bpjs_field.store.registrations import import_registration_id
from bpjs_field.store.store import dumps, new_id, utc_now

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

CHUNK = 500  # bound parameters per IN (...) query, well under SQLite's limit
PERSON_COLUMNS = (*PERSON_SYNCED, "name_key", "updated_at")
REGISTRATION_COLUMNS = (*REGISTRATION_SYNCED, "updated_at")
# A row's values in these orders, read in one call each.
_person_values, _person_synced = itemgetter(*PERSON_COLUMNS), itemgetter(*PERSON_SYNCED)
_registration_values = itemgetter(*REGISTRATION_COLUMNS)
_registration_synced = itemgetter(*REGISTRATION_SYNCED)
_AUDIT_SQL = ("INSERT INTO audit_log(at, officer_id, device_id, action, entity, entity_id, details) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)")
# The triggers set aside during a batch, and the index rows written instead: the same
# columns as those triggers (store/migrations.py, search_columns).
FTS_TRIGGERS = ("people_fts_insert", "registrations_fts_insert")
# A new person's index row: its columns read for the whole batch at once, then inserted as
# values (`INSERT INTO people_fts … SELECT` row by row took 85 µs a row at 3,000 people
# and 165 µs at 30,000; inserting values takes 5 µs).
_FTS_NEW_COLUMNS = f"SELECT p.id, p.rowid, {search_columns('p')} FROM people p WHERE p.id IN "
_FTS_NEW_PERSON = "INSERT INTO people_fts(rowid, name, ident, phone, codes) VALUES (?, ?, ?, ?, ?)"
_FTS_ADD_CODE = ("UPDATE people_fts SET codes = trim(codes || ' ' || ?) "
                 "WHERE rowid = (SELECT rowid FROM people WHERE id = ?)")


@dataclass
class Saved:
    """What became of one registration of the batch."""

    already_registered: bool
    person_created: bool = False


def _identity(person: dict[str, Any]) -> tuple[str, ...] | None:
    if person.get("nik"):
        return ("nik", person["nik"])
    if person.get("passport_no"):
        return ("passport", person["passport_no"], person.get("nationality") or "")
    return None


class BulkWriter:
    """`save_batch()` inside `store.write()`; not thread-safe, like the Store."""

    def __init__(self, store: "Store") -> None:
        self.s = store
        # A list holds a few incomes and wages: each contribution's JSON is made once.
        self._json: dict[Any, str] = {}
        self._by_identity: dict[tuple[int, int], tuple[Any, Any, str, int]] = {}
        # Registrations of the last batch that were in the database before it (None until
        # known): tells, after an interrupted batch, what it saved from what was there.
        self.before: set[str] | None = None

    def _dumps_once(self, value: Callable[[], Any], key: Any) -> Any:
        """`dumps(value())`, made once for each key (`value` is called only then)."""
        text = self._json.get(key)
        if text is None:
            if len(self._json) > 4096:
                self._json.clear()
            text = self._json[key] = dumps(value())
        return text

    def _contribution(self, clean: CleanRegistration) -> tuple[str, int]:
        """The contribution's JSON and the amount due now, made once for each contribution
        and plan (a list holds a few incomes and months paid).  Validation hands out the
        same plan object for the same plan (`domain.plan.bpu_plan`), so the plan is first
        looked up by identity (hashing it walks every month of it); the entry holds the
        objects, so their ids cannot be reused while it is kept."""
        seen = self._by_identity.get((id(clean.contribution), id(clean.plan)))
        if seen is not None and seen[0] is clean.contribution and seen[1] is clean.plan:
            return seen[2], seen[3]
        key = ("amount", clean.contribution, clean.plan)
        amount = self._json.get(key)
        if amount is None:
            amount = self._json[key] = clean.amount_due
        text = self._dumps_once(clean.contribution_json, (clean.contribution, clean.plan))
        if len(self._by_identity) > 4096:
            self._by_identity.clear()
        self._by_identity[(id(clean.contribution), id(clean.plan))] = (
            clean.contribution, clean.plan, text, amount)
        return text, amount

    def _set_aside_triggers(self) -> list[str]:
        """Drop the per-row search triggers inside the caller's transaction (its rollback
        brings them back); returns their SQL, to create them again once the batch is
        indexed, or [] when the index is not kept by these triggers at the moment."""
        marks = ",".join("?" * len(FTS_TRIGGERS))
        rows = self.s.db.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                 f"AND name IN ({marks})", FTS_TRIGGERS).fetchall()
        if len(rows) != len(FTS_TRIGGERS):
            return []
        for name, _sql in rows:
            self.s.db.execute(f"DROP TRIGGER {name}")
        return [sql for _name, sql in rows]

    def _set_aside_report_trigger(self) -> str | None:
        """The same for the report's running totals (migration 11): its upsert for each row
        cost about 200 µs a row in a batch at 30,000 people; the batch's totals are added
        in one grouped statement instead (`report_registrations_add_sql`)."""
        return set_aside_trigger(self.s, REPORT_REGISTRATIONS_INSERT)

    def _existing_people(self, batch: list[CleanRegistration]) -> dict[tuple[str, ...], dict[str, Any]]:
        found: dict[tuple[str, ...], dict[str, Any]] = {}
        niks = sorted({c.person["nik"] for c in batch if c.person.get("nik")})
        for start in range(0, len(niks), CHUNK):
            part = niks[start:start + CHUNK]
            for row in self.s.query(f"SELECT * FROM people WHERE nik IN ({','.join('?' * len(part))})",
                                    part):
                found[("nik", row["nik"])] = row
        for clean in batch:
            ident = _identity(clean.person)
            if ident and ident[0] == "passport" and ident not in found:
                row = self.s.people.find_existing(clean.person)
                if row is not None:
                    found[ident] = row
        return found

    def existing_registrations(self, ids: list[str]) -> set[str]:
        """Which of these registration ids the database holds."""
        seen: set[str] = set()
        unique = sorted(set(ids))
        for start in range(0, len(unique), CHUNK):
            part = unique[start:start + CHUNK]
            seen.update(r[0] for r in self.s.db.execute(
                f"SELECT id FROM registrations WHERE id IN ({','.join('?' * len(part))})", part))
        return seen

    def save_batch(self, batch: list[CleanRegistration]) -> list[Saved]:
        """Save import registrations (`source == "import"`) in the caller's transaction."""
        s = self.s
        self.before = None
        reg_ids = [import_registration_id(c.person, c.segment, c.event_id) for c in batch]
        registered = self.existing_registrations(reg_ids)
        self.before = set(registered)
        people = self._existing_people(batch)
        new_people: dict[tuple[str, ...], dict[str, Any]] = {}
        people_rows: list[dict[str, Any]] = []
        reg_rows: list[dict[str, Any]] = []
        audits: list[tuple[Any, ...]] = []
        out: list[Saved] = []
        seq_before = s.registrations._next_seq
        codes = s.registrations.codes_for_batch()  # read at its first code
        try:
            for clean, reg_id in zip(batch, reg_ids):
                if reg_id in registered:
                    out.append(Saved(already_registered=True))
                    continue
                registered.add(reg_id)
                now = utc_now()
                ident = _identity(clean.person)
                person = new_people.get(ident) if ident else None
                created = False
                if person is not None:  # met earlier in this file: complete its blanks
                    for key in EDITABLE:
                        if clean.person.get(key) not in (None, "") and person.get(key) in (None, ""):
                            person[key] = clean.person[key]
                elif ident in people:
                    person = people[ident]
                    s.people.fill_blanks(person, clean.person)
                    person.update({k: clean.person[k] for k in EDITABLE
                                   if clean.person.get(k) not in (None, "")
                                   and person.get(k) in (None, "")})
                else:
                    person = {key: clean.person.get(key) for key in PERSON_SYNCED}
                    person.update(id=new_id(), consent_version=clean.consent_version,
                                  consent_at=now, created_device=s.device_id, created_at=now,
                                  erased_at=None, merged_into=None, consent_withdrawn_at=None,
                                  updated_at=now, codes=[])
                    people_rows.append(person)
                    if ident:
                        new_people[ident] = person
                    created = True
                    audits.append((now, s.officer_id, s.device_id, "person.create", "person",
                                   person["id"], "{}"))
                contribution = clean.contribution
                contribution_text, amount_due = self._contribution(clean)
                reg = {
                    "id": reg_id, "code": next(codes),
                    "person_id": person["id"], "event_id": clean.event_id,
                    "officer_id": s.officer_id, "device_id": s.device_id,
                    "segment": clean.segment,
                    "programs": self._dumps_once(lambda: clean.programs, tuple(clean.programs)),
                    "declared_income": clean.declared_income, "wage": clean.wage,
                    "risk_class": clean.risk_class, "occupation": clean.occupation,
                    "sector": clean.sector, "payer": clean.payer, "months_paid": clean.months_paid,
                    "employer_name": clean.employer_name, "payer_name": clean.payer_name,
                    "employer_scale": clean.employer_scale, "amount_due": amount_due,
                    "contribution": contribution_text,
                    "monthly_total": contribution.total,
                    "consent_version": clean.consent_version, "consent_at": now,
                    "status": "baru", "source": clean.source, "created_at": now, "updated_at": now,
                }
                reg_rows.append(reg)
                if "codes" in person:
                    person["codes"].append(reg["code"])
                audits.append((now, s.officer_id, s.device_id, "registration.create",
                               "registration", reg_id,
                               dumps({"code": reg["code"], "segment": clean.segment,
                                      "event_id": clean.event_id})))
                out.append(Saved(already_registered=False, person_created=created))
            self._write(people_rows, reg_rows, audits)
        except BaseException:
            s.registrations._next_seq = seq_before  # the batch is rolled back by the caller
            raise
        return out

    def _add_to_report(self, reg_rows: list[dict[str, Any]], last: int) -> None:
        """Add the batch's registrations to the report's running totals.  Past the largest
        rowid SQLite hands out random ones: then each row is found by its id."""
        conn = self.s.db.conn
        count = "SELECT count(*) FROM registrations WHERE rowid > ?"
        if conn.execute(count, (last,)).fetchone()[0] == len(reg_rows):
            conn.execute(report_registrations_add_sql("R.rowid > ?"), (last,))
            return
        for start in range(0, len(reg_rows), CHUNK):
            part = [r["id"] for r in reg_rows[start:start + CHUNK]]
            conn.execute(report_registrations_add_sql(f"R.id IN ({','.join('?' * len(part))})"), part)

    def _write(self, people_rows: list[dict[str, Any]], reg_rows: list[dict[str, Any]],
               audits: list[tuple[Any, ...]]) -> None:
        s = self.s
        # Change-log entries: every new person before the registrations that refer to it.
        stamp = utc_now()
        changes: list[tuple[Any, ...]] = []
        payload = changelog.payload_text
        for person in people_rows:
            person["name_key"] = name_key(person["full_name"])
            changes.append((new_id(), "person", person["id"],
                            payload(dict(zip(PERSON_SYNCED, _person_synced(person)))),
                            s.clock.now(), stamp))
        for reg in reg_rows:
            changes.append((new_id(), "registration", reg["id"],
                            payload(dict(zip(REGISTRATION_SYNCED, _registration_synced(reg)))),
                            s.clock.now(), stamp))
        conn = s.db.conn
        triggers = self._set_aside_triggers()
        if people_rows:
            conn.executemany(
                f"INSERT INTO people({', '.join(PERSON_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(PERSON_COLUMNS))})",
                [_person_values(p) for p in people_rows])
        if reg_rows:
            report = self._set_aside_report_trigger()
            # The batch's rows get the rowids after the largest held (this transaction is
            # the only writer): its totals are one range scan, not a lookup per random id.
            last = conn.execute("SELECT coalesce(max(rowid), 0) FROM registrations").fetchone()[0]
            conn.executemany(
                f"INSERT INTO registrations({', '.join(REGISTRATION_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(REGISTRATION_COLUMNS))})",
                [_registration_values(r) for r in reg_rows])
            if report is not None:
                self._add_to_report(reg_rows, last)
                conn.execute(report)
        if triggers:
            new_ids = {p["id"] for p in people_rows}
            codes = {p["id"]: " ".join(p["codes"]) for p in people_rows}
            ids = list(codes)
            index_rows = []
            for start in range(0, len(ids), CHUNK):
                part = ids[start:start + CHUNK]
                for pid, rowid, *columns in conn.execute(
                        f"{_FTS_NEW_COLUMNS}({','.join('?' * len(part))})", part):
                    index_rows.append((rowid, *columns, codes[pid]))
            conn.executemany(_FTS_NEW_PERSON, index_rows)
            conn.executemany(_FTS_ADD_CODE, [(r["code"], r["person_id"]) for r in reg_rows
                                             if r["person_id"] not in new_ids])
            for sql in triggers:
                conn.execute(sql)
        changelog.record_many(conn, changes)
        conn.executemany(_AUDIT_SQL, audits)
