"""Bulk registration from a partner's list (a cooperative's members, a village's ojek drivers).

The CSV has Indonesian headers (see `COLUMNS`; `bpjs-field import --template`
writes one).  Valid rows are saved; each invalid row is reported with its line
number, field and reason in a CSV report, and stops nothing else.  A row's
registration id is derived from the person's identity, segment and event, so
importing the same file twice, or on two laptops, creates no duplicates.
Comma- and semicolon-separated files (Excel in an Indonesian locale) are both read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bpjs_field.domain.formatting import parse_rupiah
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from bpjs_field.domain.segments import occupations
from bpjs_field.errors import BpjsFieldError, ValidationError, ValidationErrors
from bpjs_field.store.store import Store

# column -> (required?, description for the template and the README)
COLUMNS: dict[str, tuple[bool, str]] = {
    "nama": (True, "Nama lengkap sesuai KTP/paspor"),
    "segmen": (True, "pu, bpu, asn atau tka"),
    "persetujuan": (True, "ya = peserta menyetujui pemberitahuan privasi (formulir bertanda tangan)"),
    "nik": (False, "16 angka; wajib kecuali TKA"),
    "tanggal_lahir": (False, "HH-BB-TTTT; jika kosong diambil dari NIK"),
    "jenis_kelamin": (False, "L atau P; jika kosong diambil dari NIK"),
    "tempat_lahir": (False, "Kota/kabupaten lahir"),
    "telepon": (False, "Nomor HP, mis. 0812-3456-7890"),
    "email": (False, "Alamat email"),
    "alamat": (False, "Alamat sesuai KTP"),
    "kode_kecamatan": (False, "Kode Kemendagri, mis. 32.16.09"),
    "pekerjaan": (False, "BPU: kode pekerjaan, mis. ojek, nelayan, pedagang"),
    "penghasilan": (False, "BPU: penghasilan sebulan, paling sedikit 1.000.000"),
    "jht": (False, "BPU: ya/tidak ikut JHT"),
    "sumber_iuran": (False, "mandiri, apbd, apbn, csr atau pemberi_kerja"),
    "nama_pembayar": (False, "Wajib bila apbd, apbn atau csr: nama pembayar, mis. Pemerintah Kota Cilegon"),
    "bulan_dibayar": (False, "BPU: jumlah bulan dibayar di muka (1-12)"),
    "upah": (False, "PU/ASN/TKA: upah sebulan"),
    "kelas_risiko": (False, "PU: 1 sampai 5"),
    "pemberi_kerja": (False, "PU/ASN/TKA: nama pemberi kerja"),
    "skala_usaha": (False, "PU/TKA, wajib: mikro, kecil, menengah atau besar (menentukan program)"),
    "paspor": (False, "TKA: nomor paspor"),
    "kewarganegaraan": (False, "TKA: kode negara ISO, mis. CN"),
    "kitas": (False, "TKA: nomor KITAS/KITAP"),
    "kitas_berlaku": (False, "TKA: tanggal habis berlaku KITAS, HH-BB-TTTT"),
}
EXAMPLE = {"nama": "Siti Aminah", "segmen": "bpu", "persetujuan": "ya", "nik": "3216094508900003",
           "tanggal_lahir": "05-08-1990", "jenis_kelamin": "P", "tempat_lahir": "Bekasi",
           "telepon": "0812-3456-7890", "alamat": "Kp. Pulo RT 003/RW 002",
           "kode_kecamatan": "32.16.09", "pekerjaan": "pedagang", "penghasilan": "1.500.000",
           "jht": "ya", "sumber_iuran": "mandiri", "bulan_dibayar": "3"}
REPORT_HEADER = ("baris", "kolom", "kode", "pesan")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CELL = 500
COLUMN_OF_FIELD = {"full_name": "nama", "nik": "nik", "birth_date": "tanggal_lahir",
                   "sex": "jenis_kelamin", "birth_place": "tempat_lahir", "phone": "telepon",
                   "email": "email", "address": "alamat", "district_code": "kode_kecamatan",
                   "occupation": "pekerjaan", "declared_income": "penghasilan",
                   "payer": "sumber_iuran", "months_paid": "bulan_dibayar", "wage": "upah",
                   "risk_class": "kelas_risiko", "employer_name": "pemberi_kerja",
                   "payer_name": "nama_pembayar", "employer_scale": "skala_usaha",
                   "passport_no": "paspor", "nationality": "kewarganegaraan", "kitas_no": "kitas",
                   "kitas_expiry": "kitas_berlaku", "consent": "persetujuan", "segment": "segmen"}


@dataclass
class ImportReport:
    saved: int = 0
    already: int = 0
    rejected: int = 0
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.saved + self.already + self.rejected


def write_template(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerow({k: EXAMPLE.get(k, "") for k in COLUMNS})


def _yes(value: str, field_name: str) -> bool:
    v = value.strip().casefold()
    if v in ("ya", "y", "yes", "1", "true", "setuju"):
        return True
    if v in ("", "tidak", "t", "no", "n", "0", "false"):
        return False
    raise ValidationError(field_name, "bool.invalid", value=value[:20])


def _date(value: str, field_name: str) -> date | None:
    v = value.strip()
    if not v:
        return None
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    raise ValidationError(field_name, "date.invalid", value=v[:30])


def _int(value: str, field_name: str, *, money: bool = False) -> int | None:
    v = value.strip()
    if not v:
        return None
    try:
        return parse_rupiah(v) if money else int(v)
    except ValueError:
        raise ValidationError(field_name, "number.invalid", value=v[:30]) from None


def _occupation(value: str) -> str | None:
    v = value.strip()
    if not v:
        return None
    by_label = {label.casefold(): code for code, (label, _en, _s) in occupations().items()}
    return by_label.get(v.casefold(), v.casefold())


def row_to_input(row: dict[str, str], *, event_id: str | None, consent_version: str) -> RegistrationInput:
    """One CSV row as a registration form; cell-level errors raise ValidationErrors."""
    errors: list[ValidationError] = []

    def get(column: str, convert, *args, **kwargs):
        try:
            return convert(row.get(column) or "", column, *args, **kwargs)
        except ValidationError as exc:
            errors.append(exc)
            return None

    consent = get("persetujuan", _yes)
    person = PersonInput(
        full_name=row.get("nama") or "", nik=(row.get("nik") or None),
        passport_no=row.get("paspor") or None, nationality=row.get("kewarganegaraan") or None,
        kitas_no=row.get("kitas") or None, kitas_expiry=get("kitas_berlaku", _date),
        birth_date=get("tanggal_lahir", _date),
        sex=(row.get("jenis_kelamin") or "").strip().upper() or None,
        birth_place=row.get("tempat_lahir") or None, phone=row.get("telepon") or None,
        email=row.get("email") or None, address=row.get("alamat") or None,
        district_code=(row.get("kode_kecamatan") or "").strip() or None,
    )
    form = RegistrationInput(
        segment=(row.get("segmen") or "").strip().casefold(), person=person,
        consent_given=bool(consent), consent_version=consent_version, event_id=event_id,
        declared_income=get("penghasilan", _int, money=True), with_jht=bool(get("jht", _yes)),
        occupation=_occupation(row.get("pekerjaan") or ""),
        payer=(row.get("sumber_iuran") or "mandiri").strip().casefold(),
        months_paid=get("bulan_dibayar", _int) or 1, wage=get("upah", _int, money=True),
        risk_class=get("kelas_risiko", _int), employer_name=row.get("pemberi_kerja") or None,
        payer_name=row.get("nama_pembayar") or None,
        employer_scale=(row.get("skala_usaha") or "").strip().casefold() or None,
        source="import",
    )
    if errors:
        raise ValidationErrors(errors)
    return form


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if not path.is_file():
        raise BpjsFieldError("file.missing", path=str(path))
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise BpjsFieldError("file.unreadable", path=str(path), detail=exc.strerror or "") from None
    if len(raw) > MAX_FILE_BYTES:
        raise BpjsFieldError("too_long", maximum=MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BpjsFieldError("csv.encoding") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except StopIteration:
        header = []
    missing = [c for c, (required, _) in COLUMNS.items() if required and c not in header]
    if missing:
        raise BpjsFieldError("csv.columns", columns=", ".join(missing))
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        rows.append((reader.line_num, {h: c[:MAX_CELL] for h, c in zip(header, cells)}))
    return header, rows


def import_csv(store: Store, path: Path, *, event_id: str | None = None,
               consent_version: str, batch_size: int = 500) -> ImportReport:
    """Import every row; one durable transaction per batch, one savepoint per row."""
    _, rows = read_rows(path)
    report = ImportReport()
    for start in range(0, len(rows), batch_size):
        with store.write():
            for line, row in rows[start:start + batch_size]:
                try:
                    form = row_to_input(row, event_id=event_id, consent_version=consent_version)
                    result = store.registrations.register(form)
                except ValidationErrors as exc:
                    report.rejected += 1
                    for err in exc.errors:
                        report.problems.append((line, COLUMN_OF_FIELD.get(err.field, err.field),
                                                err.code, err.message()))
                    continue
                except ValidationError as exc:
                    report.rejected += 1
                    report.problems.append((line, COLUMN_OF_FIELD.get(exc.field, exc.field),
                                            exc.code, exc.message()))
                    continue
                if result.already_registered:
                    report.already += 1
                else:
                    report.saved += 1
    with store.write():
        store.audit("import.csv", rows=report.total, saved=report.saved,
                    already=report.already, rejected=report.rejected)
    return report


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet will show as text: values from a partner's file may start with
    `=`, `+`, `-` or `@` and would otherwise run as a formula when the report is opened."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_report(report: ImportReport, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(REPORT_HEADER)
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in report.problems)


def summary(report: ImportReport) -> dict[str, Any]:
    return {"rows": report.total, "saved": report.saved, "already": report.already,
            "rejected": report.rejected}
