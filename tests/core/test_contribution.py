"""Contributions: BPU and PU rules, the PP 50/2025 discount windows, dated figures."""

import json
from datetime import date

import pytest

from bpjs_field import ValidationError, bpu_contribution, pu_contribution
from bpjs_field.domain.rates import RateTable
from bpjs_field.paths import resource_path

# Reference table of domain.md §2.3 (declared income -> JKK+JKM, with JHT, discounted JKK+JKM).
DOMAIN_TABLE = [
    (1_000_000, 16_800, 36_800, 8_400), (1_500_000, 21_800, 51_800, 10_900),
    (2_000_000, 26_800, 66_800, 13_400), (2_500_000, 31_800, 81_800, 15_900),
    (3_000_000, 36_800, 96_800, 18_400), (5_000_000, 56_800, 156_800, 28_400),
    (10_000_000, 106_800, 306_800, 53_400), (20_000_000, 206_800, 606_800, 103_400),
]


def test_issue_examples():
    assert bpu_contribution(1_000_000, with_jht=False, period=date(2025, 7, 1)).total == 16_800
    assert bpu_contribution(1_000_000, with_jht=False, period=date(2026, 7, 1)).total == 8_400


@pytest.mark.parametrize("income, plain, with_jht, discounted", DOMAIN_TABLE)
def test_bpu_matches_the_reference_table(income, plain, with_jht, discounted):
    assert bpu_contribution(income, with_jht=False, period="2025-07").total == plain
    assert bpu_contribution(income, with_jht=True, period="2025-07").total == with_jht
    assert bpu_contribution(income, with_jht=False, period="2026-07").total == discounted
    # JHT is never discounted
    c = bpu_contribution(income, with_jht=True, period="2026-07")
    assert c.line("JHT").discount == 0
    assert c.total == discounted + income * 2 // 100


def test_lines_and_discount_basis():
    c = bpu_contribution(1_000_000, with_jht=True, period="2026-07")
    assert [(l.program, l.amount, l.discount) for l in c.lines] == [
        ("JKK", 10_000, 5_000), ("JKM", 6_800, 3_400), ("JHT", 20_000, 0)]
    assert c.discount == 8_400 and c.gross == 36_800 and c.total == 28_400
    assert c.discount_basis == "PP 50/2025"


@pytest.mark.parametrize("sector, period, discounted", [
    ("transportasi", "2025-12", False), ("transportasi", "2026-01", True),
    ("transportasi", "2026-03", True), ("transportasi", "2027-03", True),
    ("transportasi", "2027-04", False), ("perikanan", "2026-03", False),
    ("perikanan", "2026-04", True), ("perdagangan", "2026-12", True),
    ("umum", "2027-01", False),
])
def test_discount_windows_by_sector(sector, period, discounted):
    c = bpu_contribution(1_000_000, with_jht=False, period=period, sector=sector)
    assert (c.discount > 0) is discounted


@pytest.mark.parametrize("payer", ["apbn", "apbd"])
def test_never_discounted_when_government_budget_pays(payer):
    c = bpu_contribution(1_000_000, with_jht=False, period="2026-07", payer=payer)
    assert c.discount == 0 and c.total == 16_800


def test_each_half_is_rounded_half_up():
    # 1% of 1.050.500 = 10.505 -> half 5.252,5 -> 5.253 paid, 5.252 discount
    c = bpu_contribution(1_050_500, with_jht=False, period="2026-07")
    jkk = c.line("JKK")
    assert jkk.amount == 10_505 and jkk.net == 5_253 and jkk.discount == 5_252


def test_minimum_declared_income():
    with pytest.raises(ValidationError) as err:
        bpu_contribution(999_999, with_jht=False, period="2026-07")
    assert err.value.field == "declared_income" and err.value.code == "income.below_minimum"
    assert "Rp1.000.000" in err.value.message()


@pytest.mark.parametrize("bad", [1_000_000.5, "1000000", None, True])
def test_amount_must_be_whole_rupiah(bad):
    with pytest.raises(ValidationError):
        bpu_contribution(bad, with_jht=False, period="2026-07")


def test_pu_worked_example_umk_bekasi_2026():
    c = pu_contribution(5_938_885, risk_class=1, period="2026-05")
    amounts = {(l.program, l.paid_by): l.amount for l in c.lines}
    assert amounts == {("JKK", "pemberi_kerja"): 14_253, ("JKM", "pemberi_kerja"): 17_817,
                       ("JHT", "pemberi_kerja"): 219_739, ("JHT", "pekerja"): 118_778,
                       ("JP", "pemberi_kerja"): 118_778, ("JP", "pekerja"): 59_389}
    assert c.employer_total == 14_253 + 17_817 + 219_739 + 118_778
    assert c.worker_total == 118_778 + 59_389


@pytest.mark.parametrize("risk, jkk", [(1, 14_253), (2, 32_070), (3, 52_856), (4, 75_424), (5, 103_337)])
def test_pu_jkk_by_risk_class(risk, jkk):
    assert pu_contribution(5_938_885, risk_class=risk, period="2026-05").line("JKK").amount == jkk


@pytest.mark.parametrize("period, cap", [("2024-03", 10_042_300), ("2025-02", 10_042_300),
                                         ("2025-03", 10_547_400), ("2026-02", 10_547_400),
                                         ("2026-03", 11_086_300)])
def test_jp_uses_the_cap_in_force(period, cap):
    c = pu_contribution(20_000_000, risk_class=1, period=period)
    assert c.line("JP", "pemberi_kerja").base == cap
    assert c.line("JP", "pekerja").amount == round(cap / 100)
    assert c.line("JHT", "pekerja").base == 20_000_000  # JHT has no cap


@pytest.mark.parametrize("risk", [0, 6, "1", None])
def test_pu_risk_class_must_be_1_to_5(risk):
    with pytest.raises(ValidationError) as err:
        pu_contribution(5_000_000, risk_class=risk, period="2026-05")
    assert err.value.field == "risk_class"


def test_next_years_figures_are_a_data_change(tmp_path):
    data = json.loads(resource_path("reference", "rates.json").read_text("utf-8"))
    data["jp_wage_cap"].append({"effective_from": "2027-03-01", "amount": 11_600_000})
    data["discounts"] = []
    path = tmp_path / "rates.json"
    path.write_text(json.dumps(data), "utf-8")
    rates = RateTable(path)
    c = pu_contribution(20_000_000, risk_class=1, period="2027-04", rates=rates)
    assert c.line("JP", "pekerja").base == 11_600_000
    assert bpu_contribution(1_000_000, with_jht=False, period="2026-07", rates=rates).total == 16_800


def test_round_trip_through_dict():
    from bpjs_field import Contribution
    c = bpu_contribution(2_500_000, with_jht=True, period="2026-07", sector="transportasi")
    again = Contribution.from_dict(json.loads(json.dumps(c.to_dict())))
    assert again == c


# -- months paid ahead: each month at the rules of its month ----------------------------------
# Hand-computed: JKK+JKM at Rp1.000.000 is Rp16.800, Rp8.400 with the PP 50/2025 discount.
# Other sectors: discount April - December 2026; transport: January 2026 - March 2027.
F, H = 16_800, 8_400
PREPAID = [
    # (sector, first month, {months: total})
    ("umum", "2026-01", {1: F, 3: 3 * F, 6: 3 * F + 3 * H, 12: 3 * F + 9 * H}),       # before
    ("umum", "2026-05", {1: H, 3: 3 * H, 6: 6 * H, 12: 8 * H + 4 * F}),               # inside
    ("umum", "2026-12", {1: H, 3: H + 2 * F, 6: H + 5 * F, 12: H + 11 * F}),          # across the end
    ("umum", "2027-01", {1: F, 3: 3 * F, 6: 6 * F, 12: 12 * F}),                      # after
    ("transportasi", "2025-11", {1: F, 3: 2 * F + H, 6: 2 * F + 4 * H, 12: 2 * F + 10 * H}),
    ("transportasi", "2026-06", {1: H, 3: 3 * H, 6: 6 * H, 12: 10 * H + 2 * F}),
    ("transportasi", "2027-02", {1: H, 3: 2 * H + F, 6: 2 * H + 4 * F, 12: 2 * H + 10 * F}),
    ("transportasi", "2027-04", {1: F, 3: 3 * F, 6: 6 * F, 12: 12 * F}),
]


@pytest.mark.parametrize("sector, first, expected", PREPAID)
@pytest.mark.parametrize("months", [1, 3, 6, 12])
def test_months_paid_ahead_each_at_its_own_rules(sector, first, expected, months):
    from bpjs_field.domain.plan import bpu_plan
    plan = bpu_plan(1_000_000, with_jht=False, start=first, months=months, sector=sector)
    assert plan.total == expected[months]
    assert plan.months == months and sum(plan.monthly_totals()) == plan.total
    # JHT (Rp20.000) is added to every month and never discounted.
    with_jht = bpu_plan(1_000_000, with_jht=True, start=first, months=months, sector=sector)
    assert with_jht.total == expected[months] + months * 20_000


def test_the_issue_example_month_by_month():
    from bpjs_field.domain.plan import bpu_plan
    plan = bpu_plan(1_000_000, with_jht=False, start=date(2026, 12, 5), months=12)
    assert plan.total == 193_200 == 8_400 + 11 * 16_800
    assert plan.describe() == "Desember 2026: Rp8.400; Januari–November 2027: 11 × Rp16.800"
    assert plan.describe("en") == "December 2026: Rp8.400; January–November 2027: 11 × Rp16.800"
    assert [r.total for r in plan.runs] == [8_400, 184_800]
    same = bpu_plan(1_000_000, with_jht=False, start="2026-05", months=3)
    assert not same.changes and same.describe() == "Mei–Juli 2026: 3 × Rp8.400"
    spans_years = bpu_plan(1_000_000, with_jht=False, start="2026-12", months=3, sector="transportasi")
    assert spans_years.describe() == "Desember 2026–Februari 2027: 3 × Rp8.400"


def test_plan_round_trips_and_older_rows_are_computed_again():
    from bpjs_field.domain.plan import PaymentPlan, bpu_plan, registration_plan
    plan = bpu_plan(2_500_000, with_jht=True, start="2026-11", months=6, sector="perikanan")
    assert PaymentPlan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan
    # A row saved before plans were kept holds only its first month.
    row = {"segment": "bpu", "declared_income": 2_500_000, "months_paid": 6, "sector": "perikanan",
           "payer": "mandiri", "contribution": json.dumps(plan.runs[0].monthly.to_dict())}
    assert registration_plan(row) == plan


# -- who pays ---------------------------------------------------------------------------------
@pytest.mark.parametrize("payer, name, total", [
    ("mandiri", None, H + 11 * F), ("csr", "PT Krakatau Peduli", H + 11 * F),
    ("pemberi_kerja", None, H + 11 * F),
    ("apbd", "Pemerintah Kota Cilegon", 12 * F), ("apbn", "Kementerian Ketenagakerjaan", 12 * F),
])
def test_each_payer(payer, name, total):
    from bpjs_field.domain.registration import PersonInput, RegistrationInput, validate_registration
    form = RegistrationInput(segment="bpu", person=PersonInput(full_name="Sri Wahyuni", nik="3216094512880004"),
                             consent_given=True, consent_version="v", declared_income=1_000_000,
                             months_paid=12, payer=payer, payer_name=name, occupation="pedagang")
    clean = validate_registration(form, today=date(2026, 12, 5))
    assert clean.amount_due == total and clean.payer == payer and clean.payer_name == name
    # PP 50/2025 excludes contributions paid from the state or regional budget.
    assert (clean.plan.discount > 0) is (payer not in ("apbd", "apbn"))


@pytest.mark.parametrize("payer", ["apbd", "apbn", "csr"])
def test_a_named_payer_needs_its_name(payer):
    from bpjs_field import ValidationErrors
    from bpjs_field.domain.registration import PersonInput, RegistrationInput, validate_registration
    form = RegistrationInput(segment="bpu", person=PersonInput(full_name="Sri Wahyuni", nik="3216094512880004"),
                             consent_given=True, consent_version="v", declared_income=1_000_000, payer=payer)
    with pytest.raises(ValidationErrors) as err:
        validate_registration(form, today=date(2026, 12, 5))
    (only,) = err.value.errors
    assert only.field == "payer_name" and "Pemerintah Kota Cilegon" in only.message()


# -- wage earners: programmes by the employer's scale -------------------------------------------
# UMK 2026 Kab. Bekasi Rp5.938.885, risk class 1 (domain.md §2.2): JKK 14.253, JKM 17.817,
# JHT 219.739 + 118.778, JP 118.778 + 59.389.
JKK_JKM = 14_253 + 17_817
JHT = 219_739 + 118_778
JP = 118_778 + 59_389


@pytest.mark.parametrize("segment, scale, birth, programs, total", [
    ("pu", "mikro", "1990-07-15", ["JKK", "JKM"], JKK_JKM),
    ("pu", "kecil", "1990-07-15", ["JKK", "JKM", "JHT", "JKP"], JKK_JKM + JHT),
    ("pu", "menengah", "1990-07-15", ["JKK", "JKM", "JHT", "JP", "JKP"], JKK_JKM + JHT + JP),
    ("pu", "besar", "1990-07-15", ["JKK", "JKM", "JHT", "JP", "JKP"], JKK_JKM + JHT + JP),
    ("pu", "besar", "1970-07-15", ["JKK", "JKM", "JHT", "JP"], JKK_JKM + JHT + JP),  # 56: no JKP
    ("tka", "besar", "1990-07-15", ["JKK", "JKM", "JHT"], JKK_JKM + JHT),  # JP unsettled, JKP WNI only
    ("asn", None, "1990-07-15", ["JKK", "JKM"], JKK_JKM),
])
def test_wage_earner_programmes_by_scale(segment, scale, birth, programs, total):
    from bpjs_field.domain.registration import PersonInput, RegistrationInput, validate_registration
    person = (PersonInput(full_name="Zhang Wei", passport_no="E12345678", nationality="CN",
                          kitas_no="2C11AB1234", kitas_expiry=date(2027, 12, 31),
                          birth_date=date.fromisoformat(birth))
              if segment == "tka" else
              PersonInput(full_name="Ayu Lestari", nik="3216094508950002", birth_date=date.fromisoformat(birth)))
    form = RegistrationInput(segment=segment, person=person, consent_given=True, consent_version="v",
                             wage=5_938_885, risk_class=1, employer_scale=scale, period=date(2026, 5, 1))
    clean = validate_registration(form, today=date(2026, 5, 4))
    assert clean.programs == programs
    assert clean.contribution.total == total == clean.amount_due
    assert clean.employer_scale == scale and clean.payer == "pemberi_kerja"
    assert clean.reasons and all(r.text() for r in clean.reasons)
    unsettled = [r for r in clean.reasons if not r.settled]
    assert all("pastikan di kantor cabang" in r.text() and not r.applies for r in unsettled)
    if segment == "tka":
        assert [r.program for r in unsettled] == ["JP"]


@pytest.mark.parametrize("segment", ["pu", "tka"])
def test_the_scale_is_asked_where_it_matters(segment):
    from bpjs_field import ValidationErrors
    from bpjs_field.domain.registration import PersonInput, RegistrationInput, validate_registration
    person = (PersonInput(full_name="Zhang Wei", passport_no="E12345678", nationality="CN",
                          kitas_no="2C11AB1234", kitas_expiry=date(2027, 12, 31))
              if segment == "tka" else PersonInput(full_name="Ayu Lestari", nik="3216094508950002"))
    form = RegistrationInput(segment=segment, person=person, consent_given=True, consent_version="v",
                             wage=5_938_885, risk_class=1)
    with pytest.raises(ValidationErrors) as err:
        validate_registration(form, today=date(2026, 5, 4))
    assert [e.field for e in err.value.errors] == ["employer_scale"]
    form.employer_scale = "raksasa"
    with pytest.raises(ValidationErrors) as err:
        validate_registration(form, today=date(2026, 5, 4))
    assert err.value.errors[0].code == "employer_scale.unknown"


# -- every figure with its source --------------------------------------------------------------
def test_every_figure_carries_its_source_and_date():
    data = json.loads(resource_path("reference", "rates.json").read_text("utf-8"))
    rows = data["pu"] + data["bpu"] + data["jp_wage_cap"] + data["discounts"]
    for row in rows:
        assert row.get("effective_from") or row.get("from"), row
        assert row.get("legal_basis") and row.get("source"), row
        assert isinstance(row.get("verified"), bool), row
    benefits = json.loads(resource_path("brochures", "benefits.json").read_text("utf-8"))
    for program, items in benefits.items():
        if program.startswith("_"):
            continue
        for row in items:
            assert row["effective_from"] and row["legal_basis"] and row["source"], row
    years = [row["effective_from"][:4] for row in data["jp_wage_cap"]]
    assert years == [str(y) for y in range(2015, 2027)]  # no gap, 2020-2022 included


def test_unconfirmed_caps_are_known_as_such():
    rates = RateTable()
    assert not rates.jp_cap_entry(date(2026, 12, 1)).verified  # 11.086.300: payroll code only
    assert rates.jp_cap_entry(date(2025, 6, 1)).verified
    for year in (2020, 2021, 2022):
        assert not rates.jp_cap_entry(date(year, 6, 1)).verified
    assert [rates.jp_cap_for(date(y, 6, 1)) for y in (2020, 2021, 2022)] == [8_939_700, 8_754_600, 9_077_600]


def test_an_imported_row_pays_each_month_at_its_own_rules(store):
    from bpjs_field.importer import COLUMN_OF_FIELD, EXAMPLE, row_to_input
    row = dict(EXAMPLE, jht="tidak", bulan_dibayar="12", pekerjaan="pedagang", penghasilan="1.000.000")
    form = row_to_input(row, event_id=None, consent_version="v")
    form.period = date(2026, 12, 5)
    reg = store.registrations.register(form, today=date(2026, 12, 5)).registration
    assert reg["amount_due"] == 193_200 and reg["monthly_total"] == 8_400
    assert reg["months_paid"] == 12
    # A wage earner's row without the employer's scale is refused, naming the column.
    tka = {"nama": "Wang Wei", "segmen": "tka", "persetujuan": "ya", "paspor": "E1234567",
           "kewarganegaraan": "CN", "kitas": "2C11AB1234", "kitas_berlaku": "31-12-2030",
           "upah": "15.000.000", "kelas_risiko": "3", "sumber_iuran": "apbd"}
    from bpjs_field import ValidationErrors
    with pytest.raises(ValidationErrors) as err:
        store.registrations.register(row_to_input(tka, event_id=None, consent_version="v"),
                                     today=date(2026, 12, 5))
    assert {COLUMN_OF_FIELD[e.field] for e in err.value.errors} == {"skala_usaha", "nama_pembayar"}


def test_plans_kept_for_a_list_are_computed_again_when_new_rates_arrive():
    from bpjs_field.domain import rates as rates_module
    from bpjs_field.domain.plan import bpu_plan
    data = json.loads(resource_path("reference", "rates.json").read_text("utf-8"))
    before = bpu_plan(1_000_000, with_jht=False, start="2026-07", months=3)
    assert bpu_plan(1_000_000, with_jht=False, start="2026-07", months=3) is before  # kept
    for row in data["bpu"]:
        row["jkm_flat"] = 9_000
    data["discounts"] = []
    try:
        rates_module.install_rates(data)  # received at sync
        after = bpu_plan(1_000_000, with_jht=False, start="2026-07", months=3)
        assert after.runs[0].monthly.line("JKM", "peserta").amount == 9_000
        assert after.total != before.total
    finally:
        rates_module.install_rates(None)
    assert bpu_plan(1_000_000, with_jht=False, start="2026-07", months=3) == before
    with pytest.raises(ValidationError):  # refusals are never kept as plans
        bpu_plan(True, with_jht=False, start="2026-07", months=3)
