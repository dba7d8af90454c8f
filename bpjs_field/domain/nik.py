"""The 16-digit NIK: structure, validation and masking.

`PP KK CC DD MM YY SSSS`: province, kabupaten/kota and kecamatan of first
issue, day of birth (women add 40), month, two-digit year, serial from 0001.
There is no check digit, so the offline checks are structural; an unknown
kecamatan is only a warning because old NIKs carry codes of kecamatan that
were later split or renumbered.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.regions import get_region, province_codes
from bpjs_field.errors import ValidationError
from bpjs_field.messages import Notice

_SEPARATORS = re.compile(r"[\s.\-]+")
FIELD = "nik"


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    sex: str  # "L" or "P"
    serial: str
    province_name: str | None = None
    regency_name: str | None = None
    district_name: str | None = None
    warnings: tuple[Notice, ...] = field(default_factory=tuple)

    @property
    def masked(self) -> str:
        return mask_nik(self.nik)


def clean_nik(text: str) -> str:
    """The NIK with spaces, dots and dashes removed (no other check)."""
    return _SEPARATORS.sub("", text or "")


def _is_leap_either_century(yy: int) -> bool:
    return calendar.isleap(1900 + yy) or calendar.isleap(2000 + yy)


def parse_nik(text: str, *, today: date | None = None) -> NikInfo:
    """Validate a NIK and read what it encodes.  Raises `ValidationError(field="nik")`."""
    today = today or today_wib()
    nik = clean_nik(text)
    if not nik:
        raise ValidationError(FIELD, "nik.empty")
    if not nik.isascii() or not nik.isdigit():
        raise ValidationError(FIELD, "nik.not_digits")
    if len(nik) != 16:
        raise ValidationError(FIELD, "nik.length", length=len(nik))
    prov, reg, dist = nik[:2], nik[2:4], nik[4:6]
    dd, mm, yy, serial = int(nik[6:8]), int(nik[8:10]), int(nik[10:12]), nik[12:]
    if prov not in province_codes():
        raise ValidationError(FIELD, "nik.province", code=prov)
    if reg == "00":
        raise ValidationError(FIELD, "nik.regency", code=nik[:4])
    if dist == "00":
        raise ValidationError(FIELD, "nik.district", code=nik[:6])
    if 41 <= dd <= 71:
        sex, day = "P", dd - 40
    elif 1 <= dd <= 31:
        sex, day = "L", dd
    else:
        raise ValidationError(FIELD, "nik.day", day=nik[6:8])
    if not 1 <= mm <= 12:
        raise ValidationError(FIELD, "nik.month", month=nik[8:10])
    year = 1900 + yy if yy > today.year % 100 else 2000 + yy
    if mm == 2 and day == 29:
        if not _is_leap_either_century(yy):
            raise ValidationError(FIELD, "nik.date", day=day, month=mm, yy=nik[10:12])
        if not calendar.isleap(year):
            year = 1900 + yy if year >= 2000 else 2000 + yy
    if day > calendar.monthrange(year, mm)[1]:
        raise ValidationError(FIELD, "nik.date", day=day, month=mm, yy=nik[10:12])
    birth = date(year, mm, day)
    if birth > today:
        raise ValidationError(FIELD, "nik.future", date=birth.isoformat())
    if serial == "0000":
        raise ValidationError(FIELD, "nik.serial")

    warnings: list[Notice] = []
    province = get_region(prov)
    regency = get_region(nik[:4])
    district = get_region(nik[:6])
    if regency is not None and district is None:
        warnings.append(Notice("nik.unknown_district", {"code": nik[:6], "regency": regency.name},
                               field=FIELD))
    return NikInfo(
        nik=nik, province_code=prov, regency_code=nik[:4], district_code=nik[:6],
        birth_date=birth, sex=sex, serial=serial,
        province_name=province.name if province else None,
        regency_name=regency.name if regency else None,
        district_name=district.name if district else None,
        warnings=tuple(warnings),
    )


def mask_nik(nik: str) -> str:
    """`3216091234560001` -> `321609******0001`: region visible, birth date hidden."""
    nik = clean_nik(nik)
    if len(nik) != 16:
        return "*" * len(nik)
    return nik[:6] + "*" * 6 + nik[12:]


def looks_like_nik(text: str) -> bool:
    cleaned = clean_nik(text)
    return len(cleaned) == 16 and cleaned.isascii() and cleaned.isdigit()
