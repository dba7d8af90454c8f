"""`bpjs-field export registrations|attendance|followup --out FILE.xlsx [--event ID] [--full]`
and the report's tables as XLSX.

NIK, No. KK and phone numbers are masked unless a supervisor asks for them in full
(`--full`); the full export is audited (what, how many rows; never a value).  Rows are read
from the database in pages of the rowid order and streamed into the file: memory stays flat
at any size (bpjs_field/reporting/xlsx.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bpjs_field.domain.downstream import mask_kk
from bpjs_field.domain.entities import PERSON
from bpjs_field.domain.followup import LABELS, STATUSES
from bpjs_field.domain.nik import mask_nik
from bpjs_field.domain.phone import mask_phone
from bpjs_field.domain.regions import get_region
from bpjs_field.domain.segments import SEGMENTS, label
from bpjs_field.reporting.xlsx import DATE, MOMENT, NUMBER, PERCENT, RUPIAH, TEXT, Book
from bpjs_field.store.reports import ATTENDANCE_SQL, PAGE, REGISTRATION_SQL, _pages  # noqa: F401

if TYPE_CHECKING:
    from bpjs_field.reporting.funnel import Report
    from bpjs_field.store.store import Store

KINDS = ("registrations", "attendance", "followup")


# The person's fields an export masks, each its own way: their `mask` in
# bpjs_field/domain/entities.py.
MASKS = {"nik": mask_nik, "phone": mask_phone, "kk": mask_kk}
MASKED = {f.name: MASKS[f.mask] for f in PERSON.fields if f.mask}


class Masker:
    def __init__(self, full: bool) -> None:
        self.full = full

    def field(self, name: str, value: str | None) -> str | None:
        return value if self.full or not value else MASKED[name](value)

    def nik(self, value: str | None) -> str | None:
        return self.field("nik", value)

    def phone(self, value: str | None) -> str | None:
        return self.field("phone", value)

    def kk(self, value: str | None) -> str | None:
        return self.field("kk_no", value)


def allow_full(store: "Store", kind: str) -> None:
    """Full NIKs are a supervisor's (refused and audited otherwise)."""
    from bpjs_field.security.session import require_supervisor
    require_supervisor(store, f"export.{kind}.full")


REGISTRATION_COLUMNS = [
    ("Kode", TEXT), ("Tanggal daftar", DATE), ("Segmen", TEXT), ("Acara", TEXT),
    ("Petugas", TEXT), ("Nama", TEXT), ("NIK", TEXT), ("No. KK", TEXT), ("Telepon", TEXT),
    ("Kecamatan", TEXT), ("Status", TEXT), ("KPJ", TEXT), ("Kode bayar", TEXT),
    ("Tanggal KPJ", DATE), ("Tanggal bayar pertama", DATE), ("Bulan dibayar", NUMBER),
    ("Iuran per bulan", RUPIAH), ("Dibayar di acara", RUPIAH), ("Versi persetujuan", TEXT)]
ATTENDANCE_COLUMNS = [
    ("Acara", TEXT), ("Waktu hadir (WIB)", MOMENT), ("Nama", TEXT), ("NIK", TEXT),
    ("Telepon", TEXT), ("Cara", TEXT), ("Petugas", TEXT), ("Kode pendaftaran", TEXT)]
FOLLOWUP_COLUMNS = [
    ("Daftar", TEXT), ("Kode", TEXT), ("Segmen", TEXT), ("Nama", TEXT), ("NIK", TEXT),
    ("Telepon", TEXT), ("Boleh dihubungi", TEXT), ("Acara", TEXT), ("Petugas", TEXT),
    ("Sejak / lunas sampai", DATE), ("Hari", NUMBER), ("KPJ", TEXT), ("Iuran per bulan", RUPIAH)]


def _status(value: str | None) -> str:
    return LABELS.get(value or "baru", (value, value))[0] or ""


def registration_rows(store: "Store", masker: Masker, event_id: str | None,
                      status: str | None = None) -> Iterator[list]:
    where, params = ("{after}", ()) if event_id is None else ("r.event_id = ? AND {after}",
                                                               (event_id,))
    if status is not None:
        where, params = "r.status = ? AND " + where, (status, *params)
    sql = REGISTRATION_SQL.replace("WHERE {after}", f"WHERE {where}")
    for r in _pages(store, sql, params):
        region = get_region(r["district"]) if r["district"] else None
        yield [r["code"], r["created_at"], label(SEGMENTS, r["segment"]), r["event_title"],
               r["officer_name"], r["full_name"],
               masker.nik(r["nik"]) if r["nik"] else r["passport_no"], masker.kk(r["kk_no"]),
               masker.phone(r["phone"]), region.name if region else None, _status(r["status"]),
               r["kpj_no"], r["payment_code"], r["kpj_at"], r["first_paid_at"],
               r["first_paid_months"], r["monthly_total"], r["amount_due"], r["consent_version"]]


def attendance_rows(store: "Store", masker: Masker, event_id: str | None) -> Iterator[list]:
    where, params = ("{after}", ()) if event_id is None else ("r.event_id = ? AND {after}",
                                                               (event_id,))
    sql = ATTENDANCE_SQL.replace("WHERE {after}", f"WHERE {where}")
    for r in _pages(store, sql, params):
        yield [r["event_title"], r["checked_in_at"], r["full_name"],
               masker.nik(r["nik"]) if r["nik"] else r["passport_no"], masker.phone(r["phone"]),
               r["method"], r["officer_name"], r["code"]]


def followup_rows(store: "Store", masker: Masker, days: dict[str, int] | None,
                  today: date | None) -> Iterator[list]:
    from bpjs_field.reporting.followup_lists import KINDS as LISTS, TITLES, follow_up_list
    for kind in LISTS:
        for e in follow_up_list(store, kind, days=(days or {}).get(kind), today=today):
            yield [TITLES[kind][0], e.code, label(SEGMENTS, e.segment), e.name,
                   masker.nik(e.nik) if e.nik and e.nik.isdigit() else e.nik,
                   masker.phone(e.phone), "ya" if e.may_contact else "tidak", e.event, e.officer,
                   e.since, e.days, e.kpj_no, e.monthly_total]


def export(store: "Store", kind: str, path: Path, *, event_id: str | None = None,
           full: bool = False, days: dict[str, int] | None = None,
           today: date | None = None, status: str | None = None) -> int:
    """Write one export; returns the number of rows.  `status`: registrations in that
    follow-up status only."""
    if status is not None and status not in STATUSES:
        from bpjs_field.errors import ValidationError
        raise ValidationError("status", "followup.status_unknown", value=str(status)[:20])
    if full:
        allow_full(store, kind)
    masker = Masker(full)
    with _book(path) as book:
        if kind == "registrations":
            count = book.sheet("Pendaftaran", REGISTRATION_COLUMNS,
                               registration_rows(store, masker, event_id, status))
        elif kind == "attendance":
            count = book.sheet("Kehadiran", ATTENDANCE_COLUMNS,
                               attendance_rows(store, masker, event_id))
        else:
            count = book.sheet("Tindak lanjut", FOLLOWUP_COLUMNS,
                               followup_rows(store, masker, days, today))
    with store.write():
        store.audit("export.xlsx", None, event_id, kind=kind, rows=count, full=full,
                    **({"status": status} if status else {}))
    return count


REPORT_COLUMNS = [
    ("Rincian", TEXT), ("Hadir", NUMBER), ("Terdaftar", NUMBER), ("KPJ", NUMBER),
    ("Bayar", NUMBER), ("Berhenti", NUMBER), ("KPJ / terdaftar", PERCENT),
    ("Bayar / terdaftar", PERCENT), ("Target tahunan", NUMBER), ("Terdaftar / target", PERCENT),
    ("Iuran per bulan (yang bayar)", RUPIAH), ("Pembayaran pertama", RUPIAH)]


def _ratio(part: int, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None


def report_rows(report: "Report") -> Iterator[list]:
    for r in [*report.rows, report.total]:
        yield [r.label, r.attended, r.registered, r.kpj, r.paid, r.stopped,
               _ratio(r.kpj, r.registered), _ratio(r.paid, r.registered), r.target,
               _ratio(r.registered, r.target), r.monthly, r.first_payments]


@contextmanager
def _book(path: Path) -> Iterator[Book]:
    """A book saved when the block ends, removed (nothing left behind) when it fails."""
    from bpjs_field import outputs
    book = Book(path)
    try:
        yield book
    except OSError as exc:
        book.discard()
        raise outputs.write_failed(path, exc, option="--out") from None
    except BaseException:
        book.discard()
        raise
    book.save()


def report_xlsx(report: "Report", path: Path) -> None:
    with _book(path) as book:
        _report_sheets(book, report)


def _report_sheets(book: Book, report: "Report") -> None:
    book.sheet(f"Laporan per {report.by}", REPORT_COLUMNS, report_rows(report))
    book.sheet("Pendaftaran per hari", [("Tanggal", DATE), ("Pendaftaran", NUMBER)],
               report.per_day)
    money = report.targets.get("contribution_rupiah")
    book.sheet("Target", [("Periode", TEXT), ("Cabang", TEXT), ("Target iuran tahunan", RUPIAH),
                          ("Sumber target", TEXT)],
               [[f"{report.start.isoformat()} s.d. {report.end.isoformat()}", report.branch,
                 money, report.targets.get("source")]])
