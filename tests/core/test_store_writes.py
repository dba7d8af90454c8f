"""The store's write path for registrations (store/registrations.py) row by row: what one
registration writes (the row, its change for the server, its audit entry, the check-in),
dense codes that survive failures and restarts, one person per NIK, idempotent imports, and
the lookups by code.  Written against the survivors of mutation testing (tests/MUTATION.md)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from bpjs_field.domain.codes import MAX_SEQ, format_code, make_code
from bpjs_field.domain.contribution import bpu_contribution
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.errors import NotFoundError, ValidationError, ValidationErrors
from bpjs_field.store import Store
from bpjs_field.store.registrations import SYNCED, import_registration_id

TODAY = date(2026, 11, 22)
NIK = "3216091205900001"


def form(event_id=None, nik=NIK, **kw) -> RegistrationInput:
    values = dict(segment="bpu", consent_given=True, consent_version="2026-01",
                  declared_income=2_000_000, months_paid=3, occupation="ojek", event_id=event_id,
                  person=PersonInput(full_name="Budi Santoso", nik=nik))
    values.update(kw)
    return RegistrationInput(**values)


def count(store, table: str) -> int:
    return store.scalar(f"SELECT count(*) FROM {table}")


def test_one_registration_writes_its_row_change_and_audit(store, officer, event):
    result = store.registrations.register(form(event["id"], with_jht=True), today=TODAY)
    row = store.registrations.get(result.registration["id"])
    expected = bpu_contribution(2_000_000, with_jht=True, period=TODAY, sector="transportasi")
    assert (row["person_id"], row["event_id"], row["officer_id"], row["device_id"]) == (
        result.person["id"], event["id"], officer["id"], store.device_id)
    assert (row["segment"], row["declared_income"], row["wage"], row["risk_class"]) == (
        "bpu", 2_000_000, None, None)
    assert (row["occupation"], row["sector"], row["payer"], row["months_paid"]) == (
        "ojek", "transportasi", "mandiri", 3)
    assert json.loads(row["programs"]) == ["JKK", "JKM", "JHT"]
    assert row["monthly_total"] == expected.total
    assert store.registrations.contribution_of(row) == expected
    assert (row["status"], row["source"], row["consent_version"]) == ("baru", "form", "2026-01")
    assert row["consent_at"] == row["created_at"] == row["updated_at"]
    assert result.person_created and not result.checked_in and not result.already_registered
    change = store.query_one("SELECT * FROM change_log WHERE entity = 'registration'")
    assert change["entity_id"] == row["id"] and change["op"] == "upsert"
    assert json.loads(change["payload"]) == {k: row[k] for k in SYNCED}
    audit = store.query_one("SELECT * FROM audit_log WHERE action = 'registration.create'")
    assert (audit["entity"], audit["entity_id"]) == ("registration", row["id"])
    assert json.loads(audit["details"]) == {"code": row["code"], "segment": "bpu",
                                            "event_id": event["id"]}
    assert count(store, "attendance") == 0


def test_check_in_at_registration(store, officer, event):
    result = store.registrations.register(form(event["id"]), check_in=True, today=TODAY)
    assert result.checked_in
    attendance = store.query_one("SELECT * FROM attendance")
    assert (attendance["person_id"], attendance["event_id"], attendance["registration_id"]) == (
        result.person["id"], event["id"], result.registration["id"])
    assert attendance["method"] == "registration"
    outside = store.registrations.register(form(None, nik="3216091205900002"), check_in=True,
                                           today=TODAY)
    assert not outside.checked_in and count(store, "attendance") == 1


def test_codes_are_dense_across_failures_and_restarts(db_path):
    with Store.open(db_path) as store:
        tag = store.device_tag
        first = store.registrations.register(form(), today=TODAY).registration["code"]
        assert first == make_code(tag, 1)
        with pytest.raises(ValidationErrors):
            store.registrations.register(form(nik="123"), today=TODAY)
        with pytest.raises(ValidationError) as unknown:
            store.registrations.register(form("no-such-event", nik="3216091205900002"), today=TODAY)
        assert (unknown.value.field, unknown.value.code) == ("event_id", "event.unknown")
        second = store.registrations.register(form(nik="3216091205900002"), today=TODAY)
        assert second.registration["code"] == make_code(tag, 2)
        assert count(store, "registrations") == 2 and count(store, "people") == 2
    with Store.open(db_path) as store:  # a restart continues after the highest code
        third = store.registrations.register(form(nik="3216091205900003"), today=TODAY)
        assert third.registration["code"] == make_code(tag, 3)


def test_a_failure_inside_the_transaction_leaves_nothing_and_keeps_the_number(store, officer):
    repo = store.registrations
    first = repo.register(form(), today=TODAY).registration["code"]
    before = {t: count(store, t) for t in ("registrations", "people", "change_log", "audit_log")}

    def broken(*args, **kwargs):
        raise RuntimeError("disk went away")

    store.audit, real = broken, store.audit
    try:
        with pytest.raises(RuntimeError):
            repo.register(form(nik="3216091205900002"), today=TODAY)
    finally:
        store.audit = real
    assert {t: count(store, t) for t in before} == before
    again = repo.register(form(nik="3216091205900002"), today=TODAY).registration["code"]
    assert again == make_code(store.device_tag, 2) and first == make_code(store.device_tag, 1)


def test_numbers_run_out_with_a_clear_error(store, officer):
    store.registrations.register(form(), today=TODAY)
    store.registrations._next_seq = MAX_SEQ
    last = store.registrations.register(form(nik="3216091205900002"), today=TODAY)
    assert last.registration["code"] == make_code(store.device_tag, MAX_SEQ)
    with pytest.raises(OverflowError):
        store.registrations.register(form(nik="3216091205900003"), today=TODAY)


def test_the_same_nik_is_one_person_and_completes_blanks(store, officer, event):
    first = store.registrations.register(form(), today=TODAY)
    with_phone = replace(form(event["id"]).person, phone="0812-3456-7890", full_name="Budi S")
    second = store.registrations.register(form(event["id"], person=with_phone), today=TODAY)
    assert second.person["id"] == first.person["id"] and not second.person_created
    person = store.people.get(first.person["id"])
    assert person["phone"] == "+6281234567890"  # filled in
    assert person["full_name"] == "Budi Santoso"  # never overwritten
    assert count(store, "people") == 1 and count(store, "registrations") == 2
    codes = [r["code"] for r in store.registrations.for_person(first.person["id"])]
    assert codes == [first.registration["code"], second.registration["code"]]
    assert [r["id"] for r in store.registrations.for_event(event["id"])] == [
        second.registration["id"]]


def test_an_imported_row_saved_twice_is_one_registration(store, officer, event):
    imported = form(event["id"], source="import")
    first = store.registrations.register(imported, today=TODAY)
    changes = count(store, "change_log")
    again = store.registrations.register(imported, today=TODAY)
    assert again.already_registered and not first.already_registered
    assert again.registration["id"] == first.registration["id"]
    assert again.registration["code"] == first.registration["code"]
    assert count(store, "registrations") == 1 and count(store, "change_log") == changes
    person = {"nik": NIK}
    assert first.registration["id"] == import_registration_id(person, "bpu", event["id"])
    assert import_registration_id(person, "bpu", None) != first.registration["id"]
    assert import_registration_id(person, "pu", event["id"]) != first.registration["id"]
    foreign = {"passport_no": "E12345678", "nationality": "CN"}
    assert import_registration_id(foreign, "tka", None) != import_registration_id(
        {**foreign, "nationality": "MY"}, "tka", None)
    # a form typed by hand is never taken for an import
    typed = store.registrations.register(form(event["id"]), today=TODAY)
    assert not typed.already_registered and count(store, "registrations") == 2


def test_codes_are_found_as_typed_or_scanned(store, officer):
    code = store.registrations.register(form(), today=TODAY).registration["code"]
    shown = format_code(code)
    for typed in (code, shown, shown.lower(), f"  {shown}  "):
        assert store.registrations.by_code(typed)["code"] == code, typed
        assert store.registrations.require_code(typed)["code"] == code
    assert store.registrations.by_code("not a code") is None
    with pytest.raises(NotFoundError) as malformed:
        store.registrations.require_code("x" * 60)
    assert malformed.value.code == "code.malformed" and malformed.value.params["value"] == "x" * 40
    unknown = make_code(store.device_tag, 99)
    assert store.registrations.by_code(unknown) is None
    with pytest.raises(NotFoundError) as missing:
        store.registrations.require_code(unknown)
    assert missing.value.code == "code.unknown" and missing.value.params["value"] == unknown


def test_import_ids_follow_the_documented_formula():
    """The same row imported on any laptop, of any version, gets the same id: the uuid5 of
    "identity|segment|event" (identity: the NIK, else passport/nationality)."""
    from uuid import uuid5

    from bpjs_field.store.registrations import IMPORT_NAMESPACE

    def expected(ident: str, segment: str, event: str) -> str:
        return str(uuid5(IMPORT_NAMESPACE, f"{ident}|{segment}|{event}"))

    assert import_registration_id({"nik": NIK}, "bpu", "e1") == expected(NIK, "bpu", "e1")
    assert import_registration_id({"nik": NIK}, "bpu", None) == expected(NIK, "bpu", "")
    foreign = {"nik": None, "passport_no": "E12345678", "nationality": "CN"}
    assert import_registration_id(foreign, "tka", "e1") == expected("E12345678/CN", "tka", "e1")
    assert import_registration_id({"nik": "3216091205900002"}, "bpu", "e1") != \
        import_registration_id({"nik": NIK}, "bpu", "e1")


def test_an_import_saved_again_reports_the_first_save(store, officer, event):
    typed_birth = replace(form(event["id"]).person, birth_date=date(1990, 5, 13))
    imported = form(event["id"], source="import", person=typed_birth)
    first = store.registrations.register(imported, today=TODAY)
    again = store.registrations.register(imported, today=TODAY)
    assert again.already_registered is True and again.person_created is False
    assert again.person["id"] == first.person["id"]
    assert [w.code for w in again.warnings] == [w.code for w in first.warnings] == [
        "nik.birth_mismatch"]
    person = store.people.get(first.person["id"])
    assert person["consent_version"] == "2026-01"
    assert person["consent_at"] == first.registration["consent_at"]
    assert first.checked_in is False


def test_numbering_continues_after_a_restart_from_high_numbers(db_path):
    """The running number is read back from the highest code (base 32, every symbol)."""
    with Store.open(db_path) as store:
        store.registrations._next_seq = MAX_SEQ - 1
        high = store.registrations.register(form(), today=TODAY).registration["code"]
        assert high == make_code(store.device_tag, MAX_SEQ - 1)
    with Store.open(db_path) as store:
        last = store.registrations.register(form(nik="3216091205900002"), today=TODAY)
        assert last.registration["code"] == make_code(store.device_tag, MAX_SEQ)
        with pytest.raises(OverflowError) as exhausted:
            store.registrations.register(form(nik="3216091205900003"), today=TODAY)
        assert str(exhausted.value) == "registration numbers of this laptop are exhausted"


def test_refusals_name_what_was_typed(store, officer):
    with pytest.raises(ValidationError) as unknown:
        store.registrations.register(form("no-such-event"), today=TODAY)
    assert unknown.value.params == {"value": "no-such-event"}
    code = make_code(store.device_tag, 77)
    padded = format_code(code) + " " * 40
    with pytest.raises(NotFoundError) as missing:
        store.registrations.require_code(padded)
    assert missing.value.code == "code.unknown" and missing.value.params["value"] == padded[:40]
