"""Mother's maiden name, No. KK and heir: optional, validated, personal data (masked, erased,
never in the audit or log), and in every erasure list of the laptop and the server."""

from __future__ import annotations

import logging

import pytest

from bpjs_field.domain import downstream
from bpjs_field.domain.records import check_values
from bpjs_field.domain.registration import RegistrationInput
from bpjs_field.errors import ValidationErrors
from harness import person_input

KK = "3216090101230001"


def form(**extra):
    person = person_input(70)
    for key, value in extra.items():
        setattr(person, key, value)
    return RegistrationInput(person=person, segment="bpu", declared_income=2_000_000,
                             consent_version="2026.1", consent_given=True)


def test_every_erasure_list_holds_the_new_personal_fields():
    from bpjs_field.store.erasure import PERSONAL, REGISTRATION_PERSONAL
    from bpjs_field.server.erasure import ERASED_FIELDS, ERASED_REGISTRATION_FIELDS
    from bpjs_field.store.people import EDITABLE, SYNCED
    for field in downstream.FIELDS:
        assert field in PERSONAL and field in ERASED_FIELDS and field in SYNCED
        assert field in EDITABLE
    for field in ("kpj_no", "payment_code"):
        assert field in REGISTRATION_PERSONAL and field in ERASED_REGISTRATION_FIELDS


@pytest.mark.parametrize("values, field, code", [
    ({"kk_no": "32160901012300"}, "kk_no", "kk.length"),
    ({"kk_no": "3216O90101230001"}, "kk_no", "kk.not_digits"),
    ({"kk_no": "9916090101230001"}, "kk_no", "kk.region"),
    ({"kk_no": "3200090101230001"}, "kk_no", "kk.region"),
    ({"heir_name": "Budi"}, "heir_relation", "heir.relation_missing"),
    ({"heir_relation": "anak"}, "heir_name", "heir.name_missing"),
    ({"heir_name": "Budi", "heir_relation": "tetangga"}, "heir_relation", "heir.relation"),
])
def test_bad_values_are_refused_with_their_field(store, values, field, code):
    with pytest.raises(ValidationErrors) as err:
        store.registrations.register(form(**values))
    assert [(e.field, e.code) for e in err.value.errors] == [(field, code)]
    assert store.people.count() == 0


def test_optional_stored_synced_masked_and_erased(store, caplog):
    from bpjs_field.store.erasure import erase_person
    caplog.set_level(logging.DEBUG)
    done = store.registrations.register(form(kk_no="3216 0901 0123 0001",
                                             mother_name="siti  aminah",
                                             heir_name="Budi Santoso", heir_relation="Anak"))
    person = store.people.get(done.person["id"])
    assert (person["kk_no"], person["mother_name"], person["heir_relation"]) == (
        KK, "siti aminah", "anak")  # spaces squeezed, as typed
    payload = store.query_one("SELECT payload FROM change_log WHERE entity = 'person'")["payload"]
    assert KK in payload  # it syncs with the person
    assert check_values("person", {"kk_no": KK, "heir_relation": "anak"}) == []
    assert check_values("person", {"kk_no": "123"}) == [("kk_no", "kk.length")]
    assert downstream.mask_kk(KK) == "321609******0001"
    assert downstream.mask_name("Siti Aminah") == "S*** A***"
    without = store.registrations.register(RegistrationInput(
        person=person_input(71), segment="bpu", declared_income=2_000_000,
        consent_version="2026.1", consent_given=True))
    assert store.people.get(without.person["id"])["kk_no"] is None  # optional
    store.people.update(without.person["id"], {"mother_name": "Rina", "kk_no": KK[:-1] + "2"})
    erase_person(store, done.person["id"])
    gone = store.people.get(done.person["id"])
    assert all(gone[f] is None for f in downstream.FIELDS)
    logged = " ".join(r["payload"] for r in store.query("SELECT payload FROM change_log"))
    assert KK not in logged and "Budi Santoso" not in logged and "siti aminah" not in logged
    audit = " ".join(r["details"] for r in store.query("SELECT details FROM audit_log"))
    assert KK[:-1] not in audit and "Rina" not in audit and "Budi" not in audit
    assert KK[:-1] not in caplog.text and "Budi" not in caplog.text
