"""The branch server's push, run in this process (the real FastAPI app through Starlette's
TestClient, which is an httpx client the sync engine takes as it is), on SQLite and on
PostgreSQL: what it keeps aside and why, and foreign workers (identified by passport) through
sync.  In-process, so mutation testing sees the server's code run (scripts/mutation.py)."""

from __future__ import annotations

import json
import warnings

import pytest

with warnings.catch_warnings():  # Starlette's note that httpx2 is coming; httpx is pinned here
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

from bpjs_field.server.app import create_app
from bpjs_field.server.db import ServerDatabase
from bpjs_field.store.store import new_id
from harness import EVENT_ID, Laptop, full_people_forms

URL = "http://testserver"


@pytest.fixture
def app_client(database_url):
    with TestClient(create_app(database_url), base_url=URL) as client:
        yield client


@pytest.fixture
def inprocess_laptops(app_client, tmp_path):
    """`make(n)`: n laptops whose sync goes to the in-process server, enrolled as the
    supervisors KC-0421, KC-0422, KC-0423 in turn."""
    made: list[Laptop] = []
    numbers = iter(("KC-0421", "KC-0422", "KC-0423"))

    def make(n: int = 1) -> list[Laptop]:
        for _ in range(n):
            laptop = Laptop(tmp_path / f"laptop{len(made) + 1}.sqlite3")
            laptop.http.close()
            laptop.http = app_client
            made.append(laptop)
            laptop.enroll(URL, next(numbers))
        return made[-n:]

    yield make
    for laptop in made:
        laptop.store.close()


def rows(url: str, sql: str, params=()) -> list[tuple]:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return list(tx.rows(sql, params))
    finally:
        db.close()


def record(laptop, entity: str, payload: dict, op: str = "upsert",
           entity_id: str | None = None) -> str:
    entity_id = entity_id or payload.get("id") or new_id()
    with laptop.store.write():
        return laptop.store.record_change(entity, entity_id, {"id": entity_id, **payload}, op)


def pending(laptop) -> int:
    return laptop.store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL")


# -- refusals -----------------------------------------------------------------------------------
def test_bad_registration_attendance_event_print_and_officer_changes_are_kept_aside(
        database_url, inprocess_laptops):
    """Each change the server cannot apply is acknowledged (it never blocks the queue), kept
    in quarantine with its own reason, and creates nothing; the good changes of the same
    batch are applied."""
    laptop, = inprocess_laptops(1)
    laptop.event()
    good = laptop.register(4100)
    laptop.sync()
    person_id, code = good.person["id"], good.registration["code"]
    missing_person, missing_event = new_id(), new_id()
    reg = {"segment": "bpu", "declared_income": 1_000_000, "created_at": "2026-11-22T00:00:00Z"}
    bad = {
        record(laptop, "registration", {**reg, "person_id": missing_person, "code": "ZZ9Z-0001-A"}):
            "registration.unknown_person",
        record(laptop, "registration", {**reg, "person_id": person_id, "code": "ZZ9Z-0002-A",
                                        "event_id": missing_event}): "registration.unknown_event",
        record(laptop, "registration", {**reg, "person_id": person_id}): "registration.no_code",
        record(laptop, "registration", {**reg, "person_id": person_id, "code": code}):
            "registration.code_taken",
        record(laptop, "registration", {}, op="delete"): "registration.delete_unsupported",
        record(laptop, "attendance", {"person_id": missing_person, "event_id": EVENT_ID,
                                      "checked_in_at": "2026-11-22T01:00:00Z"}):
            "attendance.unknown_person",
        record(laptop, "attendance", {"person_id": person_id, "event_id": missing_event,
                                      "checked_in_at": "2026-11-22T01:00:00Z"}):
            "attendance.unknown_event",
        record(laptop, "attendance", {"person_id": person_id, "event_id": EVENT_ID}):
            "attendance.no_time",
        record(laptop, "event", {"kind": "senam_bersama", "starts_at": "2026-11-23T06:30:00+07:00",
                                 "venue": "Balai Desa"}): "event.incomplete",
        record(laptop, "event", {}, op="delete"): "event.delete_unsupported",
        record(laptop, "print", {"at": "2026-11-22T01:00:00Z", "subject_id": person_id}):
            "print.incomplete",
        record(laptop, "print", {"document": "receipt.a4"}): "print.incomplete",
        record(laptop, "print", {}, op="delete"): "print.delete_unsupported",
        record(laptop, "officer", {"full_name": "Petugas Tanpa Nomor"}): "officer.incomplete",
        record(laptop, "officer", {"employee_no": "KC-0999"}): "officer.incomplete",
        record(laptop, "officer", {}, op="delete"): "officer.delete_unsupported",
    }
    fine = laptop.register(4101)
    result = laptop.sync()
    assert result.quarantined == len(bad) and result.refused == 0
    assert pending(laptop) == 0  # acknowledged: nothing holds the queue
    kept = dict(rows(database_url, "SELECT change_id, reason FROM quarantine"))
    assert kept == bad
    ids = {r[0] for r in rows(database_url, "SELECT id FROM docs")}
    changed = {r[0] for r in rows(database_url, "SELECT entity_id FROM quarantine")}
    assert not changed & ids  # none of them made a row
    assert fine.registration["id"] in ids and fine.person["id"] in ids
    assert rows(database_url, "SELECT count(*) FROM docs WHERE entity = 'registration'")[0][0] == 2


def test_changes_stamped_by_another_device_are_kept_aside(database_url, inprocess_laptops):
    a, b = inprocess_laptops(2)
    a.event()
    reg = a.register(4200)
    with a.store.write():  # a copied change log: B's clock stamp on A's change
        a.store.db.execute("UPDATE change_log SET hlc = ? WHERE entity = 'person'",
                           (b.store.clock.now(),))
    result = a.sync()
    assert result.quarantined == 2
    # the person is kept aside, and so the registration that needs it
    assert dict(rows(database_url, "SELECT entity, reason FROM quarantine")) == {
        "person": "push.foreign_device", "registration": "registration.unknown_person"}
    assert not rows(database_url, "SELECT id FROM docs WHERE id IN (?, ?)",
                    (reg.person["id"], reg.registration["id"]))


# -- foreign workers through sync -------------------------------------------------------------------
def _tka(laptop, nationality: str = "CN"):
    form = full_people_forms(EVENT_ID)[1]
    form.person.nationality = nationality
    return laptop.store.registrations.register(form)


def test_a_foreign_worker_registered_on_two_laptops_is_one_person(database_url, inprocess_laptops):
    """Identified by passport and nationality (no NIK): the second laptop's person becomes an
    alias of the first; both laptops then hold one person with every field, both
    registrations point at it, and the same passport of another country is another person."""
    a, b = inprocess_laptops(2)
    a.event()
    b.event()
    first = _tka(a)
    second = _tka(b)  # on B before either synced: a person of its own with the same passport
    other_country = _tka(b, nationality="MY")
    assert second.person["id"] != first.person["id"]
    a.sync()
    b.sync()
    a.sync()
    people = rows(database_url, "SELECT id, merged_into, data FROM docs WHERE entity = 'person'")
    merged = {r[0]: r[1] for r in people}
    assert merged[second.person["id"]] == first.person["id"] and merged[first.person["id"]] is None
    assert merged[other_country.person["id"]] is None
    for laptop in (a, b):
        person = laptop.store.people.get(first.person["id"])
        for field in ("passport_no", "nationality", "kitas_no", "kitas_expiry", "birth_date", "email"):
            assert person[field] == first.person[field], field
        assert person["nik"] is None
        codes = {r["code"]: r["person_id"] for r in laptop.store.query(
            "SELECT code, person_id FROM registrations")}
        assert codes[first.registration["code"]] == first.person["id"]
        assert codes[second.registration["code"]] == first.person["id"]
        assert codes[other_country.registration["code"]] == other_country.person["id"]
        assert laptop.store.scalar("SELECT count(*) FROM people WHERE passport_no = ? AND "
                                   "merged_into IS NULL", (first.person["passport_no"],)) == 2
    data = json.loads(dict((r[0], r[2]) for r in people)[first.person["id"]])
    assert data["passport_no"] == "E98765432" and data["nationality"] == "CN"
