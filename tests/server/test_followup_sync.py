"""The follow-up of a registration travels like any other change: recorded on one laptop, it
reaches the branch server and every other laptop; a laptop's own follow-up not yet pushed
survives a pull; an erasure takes the KPJ number from the server and keeps the stage."""

from __future__ import annotations

import json

from bpjs_field.domain.followup import KPJ, PAID, SUBMITTED, StatusChange
from bpjs_field.domain.formatting import today_wib
from bpjs_field.store.erasure import erase_person
from bpjs_field.server.db import ServerDatabase
from bpjs_field.store.followup import set_status


def _server_registration(url: str, reg_id: str) -> dict:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return json.loads(tx.scalar(
                "SELECT data FROM docs WHERE entity = 'registration' AND id = ?", (reg_id,)))
    finally:
        db.close()


def _server_doc(url: str, entity: str, doc_id: str) -> str:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return tx.scalar("SELECT data FROM docs WHERE entity = ? AND id = ?", (entity, doc_id))
    finally:
        db.close()


def test_follow_up_syncs_to_server_and_other_laptops(shared_server, shared_database_url, laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    reg = a.register(9400).registration
    a.sync()
    b.sync()
    set_status(a.store, reg["id"], StatusChange(KPJ, kpj_no="44444444444",
                                                payment_code="8888844444444444"))
    # B records the submission offline at the same time: a different field, both stay.
    set_status(b.store, reg["id"], StatusChange(SUBMITTED, on=today_wib()))
    a.sync()
    b.sync()  # pushes B's change, pulls A's: B's pending status is kept until pushed
    a.sync()
    on_server = _server_registration(shared_database_url, reg["id"])
    assert on_server["kpj_no"] == "44444444444" and on_server["submitted_at"]
    assert on_server["code"] == reg["code"] and on_server["segment"] == "bpu"
    for laptop in (a, b):
        row = laptop.store.registrations.get(reg["id"])
        assert row["kpj_no"] == "44444444444"
        assert row["submitted_at"] == today_wib().isoformat()
        assert row["status"] == on_server["status"]
    assert a.store.pending_changes() == 0
    set_status(b.store, reg["id"], StatusChange(PAID, paid_months=6))
    b.sync()
    a.sync()
    row = a.store.registrations.get(reg["id"])
    assert (row["status"], row["first_paid_months"]) == (PAID, 6)
    # The data downstream asks for travel with the person, and go with an erasure.
    a.store.people.update(reg["person_id"], {"kk_no": "3216090101230001",
                                             "mother_name": "Rukmini", "heir_name": "Budi",
                                             "heir_relation": "anak"})
    a.sync()
    b.sync()
    assert b.store.people.get(reg["person_id"])["kk_no"] == "3216090101230001"
    # An erasure: the number goes, on the server and the other laptop; the stage stays.
    erase_person(a.store, reg["person_id"])
    a.sync()
    b.sync()
    person = _server_doc(shared_database_url, "person", reg["person_id"])
    assert "3216090101230001" not in person and "Rukmini" not in person and "Budi" not in person
    assert all(b.store.people.get(reg["person_id"])[f] is None
               for f in ("kk_no", "mother_name", "heir_name", "heir_relation"))
    on_server = _server_registration(shared_database_url, reg["id"])
    assert on_server["kpj_no"] is None and on_server["payment_code"] is None
    assert on_server["first_paid_at"] and on_server["status"] == PAID
    assert b.store.registrations.get(reg["id"])["kpj_no"] is None


def test_two_kpj_numbers_typed_offline_keep_one_and_go_with_an_erasure(
        shared_server, shared_database_url, laptops):
    a, b = laptops(2)
    a.enroll(shared_server.url, "KC-0421")
    b.enroll(shared_server.url, "KC-0422")
    a.event()
    reg = a.register(9410).registration
    a.sync()
    b.sync()
    set_status(a.store, reg["id"], StatusChange(KPJ, kpj_no="66666666601"))
    set_status(b.store, reg["id"], StatusChange(KPJ, kpj_no="66666666602"))
    a.sync()
    b.sync()
    a.sync()
    kept = {laptop.store.registrations.get(reg["id"])["kpj_no"] for laptop in (a, b)}
    assert len(kept) == 1  # both laptops converge on the later one
    db = ServerDatabase(shared_database_url)
    try:
        with db.read() as tx:
            lost = tx.rows("SELECT lost_value FROM conflicts WHERE entity = 'registration' "
                           "AND entity_id = ? AND field = 'kpj_no'", (reg["id"],))
        assert len(lost) == 1  # the other number is kept for a supervisor to look at
        erase_person(a.store, reg["person_id"])
        a.sync()
        with db.read() as tx:
            left = tx.rows("SELECT lost_value, kept_value FROM conflicts WHERE entity_id = ?",
                           (reg["id"],))
        assert not any("6666666660" in str(row) for row in left)
    finally:
        db.close()
