"""The branch server's push in process (see test_push_inprocess.py), continued: officers a
laptop made, what an officer's laptop may change, and an erasure arriving with a losing edit."""

from __future__ import annotations

import time

from bpjs_field.store.store import new_id
from harness import EVENT_ID, Laptop, server_rows
from logins import opened_as
from test_push_inprocess import (URL, app_client, docs, inprocess_laptops,  # noqa: F401 (fixtures)
                                 record)


def test_a_laptop_made_officer_is_edited_and_joined_by_its_number(database_url, inprocess_laptops):
    """An officer row a laptop made (no branch account) is the laptops' to edit, field by field;
    another row with its employee number becomes an alias that carries nothing but the link."""
    a, = inprocess_laptops(1)
    first, second = new_id(), new_id()
    record(a, "officer", {"id": first, "employee_no": "KC-0778", "full_name": "Petugas Lapangan",
                          "branch": "KC Cilegon", "role": "officer", "active": 1,
                          "created_at": "2026-11-22T00:00:00Z"})
    a.sync()
    edit = record(a, "officer", {"full_name": "Petugas Lapangan Dua", "active": 0}, entity_id=first)
    again = record(a, "officer", {"id": second, "employee_no": "KC-0778",
                                  "full_name": "Petugas Yang Sama", "role": "officer",
                                  "created_at": "2026-11-23T00:00:00Z"})
    result = a.sync()
    assert (result.pushed, result.quarantined) == (2, 0)
    officers = docs(database_url, "officer")
    assert officers[first] == {
        "id": first, "employee_no": "KC-0778", "full_name": "Petugas Lapangan Dua",
        "branch": "KC Cilegon", "role": "officer", "active": 0,
        "created_at": "2026-11-22T00:00:00Z", "merged_into": None, "deleted": 0}
    assert officers[second] == {"id": second, "merged_into": first, "deleted": 0}
    outcomes = dict(server_rows(database_url, "SELECT change_id, outcome FROM applied_changes "
                                       "WHERE change_id IN (?, ?)", (edit, again)))
    assert outcomes == {edit: "applied", again: "merged"}


def test_an_officers_laptop_completes_blanks_only_and_a_forged_signature_is_kept_aside(
        database_url, app_client, tmp_path):
    """In process, as tests/security/test_server_roles.py does with a server process: the
    laptop of an officer (KC-0430) may fill a person's blanks, not change what is there; a
    supervisor's signature that does not verify keeps the change aside."""
    from bpjs_field.security import signing
    laptop = Laptop(tmp_path / "officer.sqlite3")
    laptop.http.close()
    laptop.http = app_client
    try:
        laptop.enroll(URL, "KC-0430")
        laptop.event()
        person_id = laptop.register(4900).person["id"]
        laptop.sync()
        phone = docs(database_url, "person")[person_id]["phone"]
        laptop.store.people.update(person_id, {"phone": "0857-9999-0000", "email": "siti@contoh.id"})
        edit = laptop.store.scalar("SELECT change_id FROM change_log ORDER BY seq DESC LIMIT 1")
        assert laptop.sync().quarantined == 0
        person = docs(database_url, "person")[person_id]
        assert (person["phone"], person["email"]) == (phone, "siti@contoh.id")
        assert server_rows(database_url, "SELECT outcome FROM applied_changes WHERE change_id = ?",
                    (edit,)) == [("blanks_only",)]
        impostor = signing.ChangeSigner("SPV-01", signing.signing_seed(b"\x07" * 32))  # not SPV-01's key
        with opened_as(laptop.store, signer=impostor) as signed:
            signed.people.update(person_id, {"phone": "0857-2222-3333"})
        forged = laptop.store.scalar("SELECT change_id FROM change_log ORDER BY seq DESC LIMIT 1")
        assert laptop.sync().quarantined == 1
        assert docs(database_url, "person")[person_id]["phone"] == phone
        assert dict(server_rows(database_url, "SELECT change_id, reason FROM quarantine")) == {
            forged: "person.edit_bad_signature"}
    finally:
        laptop.store.close()


def test_an_erasure_drops_the_losing_values_of_its_own_batch(database_url, inprocess_laptops):
    """B's late edits lose to A's newer ones and the erasure follows in the same push: the
    losing values (a phone number, the registration's occupation) are not kept in
    `conflicts`, nor one an earlier push kept (the employer's name), nor anything of the
    person, in the registration edited in that push too; the losing value of another
    person's edit in that push is kept."""
    from bpjs_field.store.erasure import erase_person
    a, b = inprocess_laptops(2)
    a.event()
    made = a.register(4960)
    person_id, reg = made.person["id"], made.registration
    other_made = a.register(4961)
    other, other_reg = other_made.person["id"], other_made.registration["id"]
    a.sync()
    b.sync()

    def edit_registration(laptop, field: str, value: str, whose=(person_id, reg["id"])) -> str:
        time.sleep(0.005)  # a clock of its own millisecond: the later edit is the newer
        return record(laptop, "registration", {"person_id": whose[0], field: value},
                      entity_id=whose[1])

    edits = [edit_registration(b, "employer_name", "Toko Sumber Rejeki"),  # older: it loses
             edit_registration(a, "employer_name", "Toko Makmur")]
    a.sync()
    b.sync()
    assert server_rows(database_url, "SELECT outcome FROM applied_changes WHERE change_id IN "
                                     "(?, ?)", tuple(edits)) == [("applied",), ("applied",)]
    assert server_rows(database_url, "SELECT entity_id, field, kept_value FROM conflicts") == [
        (reg["id"], "employer_name", '"Toko Makmur"')]
    for pid in (person_id, other):
        b.store.people.update(pid, {"phone": "0857-1111-2222"})  # older clock: it loses
        a.store.people.update(pid, {"phone": "0857-3333-4444", "occupation": "guru"})
    for whose in ((person_id, reg["id"]), (other, other_reg)):
        edit_registration(b, "occupation", "petani", whose)
        edit_registration(a, "occupation", "pedagang", whose)
    a.sync()
    # In the same push, a check-in of someone the branch has not heard of: kept aside.
    record(b, "attendance", {"person_id": new_id(), "event_id": EVENT_ID, "method": "scan",
                             "checked_in_at": "2026-11-22T01:00:00Z", "device_id": b.store.device_id})
    erase_person(b.store, person_id, withdrawn=True)
    assert b.sync().quarantined == 1
    assert sorted(server_rows(database_url, "SELECT entity_id, field FROM conflicts")) == sorted(
        [(other, "phone"), (other_reg, "occupation")])  # another person's stay
    assert docs(database_url, "person")[other]["occupation"] == "guru"
    person = docs(database_url, "person")[person_id]
    assert person["erased_at"] and person["phone"] is None and person["full_name"] == "(dihapus)"
    registration = docs(database_url, "registration")[reg["id"]]
    assert [registration[f] for f in ("occupation", "employer_name", "declared_income")] == [
        None, None, None]
    assert registration["code"] == reg["code"]
