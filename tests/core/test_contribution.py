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
