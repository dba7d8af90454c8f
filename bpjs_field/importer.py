"""Bulk registration from a partner's list (a cooperative's members, a village's ojek drivers).

The CSV has Indonesian headers (see `COLUMNS`; `bpjs-field import --template`
writes one).  Valid rows are saved; each invalid row is reported with its line
number, field and reason in a CSV report, and stops nothing else.  A row's
registration id is derived from the person's identity, segment and event, so
importing the same file twice, or on two laptops, creates no duplicates.
Comma- and semicolon-separated files (Excel in an Indonesian locale) are both read.
A file is never half-imported: every row is saved or reported, and a run that
must stop (disk full, interrupted) reports each row it did not save.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from bpjs_field.domain.formatting import parse_rupiah, today_wib
from bpjs_field.domain.nik import clean_nik
from bpjs_field.domain.regions import get_region
from bpjs_field.domain.registration import (CleanRegistration, PersonInput, RegistrationInput,
                                            validate_registration)
from bpjs_field.domain.segments import occupations
from bpjs_field.errors import BpjsFieldError, KnownError, ValidationError, ValidationErrors
from bpjs_field.store.bulk import BulkWriter
from bpjs_field.store.registrations import import_registration_id
from bpjs_field.store.connection import DatabaseError, OperationalError
from bpjs_field.store.store import Store

log = logging.getLogger(__name__)

# column -> (required?, description for the template and the README)
COLUMNS: dict[str, tuple[bool, str]] = {
    "nama": (True, "Nama lengkap sesuai KTP/paspor"),
    "segmen": (True, "pu, bpu, asn atau tka"),
    "persetujuan": (True, "ya = peserta menyetujui pemberitahuan privasi (formulir bertanda tangan)"),
    "nik": (False, "16 angka; wajib kecuali TKA"),
    "tanggal_lahir": (False, "HH-BB-TTTT; jika kosong diambil dari NIK"),
    "jenis_kelamin": (False, "L/P atau seperti di KTP (LAKI-LAKI, PEREMPUAN); jika kosong diambil dari NIK"),
    "tempat_lahir": (False, "Kota/kabupaten lahir"),
    "telepon": (False, "Nomor HP, mis. 0812-3456-7890"),
    "email": (False, "Alamat email"),
    "alamat": (False, "Alamat sesuai KTP"),
    "kode_kecamatan": (False, "Kode kecamatan Kemendagri dari daftar wilayah, mis. 32.16.09"),
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
    # What downstream registration asks (bpjs_field/domain/downstream.py): optional, as at
    # the event, validated like the form.
    "nama_ibu_kandung": (False, "Nama ibu kandung (boleh kosong)"),
    "no_kk": (False, "Nomor Kartu Keluarga: 16 angka, 6 angka pertama kode kecamatan di kartu; kolom berformat Teks di Excel (boleh kosong)"),
    "ahli_waris": (False, "Nama ahli waris (boleh kosong; bila diisi, isi hubungan_ahli_waris)"),
    "hubungan_ahli_waris": (False, "pasangan (suami/istri), anak, orang_tua, saudara atau lainnya"),
}
# The columns of downstream registration, by the person's field they fill.
DOWNSTREAM_COLUMNS = {"mother_name": "nama_ibu_kandung", "kk_no": "no_kk",
                      "heir_name": "ahli_waris", "heir_relation": "hubungan_ahli_waris"}
# How partner lists write an heir's relation, as the form's choices.
RELATION_SPELLINGS = {"suami": "pasangan", "istri": "pasangan", "isteri": "pasangan",
                      "suami/istri": "pasangan", "pasangan": "pasangan", "anak": "anak",
                      "anak kandung": "anak", "orang tua": "orang_tua", "orang_tua": "orang_tua",
                      "orangtua": "orang_tua", "ayah": "orang_tua", "ibu": "orang_tua",
                      "saudara": "saudara", "saudara kandung": "saudara", "kakak": "saudara",
                      "adik": "saudara", "lainnya": "lainnya", "lain-lain": "lainnya"}
EXAMPLE = {"nama": "Siti Aminah", "segmen": "bpu", "persetujuan": "ya", "nik": "3216094508900003",
           "tanggal_lahir": "05-08-1990", "jenis_kelamin": "P", "tempat_lahir": "Bekasi",
           "telepon": "0812-3456-7890", "alamat": "Kp. Pulo RT 003/RW 002",
           "kode_kecamatan": "32.16.09", "pekerjaan": "pedagang", "penghasilan": "1.500.000",
           "jht": "ya", "sumber_iuran": "mandiri", "bulan_dibayar": "3"}
# "hasil": tidak disimpan (the row is not in the database) or disimpan (saved, with a
# warning to check).
REPORT_HEADER = ("baris", "kolom", "kode", "pesan", "hasil")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CELL = 500
MAX_MONEY = 10**12  # Rp1 triliun a month: beyond any wage, and within SQLite's integers
OLDEST_AGE = 120
COLUMN_OF_FIELD = {"full_name": "nama", "nik": "nik", "birth_date": "tanggal_lahir",
                   "sex": "jenis_kelamin", "birth_place": "tempat_lahir", "phone": "telepon",
                   "email": "email", "address": "alamat", "district_code": "kode_kecamatan",
                   "occupation": "pekerjaan", "declared_income": "penghasilan",
                   "payer": "sumber_iuran", "months_paid": "bulan_dibayar", "wage": "upah",
                   "risk_class": "kelas_risiko", "employer_name": "pemberi_kerja",
                   "payer_name": "nama_pembayar", "employer_scale": "skala_usaha",
                   "passport_no": "paspor", "nationality": "kewarganegaraan", "kitas_no": "kitas",
                   "kitas_expiry": "kitas_berlaku", "consent": "persetujuan", "segment": "segmen",
                   **DOWNSTREAM_COLUMNS}
# How sex is written on a KTP (LAKI-LAKI / PEREMPUAN), in partner lists and in English ones.
SEX_SPELLINGS = {"l": "L", "lk": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L",
                 "laki": "L", "pria": "L", "m": "L", "male": "L",
                 "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P"}
# A NIK that Excel stored as a number: `3.21609E+15`, `3216094508900000.0`, `3,2161E+15`.
_EXCEL_NUMBER = re.compile(r"^\s*\d+(?:[.,]\d*)?\s*[eE]\s*\+?\s*\d+\s*$|^\s*\d{15,16}[.,]0*\s*$")
# Excel keeps 15 significant digits: a 16-digit NIK comes back with a 0 at the end.
CUT_NIK_MIN_ROWS = 3
CUT_NIK_SHARE = 0.9
# Rows a transaction.  A commit rewrites every index page its rows touched; with a large
# database each batch of random NIKs, phones and names touches a page per row in each
# index, so larger batches share more pages.  The batch's size follows how long the last
# one held the database (`next_batch_size`): as large as fits in HOLD_S, so other writers
# (the app's busy timeout is 5 s) still get their turn between batches, and a small
# database takes the file in a few large batches (+7 % to +9 % rows a second at 300,000
# people over a fixed 5,000; bench/README.md).
BATCH_SIZE = 5000  # the first batch
BATCH_BOUNDS = (1000, 20_000)
HOLD_S = 2.0
# The page cache of the import's connection while it runs, in KiB (the app's 32 MB
# spills dirty index pages to the WAL in the middle of a batch at 300,000 people); the
# connection's own size is put back afterwards.
IMPORT_CACHE_KIB = 128 * 1024

Problem = tuple[int, str, str, str]


@dataclass
class ImportReport:
    """Counts and one line per problem: (line, column, code, message).  `stopped` is the
    error that ended the run early (disk full, interrupted); every row not saved by then
    is in `problems` too.  `warnings`: the same for rows saved with a warning to check
    (a wage below the UMK, a birth date unlike the NIK's), as the form shows them."""

    saved: int = 0
    already: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    stopped: BpjsFieldError | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.saved + self.already + self.rejected

    def saved_warnings(self) -> list[Problem]:
        """The warnings of rows that are in the database (a row checked with a warning and
        then not saved, the disk full, is among `problems` alone)."""
        refused = {problem[0] for problem in self.problems}
        return [warning for warning in self.warnings if warning[0] not in refused]

    def reject(self, line: int, errors: list[ValidationError] | ValidationError) -> None:
        self.rejected += 1
        for err in errors if isinstance(errors, list) else [errors]:
            self.problems.append((line, COLUMN_OF_FIELD.get(err.field, err.field), err.code,
                                  err.message()))


@dataclass
class Rows:
    """A partner's file as read: its columns and each data row with its line number,
    or the problem that kept the row from being read."""

    header: list[str]
    rows: list[tuple[int, dict[str, str] | None, ValidationError | None]]
    cut_niks: bool = False


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


def _birth_date(value: str, field_name: str, today: date) -> date | None:
    born = _date(value, field_name)
    if born is None:
        return None
    if born > today:
        raise ValidationError(field_name, "birth_date.future", value=born.strftime("%d-%m-%Y"))
    if today.year - born.year > OLDEST_AGE:
        raise ValidationError(field_name, "birth_date.too_old", value=born.strftime("%d-%m-%Y"),
                              maximum=OLDEST_AGE)
    return born


def _int(value: str, field_name: str, *, money: bool = False) -> int | None:
    v = value.strip()
    if not v:
        return None
    try:
        number = parse_rupiah(v) if money else int(v)
    except ValueError:
        raise ValidationError(field_name, "number.invalid", value=v[:30]) from None
    if not -MAX_MONEY <= number <= MAX_MONEY:
        raise ValidationError(field_name, "number.invalid", value=v[:30])
    return number


def _sex(value: str, field_name: str) -> str | None:
    v = " ".join(value.split()).casefold()
    if not v:
        return None
    sex = SEX_SPELLINGS.get(v)
    if sex is None:
        raise ValidationError(field_name, "sex.unknown", value=value.strip()[:20])
    return sex


def _district(value: str, field_name: str) -> str | None:
    v = value.strip()
    if not v:
        return None
    region = get_region(v) if re.fullmatch(r"\d{2}\.?\d{2}\.?\d{2}", v) else None
    if region is None or region.level != "district":
        raise ValidationError(field_name, "district.unknown", value=v[:20])
    return region.code


def _nik(value: str, field_name: str, cut_niks: bool) -> str | None:
    v = value.strip()
    if not v:
        return None
    if _EXCEL_NUMBER.match(v):
        raise ValidationError(field_name, "nik.excel", value=v[:30])
    digits = clean_nik(v)
    if cut_niks and len(digits) == 16 and digits.isdigit() and digits.endswith("0"):
        raise ValidationError(field_name, "nik.excel", value=v[:30])
    return v


def _kk(value: str, field_name: str) -> str | None:
    """A family card number as written; a number Excel reformatted (`3.21609E+15`) is named
    as such (its last digits are lost), the rest is checked like the form's."""
    v = value.strip()
    if not v:
        return None
    if _EXCEL_NUMBER.match(v):
        raise ValidationError(field_name, "kk.excel", value=v[:30])
    return v


def _relation(value: str, field_name: str) -> str | None:
    v = " ".join(value.split()).casefold()
    if not v:
        return None
    return RELATION_SPELLINGS.get(v, v)  # anything else is refused by the form's rule


@lru_cache(maxsize=1)
def _occupation_codes() -> dict[str, str]:
    return {label.casefold(): code for code, (label, _en, _s) in occupations().items()}


def _occupation(value: str) -> str | None:
    v = value.strip()
    if not v:
        return None
    return _occupation_codes().get(v.casefold(), v.casefold())


def row_to_input(row: dict[str, str], *, event_id: str | None, consent_version: str,
                 today: date | None = None, cut_niks: bool = False) -> RegistrationInput:
    """One CSV row as a registration form; cell-level errors raise ValidationErrors."""
    today = today or today_wib()
    errors: list[ValidationError] = []
    if row and max(map(len, row.values())) > MAX_CELL:  # one pass in C; named below
        raise ValidationErrors([ValidationError(column, "too_long", maximum=MAX_CELL)
                                for column, cell in row.items() if len(cell) > MAX_CELL])

    def get(column: str, convert, *args, **kwargs):
        try:
            return convert(row.get(column) or "", column, *args, **kwargs)
        except ValidationError as exc:
            errors.append(exc)
            return None

    consent = get("persetujuan", _yes)
    person = PersonInput(
        full_name=row.get("nama") or "", nik=get("nik", _nik, cut_niks),
        passport_no=row.get("paspor") or None, nationality=row.get("kewarganegaraan") or None,
        kitas_no=row.get("kitas") or None, kitas_expiry=get("kitas_berlaku", _date),
        birth_date=get("tanggal_lahir", _birth_date, today),
        sex=get("jenis_kelamin", _sex),
        birth_place=row.get("tempat_lahir") or None, phone=row.get("telepon") or None,
        email=row.get("email") or None, address=row.get("alamat") or None,
        district_code=get("kode_kecamatan", _district),
        mother_name=row.get("nama_ibu_kandung") or None, kk_no=get("no_kk", _kk),
        heir_name=row.get("ahli_waris") or None,
        heir_relation=get("hubungan_ahli_waris", _relation),
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


def read_rows(path: Path) -> Rows:
    """The file's rows; a file that cannot be a partner list at all raises BpjsFieldError."""
    if not path.is_file():
        raise BpjsFieldError("file.missing", path=str(path))
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise BpjsFieldError("file.unreadable", path=str(path), detail=exc.strerror or "") from None
    if len(raw) > MAX_FILE_BYTES:
        raise BpjsFieldError("file.too_big", maximum_mb=MAX_FILE_BYTES // 2**20)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BpjsFieldError("csv.encoding") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # A cell may be as big as the file: the row is refused with its line, not the file.
    csv.field_size_limit(MAX_FILE_BYTES + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except (StopIteration, csv.Error):
        header = []
    named = [h for h in header if h]
    duplicates = sorted({h for h in named if named.count(h) > 1})
    if duplicates:
        raise BpjsFieldError("csv.duplicate_column", columns=", ".join(d[:40] for d in duplicates))
    missing = [c for c, (required, _) in COLUMNS.items() if required and c not in header]
    if missing:
        raise BpjsFieldError("csv.columns", columns=", ".join(missing))
    rows: list[tuple[int, dict[str, str] | None, ValidationError | None]] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            rows.append((start, None, ValidationError("", "csv.row_unreadable")))
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            rows.append((start, None, ValidationError("", "csv.extra_cells", count=len(cells),
                                                      columns=len(header))))
            continue
        rows.append((start, {h: c for h, c in zip(header, cells) if h}, None))
    return Rows(header, rows, cut_niks=_niks_look_cut(rows))


def _niks_look_cut(rows: list[tuple[int, dict[str, str] | None, ValidationError | None]]) -> bool:
    """Most NIKs of the file end in 0: Excel kept 15 significant digits of each."""
    niks = [n for n in (clean_nik((r or {}).get("nik") or "") for _, r, _ in rows)
            if len(n) == 16 and n.isdigit()]
    zeros = sum(1 for n in niks if n.endswith("0"))
    return len(niks) >= CUT_NIK_MIN_ROWS and zeros >= CUT_NIK_SHARE * len(niks)


def import_csv(store: Store, path: Path, *, event_id: str | None = None,
               consent_version: str, batch_size: int | None = None,
               today: date | None = None, rows: Rows | None = None,
               progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import every row: each is saved or reported, never half of the file.

    Rows are validated one by one (the same rules as the registration form) and the
    valid ones saved in batches, one durable transaction each (`BulkWriter`).  A batch
    the database refuses is saved again row by row, so only the row at fault is
    reported.  An error of the laptop itself (disk full, the database busy too long)
    or an interruption ends the run: the rows not saved by then are reported, and
    `report.stopped` says why.  Importing the same file again saves nothing twice.
    `rows`: the file as `read_rows()` already read it; `progress(done, total)` is called
    after each batch; `batch_size` fixes the rows a batch (else they follow `HOLD_S`)."""
    read = rows if rows is not None else read_rows(path)
    event = store.events.get(event_id) if event_id else None
    if event_id and not event:
        raise ValidationError("event_id", "event.unknown", value=event_id[:40])
    today = today or today_wib()
    report = ImportReport()
    writer = BulkWriter(store)
    pending: list[tuple[int, CleanRegistration]] = []
    saving: list[tuple[int, CleanRegistration]] | None = None  # the batch being written
    done = 0  # rows of the file validated so far
    size = batch_size or BATCH_SIZE
    with _import_cache(store):
        try:
            for line, row, problem in read.rows:
                clean = _validate(report, line, row, problem, event_id=event_id,
                                  consent_version=consent_version, today=today,
                                  cut_niks=read.cut_niks,
                                  workplace=event.get("district_code") if event else None)
                done += 1
                if clean is not None:
                    pending.append((line, clean))
                if pending and (len(pending) >= size or done == len(read.rows)):
                    saving = pending
                    started = time.monotonic()
                    outcomes = _save(store, writer, pending)
                    if batch_size is None:
                        size = next_batch_size(len(pending), time.monotonic() - started)
                    saving, pending = None, []
                    _count(report, outcomes)
                    if progress is not None:
                        progress(done, len(read.rows))
        except (KnownError, KeyboardInterrupt) as exc:
            stopped = exc if isinstance(exc, KnownError) else BpjsFieldError("import.interrupted")
            report.stopped = stopped
            unsaved = pending
            if saving is not None:  # stopped during a batch: what reached the disk is saved
                settled = _settled(writer, saving)
                _count(report, [outcome for outcome in settled if outcome[1] != "unsaved"])
                unsaved = [item for item, (_line, outcome) in zip(saving, settled) if outcome == "unsaved"]
            not_saved = ValidationError("", "import.not_saved", reason=stopped.message())
            for line, _clean in unsaved:
                report.reject(line, not_saved)
            for line, _row, _problem in read.rows[done:]:
                report.reject(line, not_saved)
    with contextlib.suppress(BpjsFieldError, *OperationalError, *DatabaseError):
        with store.write():
            store.audit("import.csv", rows=report.total, saved=report.saved,
                        already=report.already, rejected=report.rejected,
                        stopped=report.stopped.code if report.stopped else None)
    return report


@contextlib.contextmanager
def _import_cache(store: Store) -> Iterator[None]:
    """The connection's page cache at `IMPORT_CACHE_KIB` for the import, its own size after."""
    own = store.db.execute("PRAGMA cache_size").fetchone()[0]
    store.db.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with contextlib.suppress(*OperationalError, *DatabaseError):
            store.db.execute(f"PRAGMA cache_size={int(own)}")
            store.db.execute("PRAGMA shrink_memory")


def next_batch_size(rows: int, held_s: float) -> int:
    """The rows of the next batch, after a batch of `rows` held the database `held_s`
    seconds: as many as fit in `HOLD_S` at the same pace, within `BATCH_BOUNDS`, and at
    most twice as many as the last (a pace measured on a small batch is a rough guide)."""
    low, high = BATCH_BOUNDS
    if held_s <= 0:
        return min(high, rows * 2)
    fitting = int(rows * HOLD_S / held_s)
    return max(low, min(high, rows * 2, fitting))


def _count(report: ImportReport, outcomes: list[tuple[int, str]]) -> None:
    for line, outcome in outcomes:
        if outcome == "saved":
            report.saved += 1
        elif outcome == "already":
            report.already += 1
        else:
            report.reject(line, ValidationError("", "import.row_failed"))


def _settled(writer: BulkWriter, batch: list[tuple[int, CleanRegistration]]) -> list[tuple[int, str]]:
    """A batch whose writing was cut short (the disk filled, the officer pressed Ctrl+C,
    perhaps just after its commit): each row as the database now holds it."""
    ids = [import_registration_id(c.person, c.segment, c.event_id) for _line, c in batch]
    try:
        present = writer.existing_registrations(ids)
    except Exception:  # the database cannot even be read: nothing is counted as saved
        present = set()
    before = writer.before if writer.before is not None else present
    seen: set[str] = set()
    out = []
    for (line, _clean), reg_id in zip(batch, ids):
        if reg_id not in present:
            out.append((line, "unsaved"))
        elif reg_id in before or reg_id in seen:
            out.append((line, "already"))
        else:
            out.append((line, "saved"))
        seen.add(reg_id)
    return out


def _validate(report: ImportReport, line: int, row: dict[str, str] | None,
              problem: ValidationError | None, **kwargs: Any) -> CleanRegistration | None:
    if problem is not None or row is None:
        report.reject(line, problem or ValidationError("", "csv.row_unreadable"))
        return None
    today = kwargs["today"]
    try:
        form = row_to_input(row, event_id=kwargs["event_id"], consent_version=kwargs["consent_version"],
                            today=today, cut_niks=kwargs["cut_niks"])
        form.workplace_code = kwargs.get("workplace")
        clean = validate_registration(form, today=today)
        for notice in clean.warnings:  # a row saved with something to check
            report.warnings.append((line, COLUMN_OF_FIELD.get(notice.field, notice.field),
                                    notice.code, notice.message()))
        return clean
    except ValidationErrors as exc:
        report.reject(line, exc.errors)
    except ValidationError as exc:
        report.reject(line, exc)
    except Exception as exc:  # a bug must not stop the rest of the file
        log.error("import: line %d could not be checked (%s)", line, type(exc).__name__)
        report.reject(line, ValidationError("", "import.row_failed"))
    return None


def _save(store: Store, writer: BulkWriter,
          pending: list[tuple[int, CleanRegistration]]) -> list[tuple[int, str]]:
    """Save a batch in one transaction: (line, "saved" | "already" | "failed") per row.
    A batch the database refuses is saved again row by row to find the row at fault."""
    try:
        with store.write():
            saved = writer.save_batch([clean for _line, clean in pending])
    except KnownError:
        raise
    except Exception as exc:
        if len(pending) > 1:
            return [outcome for item in pending for outcome in _save(store, writer, [item])]
        log.error("import: line %d could not be saved (%s)", pending[0][0], type(exc).__name__)
        return [(pending[0][0], "failed")]
    return [(line, "already" if outcome.already_registered else "saved")
            for (line, _clean), outcome in zip(pending, saved)]


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
        writer.writerows([*(spreadsheet_safe(cell) for cell in row), "tidak disimpan"]
                         for row in report.problems)
        writer.writerows([*(spreadsheet_safe(cell) for cell in row), "disimpan"]
                         for row in report.saved_warnings())


def summary(report: ImportReport) -> dict[str, Any]:
    return {"rows": report.total, "saved": report.saved, "already": report.already,
            "rejected": report.rejected}
