"""A registration's follow-up: validated, stored, in the change log (so it syncs), audited,
idempotent; the KPJ number is personal data and goes with an erasure."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bpjs_field.domain.followup import KPJ, PAID, STOPPED, SUBMITTED, StatusChange, paid_until, stage
from bpjs_field.domain.records import check_values
from bpjs_field.errors import NotFoundError, ValidationError
from bpjs_field.store.followup import set_status
from harness import person_input
from bpjs_field.domain.registration import RegistrationInput

TODAY = date(2026, 12, 5)


def register(store, event, i, day="2026-11-22"):
    reg = store.registrations.register(RegistrationInput(
        person=person_input(i), segment="bpu", event_id=event["id"], declared_income=2_000_000,
        occupation="pedagang", consent_version="2026.1", consent_given=True)).registration
    with store.write():  # registered at the event's day
        store.db.execute("UPDATE registrations SET created_at = ? WHERE id = ?",
                         (f"{day}T01:00:00.000+00:00", reg["id"]))
    return store.registrations.get(reg["id"])


def changes(store, reg_id):
    return [json.loads(r["payload"]) for r in store.query(
        "SELECT payload FROM change_log WHERE entity = 'registration' AND entity_id = ? "
        "ORDER BY seq", (reg_id,))]


def test_status_goes_forward_with_its_data_synced_and_audited(store, event):
    reg = register(store, event, 1)
    set_status(store, reg["id"], StatusChange(SUBMITTED, on=date(2026, 11, 25)), today=TODAY)
    row = set_status(store, reg["id"], StatusChange(KPJ, kpj_no="12-345 678.901",
                                                    on=date(2026, 11, 30)), today=TODAY)
    assert row["status"] == KPJ and row["kpj_no"] == "12345678901"
    assert row["submitted_at"] == "2026-11-25" and row["kpj_at"] == "2026-11-30"
    row = set_status(store, reg["id"], StatusChange(PAID, on=date(2026, 12, 2), paid_months=3),
                     today=TODAY)
    assert row["first_paid_at"] == "2026-12-02" and row["first_paid_months"] == 3
    assert row["status_by"] == store.officer_id
    assert paid_until(row["first_paid_at"], 3) == date(2027, 2, 28)
    assert stage(row) == 3
    sent = changes(store, reg["id"])
    assert len(sent) == 4  # the registration, then three follow-up changes
    assert sent[-2]["status"] == KPJ and sent[-2]["kpj_no"] == "12345678901"
    assert sent[-1]["status"] == PAID and sent[-1]["first_paid_months"] == 3
    assert "kpj_no" not in sent[-1]  # only what the change wrote
    assert sent[-1]["code"] == reg["code"] and sent[-1]["person_id"] == reg["person_id"]
    # Every value sent passes the rules the server applies.
    assert all(check_values("registration", p) == [] for p in sent)
    audit = store.query("SELECT officer_id, details FROM audit_log WHERE action = "
                        "'registration.followup' ORDER BY id")
    assert [json.loads(a["details"])["status"] for a in audit] == [SUBMITTED, KPJ, PAID]
    assert all(a["officer_id"] == store.officer_id for a in audit)
    assert not any("12345678901" in a["details"] for a in audit)
    # The same values again: nothing new to send or audit.
    set_status(store, reg["id"], StatusChange(PAID, on=date(2026, 12, 2), paid_months=3),
               today=TODAY)
    assert len(changes(store, reg["id"])) == 4


@pytest.mark.parametrize("change, field, code", [
    (StatusChange(KPJ), "kpj_no", "kpj.empty"),
    (StatusChange(KPJ, kpj_no="1234567890"), "kpj_no", "kpj.length"),
    (StatusChange(KPJ, kpj_no="1234567890A"), "kpj_no", "kpj.not_digits"),
    (StatusChange(PAID, paid_months=1), "kpj_no", "followup.paid_needs_kpj"),
    (StatusChange(PAID, kpj_no="12345678901", paid_months=0), "paid_months", "followup.months"),
    (StatusChange(STOPPED, reason="  "), "reason", "followup.reason_required"),
    (StatusChange(SUBMITTED, on=date(2026, 12, 6)), "on", "followup.future_date"),
    (StatusChange(SUBMITTED, on=date(2020, 1, 1)), "on", "followup.before_registration"),
    (StatusChange("lunas"), "status", "followup.status_unknown"),
    (StatusChange(KPJ, kpj_no="12345678901", payment_code="88-x"), "payment_code",
     "payment_code.invalid"),
])
def test_bad_follow_up_is_refused_whole(store, event, change, field, code):
    reg = register(store, event, 2)
    before = store.pending_changes()
    with pytest.raises(ValidationError) as err:
        set_status(store, reg["id"], change, today=TODAY)
    assert (err.value.field, err.value.code) == (field, code)
    assert store.registrations.get(reg["id"])["status"] == "baru"
    assert store.pending_changes() == before


def test_a_kpj_belongs_to_one_person_and_unknown_registration(store, event):
    first, second = register(store, event, 3), register(store, event, 4)
    set_status(store, first["id"], StatusChange(KPJ, kpj_no="11111111111"), today=TODAY)
    with pytest.raises(ValidationError) as err:
        set_status(store, second["id"], StatusChange(KPJ, kpj_no="11111111111"), today=TODAY)
    assert err.value.code == "kpj.taken"
    with pytest.raises(NotFoundError):
        set_status(store, "no-such-id", StatusChange(SUBMITTED), today=TODAY)


def test_stopped_keeps_the_reason_and_how_far_it_got(store, event):
    reg = register(store, event, 5)
    set_status(store, reg["id"], StatusChange(KPJ, kpj_no="22222222222"), today=TODAY)
    row = set_status(store, reg["id"], StatusChange(STOPPED, reason="pindah kerja ke PU"),
                     today=TODAY)
    assert row["status"] == STOPPED and row["stopped_reason"] == "pindah kerja ke PU"
    assert stage(row) == 2


def test_erasure_takes_the_kpj_and_keeps_the_stage(store, event):
    from bpjs_field.store.erasure import erase_person
    reg = register(store, event, 6)
    set_status(store, reg["id"], StatusChange(KPJ, kpj_no="33333333333",
                                              payment_code="8888833333333333"), today=TODAY)
    erase_person(store, reg["person_id"])
    row = store.registrations.get(reg["id"])
    assert row["kpj_no"] is None and row["payment_code"] is None
    assert stage(row) == 2
    logged = " ".join(r["payload"] for r in store.query("SELECT payload FROM change_log"))
    assert "33333333333" not in logged
