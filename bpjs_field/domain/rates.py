"""Dated contribution figures, read from `resources/reference/rates.json`.

Every figure carries the date it takes effect; `*_for(period)` picks the one in
force on the first day of the period's month.  Next year's JP cap or a new
discount window is a data change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.received import Received
from bpjs_field.paths import resource_path


@dataclass(frozen=True)
class Discount:
    id: str
    legal_basis: str
    segment: str
    programs: frozenset[str]
    percent: Decimal
    start: date
    end: date
    sectors: frozenset[str] | None
    sectors_except: frozenset[str]
    excluded_payers: frozenset[str]

    def applies(self, *, segment: str, period: date, sector: str, payer: str) -> bool:
        if segment != self.segment or not self.start <= period <= self.end:
            return False
        if payer in self.excluded_payers:
            return False
        if self.sectors is not None and sector not in self.sectors:
            return False
        return sector not in self.sectors_except


@dataclass(frozen=True)
class DatedFigure:
    """A figure as printed: its value, the day it took effect, and whether a regulation or
    official announcement confirms it (unconfirmed figures print as estimates)."""

    amount: int
    since: date
    verified: bool
    source: str


class RateTable:
    """One loaded rates file.  Tests may load another file through `RateTable(path)`."""

    def __init__(self, path: Path | None = None, *, data: dict[str, Any] | None = None) -> None:
        raw = data if data is not None else json.loads(
            Path(path or resource_path("reference", "rates.json")).read_text("utf-8"))
        self._pu = self._dated(raw["pu"])
        self._bpu = self._dated(raw["bpu"])
        self._caps = self._dated(raw["jp_wage_cap"])
        self.discounts = tuple(self._discount(d) for d in raw.get("discounts", []))

    @staticmethod
    def _dated(rows: list[dict[str, Any]]) -> list[tuple[date, dict[str, Any]]]:
        return sorted((date.fromisoformat(r["effective_from"]), r) for r in rows)

    @staticmethod
    def _discount(d: dict[str, Any]) -> Discount:
        return Discount(
            id=d["id"], legal_basis=d["legal_basis"], segment=d["segment"],
            programs=frozenset(d["programs"]), percent=Decimal(str(d["percent"])),
            start=date.fromisoformat(d["from"]), end=date.fromisoformat(d["to"]),
            sectors=frozenset(d["sectors"]) if "sectors" in d else None,
            sectors_except=frozenset(d.get("sectors_except", [])),
            excluded_payers=frozenset(d.get("excluded_payers", [])),
        )

    @staticmethod
    def _pick(rows: list[tuple[date, dict[str, Any]]], period: date, what: str) -> dict[str, Any]:
        found = None
        for start, row in rows:
            if start <= period:
                found = row
        if found is None:
            raise LookupError(f"no {what} figures in force on {period.isoformat()}")
        return found

    def pu_for(self, period: date) -> dict[str, Any]:
        return self._pick(self._pu, period, "PU rate")

    def bpu_for(self, period: date) -> dict[str, Any]:
        return self._pick(self._bpu, period, "BPU rate")

    def jp_cap_for(self, period: date) -> int:
        return int(self._pick(self._caps, period, "JP wage cap")["amount"])

    def jp_cap_entry(self, period: date) -> "DatedFigure":
        """The JP wage cap in force with the day it took effect and whether it is confirmed
        (a row that does not say, e.g. from an older rates file of the branch, is not)."""
        row = self._pick(self._caps, period, "JP wage cap")
        return DatedFigure(int(row["amount"]), date.fromisoformat(row["effective_from"]),
                           bool(row.get("verified", False)), row.get("source", ""))

    def discounts_for(self, **kwargs: Any) -> list[Discount]:
        return [d for d in self.discounts if d.applies(**kwargs)]

    def discount_windows_on(self, day: date, segment: str = "bpu") -> list[Discount]:
        """Discounts in force on `day` (for brochures printed that day)."""
        return [d for d in self.discounts if d.segment == segment and d.start <= day <= d.end]


def _usable(table: RateTable) -> None:
    table.bpu_for(today_wib())
    table.pu_for(today_wib())


_RATES: Received[RateTable] = Received(RateTable, _usable)


def default_rates() -> RateTable:
    """The figures in force: the branch server's (received at sync) or the bundled file."""
    return _RATES.current()


def install_rates(data: dict[str, Any] | None) -> RateTable:
    """Use these rates from now on (None: back to the bundled file).  Raises on bad data,
    leaving the figures in force unchanged."""
    return _RATES.install(data)
