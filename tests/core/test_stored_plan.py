"""A registration's contribution as stored and synced reads back as the plan computed at the
desk, whatever its months, rules and discount windows: a one-month plan is stored as its
month alone (the form every version of the app reads as a plan of that month), a longer
one with its plan; the change log sends what the row holds."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpjs_field import importer
from bpjs_field.domain.contribution import bpu_income_choices, pu_contribution
from bpjs_field.domain.plan import PaymentPlan, bpu_plan, monthly_on, registration_plan
from bpjs_field.domain.programs import wage_programs
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.domain.segments import occupations

_niks = itertools.count(1)
# 1 October 2025 to 30 June 2027: across the ends and starts of PP 50/2025's discounts.
DAYS = st.integers(0, 637).map(lambda n: date(2025, 10, 1) + timedelta(days=n))
INCOMES = list(bpu_income_choices())
OCCUPATIONS = sorted(occupations())


def person() -> PersonInput:
    n = next(_niks)
    return PersonInput(full_name="Siti Aminah", nik=f"3216094107{90 + n // 10000:02d}{n % 10000:04d}")


def stored(store, reg_id: str) -> tuple[dict, dict]:
    row = store.registrations.get(reg_id)
    payload = json.loads(store.scalar("SELECT payload FROM change_log WHERE entity = 'registration' "
                                      "AND entity_id = ? ORDER BY seq DESC LIMIT 1", (reg_id,)))
    return row, payload


def check_read_back(row: dict, payload: dict, plan: PaymentPlan) -> None:
    assert registration_plan(row) == plan
    assert payload["contribution"] == row["contribution"]  # synced as kept
    assert ("plan" in json.loads(row["contribution"])) == (plan.months > 1 or plan.changes)
    for n, amount in enumerate(plan.monthly_totals()):  # each month paid, as computed
        month = date(plan.first.year + (plan.first.month - 1 + n) // 12,
                     (plan.first.month - 1 + n) % 12 + 1, 15)
        assert monthly_on(row, month).total == amount


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=DAYS, income=st.sampled_from(INCOMES), months=st.integers(1, 12), jht=st.booleans(),
       occupation=st.sampled_from(OCCUPATIONS), payer=st.sampled_from(["mandiri", "apbd"]))
def test_bpu_plans_read_back_as_computed(store, officer, event, day, income, months, jht,
                                         occupation, payer):
    form = RegistrationInput(segment="bpu", consent_given=True, consent_version="PDP-2026.1",
                             event_id=event["id"], period=day, declared_income=income,
                             months_paid=months, with_jht=jht, occupation=occupation, payer=payer,
                             payer_name="Pemerintah Kota Cilegon" if payer == "apbd" else None,
                             person=person())
    reg = store.registrations.register(form, today=day).registration
    plan = bpu_plan(income, with_jht=jht, start=day, months=months, sector=reg["sector"],
                    payer=payer)
    assert plan.months == months and reg["amount_due"] == plan.total
    check_read_back(*stored(store, reg["id"]), plan)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=DAYS, wage=st.integers(2_000_000, 20_000_000), risk=st.integers(1, 5),
       scale=st.sampled_from(["mikro", "kecil", "menengah", "besar"]))
def test_wage_earner_contributions_read_back_as_computed(store, officer, event, day, wage, risk, scale):
    form = RegistrationInput(segment="pu", consent_given=True, consent_version="PDP-2026.1",
                             event_id=event["id"], period=day, wage=wage, risk_class=risk,
                             employer_name="PT Maju Jaya Cikarang", employer_scale=scale,
                             person=person())
    reg = store.registrations.register(form, today=day).registration
    chosen = wage_programs("pu", scale, birth_date=None, day=day)
    first = pu_contribution(wage, risk_class=risk, period=day, programs=chosen.computed)
    check_read_back(*stored(store, reg["id"]), PaymentPlan.single(first))


def test_an_imported_list_keeps_the_same_forms(store, officer, event, tmp_path):
    """The import's bulk write stores and logs the contribution as the form does."""
    lines = ["nama;segmen;persetujuan;nik;penghasilan;bulan_dibayar;pekerjaan",
             "Siti Aminah;bpu;ya;3216094107900001;1.000.000;1;pedagang",
             "Dewi Lestari;bpu;ya;3216094107900002;1.000.000;12;pedagang",
             "Agus Saputra;bpu;ya;3216090107900003;2.000.000;3;nelayan"]
    path = tmp_path / "mitra.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    day = date(2026, 12, 5)
    report = importer.import_csv(store, path, event_id=event["id"], consent_version="PDP-2026.1",
                                 today=day)
    assert report.saved == 3
    rows = store.query("SELECT id, declared_income, months_paid, sector FROM registrations "
                       "ORDER BY months_paid")
    assert [r["months_paid"] for r in rows] == [1, 3, 12]
    for r in rows:
        reg_row, payload = stored(store, r["id"])
        plan = bpu_plan(r["declared_income"], with_jht=False, start=day,
                        months=r["months_paid"], sector=r["sector"])
        check_read_back(reg_row, payload, plan)
