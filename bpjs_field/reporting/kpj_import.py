"""`bpjs-field kpj import FILE.csv|FILE.xlsx`: KPJ numbers (and payment codes, first
payments) from a list exported from the branch's systems, matched by NIK.

A row is applied only when its NIK finds exactly one registration still followed up (one
person holds a NIK; a person with registrations in two segments needs the `segmen` column
to say which).  A row that matches nobody, or two registrations, or whose NIK appears in the
file with two different KPJ numbers, is reported and never guessed.  Importing the same
file again changes nothing (each row is then `unchanged`).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bpjs_field.domain.followup import KPJ, PAID, StatusChange, parse_kpj, stage
from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.nik import clean_nik, mask_nik
from bpjs_field.errors import BpjsFieldError, ValidationError
from bpjs_field.reporting.tables import has_any, parse_day, pick, read_table
from bpjs_field.store.followup import _set_status, open_registrations

if TYPE_CHECKING:
    from bpjs_field.store.store import Store

NIK_COLUMNS = ("nik", "no_ktp", "nomor_ktp", "nik_ktp")
KPJ_COLUMNS = ("kpj", "no_kpj", "nomor_kpj", "kpj_no", "no_peserta", "nomor_peserta")
CODE_COLUMNS = ("kode_bayar", "kode_iuran", "payment_code", "virtual_account", "va")
PAID_COLUMNS = ("tanggal_bayar", "tgl_bayar", "paid_at", "tanggal_pembayaran")
MONTHS_COLUMNS = ("bulan", "bulan_dibayar", "jumlah_bulan", "paid_months")
SEGMENT_COLUMNS = ("segmen", "segment")
OUTCOMES = ("updated", "unchanged", "no_match", "ambiguous", "invalid", "conflict")
PROBLEMS = ("no_match", "ambiguous", "invalid", "conflict")
REPORT_HEADER = ("baris", "nik", "hasil", "keterangan")


@dataclass
class KpjImport:
    counts: Counter = field(default_factory=Counter)
    lines: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, masked NIK, …

    def note(self, line: int, nik: str, outcome: str, message: str = "") -> None:
        self.counts[outcome] += 1
        self.lines.append((line, mask_nik(nik) if nik else "", outcome, message))

    @property
    def problems(self) -> int:
        return sum(self.counts[o] for o in PROBLEMS)

    def summary(self) -> dict[str, int]:
        return {o: self.counts[o] for o in OUTCOMES} | {"rows": sum(self.counts.values())}


def _months(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError("bulan", "followup.months", maximum=120)
    return int(value)


def import_kpj(store: "Store", path: Path, *, today: date | None = None) -> KpjImport:
    rows = read_table(path)
    header = set().union(*(r.keys() for _n, r in rows)) if rows else set()
    if rows and not (has_any(header, *NIK_COLUMNS) and has_any(header, *KPJ_COLUMNS)):
        raise BpjsFieldError("kpj.columns")
    today = today or today_wib()
    result = KpjImport()
    by_nik: dict[str, set[str]] = defaultdict(set)
    parsed: list[tuple[int, str, dict[str, str]]] = []
    for line, row in rows:
        nik = clean_nik(pick(row, *NIK_COLUMNS))
        parsed.append((line, nik, row))
        try:
            by_nik[nik].add(parse_kpj(pick(row, *KPJ_COLUMNS)))
        except ValidationError:
            pass
    with store.write():
        for line, nik, row in parsed:
            _one(store, result, line, nik, row, by_nik, today)
        store.audit("followup.kpj_import", None, None, **result.summary())
    return result


def _one(store: "Store", result: KpjImport, line: int, nik: str, row: dict[str, str],
         by_nik: dict[str, set[str]], today: date) -> None:
    try:
        if len(nik) != 16 or not nik.isdigit():
            raise ValidationError("nik", "nik.length", length=len(nik))
        kpj = parse_kpj(pick(row, *KPJ_COLUMNS), "kpj")
        paid_at = parse_day(pick(row, *PAID_COLUMNS), "tanggal_bayar")
        months = _months(pick(row, *MONTHS_COLUMNS))
        code = pick(row, *CODE_COLUMNS) or None
    except ValidationError as exc:
        result.note(line, nik if len(nik) == 16 else "", "invalid",
                    f"{exc.field}: {exc.message()}")
        return
    if len(by_nik[nik]) > 1:
        result.note(line, nik, "ambiguous", "NIK muncul dengan beberapa nomor KPJ di berkas")
        return
    person = store.people.by_nik(nik)
    person_id = person["id"] if person else None
    candidates = open_registrations(store, person_id) if person_id else []
    segment = pick(row, *SEGMENT_COLUMNS).strip().casefold()
    if segment:
        candidates = [r for r in candidates if r["segment"] == segment]
    if not candidates:
        result.note(line, nik, "no_match", "tidak ada pendaftaran dengan NIK ini")
        return
    if len(candidates) > 1:
        result.note(line, nik, "ambiguous",
                    f"{len(candidates)} pendaftaran dengan NIK ini; isi kolom segmen")
        return
    reg = candidates[0]
    if paid_at is not None or months is not None:
        change = StatusChange(PAID, kpj_no=kpj, payment_code=code, on=paid_at, paid_months=months)
    elif stage(reg) >= 2 and reg.get("kpj_no") == kpj:
        # Already further along with this number: only a new payment code is news.
        change = StatusChange(reg["status"], payment_code=code, on=None, paid_months=reg.get(
            "first_paid_months"), reason=reg.get("stopped_reason"))
        if not code or code == reg.get("payment_code"):
            result.note(line, nik, "unchanged")
            return
        change = _keep_dates(change, reg)
    else:
        change = StatusChange(KPJ, kpj_no=kpj, payment_code=code)
    try:
        _row, changed = _set_status(store, reg["id"], change, today=today, source="import")
    except ValidationError as exc:
        outcome = "conflict" if exc.code in ("kpj.taken", "kpj.differs") else "invalid"
        result.note(line, nik, outcome, f"{exc.field}: {exc.message()}")
        return
    result.note(line, nik, "updated" if changed else "unchanged")


def _keep_dates(change: StatusChange, reg: dict[str, Any]) -> StatusChange:
    """A payment code added to a registration already paid: its dates stay as recorded."""
    day = reg.get("first_paid_at") or reg.get("kpj_at") or reg.get("submitted_at")
    return StatusChange(change.status, payment_code=change.payment_code,
                        on=date.fromisoformat(day) if day else None,
                        paid_months=change.paid_months, reason=change.reason)


def write_report(result: KpjImport, path: Path) -> None:
    from bpjs_field.importer import spreadsheet_safe
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(REPORT_HEADER)
        writer.writerows([spreadsheet_safe(c) for c in line] for line in result.lines)
