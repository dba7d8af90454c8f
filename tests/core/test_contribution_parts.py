"""The parts of a contribution an officer and the receipt rely on, beyond its total: every
refusal names its field, what is wrong and what was given; every line says who pays it, at
what rate and on what base (read here from the rates file, not from the code under test);
a stored contribution reads back as it was; the income choices are the dated table's."""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from bpjs_field import ValidationError, bpu_contribution, pu_contribution
from bpjs_field.domain.contribution import (EMPLOYER, PARTICIPANT, WORKER, Contribution,
                                            as_period, bpu_income_choices)
from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.rates import RateTable
from bpjs_field.paths import resource_path

JULY = date(2026, 7, 1)


def dated(kind: str, day: date) -> dict:
    """The row of rates.json in force on `day`, read straight from the file."""
    rows = json.loads(resource_path("reference", "rates.json").read_text("utf-8"))[kind]
    return max((r for r in rows if date.fromisoformat(r["effective_from"]) <= day),
               key=lambda r: r["effective_from"])


def rupiah(base: int, percent: str) -> int:
    return int((Decimal(base) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def refusal(call) -> tuple:
    with pytest.raises(ValidationError) as caught:
        call()
    err = caught.value
    assert err.message("id") != err.code and err.message("en") != err.code  # said in words
    return err.field, err.code, err.params


BPU = {"with_jht": False, "period": "2026-07"}
PU = {"risk_class": 1, "period": "2026-07"}


@pytest.mark.parametrize("call, expected", [
    (lambda: bpu_contribution(1_000_000.5, **BPU), ("declared_income", "amount.not_whole",
                                                    {"value": "1000000.5"})),
    (lambda: bpu_contribution("1000000", **BPU), ("declared_income", "amount.not_whole",
                                                  {"value": "1000000"})),
    (lambda: bpu_contribution(True, **BPU), ("declared_income", "amount.not_whole",
                                             {"value": "True"})),
    (lambda: bpu_contribution(Decimal("1500000.50"), **BPU), ("declared_income", "amount.not_whole",
                                                              {"value": "1500000.50"})),
    (lambda: bpu_contribution(1_000_000, **BPU, sector="perbankan"),
     ("sector", "sector.unknown", {"value": "perbankan"})),
    (lambda: bpu_contribution(1_000_000, **BPU, payer="koperasi"),
     ("payer", "payer.unknown", {"value": "koperasi"})),
    (lambda: bpu_contribution(999_999, **BPU),
     ("declared_income", "income.below_minimum",
      {"minimum": dated("bpu", JULY)["min_declared_income"], "value": 999_999})),
    (lambda: bpu_contribution(1_000_000, with_jht=False, period="Juli 2026"),
     ("period", "period.invalid", {"value": "Juli 2026"})),
    (lambda: bpu_contribution(1_000_000, with_jht=False, period="2026-13"),
     ("period", "period.invalid", {"value": "2026-13"})),
    (lambda: pu_contribution(5_000_000.25, **PU), ("wage", "amount.not_whole",
                                                   {"value": "5000000.25"})),
    (lambda: pu_contribution(0, **PU), ("wage", "wage.not_positive", {"value": 0})),
    (lambda: pu_contribution(-5, **PU), ("wage", "wage.not_positive", {"value": -5})),
    (lambda: pu_contribution(5_000_000, risk_class=6, period="2026-07"),
     ("risk_class", "risk_class.invalid", {"value": "6"})),
    (lambda: pu_contribution(5_000_000, risk_class=True, period="2026-07"),
     ("risk_class", "risk_class.invalid", {"value": "True"})),
    (lambda: pu_contribution(5_000_000, risk_class="3", period="2026-07"),
     ("risk_class", "risk_class.invalid", {"value": "3"})),
])
def test_each_refusal_names_its_field_what_is_wrong_and_what_was_given(call, expected):
    assert refusal(call) == expected


def test_a_bpu_line_is_the_participants_at_the_dated_rate_on_the_declared_income():
    rates = dated("bpu", date(2025, 7, 1))  # before the discount window
    income = 2_500_000
    c = bpu_contribution(income, with_jht=True, period="2025-07")
    assert [(x.program, x.paid_by, x.amount, x.discount, x.percent, x.base) for x in c.lines] == [
        ("JKK", PARTICIPANT, rupiah(income, rates["jkk_percent"]), 0, rates["jkk_percent"], income),
        ("JKM", PARTICIPANT, rates["jkm_flat"], 0, None, None),
        ("JHT", PARTICIPANT, rupiah(income, rates["jht_percent"]), 0, rates["jht_percent"], income)]
    assert PARTICIPANT == "peserta" and c.employer_total == c.worker_total == 0
    assert c.segment == "bpu" and c.discount_basis is None and c.discount_id is None
    # In the discount window the same lines, each with its discount: who pays, the rate
    # and the base stay; JHT is never discounted.
    cut = bpu_contribution(income, with_jht=True, period="2026-07")
    july = dated("bpu", JULY)
    assert [(x.program, x.paid_by, x.percent, x.base) for x in cut.lines] == [
        ("JKK", PARTICIPANT, july["jkk_percent"], income), ("JKM", PARTICIPANT, None, None),
        ("JHT", PARTICIPANT, july["jht_percent"], income)]
    assert [x.discount > 0 for x in cut.lines] == [True, True, False]


def test_a_pu_line_says_who_pays_it_and_jp_is_on_the_capped_wage():
    rates = dated("pu", JULY)
    cap = dated("jp_wage_cap", JULY)["amount"]
    wage = cap + 1_234_567  # above the JP cap
    for risk in (1, 5):
        jkk = rates["jkk_percent_by_risk_class"][str(risk)]
        c = pu_contribution(wage, risk_class=risk, period="2026-07")
        assert [(x.program, x.paid_by, x.amount, x.percent, x.base) for x in c.lines] == [
            ("JKK", EMPLOYER, rupiah(wage, jkk), jkk, wage),
            ("JKM", EMPLOYER, rupiah(wage, rates["jkm_percent"]), rates["jkm_percent"], wage),
            ("JHT", EMPLOYER, rupiah(wage, rates["jht_employer_percent"]),
             rates["jht_employer_percent"], wage),
            ("JHT", WORKER, rupiah(wage, rates["jht_worker_percent"]),
             rates["jht_worker_percent"], wage),
            ("JP", EMPLOYER, rupiah(cap, rates["jp_employer_percent"]),
             rates["jp_employer_percent"], cap),
            ("JP", WORKER, rupiah(cap, rates["jp_worker_percent"]), rates["jp_worker_percent"], cap)]
        assert (EMPLOYER, WORKER) == ("pemberi_kerja", "pekerja") and c.segment == "pu"
        assert c.worker_total == sum(x.amount for x in c.lines if x.paid_by == WORKER)
        assert c.employer_total + c.worker_total == c.total
        assert c.line("JHT", WORKER).amount == rupiah(wage, rates["jht_worker_percent"])
        assert c.line("JP").paid_by == EMPLOYER  # the first line of a programme without a payer
    small = pu_contribution(3_000_000, risk_class=2, period="2026-07",
                            programs=("JKK", "JKM", "JHT"))  # a small business: no JP
    assert small.programs == ["JKK", "JKM", "JHT"]
    with pytest.raises(KeyError) as missing:
        small.line("JP")
    assert missing.value.args == ("JP",)
    # "Not positive" is 0 and below (the message says "more than Rp0"): Rp1 is taken.
    assert pu_contribution(1, risk_class=1, period="2026-07").line("JKK").base == 1


@pytest.mark.parametrize("make", [
    lambda: bpu_contribution(1_500_000, with_jht=True, period="2026-07", sector="transportasi"),
    lambda: bpu_contribution(2_000_000, with_jht=False, period="2025-07", payer="apbd"),
    lambda: pu_contribution(7_000_000, risk_class=3, period="2026-07"),
])
def test_a_stored_contribution_reads_back_as_it_was(make):
    c = make()
    stored = json.loads(json.dumps(c.to_dict()))  # as the registration row keeps it
    assert Contribution.from_dict(stored) == c
    assert stored["period"] == c.period.isoformat() and stored["segment"] == c.segment
    assert (stored["gross"], stored["discount"], stored["total"]) == (
        sum(x.amount for x in c.lines), sum(x.discount for x in c.lines),
        sum(x.amount - x.discount for x in c.lines))
    assert (stored["employer_total"], stored["worker_total"]) == (c.employer_total, c.worker_total)
    assert (stored["discount_basis"], stored["discount_id"]) == (c.discount_basis, c.discount_id)
    for line, kept in zip(c.lines, stored["lines"]):
        assert kept == {"program": line.program, "paid_by": line.paid_by, "amount": line.amount,
                        "discount": line.discount, "net": line.amount - line.discount,
                        "percent": line.percent, "base": line.base}


def test_a_contribution_stored_before_lines_kept_their_rate_reads_back_without_them():
    old = {"segment": "bpu", "period": "2025-07-01",
           "lines": [{"program": "JKK", "paid_by": "peserta", "amount": 10_000},
                     {"program": "JKM", "paid_by": "peserta", "amount": 6_800}]}
    c = Contribution.from_dict(old)
    assert [(x.discount, x.percent, x.base) for x in c.lines] == [(0, None, None)] * 2
    assert (c.total, c.discount_basis, c.discount_id) == (16_800, None, None)


def test_a_discounted_month_names_its_legal_basis():
    c = bpu_contribution(1_000_000, with_jht=False, period="2026-07")
    assert c.discount_basis and c.discount_id and c.discount == c.gross - c.total > 0


def test_a_contribution_month_is_its_first_day_whatever_day_is_given():
    assert as_period(date(2026, 7, 19)) == as_period("2026-07") == as_period("2026-07-19") == JULY


def test_the_income_choices_are_the_dated_tables_for_the_month_asked():
    assert bpu_income_choices("2026-07") == dated("bpu", JULY)["income_choices"]
    assert bpu_income_choices() == bpu_income_choices(today_wib())
    data = json.loads(resource_path("reference", "rates.json").read_text("utf-8"))
    for row in data["bpu"]:
        row["income_choices"] = [1_000_000, 1_100_000]
    assert bpu_income_choices("2026-07", rates=RateTable(data=data)) == [1_000_000, 1_100_000]
