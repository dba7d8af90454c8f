"""Erasure and withdrawal of consent on the laptop: the personal fields are gone from the
row, the search index, the change log and the file itself; counts and audit stay."""

from __future__ import annotations

import pytest

from bpjs_field.errors import BpjsFieldError
from bpjs_field.security import session
from bpjs_field.store.erasure import erase_person, withdraw_consent
from bpjs_field.store import Store

from .conftest import OFFICER, SUPERVISOR, bpu_form

NIK = "3216091205900001"


def test_erasure_forgets_name_nik_and_phone_everywhere_on_the_laptop(db_path):
    with Store.open(db_path) as store:
        result = store.registrations.register(bpu_form(nik=NIK, name="Budi Santoso"))
        other = store.registrations.register(bpu_form(nik="3216091205900002", name="Ayu Lestari"))
        person_id = result.person["id"]
        erased = erase_person(store, person_id)
        assert erased["erased_at"] and erased["nik"] is None and erased["phone"] is None
        assert erased["full_name"] != "Budi Santoso"
        for text in ("budi", "santoso", NIK, NIK[:8], "081234567890"):
            assert person_id not in [h["id"] for h in store.search_index.search(text, 20)], text
        assert [h["id"] for h in store.search_index.search("ayu", 5)] == [other.person["id"]]
        assert store.stats()["registrations"] == 2  # counts stay
        assert store.registrations.by_code(result.registration["code"]) is not None
        payloads = " ".join(r["payload"] for r in store.query("SELECT payload FROM change_log"))
        assert "Budi" not in payloads and NIK not in payloads
        last = store.query_one("SELECT payload FROM change_log WHERE entity = 'person' "
                               "ORDER BY seq DESC LIMIT 1")
        assert '"erased_at":"' in last["payload"]
        assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'person.erase'") == 1
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*") if p.is_file())
    assert NIK.encode() not in raw and b"Budi Santoso" not in raw
    assert b"Ayu Lestari" in raw  # the plain test database: the check above is meaningful


def test_withdrawal_records_the_time_and_erases(db_path):
    with Store.open(db_path) as store:
        person_id = store.registrations.register(bpu_form()).person["id"]
        person = withdraw_consent(store, person_id)
        assert person["consent_withdrawn_at"] and person["erased_at"] and person["nik"] is None


def test_only_a_supervisor_erases(secure_path):
    with session.unlock(secure_path, *OFFICER) as store:
        person_id = store.registrations.register(bpu_form()).person["id"]
        with pytest.raises(BpjsFieldError) as refused:
            erase_person(store, person_id)
        assert refused.value.code == "security.forbidden"
        assert store.people.get(person_id)["nik"] == NIK
    with session.unlock(secure_path, *SUPERVISOR) as store:
        assert erase_person(store, person_id)["nik"] is None


def test_cli_erase_with_withdrawn_consent(db_path):
    import subprocess
    import sys
    with Store.open(db_path) as store:
        person_id = store.registrations.register(bpu_form()).person["id"]
    done = subprocess.run([sys.executable, "-m", "bpjs_field", "--db", str(db_path), "security",
                           "erase", person_id, "--withdrawn"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    missing = subprocess.run([sys.executable, "-m", "bpjs_field", "--db", str(db_path), "security",
                              "erase", "'; DROP TABLE people; --"], capture_output=True, text=True,
                             timeout=60)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    with Store.open(db_path) as store:
        person = store.people.get(person_id)
        assert person["consent_withdrawn_at"] and person["nik"] is None
        assert store.scalar("SELECT count(*) FROM people") == 1


def test_drafts_keep_the_nik_normalised_and_go_however_it_was_typed(db_path):
    with Store.open(db_path) as store:
        result = store.registrations.register(bpu_form(nik=NIK, name="Budi Santoso"))
        store.save_draft("registration", {"nik": "3216 0912.0590-0001", "full_name": "Budi"})
        assert store.load_draft("registration")["nik"] == NIK
        # a draft of another person stays; one saved as typed by an older version goes too
        store.save_draft("other", {"nik": "3216 0912 0590 0002"})
        with store.write():
            store.db.execute("INSERT INTO drafts(form, data, saved_at) VALUES "
                             "('old', '{\"nik\": \"3216.0912.0590.0001\"}', '')")
        erase_person(store, result.person["id"])
        assert [r["form"] for r in store.query("SELECT form FROM drafts")] == ["other"]


def test_erasure_clears_what_the_registration_says_about_the_person(db_path):
    with Store.open(db_path) as store:
        result = store.registrations.register(bpu_form(nik=NIK, name="Budi Santoso"))
        before = store.registrations.get(result.registration["id"])
        assert before["declared_income"] == 1_000_000 and before["occupation"]
        erase_person(store, result.person["id"])
        after = store.registrations.get(result.registration["id"])
        assert after["declared_income"] is None and after["occupation"] is None
        assert after["code"] == before["code"] and after["contribution"] == before["contribution"]
        assert after["segment"] == before["segment"] and after["consent_at"] == before["consent_at"]
        payloads = [r["payload"] for r in store.query(
            "SELECT payload FROM change_log WHERE entity = 'registration'")]
        assert payloads and all('"declared_income":null' in p for p in payloads)
