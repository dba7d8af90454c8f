"""Erasure in detail, beyond "the fields are empty": what it leaves alone (other people,
other entities, consent already withdrawn), what it records (audit, the change sent to the
server), drafts, and the scrub a laptop runs for an erasure pulled from the server.
Written against the survivors of mutation testing (tests/MUTATION.md)."""

from __future__ import annotations

import json

import pytest

from bpjs_field import PersonInput, RegistrationInput
from bpjs_field.domain.formatting import today_wib
from bpjs_field.errors import BpjsFieldError
from bpjs_field.security import signing
from bpjs_field.store.erasure import (ERASED_NAME, PERSONAL, REGISTRATION_PERSONAL,
                                         erase_person, scrub_pulled_erasures, withdraw_consent)
from bpjs_field.store import Store
from logins import opened_as

from .conftest import bpu_form

NIK, OTHER_NIK = "3216091205900001", "3216091205900002"


def _tka_form() -> RegistrationInput:
    from datetime import timedelta
    return RegistrationInput(
        segment="tka", consent_given=True, consent_version="2026-01", wage=10_000_000,
        risk_class=1, employer_scale="besar", employer_name="PT Sinar Baja",
        person=PersonInput(full_name="Zhang Wei", passport_no="E12345678",
                                         nationality="CN", kitas_no="2C11AB1234",
                                         kitas_expiry=today_wib() + timedelta(days=400)))


def _payloads(store, person_id: str) -> list[dict]:
    return [json.loads(r["payload"]) for r in store.query(
        "SELECT payload FROM change_log WHERE entity = 'person' AND entity_id = ? ORDER BY seq",
        (person_id,))]


def _registration_payloads(store) -> list[dict]:
    return [json.loads(r["payload"]) for r in store.query(
        "SELECT payload FROM change_log WHERE entity = 'registration' ORDER BY seq")]


def test_the_erasure_change_clears_every_field_and_others_are_untouched(db_path):
    with Store.open(db_path) as store:
        person_id = store.registrations.register(bpu_form(nik=NIK, name="Budi Santoso")).person["id"]
        other = store.registrations.register(bpu_form(nik=OTHER_NIK, name="Ayu Lestari")).person
        store.people.update(other["id"], {"address": "Jl. Mawar 3"})
        before_other = _payloads(store, other["id"])
        registrations = _registration_payloads(store)
        erase_person(store, person_id)
        *earlier, last = _payloads(store, person_id)
        assert set(PERSONAL) <= set(last) and all(last[f] is None for f in PERSONAL)
        assert last["full_name"] == ERASED_NAME and last["id"] == person_id and last["erased_at"]
        assert "consent_withdrawn_at" not in last
        for payload in earlier:  # the first registration's payload, scrubbed in place
            assert payload["full_name"] == ERASED_NAME and payload["nik"] is None
            assert payload["id"] == person_id and payload["consent_version"] == "2026-01"
        assert _payloads(store, other["id"]) == before_other
        # The erased person's registration loses what it said about them (occupation, income,
        # wage, employer...) and keeps the rest; the other person's is untouched.
        after = _registration_payloads(store)
        assert [p["person_id"] for p in after] == [p["person_id"] for p in registrations]
        for old, new in zip(registrations, after):
            if old["person_id"] == person_id:
                assert old["occupation"] == "ojek" and old["declared_income"] == 1_000_000
                assert all(new.get(f) is None for f in REGISTRATION_PERSONAL)
                kept = {k: v for k, v in old.items() if k not in REGISTRATION_PERSONAL}
                assert {k: v for k, v in new.items() if k not in REGISTRATION_PERSONAL} == kept
            else:
                assert new == old
        row = store.people.get(person_id)
        assert row["name_key"] == "" and row["erased_at"] == last["erased_at"]
        assert row["updated_at"] == row["erased_at"] and row["consent_withdrawn_at"] is None
        assert store.people.get(other["id"])["full_name"] == "Ayu Lestari"
        audit = store.query_one("SELECT * FROM audit_log WHERE action = 'person.erase'")
        assert audit["entity"] == "person" and audit["entity_id"] == person_id
        assert json.loads(audit["details"]) == {"withdrawn": False, "reason": "request"}


def test_withdrawal_is_recorded_once_and_travels_with_the_erasure(db_path):
    with Store.open(db_path) as store:
        person_id = store.registrations.register(bpu_form(nik=NIK)).person["id"]
        first = withdraw_consent(store, person_id)
        assert first["consent_withdrawn_at"] == first["erased_at"]
        last = _payloads(store, person_id)[-1]
        assert last["consent_withdrawn_at"] == first["consent_withdrawn_at"]
        again = erase_person(store, person_id, withdrawn=True, reason="x" * 60)
        assert again["consent_withdrawn_at"] == first["consent_withdrawn_at"]  # not moved
        details = [json.loads(r["details"]) for r in store.query(
            "SELECT details FROM audit_log WHERE action = 'person.erase' ORDER BY id")]
        assert details == [{"withdrawn": True, "reason": "consent_withdrawn"},
                           {"withdrawn": True, "reason": "x" * 40}]


def test_drafts_holding_the_person_go_and_others_stay(db_path):
    with Store.open(db_path) as store:
        person_id = store.registrations.register(bpu_form(nik=NIK)).person["id"]
        tka_id = store.registrations.register(_tka_form()).person["id"]
        store.save_draft("registration", {"nik": NIK, "full_name": "Budi"})
        store.save_draft("person_edit", {"passport_no": "E12345678"})
        store.save_draft("checkin", {"nik": OTHER_NIK})
        erase_person(store, person_id)
        assert store.load_draft("registration") is None
        assert store.load_draft("person_edit") == {"passport_no": "E12345678"}
        erase_person(store, tka_id)
        assert store.load_draft("person_edit") is None
        assert store.load_draft("checkin") == {"nik": OTHER_NIK}
        assert store.people.get(tka_id)["passport_no"] is None


def test_an_erasure_pulled_from_the_server_scrubs_payloads_and_drafts_here(db_path):
    """What the pull does when the server passes on another laptop's erasure: the row comes
    cleared from the server; this scrubs what the laptop itself kept."""
    with Store.open(db_path) as store:
        gone = store.registrations.register(bpu_form(nik=NIK, name="Budi Santoso")).person
        kept = store.registrations.register(bpu_form(nik=OTHER_NIK, name="Ayu Lestari")).person
        store.save_draft("registration", {"nik": NIK})
        store.save_draft("other", {"nik": OTHER_NIK})
        kept_payloads = _payloads(store, kept["id"])
        with store.write():
            # The pull has stored the server's row first: marked erased (cleared fields).
            store.db.execute("UPDATE people SET erased_at = ? WHERE id = ?",
                             ("2026-12-01T03:00:00.000+00:00", gone["id"]))
            scrub_pulled_erasures(store, [{"id": gone["id"], "nik": NIK, "passport_no": None}])
        for payload in _payloads(store, gone["id"]):
            assert payload["full_name"] == ERASED_NAME
            assert all(payload.get(f) is None for f in PERSONAL)
        assert _payloads(store, kept["id"]) == kept_payloads
        row = store.people.get(gone["id"])
        assert row["full_name"] == ERASED_NAME and all(row[f] is None for f in PERSONAL)
        assert store.people.get(kept["id"])["nik"] == OTHER_NIK
        assert store.load_draft("registration") is None
        assert store.load_draft("other") == {"nik": OTHER_NIK}
        with store.write():
            scrub_pulled_erasures(store, [])  # nothing pulled: nothing changes
        assert store.load_draft("other") == {"nik": OTHER_NIK}


def test_an_officer_is_refused_by_name_and_the_denial_audited(db_path):
    with Store.open(db_path) as store:
        person_id = store.registrations.register(bpu_form(nik=NIK)).person["id"]
        with opened_as(store, "officer") as officer_store, \
                pytest.raises(BpjsFieldError) as refused:
            erase_person(officer_store, person_id)
        assert refused.value.code == "security.forbidden"
        assert refused.value.params == {"action": "person.erase"}
        denied = store.query_one("SELECT details FROM audit_log WHERE action = 'denied'")
        assert json.loads(denied["details"]) == {"attempted": "person.erase", "role": "officer"}
        assert store.people.get(person_id)["nik"] == NIK


def test_the_erasure_is_signed_by_a_branch_supervisor_at_work(db_path):
    """On an officer's laptop a branch supervisor's erasure carries their signature, which the
    server checks before it counts (bpjs_field/server/roles.py)."""
    seed = signing.signing_seed(b"branch-supervisor-secret")
    with Store.open(db_path) as store:
        person_id = store.registrations.register(bpu_form(nik=NIK)).person["id"]
        with opened_as(store, signer=signing.ChangeSigner("SPV-01", seed)) as signed:
            erase_person(signed, person_id)
        change = store.query_one("SELECT * FROM change_log WHERE entity = 'person' "
                                 "ORDER BY seq DESC LIMIT 1")
        signature = json.loads(change["signature"])
        assert signature["by"] == "SPV-01"
        message = signing.change_message(change["change_id"], "person", person_id, "upsert",
                                         change["hlc"], json.loads(change["payload"]))
        assert signing.verify(signing.public_key(seed), message, signature["sig"])
