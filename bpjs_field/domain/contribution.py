"""Monthly contributions for BPU and PU participants.

Amounts are whole rupiah; each line is rounded half up on its own (the rule
BPJS's published examples follow).  The PP 50/2025 discount halves the JKK and
JKM lines separately, each half rounded, never JHT, never for APBN/APBD payers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.rates import RateTable, default_rates
from bpjs_field.domain.segments import PAYERS, SECTORS
from bpjs_field.errors import ValidationError

EMPLOYER, WORKER, PARTICIPANT = "pemberi_kerja", "pekerja", "peserta"


def round_rupiah(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(amount: int, percent: str | Decimal) -> int:
    return round_rupiah(Decimal(amount) * Decimal(str(percent)) / 100)


@dataclass(frozen=True)
class ContributionLine:
    program: str  # JKK, JKM, JHT, JP
    paid_by: str  # peserta, pemberi_kerja, pekerja
    amount: int  # before discount
    discount: int = 0
    percent: str | None = None  # rate as written in the rules, e.g. "0.24"
    base: int | None = None  # the wage or income the percent applies to

    @property
    def net(self) -> int:
        return self.amount - self.discount

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.program, "paid_by": self.paid_by, "amount": self.amount,
                "discount": self.discount, "net": self.net, "percent": self.percent,
                "base": self.base}


@dataclass(frozen=True)
class Contribution:
    segment: str
    period: date
    lines: tuple[ContributionLine, ...]
    discount_basis: str | None = None  # e.g. "PP 50/2025"
    discount_id: str | None = None

    @property
    def gross(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def discount(self) -> int:
        return sum(line.discount for line in self.lines)

    @property
    def total(self) -> int:
        return sum(line.net for line in self.lines)

    @property
    def employer_total(self) -> int:
        return sum(line.net for line in self.lines if line.paid_by == EMPLOYER)

    @property
    def worker_total(self) -> int:
        return sum(line.net for line in self.lines if line.paid_by == WORKER)

    def line(self, program: str, paid_by: str | None = None) -> ContributionLine:
        for line in self.lines:
            if line.program == program and (paid_by is None or line.paid_by == paid_by):
                return line
        raise KeyError(program)

    @property
    def programs(self) -> list[str]:
        return list(dict.fromkeys(line.program for line in self.lines))

    def to_dict(self) -> dict[str, Any]:
        return {"segment": self.segment, "period": self.period.isoformat(),
                "lines": [line.to_dict() for line in self.lines], "gross": self.gross,
                "discount": self.discount, "total": self.total,
                "employer_total": self.employer_total, "worker_total": self.worker_total,
                "discount_basis": self.discount_basis, "discount_id": self.discount_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Contribution":
        lines = tuple(ContributionLine(
            program=x["program"], paid_by=x["paid_by"], amount=x["amount"],
            discount=x.get("discount", 0), percent=x.get("percent"), base=x.get("base"))
            for x in data["lines"])
        return cls(segment=data["segment"], period=date.fromisoformat(data["period"]),
                   lines=lines, discount_basis=data.get("discount_basis"),
                   discount_id=data.get("discount_id"))


def as_period(period: date | str) -> date:
    """A contribution month: a date (any day) or "YYYY-MM"; returns its first day."""
    if isinstance(period, str):
        try:
            year, month = period.split("-")[:2]
            return date(int(year), int(month), 1)
        except ValueError:
            raise ValidationError("period", "period.invalid", value=period) from None
    return period.replace(day=1)


def _whole_rupiah(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or value != int(value):
        raise ValidationError(field, "amount.not_whole", value=str(value))
    return int(value)


def bpu_contribution(declared_income: int, *, with_jht: bool, period: date | str,
                     sector: str = "umum", payer: str = "mandiri",
                     rates: RateTable | None = None) -> Contribution:
    """BPU monthly contribution: JKK 1 % of declared income, JKM flat, JHT 2 % if chosen."""
    rates = rates or default_rates()
    month = as_period(period)
    income = _whole_rupiah(declared_income, "declared_income")
    if sector not in SECTORS:
        raise ValidationError("sector", "sector.unknown", value=sector)
    if payer not in PAYERS:
        raise ValidationError("payer", "payer.unknown", value=payer)
    r = rates.bpu_for(month)
    if income < r["min_declared_income"]:
        raise ValidationError("declared_income", "income.below_minimum",
                              minimum=r["min_declared_income"], value=income)
    lines = [
        ContributionLine("JKK", PARTICIPANT, percent_of(income, r["jkk_percent"]),
                         percent=r["jkk_percent"], base=income),
        ContributionLine("JKM", PARTICIPANT, int(r["jkm_flat"])),
    ]
    if with_jht:
        lines.append(ContributionLine("JHT", PARTICIPANT, percent_of(income, r["jht_percent"]),
                                      percent=r["jht_percent"], base=income))
    found = rates.discounts_for(segment="bpu", period=month, sector=sector, payer=payer)
    basis = discount_id = None
    if found:
        disc = found[0]
        basis, discount_id = disc.legal_basis, disc.id
        keep = (100 - disc.percent) / 100
        lines = [
            ContributionLine(line.program, line.paid_by, line.amount,
                             line.amount - round_rupiah(Decimal(line.amount) * keep),
                             line.percent, line.base)
            if line.program in disc.programs else line
            for line in lines
        ]
    return Contribution("bpu", month, tuple(lines), basis, discount_id)


ALL_WAGE_PROGRAMS = ("JKK", "JKM", "JHT", "JP")


def pu_contribution(wage: int, *, risk_class: int, period: date | str,
                    programs: tuple[str, ...] | list[str] = ALL_WAGE_PROGRAMS,
                    rates: RateTable | None = None) -> Contribution:
    """PU monthly contribution split between employer and worker; JP on the capped wage.
    `programs`: those the employer's scale requires (`domain.programs.wage_programs`);
    every programme by default (the rate tables of the brochures)."""
    rates = rates or default_rates()
    month = as_period(period)
    wage = _whole_rupiah(wage, "wage")
    if wage <= 0:
        raise ValidationError("wage", "wage.not_positive", value=wage)
    if isinstance(risk_class, bool) or risk_class not in (1, 2, 3, 4, 5):
        raise ValidationError("risk_class", "risk_class.invalid", value=str(risk_class))
    r = rates.pu_for(month)
    jp_base = min(wage, rates.jp_cap_for(month))
    jkk = r["jkk_percent_by_risk_class"][str(risk_class)]
    lines = tuple(line for line in (
        ContributionLine("JKK", EMPLOYER, percent_of(wage, jkk), percent=jkk, base=wage),
        ContributionLine("JKM", EMPLOYER, percent_of(wage, r["jkm_percent"]),
                         percent=r["jkm_percent"], base=wage),
        ContributionLine("JHT", EMPLOYER, percent_of(wage, r["jht_employer_percent"]),
                         percent=r["jht_employer_percent"], base=wage),
        ContributionLine("JHT", WORKER, percent_of(wage, r["jht_worker_percent"]),
                         percent=r["jht_worker_percent"], base=wage),
        ContributionLine("JP", EMPLOYER, percent_of(jp_base, r["jp_employer_percent"]),
                         percent=r["jp_employer_percent"], base=jp_base),
        ContributionLine("JP", WORKER, percent_of(jp_base, r["jp_worker_percent"]),
                         percent=r["jp_worker_percent"], base=jp_base),
    ) if line.program in programs)
    return Contribution("pu", month, lines)


def bpu_income_choices(period: date | str | None = None,
                       rates: RateTable | None = None) -> list[int]:
    """The declared-income steps an officer picks from."""
    rates = rates or default_rates()
    return list(rates.bpu_for(as_period(period or today_wib()))["income_choices"])
