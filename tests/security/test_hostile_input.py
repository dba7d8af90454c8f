"""Hostile text in every person field, in the search box and in the login: each case has one
right outcome (the field and code of its ValidationError, or the value stored) and is checked
against it; nothing is corrupted, nothing half-written.
Runs on an encrypted database (the production path)."""

from __future__ import annotations

import dataclasses

import pytest

from bpjs_field import PersonInput, RegistrationInput
from bpjs_field.errors import BpjsFieldError, ValidationErrors
from bpjs_field.security import session
from bpjs_field.security.keys import KeyFile

from .conftest import OFFICER, SUPERVISOR

NUL, ESC, RLO, LONG = "Budi\x00Santoso", "Budi\x1b[31mSantoso", "Budi\u202eosotnaS", "A" * 10_000
HOSTILE = [
    "Robert'); DROP TABLE people;--",
    "\" OR 1=1 --",
    'NEAR(budi santoso) OR nik:* AND "',
    "budi* ^ - : ( ) { } [ ]",
    NUL,
    ESC,
    RLO,
    LONG,
    "../../../etc/passwd",
    "%s%s%n{0}{__class__}",
    "<script>alert(1)</script>",
]
NOT_TEXT = [12345, ["list"], {"a": 1}]
TEXT_FIELDS = ("full_name", "birth_place", "phone", "email", "address", "occupation", "postal_code",
               "district_code", "village_code", "nik")
STORED = "stored"


def expected(field: str, value) -> tuple[str, str]:
    """The one right outcome: ("refused", code of the field's ValidationError) or
    ("stored", the value kept)."""
    if not isinstance(value, str):
        return "refused", "text.not_text"
    if field == "full_name":
        if value in (NUL, ESC, RLO):
            return "refused", "name.control"
        return "refused", "name.too_long" if value == LONG else "name.symbol"
    if field in ("birth_place", "address"):
        if value in (NUL, ESC):
            return "refused", "text.control"
        return ("refused", "too_long") if value == LONG else (STORED, value)
    if field == "postal_code":  # at most 5 characters
        return "refused", "text.control" if value in (NUL, ESC) else "too_long"
    return "refused", {"phone": "phone.characters", "email": "email.invalid",
                       "occupation": "occupation.unknown", "district_code": "region.code_invalid",
                       "village_code": "region.code_invalid", "nik": "nik.not_digits"}[field]


def form_with(field: str, value) -> RegistrationInput:
    person = PersonInput(full_name="Budi Santoso", nik="3216091205900001", phone="0812-3456-7890")
    person = dataclasses.replace(person, **{field: value})
    # The form's own occupation is left empty so the person's (the field under test) counts.
    return RegistrationInput(segment="bpu", person=person, consent_given=True, consent_version="2026-01",
                             declared_income=1_000_000, occupation=None, months_paid=3)


@pytest.fixture(scope="module")
def secure_store(tmp_path_factory):
    from .conftest import FAST_KDF
    path = tmp_path_factory.mktemp("hostile") / "laptop.sqlite3"
    store = session.create_protected(path, employee_no=SUPERVISOR[0], full_name="Siti Rahmawati",
                                     branch="Kantor Cabang Cilegon", password=SUPERVISOR[1], kdf=FAST_KDF)
    yield store
    store.close()


def _outcome(store, form):
    before = store.stats()
    try:
        result = store.registrations.register(form)
    except ValidationErrors as exc:
        after = store.stats()  # nothing half-written
        assert (after["people"], after["registrations"]) == (before["people"], before["registrations"])
        assert all(e.message("id") and e.message("en") != e.code for e in exc.errors)
        return "refused", [(e.field, e.code) for e in exc.errors]
    stored = store.people.get(result.person["id"])
    with store.write():  # leave the NIK free for the next case
        store.db.execute("PRAGMA defer_foreign_keys = ON")
        store.db.execute("DELETE FROM attendance WHERE person_id = ?", (stored["id"],))
        store.db.execute("DELETE FROM registrations WHERE person_id = ?", (stored["id"],))
        store.db.execute("DELETE FROM people WHERE id = ?", (stored["id"],))
    return STORED, stored


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("value", HOSTILE + NOT_TEXT, ids=lambda v: repr(v)[:24])
def test_hostile_field_values_get_their_one_right_outcome(secure_store, field, value):
    store = secure_store
    kind, want = expected(field, value)
    got, detail = _outcome(store, form_with(field, value))
    assert got == kind, detail
    if kind == STORED:
        assert detail[field] == want
    else:
        assert detail == [(field, want)]
    assert store.scalar("PRAGMA quick_check") == "ok"
    assert {"people", "registrations", "audit_log", "change_log"} <= set(store.db.table_names())


@pytest.mark.parametrize("field, value, kept", [
    ("district_code", "32.16.09", "321609"), ("village_code", "3216092003", "3216092003"),
    ("occupation", "pedagang", "pedagang"), ("postal_code", "17534", "17534"),
    ("address", "Jl. Kenanga 17", "Jl. Kenanga 17"), ("birth_place", "Bekasi", "Bekasi")])
def test_the_matrix_reaches_each_field(secure_store, field, value, kept):
    """The same form with a good value in the field is stored with it: the refusals above
    come from that field's own rule."""
    got, stored = _outcome(secure_store, form_with(field, value))
    assert got == STORED and stored[field] == kept


def test_a_village_outside_the_district_is_refused(secure_store):
    form = form_with("village_code", "3216012001")
    form.person.district_code = "321609"
    assert _outcome(secure_store, form) == ("refused", [("village_code", "region.village_outside")])


@pytest.mark.parametrize("text", HOSTILE + ["", " ", "*", '"', "NOT", "AND OR NEAR", "nik:3216*"])
def test_hostile_search_text_never_breaks_the_search(secure_store, text):
    hits = secure_store.search_index.search(text, 20)
    assert isinstance(hits, list)
    assert secure_store.scalar("SELECT count(*) FROM people_fts") == secure_store.scalar(
        "SELECT count(*) FROM people")


@pytest.mark.parametrize("password", HOSTILE + [""], ids=lambda v: repr(v)[:24])
def test_hostile_passwords_are_wrong_logins(secure_path, password):
    """Each hostile password reaches the password check of a real account (a fresh key file
    per case, so no lockout from earlier cases): a wrong login, counted once, and the right
    password still works afterwards."""
    with pytest.raises(BpjsFieldError) as exc:
        session.unlock(secure_path, OFFICER[0], password)
    assert exc.value.code == "security.bad_login"
    assert KeyFile.load(secure_path).data["failures"][OFFICER[0]]["count"] == 1
    with session.unlock(secure_path, *OFFICER) as store:
        assert store.officer_id
