"""Consents as the branch keeps them, with the push in process (see test_push_inprocess.py):
every consent given to any laptop is one row under the person that survives, saying which
laptop and which change brought it (tests/server/test_consent_records.py checks the same
through a server process, which mutation testing cannot follow)."""

from __future__ import annotations

import time

from harness import EVENT_ID, make_nik, server_rows
from test_push_inprocess import URL, app_client, inprocess_laptops, record  # noqa: F401 (fixtures)


def consents(url: str) -> list[tuple]:
    return [tuple(r) for r in server_rows(
        url, "SELECT person_id, consent_version, consent_at, source, change_id, device_id "
             "FROM consents ORDER BY consent_at")]


def person_change(laptop) -> str:
    (change_id,) = [r["change_id"] for r in laptop.store.query(
        "SELECT change_id FROM change_log WHERE entity = 'person'")]
    return change_id


def test_each_laptops_consent_is_kept_under_the_surviving_person_with_its_laptop_and_change(
        database_url, inprocess_laptops):
    a, b, c = inprocess_laptops(3)
    given = []
    for laptop in (a, b, c):  # the same NIK, offline on each laptop, a moment apart
        laptop.event()
        person = laptop.register(8101).person
        given.append((laptop, person["consent_version"], person["consent_at"]))
        time.sleep(0.01)
    for laptop in (c, a, b, a, b, c):  # pushed in another order than given
        laptop.sync()
    (survivor,) = {r[0] for r in server_rows(
        database_url, "SELECT id FROM docs WHERE entity = 'person' AND merged_into IS NULL "
                      "AND ident = ?", (f"nik:{make_nik(8101, female=True)[0]}",))}
    expected = sorted(((survivor, version, at, "person", person_change(laptop),
                        laptop.store.device_id) for laptop, version, at in given),
                      key=lambda row: row[2])
    assert consents(database_url) == expected


def test_a_change_without_a_consent_adds_no_row_and_an_edit_keeps_the_rows(
        database_url, inprocess_laptops):
    (a,) = inprocess_laptops(1)
    a.event()
    person = a.register(8102).person
    a.sync()
    first = consents(database_url)
    assert [(r[0], r[1], r[2]) for r in first] == [
        (person["id"], person["consent_version"], person["consent_at"])]
    a.store.people.update(person["id"], {"email": "siti@contoh.id"})  # no new consent in it
    a.sync()
    assert consents(database_url) == first


def test_a_consent_given_with_a_later_registration_is_kept_as_the_registrations(
        database_url, inprocess_laptops):
    """The person known at the branch, a second registration on another laptop: its consent is
    a new row, brought by the registration's change."""
    a, b = inprocess_laptops(2)
    a.event()
    person = a.register(8103).person
    a.sync()
    b.sync()
    time.sleep(0.01)
    b.register(8103, event_id=None)
    ((change_id, registration_id),) = [(r["change_id"], r["entity_id"]) for r in b.store.query(
        "SELECT change_id, entity_id FROM change_log WHERE entity = 'registration'")]
    (registration,) = b.store.query("SELECT consent_version, consent_at FROM registrations "
                                    "WHERE id = ?", (registration_id,))
    b.sync()
    assert consents(database_url) == [
        (person["id"], person["consent_version"], person["consent_at"], "person",
         person_change(a), a.store.device_id),
        (person["id"], registration["consent_version"], registration["consent_at"], "registration",
         change_id, b.store.device_id)]


def test_a_consent_is_taken_from_a_persons_or_a_registrations_change_only(
        database_url, inprocess_laptops):
    """A check-in whose change carries consent fields (a laptop's bug, or a forged file) is
    applied, and records no consent: only a person's or a registration's change brings one."""
    (a,) = inprocess_laptops(1)
    a.event()
    person = a.register(8104).person
    a.sync()
    first = consents(database_url)
    record(a, "attendance", {"event_id": EVENT_ID, "person_id": person["id"], "method": "scan",
                             "checked_in_at": "2026-11-22T01:00:00+00:00",
                             "device_id": a.store.device_id, "consent_version": "2026-01",
                             "consent_at": "2026-11-22T01:00:00+00:00"})
    assert a.sync().quarantined == 0
    assert server_rows(database_url, "SELECT count(*) FROM scans")[0][0] == 1
    assert consents(database_url) == first
