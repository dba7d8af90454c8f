"""Brochure texts and the figures computed on the print date.

Texts live in `resources/brochures/<kind>.<lang>.json` (kind: jkk, jkm, jht,
jp, jkp, bpu; lang: id, en), each with its own `version`, so the print log can
say which edition was handed out.  Money in the texts is never typed in: a
placeholder such as `{bpu_min_total}` is filled from the dated rates on the
print date, and the BPU contribution table is computed with `bpu_contribution`
for the discount periods in force that day.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from bpjs_field.domain.contribution import bpu_contribution
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


def figures(day: date, rates: RateTable | None = None) -> dict[str, str]:
    """Placeholder values for brochure texts, from the rates in force on `day`."""
    rates = rates or default_rates()
    bpu = rates.bpu_for(day)
    low = bpu["min_declared_income"]
    base = bpu_contribution(low, with_jht=False, period=day, sector=_plain_sector(), rates=rates)
    with_jht = bpu_contribution(low, with_jht=True, period=day, sector=_plain_sector(), rates=rates)
    pu = rates.pu_for(day)
    jkk = pu["jkk_percent_by_risk_class"]
    return {
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
    }


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

    groups: dict[tuple, list[Discount]] = {}
    for disc in rates.discount_windows_on(day):
        groups.setdefault((disc.percent, disc.programs), []).append(disc)
    discounted = []
    for (percent, programs), discs in groups.items():
        names = (" & " if lang == "en" else " dan ").join(sorted(programs))
        caption = (f"With the {int(percent)}% discount on {names} ({discs[0].legal_basis})"
                   if lang == "en" else
                   f"Dengan potongan {int(percent)}% iuran {names} ({discs[0].legal_basis})")
        discounted.append((caption, rows(_sector_for(discs[0]), True)))
    return BpuTable(day, levels, rows(_plain_sector(), False), tuple(discounted))


def pu_rate_rows(program: str, day: date, lang: str = "id",
                 rates: RateTable | None = None) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the PU rates of `program` in force on `day`."""
    rates = rates or default_rates()
    pu = rates.pu_for(day)
    en = lang == "en"
    if program == "JKK":
        head = ["Risk level", "Employer pays"] if en else ["Tingkat risiko", "Dibayar pemberi kerja"]
        rows = [[RISK_LABELS[lang][int(k) - 1], _pct(v)]
                for k, v in sorted(pu["jkk_percent_by_risk_class"].items())]
        return head, rows
    head = ["", "% of wage" if en else "% upah"]
    who = ("Employer", "Worker", "Total") if en else ("Pemberi kerja", "Pekerja", "Jumlah")
    if program == "JKM":
        return head, [[who[0], _pct(pu["jkm_percent"])]]
    key = {"JHT": "jht", "JP": "jp"}[program]
    employer, worker = pu[f"{key}_employer_percent"], pu[f"{key}_worker_percent"]
    total = str(Decimal(employer) + Decimal(worker))
    return head, [[who[0], _pct(employer)], [who[1], _pct(worker)], [who[2], _pct(total)]]
