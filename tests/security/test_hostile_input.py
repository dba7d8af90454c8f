"""Hostile text in every person field, in the search box and in the login: each is refused
with a field error or stored as plain text; nothing is corrupted, nothing half-written.
Runs on an encrypted database (the production path)."""

from __future__ import annotations

import dataclasses

import pytest

from bpjs_field import PersonInput, RegistrationInput
from bpjs_field.errors import BpjsFieldError, ValidationError, ValidationErrors
from bpjs_field.security import session

from .conftest import SUPERVISOR

HOSTILE = [
    "Robert'); DROP TABLE people;--",
    "\" OR 1=1 --",
    'NEAR(budi santoso) OR nik:* AND "',
    "budi* ^ - : ( ) { } [ ]",
    "Budi\x00Santoso",
    "Budi\x1b[31mSantoso",
    "Budi\u202eosotnaS",
    "A" * 10_000,
    "../../../etc/passwd",
    "%s%s%n{0}{__class__}",
    "<script>alert(1)</script>",
]
TEXT_FIELDS = ("full_name", "birth_place", "phone", "email", "address", "occupation", "postal_code",
               "district_code", "village_code", "nik")


def form_with(field: str, value) -> RegistrationInput:
    person = PersonInput(full_name="Budi Santoso", nik="3216091205900001", phone="0812-3456-7890")
    person = dataclasses.replace(person, **{field: value})
    return RegistrationInput(segment="bpu", person=person, consent_given=True, consent_version="2026-01",
                             declared_income=1_000_000, occupation="ojek", months_paid=3)


@pytest.fixture(scope="module")
def secure_store(tmp_path_factory):
    from .conftest import FAST_KDF
    path = tmp_path_factory.mktemp("hostile") / "laptop.sqlite3"
    store = session.create_protected(path, employee_no=SUPERVISOR[0], full_name="Siti Rahmawati",
                                     branch="Kantor Cabang Cilegon", password=SUPERVISOR[1], kdf=FAST_KDF)
    yield store
    store.close()


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("value", HOSTILE + [12345, ["list"], {"a": 1}])
def test_hostile_field_values_are_refused_or_plain_text(secure_store, field, value):
    store = secure_store
    before = store.stats()
    try:
        result = store.registrations.register(form_with(field, value))
    except (ValidationErrors, ValidationError) as exc:
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
        assert errors and all(e.message("id") and e.message("en") for e in errors)
        after = store.stats()
        assert (after["people"], after["registrations"]) == (before["people"], before["registrations"])
    except (TypeError, AttributeError, ValueError) as exc:  # wrong types: refused before any write
        assert not isinstance(value, str), exc
        after = store.stats()
        assert (after["people"], after["registrations"]) == (before["people"], before["registrations"])
    else:
        stored = store.people.get(result.person["id"])
        if field in ("full_name", "address", "birth_place") and isinstance(value, str):
            assert "\x00" not in (stored[field] or "") and "\x1b" not in (stored[field] or "")
        with store.write():  # leave the NIK free for the next case
            store.db.execute("PRAGMA defer_foreign_keys = ON")
            store.db.execute("DELETE FROM attendance WHERE person_id = ?", (stored["id"],))
            store.db.execute("DELETE FROM registrations WHERE person_id = ?", (stored["id"],))
            store.db.execute("DELETE FROM people WHERE id = ?", (stored["id"],))
    assert store.scalar("PRAGMA quick_check") == "ok"
    assert {"people", "registrations", "audit_log", "change_log"} <= set(store.db.table_names())


@pytest.mark.parametrize("text", HOSTILE + ["", " ", "*", '"', "NOT", "AND OR NEAR", "nik:3216*"])
def test_hostile_search_text_never_breaks_the_search(secure_store, text):
    hits = secure_store.search_index.search(text, 20)
    assert isinstance(hits, list)
    assert secure_store.scalar("SELECT count(*) FROM people_fts") == secure_store.scalar(
        "SELECT count(*) FROM people")


@pytest.mark.parametrize("password", HOSTILE + [""])
def test_hostile_passwords_are_wrong_logins(secure_store, password):
    with pytest.raises(BpjsFieldError) as exc:
        session.unlock(secure_store.path, "KC-9999", password)
    assert exc.value.code in ("security.bad_login", "security.locked_out")
