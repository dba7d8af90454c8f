"""The person's detail shows this month's contribution, not the first month's: a payment made
in December 2026 for three months is Rp8.400 in December (PP 50/2025) and Rp16.800 from
January; after the months paid, the amount at that month's rules."""

from __future__ import annotations

from datetime import date

from bpjs_field.domain.plan import monthly_on
from bpjs_field.domain.registration import RegistrationInput
from harness import person_input


def bpu(store, i, *, months, period):
    return store.registrations.register(RegistrationInput(
        person=person_input(i), segment="bpu", declared_income=1_000_000, months_paid=months,
        period=period, consent_version="2026.1", consent_given=True)).registration


def test_the_month_asked_for_not_the_first(store):
    reg = bpu(store, 1, months=3, period=date(2026, 12, 5))
    assert reg["monthly_total"] == 8_400
    assert monthly_on(reg, date(2026, 12, 20)).total == 8_400
    assert monthly_on(reg, date(2027, 1, 2)).total == 16_800
    assert monthly_on(reg, date(2027, 2, 28)).total == 16_800
    # After the months paid: the rules of that month, computed from the registration.
    assert monthly_on(reg, date(2027, 6, 1)).total == 16_800
    # Registered before the discount began (April 2026): the discount applies in May.
    early = bpu(store, 2, months=1, period=date(2026, 3, 10))
    assert early["monthly_total"] == 16_800
    assert monthly_on(early, date(2026, 5, 1)).total == 8_400
    # An erased person's income is gone: the last amount known stands.
    erased = {**reg, "declared_income": None}
    assert monthly_on(erased, date(2027, 6, 1)).total == 16_800


def test_wage_earner_follows_the_jp_cap_of_the_month(store):
    from bpjs_field.domain import rates
    table = rates.default_rates()
    reg = store.registrations.register(RegistrationInput(
        person=person_input(3), segment="pu", wage=20_000_000, risk_class=1,
        employer_name="PT Maju", employer_scale="besar", period=date(2026, 1, 10),
        consent_version="2026.1", consent_given=True)).registration
    later = date(2026, 4, 1)
    assert table.jp_cap_for(later) != table.jp_cap_for(date(2026, 1, 1))
    now = monthly_on(reg, later)
    assert now.line("JP").base == table.jp_cap_for(later)
    assert now.total != reg["monthly_total"]


def test_follow_up_lists_give_the_amount_of_the_month_called_about(store):
    from bpjs_field.domain.followup import KPJ, PAID, StatusChange
    from bpjs_field.reporting.followup_lists import follow_up_list
    from bpjs_field.store.followup import set_status
    reg = bpu(store, 5, months=1, period=date(2026, 12, 5))
    assert reg["monthly_total"] == 8_400
    # Not paid yet, called in January: January's amount.
    set_status(store, reg["id"], StatusChange(KPJ, kpj_no="93000000005"),
               today=date(2027, 1, 2))
    (entry,) = follow_up_list(store, "unpaid", days=0, today=date(2027, 1, 10))
    assert entry.monthly_total == 16_800
    # Paid December only: running out at the end of December, the next month is January's.
    set_status(store, reg["id"], StatusChange(PAID, paid_months=1, on=date(2026, 12, 20)),
               today=date(2027, 1, 2))
    (entry,) = follow_up_list(store, "running_out", days=14, today=date(2026, 12, 25))
    assert entry.monthly_total == 16_800
