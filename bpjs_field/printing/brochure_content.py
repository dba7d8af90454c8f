"""Brochure texts and the figures computed on the print date.

Texts live in `resources/brochures/<kind>.<lang>.json` (kind: jkk, jkm, jht,
jp, jkp, bpu; lang: id, en), each with its own `version`, so the print log can
say which edition was handed out.  Money in the texts is never typed in: a
placeholder such as `{bpu_min_total}` is filled from the dated rates on the
print date, and the BPU contribution table is computed with `bpu_contribution`
for the discount periods in force that day.

Worked examples ("for a wage of Rp5.000.000 the employer pays ...") are computed
the same way: a block that names a `wage` (PU) or an `income` (BPU) gets the
amounts for it as extra placeholders (`example_figures`), through
`pu_contribution` and `bpu_contribution`.  Benefit rules the examples need that
are not contribution rates (JKK's 48 x wage, JKP's 60 % on a capped wage) are
dated rows in `resources/brochures/benefits.json` (`Benefits`).
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from bpjs_field.domain.contribution import EMPLOYER, WORKER, bpu_contribution, percent_of, pu_contribution
from bpjs_field.domain.formatting import format_date, format_rupiah
from bpjs_field.domain.rates import Discount, RateTable, default_rates
from bpjs_field.domain.segments import SECTORS, sector_labels
from bpjs_field.paths import resource_path

KINDS = ("jkk", "jkm", "jht", "jp", "jkp", "bpu")
LANGS = ("id", "en")
RISK_LABELS = {
    "id": ("Sangat rendah", "Rendah", "Sedang", "Tinggi", "Sangat tinggi"),
    "en": ("Very low", "Low", "Medium", "High", "Very high"),
}
DEFAULT_INCOMES = (1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 4_000_000,
                   5_000_000, 10_000_000)


@dataclass(frozen=True)
class BrochureText:
    kind: str
    lang: str
    version: str
    data: dict[str, Any]

    @property
    def title(self) -> str:
        return self.data["title"]


@lru_cache(maxsize=32)
def _raw(kind: str, lang: str) -> str:
    return resource_path("brochures", f"{kind}.{lang}.json").read_text("utf-8")


def load_brochure(kind: str, lang: str = "id") -> BrochureText:
    if kind not in KINDS:
        raise ValueError(f"unknown brochure {kind!r}; choose one of {', '.join(KINDS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose id or en")
    data = json.loads(_raw(kind, lang))
    if data.get("kind") != kind or data.get("lang") != lang or not data.get("version"):
        raise ValueError(f"brochure file {kind}.{lang}.json has a wrong kind, lang or version")
    return BrochureText(kind, lang, str(data["version"]), data)


class Benefits:
    """Dated benefit rules, read from `resources/brochures/benefits.json`; tests may
    load another file.  `on(program, day)` is the newest row in force on `day`."""

    def __init__(self, path: Path | None = None) -> None:
        raw = json.loads(Path(path or resource_path("brochures", "benefits.json")).read_text("utf-8"))
        self._rows = {program: sorted(((date.fromisoformat(r["effective_from"]), r) for r in rows),
                                      key=lambda row: row[0])
                      for program, rows in raw.items() if not program.startswith("_")}

    def on(self, program: str, day: date) -> dict[str, Any]:
        found = [row for start, row in self._rows[program] if start <= day]
        if not found:
            raise LookupError(f"no {program.upper()} benefit figures in force on {day.isoformat()}")
        return found[-1]


@lru_cache(maxsize=1)
def default_benefits() -> Benefits:
    return Benefits()


def figures(day: date, rates: RateTable | None = None,
            benefits: Benefits | None = None) -> dict[str, str]:
    """Placeholder values for brochure texts, from the rates in force on `day`."""
    rates = rates or default_rates()
    benefits = benefits or default_benefits()
    jkk_benefit, jkp = benefits.on("jkk", day), benefits.on("jkp", day)
    bpu = rates.bpu_for(day)
    low = bpu["min_declared_income"]
    base = bpu_contribution(low, with_jht=False, period=day, sector=_plain_sector(), rates=rates)
    with_jht = bpu_contribution(low, with_jht=True, period=day, sector=_plain_sector(), rates=rates)
    pu = rates.pu_for(day)
    jkk = pu["jkk_percent_by_risk_class"]
    cap = rates.jp_cap_entry(day)
    return {
        "jp_cap_since": format_date(cap.since),
        "jp_cap_note": "" if cap.verified else f" ({ESTIMATE['id']})",
        "jkp_cap_since": format_date(date.fromisoformat(jkp["effective_from"])),
        "jkp_cap_basis": jkp["legal_basis"].split(" (")[0],
        "jkp_cap_note": "" if jkp.get("verified", False) else f" ({ESTIMATE['id']})",
        "bpu_min_income": format_rupiah(low),
        "bpu_min_total": format_rupiah(base.gross),
        "bpu_min_with_jht": format_rupiah(with_jht.gross),
        "bpu_jkm_flat": format_rupiah(bpu["jkm_flat"]),
        "bpu_jkk_percent": _pct(bpu["jkk_percent"]),
        "bpu_jht_percent": _pct(bpu["jht_percent"]),
        "bpu_min_jkk": format_rupiah(base.line("JKK").amount),
        "bpu_min_jht": format_rupiah(with_jht.line("JHT").amount),
        "jp_cap": format_rupiah(rates.jp_cap_for(day)),
        "jp_employer": _pct(pu["jp_employer_percent"]),
        "jp_worker": _pct(pu["jp_worker_percent"]),
        "jht_employer": _pct(pu["jht_employer_percent"]),
        "jht_worker": _pct(pu["jht_worker_percent"]),
        "jkm_percent": _pct(pu["jkm_percent"]),
        "jkk_low": _pct(jkk["1"]),
        "jkk_high": _pct(jkk["5"]),
        "jkk_death_multiple": str(jkk_benefit["death_wage_multiple"]),
        "jkk_disability_multiple": str(jkk_benefit["disability_wage_multiple_max"]),
        "jkp_percent": _pct(jkp["contribution_percent"]),
        "jkp_government_percent": _pct(jkp["government_percent"]),
        "jkp_from_jkk_percent": _pct(jkp["from_jkk_percent"]),
        "jkp_benefit_percent": _pct(jkp["benefit_percent"]),
        "jkp_months": str(jkp["benefit_months"]),
        "jkp_cap": format_rupiah(jkp["benefit_wage_cap"]),
    }


def example_figures(day: date, *, wage: int | None = None, income: int | str | None = None,
                    rates: RateTable | None = None,
                    benefits: Benefits | None = None) -> dict[str, str]:
    """Placeholder values for a worked example on `day`: for a PU `wage` what employer
    and worker pay and what JKP pays out; for a BPU `income` ("min": the lowest one
    may declare) the monthly contribution and the JKK death and disability sums.
    No name repeats one of `figures` (`jp_employer` is the rate, `jp_employer_amount`
    what it comes to), so an example never changes the meaning of a placeholder."""
    rates = rates or default_rates()
    benefits = benefits or default_benefits()
    out: dict[str, str] = {}
    if income is not None:
        income = bpu_income(day, income, rates)
        two = bpu_contribution(income, with_jht=False, period=day, sector=_plain_sector(), rates=rates)
        three = bpu_contribution(income, with_jht=True, period=day, sector=_plain_sector(), rates=rates)
        jkk = benefits.on("jkk", day)
        out.update({
            "income": format_rupiah(income),
            "bpu_jkk": format_rupiah(two.line("JKK").amount),
            "bpu_jkm": format_rupiah(two.line("JKM").amount),
            "bpu_jht": format_rupiah(three.line("JHT").amount),
            "bpu_total": format_rupiah(two.gross),
            "bpu_total_with_jht": format_rupiah(three.gross),
            "jkk_death": format_rupiah(income * jkk["death_wage_multiple"]),
            "jkk_disability_max": format_rupiah(income * jkk["disability_wage_multiple_max"]),
        })
    if wage is not None:
        pu = pu_contribution(wage, risk_class=1, period=day, rates=rates)
        jht = pu.line("JHT", EMPLOYER).amount + pu.line("JHT", WORKER).amount
        jp_employer, jp_worker = pu.line("JP", EMPLOYER), pu.line("JP", WORKER)
        jkp = benefits.on("jkp", day)
        benefit = percent_of(min(wage, jkp["benefit_wage_cap"]), jkp["benefit_percent"])
        government = percent_of(wage, jkp["government_percent"])
        from_jkk = percent_of(wage, jkp["from_jkk_percent"])
        capped = (jp_employer.base or 0) < wage
        cap_ok = rates.jp_cap_entry(day).verified
        out.update({
            "jp_wage_note": "" if not capped or cap_ok else " (perkiraan)",
            "wage": format_rupiah(wage),
            "jkm_amount": format_rupiah(pu.line("JKM").amount),
            "jht_employer_amount": format_rupiah(pu.line("JHT", EMPLOYER).amount),
            "jht_worker_amount": format_rupiah(pu.line("JHT", WORKER).amount),
            "jht_amount": format_rupiah(jht),
            "jht_amount_year": format_rupiah(12 * jht),
            "jp_wage": format_rupiah(jp_employer.base or 0),
            "jp_employer_amount": format_rupiah(jp_employer.amount),
            "jp_worker_amount": format_rupiah(jp_worker.amount),
            "jp_amount": format_rupiah(jp_employer.amount + jp_worker.amount),
            "jkp_benefit_wage": format_rupiah(min(wage, jkp["benefit_wage_cap"])),
            "jkp_benefit": format_rupiah(benefit),
            "jkp_benefit_total": format_rupiah(benefit * jkp["benefit_months"]),
            "jkp_government": format_rupiah(government),
            "jkp_from_jkk": format_rupiah(from_jkk),
            "jkp_contribution": format_rupiah(government + from_jkk),
        })
        for risk in range(1, 6):
            amount = pu_contribution(wage, risk_class=risk, period=day, rates=rates).line("JKK").amount
            out[f"jkk_{risk}_amount"] = format_rupiah(amount)
    return out


def bpu_income(day: date, income: int | str, rates: RateTable | None = None) -> int:
    """A BPU example income: a number, or "min" for the lowest income one may declare."""
    rates = rates or default_rates()
    return rates.bpu_for(day)["min_declared_income"] if income == "min" else int(income)


def bpu_discounts(day: date, income: int | str, lang: str = "id",
                  rates: RateTable | None = None) -> list[dict[str, str]]:
    """Placeholder values for each distinct BPU discount in force on `day`, for `income`:
    what the contribution comes to with it, and for whom it holds."""
    rates = rates or default_rates()
    income = bpu_income(day, income, rates)
    out = []
    for percent, programs, discs in _discount_groups(day, rates):
        sector = _sector_for(discs[0])
        two = bpu_contribution(income, with_jht=False, period=day, sector=sector, rates=rates)
        three = bpu_contribution(income, with_jht=True, period=day, sector=sector, rates=rates)
        out.append({
            "discount_until": _until(discs, lang),
            "discount_excluded": _excluded(discs, lang),
            "discount_percent": f"{int(percent)}%",
            "discount_programs": (" dan " if lang == "id" else " and ").join(sorted(programs)),
            "discount_basis": discs[0].legal_basis,
            "discount_who": _who(discs, lang),
            "bpu_discounted": format_rupiah(two.total),
            "bpu_discounted_with_jht": format_rupiah(three.total),
        })
    return out


ESTIMATE = {"id": "perkiraan; pastikan di kantor cabang", "en": "estimate; check with the branch office"}


def localised(values: dict[str, str], lang: str) -> dict[str, str]:
    """The few placeholder values that carry words, in the brochure's language."""
    if lang != "en":
        return values
    out = dict(values)
    for key in ("jp_cap_note", "jkp_cap_note"):
        if out.get(key):
            out[key] = f" ({ESTIMATE['en']})"
    if out.get("jp_wage_note"):
        out["jp_wage_note"] = " (estimate)"
    for key in ("jp_cap_since", "jkp_cap_since"):
        if key in out:
            out[key] = _english_date(out[key])
    return out


def _english_date(text: str) -> str:
    from bpjs_field.domain.formatting import MONTHS_EN, MONTHS_ID
    day, month, year = text.split(" ")
    return f"{day} {MONTHS_EN[MONTHS_ID.index(month)]} {year}"


def _until(discs: list[Discount], lang: str) -> str:
    """When a group of discount windows ends: "sampai 31 Desember 2026", or per sector
    where they end on different days ("sampai 31 Desember 2026, transportasi sampai
    31 Maret 2027")."""
    word = "until" if lang == "en" else "sampai"
    ends = sorted({d.end for d in discs})
    if len(ends) == 1:
        return f"{word} {format_date(ends[0], lang)}"
    parts = []
    for disc in sorted(discs, key=lambda d: (d.sectors is not None, d.end)):
        when = f"{word} {format_date(disc.end, lang)}"
        parts.append(f"{_sector_names(disc.sectors, lang)} {when}" if disc.sectors else when)
    return ", ".join(parts)


def _excluded(discs: list[Discount], lang: str) -> str:
    payers = sorted({p.upper() for d in discs for p in d.excluded_payers})
    if not payers:
        return "for every payer" if lang == "en" else "untuk semua pembayar"
    names = "/".join(payers)
    return f"not when paid from {names}" if lang == "en" else f"tidak untuk iuran dari {names}"


def _pct(value: str) -> str:
    text = value.rstrip("0").rstrip(".") if "." in value else value
    return text.replace(".", ",") + "%"


def fill(text: str, values: dict[str, str]) -> str:
    """Replace `{name}` placeholders; an unknown name is a content bug and raises KeyError."""
    names = [name for _, name, _, _ in string.Formatter().parse(text) if name]
    for name in names:
        if name not in values:
            raise KeyError(f"unknown brochure placeholder {{{name}}}")
    return text.format(**values) if names else text


def _plain_sector() -> str:
    """A sector no sector-specific rule names (for the 'normal' amounts)."""
    return "umum" if "umum" in SECTORS else SECTORS[0]


def _sector_for(disc: Discount) -> str:
    if disc.sectors:
        return sorted(disc.sectors)[0]
    return next(s for s in SECTORS if s not in disc.sectors_except)


def _sector_names(names, lang: str) -> str:
    labels = sector_labels()
    return ", ".join(labels.get(s, (s, s))[1 if lang == "en" else 0].lower() for s in sorted(names))


def discount_notes(day: date, lang: str = "id", rates: RateTable | None = None) -> list[str]:
    """One sentence per discount period in force on `day`."""
    rates = rates or default_rates()
    out = []
    for disc in rates.discount_windows_on(day):
        programs = (" and " if lang == "en" else " dan ").join(sorted(disc.programs))
        span = f"{format_date(disc.start, lang)} – {format_date(disc.end, lang)}"
        if lang == "en":
            who = (f"sector {_sector_names(disc.sectors, lang)}" if disc.sectors else
                   "all sectors except " + _sector_names(disc.sectors_except, lang)
                   if disc.sectors_except else "all sectors")
            text = f"{disc.legal_basis}: {int(disc.percent)}% off {programs}, {who}, {span}."
            if disc.excluded_payers:
                text += " Not when contributions are paid from the state or regional budget (APBN/APBD)."
        else:
            who = (f"sektor {_sector_names(disc.sectors, lang)}" if disc.sectors else
                   "semua sektor selain " + _sector_names(disc.sectors_except, lang)
                   if disc.sectors_except else "semua sektor")
            text = f"{disc.legal_basis}: potongan {int(disc.percent)}% iuran {programs}, {who}, {span}."
            if disc.excluded_payers:
                text += " Tidak berlaku bila iuran dibayar dari APBN/APBD."
        out.append(text)
    return out


def _discount_groups(day: date, rates: RateTable) -> list[tuple[Decimal, frozenset[str], list[Discount]]]:
    """BPU discounts in force on `day`, grouped by what they take off (percent and
    programs): the windows of one group give the same amounts, to different sectors."""
    groups: dict[tuple[Decimal, frozenset[str]], list[Discount]] = {}
    for disc in rates.discount_windows_on(day):
        groups.setdefault((disc.percent, disc.programs), []).append(disc)
    return [(percent, programs, discs) for (percent, programs), discs in groups.items()]


def _who(discs: list[Discount], lang: str) -> str:
    """The sectors a group of discount windows covers, in words."""
    covered = {s for s in SECTORS for d in discs
               if (d.sectors is None or s in d.sectors) and s not in d.sectors_except}
    rest = set(SECTORS) - covered
    if not rest:
        return "all sectors" if lang == "en" else "semua sektor"
    if len(covered) <= len(rest):
        return ("sector " if lang == "en" else "sektor ") + _sector_names(covered, lang)
    return ("all sectors except " if lang == "en" else "semua sektor selain ") + _sector_names(rest, lang)


@dataclass(frozen=True)
class BpuTable:
    """Monthly BPU contributions by declared income; `discounted` has one table per
    distinct discount (percent and programs) in force on the print date."""

    day: date
    incomes: tuple[int, ...]
    normal: tuple[tuple[int, int], ...]  # (JKK+JKM, JKK+JKM+JHT) per income
    discounted: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]  # (caption, rows)


def bpu_table(day: date, lang: str = "id", incomes: tuple[int, ...] | None = None,
              rates: RateTable | None = None) -> BpuTable:
    rates = rates or default_rates()
    low = rates.bpu_for(day)["min_declared_income"]
    levels = tuple(i for i in (incomes or DEFAULT_INCOMES) if i >= low)

    def rows(sector: str, discounted: bool) -> tuple[tuple[int, int], ...]:
        out = []
        for income in levels:
            two = bpu_contribution(income, with_jht=False, period=day, sector=sector, rates=rates)
            three = bpu_contribution(income, with_jht=True, period=day, sector=sector, rates=rates)
            out.append((two.total, three.total) if discounted else (two.gross, three.gross))
        return tuple(out)

    discounted = []
    for percent, programs, discs in _discount_groups(day, rates):
        names = (" & " if lang == "en" else " dan ").join(sorted(programs))
        until = _until(discs, lang)
        caption = (f"With the {int(percent)}% discount on {names} ({discs[0].legal_basis}, "
                   f"{until}; {_excluded(discs, lang)})"
                   if lang == "en" else
                   f"Dengan potongan {int(percent)}% iuran {names} ({discs[0].legal_basis}, "
                   f"{until}; {_excluded(discs, lang)})")
        discounted.append((caption, rows(_sector_for(discs[0]), True)))
    return BpuTable(day, levels, rows(_plain_sector(), False), tuple(discounted))


def pu_rate_rows(program: str, day: date, lang: str = "id", rates: RateTable | None = None,
                 wage: int | None = None) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the PU rates of `program` in force on `day`; with a `wage`, a
    column of what each share comes to for it (a worked example)."""
    rates = rates or default_rates()
    pu = rates.pu_for(day)
    en = lang == "en"
    amount = "Amount" if en else "Iuran"
    if program == "JKK":
        classes = sorted(pu["jkk_percent_by_risk_class"].items())
        if wage is None:
            head = ["Risk level", "Employer pays"] if en else ["Tingkat risiko", "Dibayar pemberi kerja"]
            return head, [[RISK_LABELS[lang][int(k) - 1], _pct(v)] for k, v in classes]
        head = ["Risk level", "% of wage", amount] if en else ["Tingkat risiko", "% upah", amount]
        return head, [[RISK_LABELS[lang][int(k) - 1], _pct(v), format_rupiah(
            pu_contribution(wage, risk_class=int(k), period=day, rates=rates).line("JKK").amount)]
            for k, v in classes]
    who = ("Employer", "Worker", "Total") if en else ("Pemberi kerja", "Pekerja", "Jumlah")
    if program == "JKM":
        shares = [(who[0], pu["jkm_percent"], [("JKM", EMPLOYER)])]
    else:
        key = {"JHT": "jht", "JP": "jp"}[program]
        employer, worker = pu[f"{key}_employer_percent"], pu[f"{key}_worker_percent"]
        shares = [(who[0], employer, [(program, EMPLOYER)]), (who[1], worker, [(program, WORKER)]),
                  (who[2], str(Decimal(employer) + Decimal(worker)), [(program, EMPLOYER), (program, WORKER)])]
    head = ["", "% of wage" if en else "% upah"]
    if wage is None:
        return head, [[label, _pct(percent)] for label, percent, _ in shares]
    paid = pu_contribution(wage, risk_class=1, period=day, rates=rates)
    return head + [amount], [[label, _pct(percent), format_rupiah(sum(paid.line(*k).amount for k in keys))]
                             for label, percent, keys in shares]
