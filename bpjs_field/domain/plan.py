"""What a participant pays now: the months paid ahead, each at the rules of its month.

A BPU participant may pay several months at once.  Each month is computed with
the rates and discounts in force in that month, so a payment made in December
2026 for twelve months is one discounted month (PP 50/2025 ends on 31 December
2026 for most sectors) and eleven full ones: Rp8.400 + 11 × Rp16.800 =
Rp193.200.  Consecutive months with the same amounts form one `PaymentRun`, and
the plan reads month by month where the amount changes:
"Desember 2026: Rp8.400; Januari–November 2027: 11 × Rp16.800".

A wage earner's contribution is billed to the employer month by month: the plan
of a PU, ASN or TKA registration is its one month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from bpjs_field.domain.contribution import Contribution, as_period, bpu_contribution
from bpjs_field.domain.formatting import MONTHS_EN, MONTHS_ID, format_rupiah
from bpjs_field.domain.rates import RateTable, default_rates

MAX_MONTHS = 12


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_name(month: date, lang: str = "id", *, year: bool = True) -> str:
    names = MONTHS_EN if lang == "en" else MONTHS_ID
    return f"{names[month.month - 1]} {month.year}" if year else names[month.month - 1]


def month_span(first: date, last: date, lang: str = "id") -> str:
    """"Desember 2026", "Januari–November 2027", "Desember 2026–Februari 2027"."""
    if first == last:
        return month_name(first, lang)
    if first.year == last.year:
        return f"{month_name(first, lang, year=False)}–{month_name(last, lang)}"
    return f"{month_name(first, lang)}–{month_name(last, lang)}"


def _same_amounts(a: Contribution, b: Contribution) -> bool:
    return ([(x.program, x.paid_by, x.amount, x.discount) for x in a.lines]
            == [(x.program, x.paid_by, x.amount, x.discount) for x in b.lines]
            and a.discount_id == b.discount_id)


@dataclass(frozen=True)
class PaymentRun:
    """Consecutive months paid at the same amounts; `monthly` is the first month's contribution."""

    first: date
    months: int
    monthly: Contribution

    @property
    def last(self) -> date:
        return add_months(self.first, self.months - 1)

    @property
    def total(self) -> int:
        return self.months * self.monthly.total

    def describe(self, lang: str = "id") -> str:
        """"Desember 2026: Rp8.400" or "Januari–November 2027: 11 × Rp16.800"."""
        span = month_span(self.first, self.last, lang)
        amount = format_rupiah(self.monthly.total)
        return f"{span}: {amount}" if self.months == 1 else f"{span}: {self.months} × {amount}"

    def to_dict(self) -> dict[str, Any]:
        return {"first": self.first.isoformat()[:7], "months": self.months,
                "monthly": self.monthly.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PaymentRun":
        return cls(as_period(data["first"]), int(data["months"]), Contribution.from_dict(data["monthly"]))


@dataclass(frozen=True)
class PaymentPlan:
    runs: tuple[PaymentRun, ...]

    @property
    def first(self) -> date:
        return self.runs[0].first

    @property
    def last(self) -> date:
        return self.runs[-1].last

    @property
    def months(self) -> int:
        return sum(run.months for run in self.runs)

    @property
    def total(self) -> int:
        return sum(run.total for run in self.runs)

    @property
    def discount(self) -> int:
        return sum(run.months * run.monthly.discount for run in self.runs)

    @property
    def changes(self) -> bool:
        """True when the amount differs from one month to another."""
        return len(self.runs) > 1

    def describe(self, lang: str = "id") -> str:
        return "; ".join(run.describe(lang) for run in self.runs)

    def monthly_totals(self) -> list[int]:
        return [run.monthly.total for run in self.runs for _ in range(run.months)]

    def to_dict(self) -> dict[str, Any]:
        return {"runs": [run.to_dict() for run in self.runs]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PaymentPlan":
        return cls(tuple(PaymentRun.from_dict(run) for run in data["runs"]))

    @classmethod
    def single(cls, contribution: Contribution) -> "PaymentPlan":
        return cls((PaymentRun(contribution.period, 1, contribution),))


def plan_from_months(months: list[Contribution]) -> PaymentPlan:
    runs: list[PaymentRun] = []
    for c in months:
        if runs and _same_amounts(runs[-1].monthly, c):
            runs[-1] = PaymentRun(runs[-1].first, runs[-1].months + 1, runs[-1].monthly)
        else:
            runs.append(PaymentRun(c.period, 1, c))
    return PaymentPlan(tuple(runs))


def bpu_plan(declared_income: int, *, with_jht: bool, start: date | str, months: int,
             sector: str = "umum", payer: str = "mandiri",
             rates: RateTable | None = None) -> PaymentPlan:
    """`months` months from `start`'s month, each at the rates and discounts in force then.

    A partner's list repeats a few incomes, months and programmes, so plans are kept
    for the rate table they were computed with (a table received at sync is a new
    object, so its plans are computed again); plans and their parts are immutable."""
    first = as_period(start)
    table = rates or default_rates()
    if (type(declared_income) is int and type(months) is int and type(sector) is str
            and type(payer) is str):
        return _bpu_plan(declared_income, bool(with_jht), first, months, sector, payer, table)
    return _compute_bpu_plan(declared_income, with_jht, first, months, sector, payer, table)


def _compute_bpu_plan(declared_income: Any, with_jht: bool, first: date, months: Any,
                      sector: str, payer: str, rates: RateTable) -> PaymentPlan:
    return plan_from_months([
        bpu_contribution(declared_income, with_jht=with_jht, period=add_months(first, n),
                         sector=sector, payer=payer, rates=rates)
        for n in range(months)])


_bpu_plan = lru_cache(maxsize=1024)(_compute_bpu_plan)


def stored_contribution(first: Contribution, plan: PaymentPlan) -> dict[str, Any]:
    """A registration's contribution as stored and synced: the first month, and the plan
    when it is more than that month.  A month alone is read back as a plan of that month
    by `plan_of` (every version of the app does: registrations were kept so before plans
    were); leaving the plan out then saves about 1.2 kB of each one-month registration,
    written three times (its row, its change log, the WAL) and sent at every sync."""
    data = first.to_dict()
    if plan != PaymentPlan.single(first):
        data["plan"] = plan.to_dict()
    return data


def plan_of(contribution_json: dict[str, Any]) -> PaymentPlan:
    """The plan stored with a registration's contribution (one month when none was stored,
    as in registrations made before plans were kept)."""
    if "plan" in contribution_json:
        return PaymentPlan.from_dict(contribution_json["plan"])
    return PaymentPlan.single(Contribution.from_dict(contribution_json))


def registration_plan(reg: dict[str, Any], rates: RateTable | None = None) -> PaymentPlan:
    """The plan of a stored registration row.  Rows saved before plans were kept hold only
    the first month: their months are computed again from the row, each at its own rules."""
    import json

    data = json.loads(reg["contribution"])
    if "plan" in data or reg.get("segment") != "bpu" or (reg.get("months_paid") or 1) <= 1:
        return plan_of(data)
    first = Contribution.from_dict(data)
    return bpu_plan(reg["declared_income"], with_jht="JHT" in first.programs, start=first.period,
                    months=int(reg["months_paid"]), sector=reg.get("sector") or "umum",
                    payer=reg.get("payer") or "mandiri", rates=rates)


def monthly_on(reg: dict[str, Any], day: date, rates: RateTable | None = None) -> Contribution:
    """A stored registration's monthly contribution in the month of `day`.

    Inside the months paid ahead: that month's amount in the plan (a December payment of
    twelve months is Rp8.400 in December and Rp16.800 from January).  After them: the
    amount at the rules of that month, computed again from the registration (declared
    income, wage, risk class, programmes), because a discount window or a JP cap may have
    ended or begun since.  Before the first month, or where the row no longer holds what
    the amount is computed from (an erased person's income), the first month's."""
    from bpjs_field.domain.contribution import pu_contribution
    from bpjs_field.errors import ValidationError

    month = as_period(day)
    plan = registration_plan(reg, rates)
    if month < plan.first:
        return plan.runs[0].monthly
    for run in plan.runs:
        if run.first <= month <= run.last:
            return run.monthly
    first = plan.runs[-1].monthly
    try:
        if reg.get("segment") == "bpu" and reg.get("declared_income"):
            return bpu_contribution(int(reg["declared_income"]), with_jht="JHT" in first.programs,
                                    period=month, sector=reg.get("sector") or "umum",
                                    payer=reg.get("payer") or "mandiri", rates=rates)
        if reg.get("segment") != "bpu" and reg.get("wage"):
            return pu_contribution(int(reg["wage"]), risk_class=int(reg.get("risk_class") or 1),
                                   period=month, programs=tuple(first.programs), rates=rates)
    except (ValidationError, ValueError, TypeError):
        pass  # rules of that month refuse the old figures: the last amount known stands
    return first
