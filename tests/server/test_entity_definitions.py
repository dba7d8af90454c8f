"""Every entity is defined once (bpjs_field/domain/entities.py), and the tables, erasure and
sync hold to that definition:

- every column of every laptop table and of the branch server's tables (SQLite and
  PostgreSQL), and every key of a row the server stores, is a defined field or a listed
  bookkeeping column; a table that holds no entity is listed with the reason;
- every personal field holds a value before an erasure and the erased value after it, on
  the laptop that erased, on the server and on another laptop;
- every synced field travels from one laptop through the server to another unchanged;
- every field the definition masks is masked in the exports (in full for a supervisor).

Adding a column, a table or a field without its definition (or a personal field that an
erasure misses) fails here."""

from __future__ import annotations

import json

from bpjs_field.domain.entities import (ATTENDANCE, ENTITIES, PERSON, REGISTRATION, SERVER_DOCS,
                                        SYNCED_ENTITIES)
from bpjs_field.domain.followup import KPJ, PAID, STOPPED, SUBMITTED, StatusChange
from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.registration import RegistrationInput
from bpjs_field.printing.log import record_print
from bpjs_field.reporting import exports
from bpjs_field.store.erasure import erase_person, withdraw_consent
from bpjs_field.server.db import ServerDatabase
from bpjs_field.store import Store
from bpjs_field.store.followup import set_status
from harness import EVENT_ID, full_people_forms, person_input

# Laptop tables that hold no entity, and why.
LAPTOP_TABLES = {
    "settings": "this laptop's settings",
    "audit_log": "who did what (ids and codes, never personal values)",
    "change_log": "changes waiting for the server: payloads of the entities (checked below)",
    "drafts": "half-typed forms (erasure deletes a person's)",
    "sqlite_sequence": "SQLite's own",
    "report_registrations": "running totals for the report (counts by day, segment, officer)",
    "report_attendance": "running totals for the report (counts by day, officer, event)",
    "held_rows": "pulled registrations and check-ins waiting for their person or event "
                 "(whole payloads of those entities; erasure clears a person's fields)",
}
LAPTOP_TABLE_PREFIXES = {"people_fts": "the search index of people (FTS5 and its shadow tables)"}
# Branch server tables that hold no entity, and why.
SERVER_TABLES = {
    "meta": "schema version and server id", "counters": "the revision counter",
    "devices": "enrolled laptops", "device_keys": "laptops' public signing keys",
    "device_tags": "which laptop owns each registration-code tag",
    "device_accounts": "accounts allowed on a laptop", "audit": "the laptops' audit logs",
    "applied_changes": "the exactly-once guard (change ids and outcomes)",
    "conflicts": "losing values of one field (erasure deletes a person's)",
    "quarantine": "changes not applied yet (erasure scrubs a person's)",
    "sqlite_sequence": "SQLite's own",
}
# Synced fields this test cannot make travel as a value, and why.
NOT_TRAVELLING = {
    ("person", "merged_into"): "an alias is never stored on a laptop: its rows move to the "
                               "survivor on arrival (store/replica.py, merge_local)",
    ("event", "deleted_at"): "no laptop action deletes an event yet; the server's rules "
                             "(domain/records.py) check it",
}


def test_every_laptop_column_is_defined(tmp_path):
    with Store.open(tmp_path / "laptop.sqlite3") as store:
        tables = [r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = {t: [r["name"] for r in store.query(f"PRAGMA table_info({t})")] for t in tables}
    by_table = {e.table: e for e in ENTITIES.values() if e.table}
    assert set(by_table) <= set(tables)
    for table, names in columns.items():
        entity = by_table.get(table)
        if entity is None:
            assert table in LAPTOP_TABLES or any(table.startswith(p) for p in LAPTOP_TABLE_PREFIXES), (
                f"laptop table {table} is neither an entity's (domain/entities.py) nor listed here")
            continue
        defined = {f.name for f in entity.fields} | set(entity.local)
        assert not set(names) - defined, (
            f"{table} has columns not in the {entity.name} definition: {sorted(set(names) - defined)}")
        assert not defined - set(names), (
            f"the {entity.name} definition names no column of {table}: {sorted(defined - set(names))}")


def _server_columns(url: str) -> dict[str, list[str]]:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            if tx.postgres:
                found: dict[str, list[str]] = {}
                for table, column in tx.rows("SELECT table_name, column_name FROM "
                                             "information_schema.columns WHERE table_schema = 'public'"):
                    found.setdefault(table, []).append(column)
                return found
            tables = [r[0] for r in tx.rows("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {t: [r[1] for r in tx.rows(f"PRAGMA table_info({t})")] for t in tables}
    finally:
        db.close()


def test_every_server_column_is_defined(database_url):
    columns = _server_columns(database_url)
    held = {"docs": set(SERVER_DOCS)}
    for entity in ENTITIES.values():
        for table, bookkeeping in entity.server_tables.items():
            held[table] = {f.name for f in entity.fields} | set(bookkeeping)
    assert set(held) <= set(columns)
    for table, names in columns.items():
        if table not in held:
            assert table in SERVER_TABLES, (
                f"server table {table} is neither an entity's (domain/entities.py) nor listed here")
            continue
        assert not set(names) - held[table], (
            f"server table {table} has columns not defined: {sorted(set(names) - held[table])}")


def test_the_server_rules_check_every_defined_field_and_no_other():
    """The domain rules the server checks pushed values by (domain/records.py) name exactly
    the fields the definitions sync (a field added to a definition without its rule would
    reach the branch and the other laptops unchecked), and the required fields are the
    definitions'."""
    from bpjs_field.domain.records import REQUIRED, RULES
    assert set(RULES) == {e.name for e in SYNCED_ENTITIES}
    for name, rules in RULES.items():
        undefined = set(rules) - set(ENTITIES[name].synced)
        assert not undefined, f"rules for {name} fields not defined: {sorted(undefined)}"
        unchecked = set(ENTITIES[name].synced) - set(rules)
        assert not unchecked, f"{name} fields synced without a rule: {sorted(unchecked)}"
        assert REQUIRED[name] == ENTITIES[name].required


# -- data held by three places ----------------------------------------------------------------
def _server_docs(url: str, entity: str, ids) -> dict[str, dict]:
    ids = list(ids)
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return {r[0]: json.loads(r[1]) for r in tx.rows(
                f"SELECT id, data FROM docs WHERE entity = ? AND id IN ({', '.join('?' * len(ids))})",
                (entity, *ids))}
    finally:
        db.close()


def _laptop_rows(store, entity, ids) -> dict[str, dict]:
    ids = list(ids)
    return {r["id"]: r for r in store.query(
        f"SELECT * FROM {entity.table} WHERE id IN ({', '.join('?' * len(ids))})", ids)}


def _filled(rows: dict[str, dict], fields) -> set[str]:
    return {f for row in rows.values() for f in fields if row.get(f) not in (None, "")}


def _follow_up(store, registration_id: str, *, stop: bool = False) -> None:
    today = today_wib()
    if stop:
        set_status(store, registration_id, StatusChange(STOPPED, reason="sudah jadi peserta PU"))
        return
    set_status(store, registration_id, StatusChange(SUBMITTED, on=today))
    set_status(store, registration_id, StatusChange(KPJ, kpj_no="12345678901",
                                                    payment_code="8888833333333333", on=today))
    set_status(store, registration_id, StatusChange(PAID, on=today, paid_months=3))


def test_every_synced_field_travels_to_the_other_laptop(shared_server, shared_database_url,
                                                         laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    event = a.store.events.create({
        "kind": "sosialisasi", "title": "Sosialisasi pekerja pabrik",
        "starts_at": "2026-11-20T08:00:00+07:00", "ends_at": "2026-11-20T12:00:00+07:00",
        "venue": "Kawasan Industri Jababeka", "district_code": "321609",
        "partner_org": "Serikat Pekerja Jababeka", "branch": "Bekasi Cikarang",
        "targets": {"bpu": 40}})
    officer = a.store.officers.create(full_name="Dewi Anggraini", employee_no="KC-0499",
                                      branch="Kantor Cabang Bekasi Cikarang")
    results = [a.store.registrations.register(form, check_in=True)
               for form in full_people_forms(event["id"])]
    results.append(a.store.registrations.register(RegistrationInput(
        segment="bpu", person=person_input(7501), consent_given=True, consent_version="2026-01",
        event_id=event["id"], declared_income=1_000_000, months_paid=3, payer="apbd",
        payer_name="Pemerintah Kota Bekasi")))
    _follow_up(a.store, results[0].registration["id"])
    _follow_up(a.store, results[1].registration["id"], stop=True)
    printed = record_print(a.store, "receipt.a4", subject_id=results[0].registration["id"],
                           version="2026-01", printer="file")
    ids = {
        "officer": {officer["id"]}, "event": {event["id"]}, "print": {printed["id"]},
        "person": {r.person["id"] for r in results},
        "registration": {r.registration["id"] for r in results},
        "attendance": {r["id"] for r in a.store.attendance.for_event(event["id"])},
    }
    a.sync()  # then a withdrawal (erased_at, consent_withdrawn_at) of a person the server knows
    withdraw_consent(a.store, results[2].person["id"])
    a.sync()
    b.sync()
    for entity in SYNCED_ENTITIES:
        assert ids.get(entity.name), f"this test makes no {entity.name}: add one"
        here = _laptop_rows(a.store, entity, ids[entity.name])
        server = _server_docs(shared_database_url, entity.name, ids[entity.name])
        there = _laptop_rows(b.store, entity, ids[entity.name])
        assert len(here) == len(server) == len(there) == len(ids[entity.name]), entity.name
        for row in server.values():  # every key the server stores is defined
            assert not set(row) - set(entity.stored), (
                f"the server stores {entity.name} keys not defined: {sorted(set(row) - set(entity.stored))}")
        fields = [f for f in entity.synced if (entity.name, f) not in NOT_TRAVELLING]
        empty = set(fields) - _filled(here, fields)
        assert not empty, f"no {entity.name} made here holds {sorted(empty)}: give them a value"
        for row_id, row in here.items():
            for f in fields:
                assert server[row_id].get(f) == row[f], f"{entity.name}.{f} on the server"
                assert there[row_id][f] == row[f], f"{entity.name}.{f} on the other laptop"
    for entity_name, fields in ((e, set(ENTITIES[e].synced)) for e in ids):
        for r in a.store.query("SELECT payload FROM change_log WHERE entity = ?", (entity_name,)):
            extra = set(json.loads(r["payload"])) - fields
            assert not extra, f"a {entity_name} change carries fields not synced: {sorted(extra)}"
    for key in NOT_TRAVELLING:
        assert key[1] in ENTITIES[key[0]].synced, key  # no stale exception


def _personal_check(rows: dict[str, dict], entity, where: str) -> None:
    for row_id, row in rows.items():
        kept = {f.name for f in entity.fields if f.personal and row.get(f.name) != f.erased}
        assert not kept, f"{where}: erased {entity.name} {row_id} still holds {sorted(kept)}"


def test_every_personal_field_is_erased_on_laptops_and_server(server, database_url, laptops):
    """A server of its own: the people of full_people_forms are new there."""
    a, b = laptops(2)
    a.enroll(server.url, "KC-0421")
    b.enroll(server.url, "KC-0422")
    a.event()
    results = [a.store.registrations.register(form) for form in full_people_forms(EVENT_ID)]
    for i, result in enumerate(results):
        set_status(a.store, result.registration["id"], StatusChange(
            KPJ, kpj_no=f"1234567890{i}",
            payment_code="8888833333333333", on=today_wib()))
    people = {r.person["id"] for r in results}
    registrations = {r.registration["id"] for r in results}
    a.sync()
    b.sync()

    def everywhere(entity, ids):
        return (("server", _server_docs(database_url, entity.name, ids)),
                ("laptop", _laptop_rows(a.store, entity, ids)),
                ("other laptop", _laptop_rows(b.store, entity, ids)))

    for entity, ids in ((PERSON, people), (REGISTRATION, registrations)):
        for where, rows in everywhere(entity, ids):
            assert len(rows) == len(ids), where
            empty = set(entity.personal) - _filled(rows, entity.personal)
            assert not empty, f"{where}: no {entity.name} holds {sorted(empty)} to lose"
    for person_id in people:
        erase_person(a.store, person_id)
    for entity, ids in ((PERSON, people), (REGISTRATION, registrations)):
        _personal_check(_laptop_rows(a.store, entity, ids), entity, "laptop, before a sync")
    a.sync()
    b.sync()
    for entity, ids in ((PERSON, people), (REGISTRATION, registrations)):
        for where, rows in everywhere(entity, ids):
            _personal_check(rows, entity, where)
    for r in a.store.query("SELECT entity, payload FROM change_log WHERE entity IN "
                           "('person', 'registration')"):
        payload = json.loads(r["payload"])
        entity = ENTITIES[r["entity"]]
        if payload.get("id") in people | registrations:
            kept = [f.name for f in entity.fields
                    if f.personal and f.name in payload and payload[f.name] != f.erased]
            assert not kept, f"a {r['entity']} change on the laptop still holds {kept}"
    # The attendance and the counts stay: an erasure leaves no attendance field personal.
    assert not ATTENDANCE.personal


def _cells(path) -> set[str]:
    from openpyxl import load_workbook
    book = load_workbook(path, read_only=True)
    return {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            for v in row if v is not None}


def test_every_masked_field_is_masked_in_the_exports(tmp_path):
    masked = [f.name for f in PERSON.fields if f.mask]
    assert masked, "the definition masks nothing"
    with Store.open(tmp_path / "laptop.sqlite3") as store:
        store.events.create({"id": EVENT_ID, "kind": "senam_bersama", "title": "Senam Sehat",
                             "starts_at": "2026-11-22T06:30:00+07:00", "venue": "Lapangan Desa"})
        people = [store.registrations.register(form, check_in=True).person
                  for form in full_people_forms(EVENT_ID)]
        for kind in ("registrations", "attendance"):
            shown = {full: _cells(_export(store, kind, tmp_path, full)) for full in (False, True)}
            for name in masked:
                values = [p[name] for p in people if p.get(name)]
                if kind == "registrations":  # every masked field is in this export
                    assert values and all(v in shown[True] for v in values), name
                assert not [v for v in values if v in shown[False]], f"{kind} shows {name} in full"


def _export(store, kind: str, folder, full: bool):
    path = folder / f"{kind}-{full}.xlsx"
    exports.export(store, kind, path, full=full)
    return path
