"""Pulled registrations waiting for their event on this laptop (bpjs_field/store/held.py),
against a real database: they follow a merge of their person, lose the person's fields in
an erasure while they wait, and apply once, under the survivor, when the event arrives."""

from __future__ import annotations

from bpjs_field import PersonInput, RegistrationInput
from bpjs_field.domain.codes import make_code
from bpjs_field.protocol import Doc
from bpjs_field.security.replica_hooks import replica_hooks
from bpjs_field.store.erasure import REGISTRATION_PERSONAL, erase_person
from bpjs_field.store.replica import apply_docs
from bpjs_field.store.set_aside import set_aside_rows
from bpjs_field.store.store import new_id


def _pull(store, *docs):
    with store.write():
        return apply_docs(store, list(docs), "sent_at", replica_hooks())


def _held(store):
    return store.query("SELECT entity, id, person_id, event_id, data FROM held_rows")


def test_a_registration_waiting_for_its_event_follows_a_merge_and_an_erasure(store, event):
    form = RegistrationInput(segment="bpu", consent_given=True, consent_version="t",
                             person=PersonInput(full_name="Rina Marlina", nik="3216095205900001",
                                                phone="0812-3456-7890"),
                             declared_income=1_000_000)
    local = store.registrations.register(form)
    person = store.query_one("SELECT * FROM people WHERE id = ?", (local.person["id"],))
    other_event = {**store.query_one("SELECT * FROM events WHERE id = ?", (event["id"],)),
                   "id": new_id(), "title": "Jalan Sehat Tambun"}
    theirs = {**store.query_one("SELECT * FROM registrations WHERE id = ?",
                                (local.registration["id"],)),
              "id": new_id(), "code": make_code("ZZ9Z", 9), "event_id": other_event["id"],
              "declared_income": 2_500_000, "employer_name": "Koperasi Tani Makmur"}
    # Another laptop's registration of this person at an event this laptop has not pulled.
    stats = _pull(store, Doc(entity="registration", id=theirs["id"], rev=40, data=theirs))
    assert stats.held == 1
    (waiting,) = _held(store)
    assert (waiting["person_id"], waiting["event_id"]) == (person["id"], other_event["id"])
    assert [r["reason"] for r in set_aside_rows(store)] == ["registration.event_id: waiting"]
    # The branch's own row for the same NIK arrives: this laptop's person is merged into it.
    survivor = {**person, "id": new_id()}
    _pull(store, Doc(entity="person", id=survivor["id"], rev=41, data=survivor))
    assert not store.scalar("SELECT 1 FROM people WHERE id = ?", (person["id"],))
    (waiting,) = _held(store)
    assert waiting["person_id"] == survivor["id"] and f'"{survivor["id"]}"' in waiting["data"]
    # The person is erased here while the registration waits: its personal fields go.
    erase_person(store, survivor["id"])
    (waiting,) = _held(store)
    assert "Koperasi" not in waiting["data"] and "2500000" not in waiting["data"]
    # The event arrives: the registration applies once, under the survivor, without them.
    stats = _pull(store, Doc(entity="event", id=other_event["id"], rev=42, data=other_event))
    assert stats.held == 0 and _held(store) == [] and set_aside_rows(store) == []
    row = store.query_one("SELECT * FROM registrations WHERE id = ?", (theirs["id"],))
    assert row["person_id"] == survivor["id"] and row["event_id"] == other_event["id"]
    assert all(row[f] is None for f in REGISTRATION_PERSONAL if f in row)
    assert store.scalar("SELECT count(*) FROM registrations WHERE person_id = ?",
                        (survivor["id"],)) == 2


def test_a_newer_revision_replaces_a_waiting_row_and_a_deletion_drops_it(store, event):
    form = RegistrationInput(segment="bpu", consent_given=True, consent_version="t",
                             person=PersonInput(full_name="Dedi Kurniawan", nik="3216091205900002"),
                             declared_income=1_000_000)
    local = store.registrations.register(form)
    ghost = new_id()
    check_in = {"id": new_id(), "event_id": event["id"], "person_id": ghost,
                "checked_in_at": "2026-11-22T00:10:00Z", "method": "scan", "device_id": "d1"}
    assert _pull(store, Doc(entity="attendance", id=check_in["id"], rev=7, data=check_in)).held == 1
    later = {**check_in, "checked_in_at": "2026-11-22T00:05:00Z"}
    assert _pull(store, Doc(entity="attendance", id=check_in["id"], rev=9, data=later)).held == 1
    (waiting,) = _held(store)
    assert "00:05:00" in waiting["data"]
    assert store.scalar("SELECT rev FROM held_rows") == 9
    _pull(store, Doc(entity="attendance", id=check_in["id"], rev=11, deleted=True))
    assert _held(store) == [] and set_aside_rows(store) == []
    assert store.attendance.count(event["id"]) == 0
    assert local.person["id"] != ghost


def test_a_revoked_laptop_keeps_no_waiting_rows(store, event):
    """The wipe of a revoked (lost, retired) laptop takes the rows waiting here too: they came
    from the branch like the people it wipes."""
    from bpjs_field.security.revocation import wipe_synced_personal_data
    ghost = new_id()
    check_in = {"id": new_id(), "event_id": event["id"], "person_id": ghost,
                "checked_in_at": "2026-11-22T00:10:00Z", "method": "scan", "device_id": "d1"}
    assert _pull(store, Doc(entity="attendance", id=check_in["id"], rev=7, data=check_in)).held == 1
    wipe_synced_personal_data(store)
    assert _held(store) == []


def test_a_registration_waiting_for_a_person_who_arrives_erased_keeps_only_its_counts(store,
                                                                                      event):
    form = RegistrationInput(segment="bpu", consent_given=True, consent_version="t",
                             person=PersonInput(full_name="Asep Saepudin", nik="3216091205900003"),
                             declared_income=1_000_000)
    local = store.registrations.register(form)
    erased_person = {**store.query_one("SELECT * FROM people WHERE id = ?", (local.person["id"],)),
                     "id": new_id(), "nik": None, "full_name": "(dihapus)", "name_key": "",
                     "birth_date": None, "erased_at": "2026-11-23T02:00:00Z"}
    theirs = {**store.query_one("SELECT * FROM registrations WHERE id = ?",
                                (local.registration["id"],)),
              "id": new_id(), "code": make_code("ZZ9Z", 11), "person_id": erased_person["id"],
              "employer_name": "Koperasi Tani Makmur", "declared_income": 2_500_000}
    assert _pull(store, Doc(entity="registration", id=theirs["id"], rev=20, data=theirs)).held == 1
    assert _pull(store, Doc(entity="person", id=erased_person["id"], rev=21,
                            data=erased_person)).held == 0
    row = store.query_one("SELECT * FROM registrations WHERE id = ?", (theirs["id"],))
    assert row["person_id"] == erased_person["id"] and row["segment"] == "bpu"
    assert all(row[f] is None for f in REGISTRATION_PERSONAL if f in row)
    assert _held(store) == []
