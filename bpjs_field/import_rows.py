"""A row of a partner's list read as the registration form (bpjs_field/importer.py reads
the file and saves the rows).

`row_to_input()` turns a row's cells (Indonesian column names, KTP spellings, Rupiah
with dots, dates as HH-BB-TTTT) into a `RegistrationInput`, naming each cell that cannot
be read; `check_row()` then checks it with the registration form's own rules and gives
either the clean registration or the row's lines of the import report.  Both are pure
functions of the row and `Checks`, so a second process can check rows for this one
(bpjs_field/import_pipeline.py) and give the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from bpjs_field.domain.formatting import parse_rupiah, today_wib
from bpjs_field.domain.nik import clean_nik
from bpjs_field.domain.regions import get_region
from bpjs_field.domain.registration import (CleanRegistration, PersonInput, RegistrationInput,
                                            validate_registration)
from bpjs_field.domain.segments import occupations
from bpjs_field.errors import ValidationError, ValidationErrors

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

Problem = tuple[int, str, str, str]


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


@dataclass(frozen=True)
class Checks:
    """What every row of one import is checked against, fixed at its start."""

    event_id: str | None
    consent_version: str
    today: date
    cut_niks: bool = False


class RowBug(NamedTuple):
    """A row whose check raised an unexpected error (a bug): it is refused, the rest go on."""

    error: str


# What became of a row: its clean registration, its report lines, or a bug.
Checked = CleanRegistration | list[Problem] | RowBug


def problem_lines(line: int, errors: list[ValidationError]) -> list[Problem]:
    """A refused row's lines of the report: (line, column, code, message) per error."""
    return [(line, COLUMN_OF_FIELD.get(err.field, err.field), err.code, err.message())
            for err in errors]


def check_row(line: int, row: dict[str, str] | None, problem: ValidationError | None,
              checks: Checks) -> Checked:
    """One row of the file as `read_rows()` gave it, checked as the form checks it."""
    if problem is not None or row is None:
        return problem_lines(line, [problem or ValidationError("", "csv.row_unreadable")])
    try:
        form = row_to_input(row, event_id=checks.event_id, consent_version=checks.consent_version,
                            today=checks.today, cut_niks=checks.cut_niks)
        return validate_registration(form, today=checks.today)
    except ValidationErrors as exc:
        return problem_lines(line, exc.errors)
    except ValidationError as exc:
        return problem_lines(line, [exc])
    except Exception as exc:  # a bug must not stop the rest of the file
        return RowBug(type(exc).__name__)
