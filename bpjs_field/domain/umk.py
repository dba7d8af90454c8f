"""Regional minimum wages (UMK), read from `resources/reference/umk.json`.

Each row is one kabupaten/kota's UMK with the day it takes effect and the
governor's decree that sets it; next year's UMK is a data change, and the
branch server hands the file to every laptop at sync (`domain/reference.py`).
A place without a row gets no check: the app never guesses a UMK.

Which place: the UMK binds the employer where the work is done, and the form
does not ask where the employer is.  The event's kecamatan is the one place of
work the app holds (events are held where the branch's workers work: its
estates, villages and offices).  The person's own kecamatan is where they live
(a KTP issued elsewhere, often, for the migrant workers of the estates), so it
is not used.  The notice names the place, so an officer whose participant works
elsewhere sees it is not theirs.

Why a notice, not a refusal: below the UMK is lawful for micro and small
businesses (UU 13/2003 Pasal 90B as amended by UU 6/2023; PP 36/2021 Pasal 36:
their wage is agreed), so those get no notice at all, and for part-time work
paid by the hour (PP 36/2021) at any business.  What is refused is
a wage that cannot be a month's pay at all (`WAGE_FLOOR`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from bpjs_field.domain.formatting import format_rupiah
from bpjs_field.messages import Notice
from bpjs_field.domain.received import Received
from bpjs_field.paths import resource_path

# Below this a monthly wage is a typing slip (digits left out: "5.938" for Rp5.938.885)
# or a placeholder (Rp1), not a wage: it is under one day's pay at the lowest minimum
# wage in Indonesia (UMP Jawa Tengah 2025, Rp2.169.349 a month: Rp98.607 a day over 22
# working days).  Not a legal figure, so it does not change with the year's UMK.
WAGE_FLOOR = 100_000
# Employers bound by the minimum wage (the business scales of domain/programs.py).
UMK_SCALES = frozenset({"menengah", "besar"})


@dataclass(frozen=True)
class Umk:
    """One kabupaten/kota's minimum wage from the day it takes effect."""

    region: str  # the Kemendagri kabupaten/kota code without dots: "3216"
    name: str
    amount: Decimal
    valid_from: date
    legal_basis: str
    source: str
    verified: bool
    amount_text: str = ""  # `Rp5.469.922,59`, written once (a notice per imported row)


class UmkTable:
    """One loaded UMK file.  Tests may load another through `UmkTable(path)` or `data=`."""

    def __init__(self, path: Path | None = None, *, data: dict[str, Any] | None = None) -> None:
        raw = data if data is not None else json.loads(
            Path(path or resource_path("reference", "umk.json")).read_text("utf-8"))
        by_region: dict[str, list[Umk]] = {}
        for row in raw["umk"]:
            umk = self._row(row)
            by_region.setdefault(umk.region, []).append(umk)
        self._by_region = {code: sorted(rows, key=lambda u: u.valid_from)
                           for code, rows in by_region.items()}

    @staticmethod
    def _row(row: dict[str, Any]) -> Umk:
        region = str(row["region"]).replace(".", "")
        if len(region) != 4 or not (region.isascii() and region.isdigit()):
            raise ValueError(f"UMK region must be a kabupaten/kota code such as 32.16: {region!r}")
        try:
            amount = Decimal(str(row["amount"]))
        except InvalidOperation:
            raise ValueError(f"UMK amount is not a number: {row['amount']!r}") from None
        if not amount.is_finite() or amount <= 0:
            raise ValueError(f"UMK amount must be positive: {row['amount']!r}")
        for key in ("name", "legal_basis"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise ValueError(f"UMK row of {region} has no {key}")
        return Umk(region, row["name"], amount, date.fromisoformat(row["valid_from"]),
                   row["legal_basis"], str(row.get("source", "")), bool(row.get("verified", False)),
                   format_rupiah(amount))

    def for_place(self, code: str | None, day: date) -> Umk | None:
        """The UMK in force on `day` where `code` lies (a kabupaten/kota, kecamatan or
        village code, dots or not); None where no UMK is known."""
        if not code:
            return None
        found = None
        for umk in self._by_region.get(code.replace(".", "")[:4], ()):
            if umk.valid_from <= day:
                found = umk
        return found


def below_umk(wage: int, *, place: str | None, scale: str | None, day: date,
              table: UmkTable | None = None) -> Notice | None:
    """The notice for a wage below the UMK of `place` in force on `day`, at a business the
    minimum wage binds; None when it is not below, or nothing is known to compare with."""
    if scale not in UMK_SCALES:
        return None
    umk = (table or default_umk()).for_place(place, day)
    # Wages are typed in whole rupiah: the UMK's rupiah without its sen (Rp5.469.922 of
    # Cilegon's Rp5.469.922,59, as officers type it) counts as the UMK.
    if umk is None or wage >= int(umk.amount):
        return None
    return Notice("wage.below_umk", {"wage_rp": format_rupiah(wage), "umk_rp": umk.amount_text,
                                     "place": umk.name, "year": umk.valid_from.year,
                                     "legal_basis": umk.legal_basis}, field="wage")


_UMK: Received[UmkTable] = Received(UmkTable)


def default_umk() -> UmkTable:
    """The UMK in force: the branch server's (received at sync) or the bundled file."""
    return _UMK.current()


def install_umk(data: dict[str, Any] | None) -> UmkTable:
    """Use this UMK file from now on (None: back to the bundled one).  Raises on bad data,
    leaving the table in force unchanged."""
    return _UMK.install(data)
