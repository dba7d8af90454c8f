"""What sync means for the data: exactly-once pushes, merged people, attendance as a set,
field-by-field last-writer-wins with conflicts kept, pulls without change-log entries."""

from __future__ import annotations

import json
import uuid

import httpx

from bpjs_field.store.hlc import format_hlc
from bpjs_field.sync.digest import laptop_digest
from harness import server_rows, EVENT_ID



def _auth(laptop) -> dict:
    return {"Authorization": f"Bearer {laptop.store.get_setting('sync.device_token')}"}


def test_same_batch_twice_is_applied_once(shared_server, shared_database_url, laptops):
    (a,) = laptops(1)
    a.enroll(shared_server.url, "KC-0421")
    a.event()
    a.register_many(range(100, 105))
    from bpjs_field.sync.engine import SyncEngine
    engine = SyncEngine(a.store, a.http)
    body, first, last, count = engine._batch(0)
    headers = {**_auth(a), "Content-Type": "application/json"}
    first_answer = httpx.post(f"{shared_server.url}/v1/push", content=body, headers=headers).json()
    second_answer = httpx.post(f"{shared_server.url}/v1/push", content=body, headers=headers).json()
    assert first_answer["applied"] == count and first_answer["duplicates"] == 0
    assert second_answer["applied"] == 0 and second_answer["duplicates"] == count
    ids = [r[0] for r in a.store.db.execute("SELECT change_id FROM change_log")]
    marks = ",".join("?" * len(ids))
    applied = server_rows(shared_database_url,
                    f"SELECT change_id FROM applied_changes WHERE change_id IN ({marks})", ids)
    assert sorted(r[0] for r in applied) == sorted(ids)


def test_same_nik_on_two_laptops_becomes_one_person(shared_server, shared_database_url, laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    b.event()
    ra = a.register(7001, check_in=True)
    rb = b.register(7001, check_in=True)  # the same NIK, offline on another laptop
    assert ra.person["id"] != rb.person["id"]
    a.sync()
    b.sync()
    a.sync()
    for laptop in (a, b):
        people = laptop.store.query("SELECT id, merged_into FROM people WHERE nik = ?",
                                    (ra.person["nik"],))
        assert people == [{"id": ra.person["id"], "merged_into": None}]
        regs = laptop.store.query("SELECT code, person_id FROM registrations WHERE id IN (?, ?) "
                                  "ORDER BY code", (ra.registration["id"], rb.registration["id"]))
        assert len(regs) == 2 and {r["person_id"] for r in regs} == {ra.person["id"]}
        # Search finds the survivor by either code, and the loser row is gone.
        for reg in (ra.registration, rb.registration):
            hits = laptop.store.search_index.search(reg["code"])
            assert [h["id"] for h in hits] == [ra.person["id"]]
        assert laptop.store.people.get(rb.person["id"]) is None
        # Attendance is a set: one check-in for the person at the event.
        assert laptop.store.scalar("SELECT count(*) FROM attendance WHERE event_id = ? AND "
                                   "person_id = ?", (EVENT_ID, ra.person["id"])) == 1
        assert laptop.store.pending_changes() == 0
    # The server keeps both registrations linked, the loser as an alias, and both scans.
    alias = server_rows(shared_database_url, "SELECT merged_into FROM docs WHERE entity = 'person' AND id = ?",
                  (rb.person["id"],))
    assert alias == [(ra.person["id"],)]
    scans = server_rows(shared_database_url, "SELECT count(*), count(DISTINCT attendance_id) FROM scans "
                  "WHERE person_id = ?", (ra.person["id"],))
    assert scans == [(2, 1)]
    assert laptop_digest(a.store) == laptop_digest(b.store)


def test_check_in_anywhere_and_one_attendance_with_both_scans(shared_server, shared_database_url,
                                                             laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    reg = a.register(7101).registration
    a.sync()
    b.sync()
    # Laptop B never saw this participant register, yet can check them in by code.
    result_b = b.store.attendance.check_in_code(EVENT_ID, reg["code"])
    assert result_b.status == "checked_in"
    result_a = a.store.attendance.check_in_code(EVENT_ID, reg["code"])
    assert result_a.status == "checked_in"
    b.sync()
    a.sync()
    b.sync()
    for laptop in (a, b):
        rows = laptop.store.query("SELECT id FROM attendance WHERE person_id = ?", (reg["person_id"],))
        assert len(rows) == 1
    assert a.store.query("SELECT id FROM attendance WHERE person_id = ?", (reg["person_id"],)) == \
        b.store.query("SELECT id FROM attendance WHERE person_id = ?", (reg["person_id"],))
    scans = server_rows(shared_database_url, "SELECT device_id FROM scans WHERE person_id = ? AND deleted = 0",
                  (reg["person_id"],))
    assert sorted(r[0] for r in scans) == sorted([a.store.device_id, b.store.device_id])
    # Undo on one laptop takes the attendance back everywhere.
    att_id = a.store.query("SELECT id FROM attendance WHERE person_id = ?", (reg["person_id"],))[0]["id"]
    assert a.store.attendance.undo(att_id)
    a.sync()
    b.sync()
    assert b.store.scalar("SELECT count(*) FROM attendance WHERE person_id = ?", (reg["person_id"],)) == 0


def test_concurrent_edits_merge_field_by_field_and_keep_losers(shared_server, shared_database_url,
                                                               laptops):
    a, b, s = laptops(3)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    s.enroll(shared_server.url, "SPV-01")
    a.event()
    reg = a.register(7201).registration
    person_id = reg["person_id"]
    a.sync()
    b.sync()
    # Offline, both edit the same person: A the phone then the address, B the phone later.
    a.store.people.update(person_id, {"phone": "081311112222"})
    b.store.people.update(person_id, {"address": "Jl. Melati 3, Karangasih"})
    b.store.people.update(person_id, {"phone": "081399998888"})  # later HLC: wins
    a.store.people.update(person_id, {"email": "warga@example.id"})
    a.sync()
    b.sync()
    a.sync()
    for laptop in (a, b):
        row = laptop.store.people.get(person_id)
        assert row["phone"] == "+6281399998888"
        assert row["address"] == "Jl. Melati 3, Karangasih"
        assert row["email"] == "warga@example.id"
    # A's losing phone is kept for a supervisor.
    answer = httpx.get(f"{shared_server.url}/v1/conflicts", headers=_auth(s)).json()
    mine = [c for c in answer if c["entity_id"] == person_id]
    assert [(c["field"], json.loads(c["kept_value"]), json.loads(c["lost_value"])) for c in mine] == \
        [("phone", "+6281399998888", "+6281311112222")]
    # An edit with an older clock arriving later loses too, and is recorded.
    old = format_hlc(1_000_000_000_000, 0, a.store.device_id)
    change = {"change_id": str(uuid.uuid4()), "seq": 99999, "entity": "person",
              "entity_id": person_id, "op": "upsert", "payload": {"id": person_id, "address": "Lama"},
              "hlc": old, "created_at": "2001-09-09T01:46:40Z"}
    r = httpx.post(f"{shared_server.url}/v1/push", headers=_auth(a),
                   json={"device_id": a.store.device_id, "changes": [change]})
    assert r.status_code == 200 and r.json()["applied"] == 1
    a.sync()
    assert a.store.people.get(person_id)["address"] == "Jl. Melati 3, Karangasih"
    lost = server_rows(shared_database_url, "SELECT lost_value FROM conflicts WHERE entity_id = ? AND "
                 "field = 'address'", (person_id,))
    assert lost == [('"Lama"',)]


def test_pulled_rows_create_no_change_log_entries(shared_server, laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    a.register_many(range(7300, 7320), check_in=True)
    a.sync()
    before = b.store.scalar("SELECT count(*) FROM change_log")
    result = b.sync()
    assert result.pulled >= 41  # event, 20 people, 20 registrations, 20 attendance
    assert b.store.scalar("SELECT count(*) FROM change_log") == before
    assert b.sync().pushed == 0


def test_payer_scale_and_amount_paid_now_travel_to_other_laptops(shared_server, laptops):
    from datetime import date

    from bpjs_field.domain.registration import RegistrationInput
    from harness import person_input
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    day = date(2026, 12, 5)
    common = dict(consent_given=True, consent_version="2026-01", event_id=EVENT_ID, period=day)
    bpu = a.store.registrations.register(RegistrationInput(
        segment="bpu", person=person_input(7401), declared_income=1_000_000, months_paid=12,
        payer="apbd", payer_name="Pemerintah Kota Cilegon", **common), today=day).registration
    pu = a.store.registrations.register(RegistrationInput(
        segment="pu", person=person_input(7402), wage=5_938_885, risk_class=1,
        employer_scale="mikro", **common), today=day).registration
    a.sync()
    b.sync()
    for row in (bpu, pu):
        there = b.store.registrations.get(row["id"])
        for key in ("payer", "payer_name", "employer_scale", "amount_due", "contribution", "programs"):
            assert there[key] == row[key], key
    assert b.store.registrations.get(bpu["id"])["amount_due"] == 12 * 16_800  # APBD: no discount
    assert json.loads(b.store.registrations.get(pu["id"])["programs"]) == ["JKK", "JKM"]
