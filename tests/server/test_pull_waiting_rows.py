"""A pulled check-in or registration whose person (or event) this laptop does not hold never
stops the pull: it waits, whole, and applies when its person arrives; one whose person never
comes stays listed for a supervisor while every later row keeps coming.  Against the real
server application run in this process (a branch, or an event's hub: the same code)."""

from __future__ import annotations

import json

import pytest

from bpjs_field.domain.codes import make_code
from bpjs_field.handcarry import export_changes, import_changes
from bpjs_field.server.db import ServerDatabase
from bpjs_field.store.set_aside import set_aside_rows
from bpjs_field.store.store import new_id
from bpjs_field.sync import hub_seed
from harness import EVENT_ID, Laptop, put_server_doc, server_rows
from test_push_inprocess import URL, app_client, inprocess_laptops  # noqa: F401


def _held(laptop) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in laptop.store.db.execute(
        "SELECT entity, id, reason FROM held_rows ORDER BY entity, id").fetchall()]


def _row(store, table: str, columns, row_id: str, **changes) -> dict:
    names = [c for c in columns if c != "merged_into"]
    values = store.db.execute(f"SELECT {', '.join(names)} FROM {table} WHERE id = ?",
                              (row_id,)).fetchone()
    return {**dict(zip(names, values)), **changes}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a hub's database is SQLite
def test_a_check_in_of_a_person_the_hub_made_an_alias_waits_for_the_survivor(
        database_url, inprocess_laptops, tmp_path):
    """At an event's hub, desk C's seed holds person P and P's check-in; a later seed of P
    (its NIK corrected to one the hub holds under Q) makes P an alias of Q, while the
    check-in still names P.  Laptop B pulls page by page: the check-in comes (with P, an
    alias B does not store) before Q.  It used to fail its page on a foreign key, at every
    round; now it waits for Q and is stored under Q when Q's page comes."""
    b, = inprocess_laptops(1)
    c = Laptop(tmp_path / "desk-c.sqlite3")  # the seeding desk (its own database)
    try:
        c.event()
        p = c.register(7101, check_in=True).person
        q = c.register(7102).person
        tables = hub_seed._tables()
        attendance = c.store.query_one("SELECT id FROM attendance WHERE person_id = ?", (p["id"],))
        stamp = "2026-11-22T01:00:00Z|{}"
        seed = [("event", _row(c.store, "events", tables["event"][1], EVENT_ID)),
                ("person", _row(c.store, "people", tables["person"][1], p["id"])),
                ("attendance", _row(c.store, "attendance", tables["attendance"][1],
                                    attendance["id"])),
                ("person", _row(c.store, "people", tables["person"][1], q["id"])),
                # The same person seeded again, later, with Q's NIK: P becomes Q's alias.
                ("person", _row(c.store, "people", tables["person"][1], p["id"],
                                nik=q["nik"]))]
    finally:
        c.close()
    db = ServerDatabase(database_url)
    try:
        for n, (entity, row) in enumerate(seed):
            row[hub_seed.STAMP_FIELD] = stamp.format(f"{n:016x}").replace("01:00", f"01:0{n}")
            with db.write() as tx:
                counts = hub_seed.take(tx, entity, [row])
            assert counts["skipped"] == 0, (entity, counts)
        with db.read() as tx:
            assert tx.one("SELECT merged_into FROM docs WHERE entity = 'person' AND id = ?",
                          (p["id"],))[0] == q["id"]
            assert json.loads(tx.one("SELECT data FROM docs WHERE entity = 'attendance'")[0])[
                "person_id"] == p["id"]
    finally:
        db.close()

    result = b.sync(page_size=1)  # one row a page: the check-in's page comes before Q's
    assert result.pages > 3 and result.apply.held == 1  # it waited once
    row = b.store.query_one("SELECT id, person_id, event_id FROM attendance")
    assert row == {"id": attendance["id"], "person_id": q["id"], "event_id": EVENT_ID}
    assert _held(b) == [] and set_aside_rows(b.store) == []
    assert not b.store.scalar("SELECT 1 FROM people WHERE id = ?", (p["id"],))
    assert b.store.attendance.count(EVENT_ID) == 1  # once, under the survivor
    again = b.sync()
    assert again.pulled == 0 and b.store.attendance.count(EVENT_ID) == 1


def test_a_row_whose_person_never_comes_is_listed_and_the_pull_goes_on(
        database_url, inprocess_laptops):
    """A check-in and a registration naming a person the server never sends (a relaying hub
    or an older server that lost it): the rest of the page applies, the cursor moves on, the
    two rows wait whole, listed for a supervisor (sync page, `bpjs-field sync`, the audit
    log), and later registrations keep arriving, round after round."""
    a, b = inprocess_laptops(2)
    a.event()
    a.register(7201)
    a.sync()
    ghost = new_id()
    check_in = {"id": new_id(), "event_id": EVENT_ID, "person_id": ghost,
                "checked_in_at": "2026-11-22T00:10:00Z", "method": "scan",
                "device_id": a.store.device_id}
    registration = json.loads(server_rows(database_url, "SELECT data FROM docs WHERE "
                                          "entity = 'registration'")[0][0])
    registration.update(id=new_id(), code=make_code("ZZ9Z", 7), person_id=ghost,
                        occupation="Petani")
    put_server_doc(database_url, "attendance", check_in, ident=f"{EVENT_ID}|{ghost}")
    put_server_doc(database_url, "registration", registration, ident=f"code:{registration['code']}")
    a.register(7202)
    a.sync()

    first = b.sync(page_size=2)
    assert first.apply.held == 2
    assert b.store.scalar("SELECT count(*) FROM people") == 2  # everything else applied
    assert b.store.scalar("SELECT count(*) FROM registrations") == 2
    assert int(b.store.get_setting("sync.cursor")) == first_head(database_url)
    assert _held(b) == sorted([("attendance", check_in["id"], "attendance.person_id: waiting"),
                               ("registration", registration["id"],
                                "registration.person_id: waiting")])
    listed = {(r["entity"], r["id"]): r["reason"] for r in set_aside_rows(b.store)}
    assert listed == {("attendance", check_in["id"]): "attendance.person_id: waiting",
                      ("registration", registration["id"]): "registration.person_id: waiting"}
    audit = b.store.query("SELECT entity, entity_id FROM audit_log WHERE action = "
                          "'sync.row_set_aside'")
    assert {(r["entity"], r["entity_id"]) for r in audit} == set(listed)
    # Not stuck: the next rounds bring what comes later, and note the waiting rows once.
    for n in (7203, 7204):
        a.register(n)
        a.sync()
        assert b.sync().pulled >= 2
    assert b.store.scalar("SELECT count(*) FROM people") == 4
    assert len(_held(b)) == 2 and b.store.scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'sync.row_set_aside'") == 2


def first_head(database_url: str) -> int:
    return int(server_rows(database_url, "SELECT value FROM counters WHERE name = 'rev'")[0][0])


def test_a_check_in_carried_on_a_usb_file_waits_for_its_person(
        database_url, inprocess_laptops, tmp_path):
    """A checks in P, a person A pulled from the branch (so A's file holds the check-in, not
    P), and carries its changes to B, which has not pulled P yet.  The file used to fail
    whole on B; now B takes it, the check-in waits, B carries it to the branch, and B's pull
    brings P: the check-in is stored once."""
    a, b, c = inprocess_laptops(3)  # C enrolled, never synced since
    b.event()
    p = b.register(7301).person
    b.sync()
    a.sync()  # A now holds P and the event, from the branch
    a.store.attendance.check_in(EVENT_ID, p["id"])
    usb = tmp_path / "acara.bpjsf"
    assert export_changes(a.store, usb, "pasar-malam-2026") == 1  # the check-in alone
    result = import_changes(c.store, usb, "pasar-malam-2026")
    assert result.queued == 1
    assert [(e, r) for e, _i, r in _held(c)] == [
        ("attendance", "attendance.person_id: waiting; attendance.event_id: waiting")]
    pushed = c.sync()  # C carries A's check-in to the branch, then pulls P and the event
    assert pushed.quarantined == 0 and pushed.pushed == 1
    assert _held(c) == [] and set_aside_rows(c.store) == []
    assert c.store.attendance.count(EVENT_ID) == 1
    assert c.store.query_one("SELECT person_id FROM attendance")["person_id"] == p["id"]
    assert a.sync().duplicates == 1  # and A's own delivery counts once


def test_a_page_the_tables_refuse_whole_is_applied_row_by_row_and_the_pull_goes_on(
        database_url, inprocess_laptops):
    """Two registrations of one code in one page (no branch makes them; a damaged or older
    server could): the laptop's tables refused the page where no check foresaw it, at every
    round.  Now the page is applied again row by row: the first keeps the code, the second
    is set aside (listed, "registration.code: taken") as on a laptop that already held the
    code, the rest apply and the cursor moves on."""
    a, b = inprocess_laptops(2)
    a.event()
    a.register_many(range(7401, 7404))
    a.sync()
    taken = json.loads(server_rows(database_url, "SELECT data FROM docs WHERE entity = "
                                   "'registration' ORDER BY rev LIMIT 1")[0][0])
    twin = {**taken, "id": new_id()}  # the same code under another id
    put_server_doc(database_url, "registration", twin, ident=f"code-twin:{twin['code']}")
    a.register(7404)
    a.sync()
    assert a.store.scalar("SELECT count(*) FROM registrations") == 4  # A held the code
    assert [(r["id"], r["reason"]) for r in set_aside_rows(a.store)] == [
        (twin["id"], "registration.code: taken")]
    result = b.sync()
    assert result.apply.set_aside == 1  # listed for a supervisor, as on A
    assert b.store.scalar("SELECT count(*) FROM registrations") == 4
    assert b.store.query_one("SELECT id FROM registrations WHERE code = ?",
                             (taken["code"],))["id"] == taken["id"]
    assert int(b.store.get_setting("sync.cursor")) == first_head(database_url)
    assert [(r["id"], r["reason"]) for r in set_aside_rows(b.store)] == [
        (twin["id"], "registration.code: taken")]
    a.register(7405)
    a.sync()
    assert b.sync().pulled >= 2 and b.store.scalar("SELECT count(*) FROM registrations") == 5
