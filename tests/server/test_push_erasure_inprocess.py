"""The branch server's erasure (UU PDP) inside a push, in process (see test_push_inprocess.py):
what it removes besides the person's row (the person's values in changes kept aside before
and after it, what the registrations said about the person, the NIK as an identity), and
what stays (the registrations' codes and figures)."""

from __future__ import annotations

import json

from bpjs_field.domain.codes import make_code
from bpjs_field.security import signing
from bpjs_field.server.erasure import ERASED_FIELDS, ERASED_REGISTRATION_FIELDS
from bpjs_field.store.erasure import erase_person
from bpjs_field.store.store import new_id
from harness import EVENT_ID, full_people_forms, server_rows
from logins import opened_as
from test_push_entities_inprocess import officers_laptop, quarantined  # noqa: F401 (fixture)
from test_push_inprocess import (URL, app_client, docs, inprocess_laptops,  # noqa: F401 (fixtures)
                                 record)

PERSONAL = (*ERASED_FIELDS, *ERASED_REGISTRATION_FIELDS)


def kept_payloads(url: str) -> dict[str, dict]:
    return {cid: json.loads(p) for cid, p in server_rows(url, "SELECT change_id, payload FROM quarantine")}


def forged_edit(laptop, person_id: str, changes: dict) -> str:
    """An edit signed as a supervisor with a key that is not theirs: the server keeps it aside."""
    impostor = signing.ChangeSigner("SPV-01", signing.signing_seed(b"\x07" * 32))
    with opened_as(laptop.store, signer=impostor) as signed:
        signed.people.update(person_id, changes)
    return laptop.store.scalar("SELECT change_id FROM change_log ORDER BY seq DESC LIMIT 1")


def test_an_erasure_clears_the_persons_values_everywhere_on_the_server_and_frees_the_nik(
        database_url, inprocess_laptops, officers_laptop):
    """Changes about the person kept aside before the erasure (found by the person's id, by
    a registration's person or its copy's, by the NIK) and after it lose the person's values; the person's
    registrations keep their code and segment and lose what they said about the person; the
    NIK registered again afterwards is a new person, not the erased one."""
    a, b, c = inprocess_laptops(3)
    officer = officers_laptop
    a.event()
    form = full_people_forms(EVENT_ID)[0]
    first = a.store.registrations.register(form)
    person_id, code = first.person["id"], first.registration["code"]
    a.sync()
    c.event()
    alias = c.store.registrations.register(form).person["id"]  # C's copy: it joins A's person
    c.sync()
    b.sync()
    officer.sync()
    nik, phone = first.person["nik"], "+6281312345678"
    taken = {"segment": "bpu", "code": code, "person_id": person_id, "occupation": "pedagang",
             "employer_name": "Toko Kenanga", "declared_income": 2_000_000,
             "created_at": "2026-11-22T00:00:00Z"}
    # A's code again from A (as from a laptop restored from an older backup): kept aside as
    # taken (another laptop's code would be refused outright, server/tags.py).
    before = {
        forged_edit(officer, person_id, {"phone": phone, "full_name": "Ratna Kusuma"}):
            "person.edit_bad_signature",
        record(a, "registration", taken): "registration.code_taken",
        record(b, "person", {"nik": nik, "phone": phone}): "person.no_name",
        record(a, "registration", {**taken, "person_id": alias}): "registration.code_taken",
    }
    officer.sync()
    a.sync()
    b.sync()
    c.sync()
    assert quarantined(database_url) == before
    held = kept_payloads(database_url)  # the person's values, until the erasure
    assert [held[cid].get("phone") for cid in before] == [phone, None, phone, None]
    assert [held[cid].get("occupation") for cid in before] == [None, "pedagang", None, "pedagang"]
    assert held[list(before)[0]]["full_name"] == "Ratna Kusuma"
    made = {k: v for k, v in docs(database_url, "registration")[first.registration["id"]].items()
            if k not in ("merged_into", "deleted")}
    assert made["declared_income"] == 1_500_000
    erase_person(a.store, person_id, withdrawn=True)
    a.sync()
    late = new_id()  # a registration made before the erasure, reaching the branch after it
    late_code = make_code("ZZ9Z", 7)
    record(b, "registration", {**made, "id": late, "code": late_code})
    after = {
        forged_edit(officer, person_id, {"email": "siti.k@contoh.id", "full_name": "Ratna K"}):
            "person.edit_bad_signature",
        # B's code (its tag from its first registration under it) again: kept aside as taken.
        record(b, "registration", {**taken, "wage": 3_000_000, "code": late_code}):
            "registration.code_taken",
    }
    officer.sync()
    b.sync()
    assert quarantined(database_url) == {**before, **after}
    registrations = docs(database_url, "registration")
    assert not [f for f in ERASED_REGISTRATION_FIELDS if registrations[late].get(f) is not None]
    assert (registrations[late]["segment"], registrations[late]["person_id"]) == ("bpu", person_id)
    for change_id, payload in kept_payloads(database_url).items():
        assert not [f for f in PERSONAL if payload.get(f) is not None], change_id
    named = [p["full_name"] for p in kept_payloads(database_url).values() if "full_name" in p]
    assert named == ["(dihapus)", "(dihapus)"]
    assert kept_payloads(database_url)[list(after)[1]]["code"] == late_code  # the rest stays
    registration = docs(database_url, "registration")[first.registration["id"]]
    assert not [f for f in ERASED_REGISTRATION_FIELDS if registration.get(f) is not None]
    assert [registration[k] for k in ("code", "segment", "person_id", "merged_into", "deleted")] == [
        code, "bpu", person_id, None, 0]
    # Registered again with the same NIK: a person of its own, not an alias of the erased one.
    again = a.store.registrations.register(form)
    assert again.person["id"] != person_id
    a.sync()
    people = docs(database_url, "person")
    assert people[again.person["id"]]["merged_into"] is None
    assert people[again.person["id"]]["nik"] == nik and people[person_id]["nik"] is None


def test_a_foreign_workers_erasure_finds_kept_changes_by_passport_and_no_others(
        database_url, inprocess_laptops):
    """A change kept aside that names the erased worker's passport loses the personal values;
    one naming another passport of the same country keeps them."""
    a, b = inprocess_laptops(2)
    a.event()
    worker = a.store.registrations.register(full_people_forms(EVENT_ID)[1]).person
    a.sync()
    b.sync()
    phone = "+6282155556789"
    mine = record(b, "person", {"passport_no": worker["passport_no"], "nationality": "CN",
                                "phone": phone})
    other = record(b, "person", {"passport_no": "E11112222", "nationality": "CN", "phone": phone})
    b.sync()
    held = kept_payloads(database_url)
    assert held[mine]["passport_no"] == worker["passport_no"] and held[mine]["phone"] == phone
    erase_person(a.store, worker["id"], withdrawn=True)
    a.sync()
    after = kept_payloads(database_url)
    assert not [f for f in PERSONAL if after[mine].get(f) is not None]
    assert after[other] == held[other]
