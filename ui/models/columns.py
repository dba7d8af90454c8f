"""How a person row shows in tables: the columns, with NIK and phone masked.

The NIK shows as `321609******0001` (region visible, birth date hidden) unless
the officer asked to see it in full; passports and phones are masked the same
way.  Shared by the lazy people table and the search results.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.nik import mask_nik
from bpjs_field.domain.phone import mask_phone
from bpjs_field.domain.regions import get_region

NAME, IDENT, PHONE, DISTRICT, CODES = range(5)
COLUMN_COUNT = 5
SORT_ROLE = Qt.UserRole + 1  # the raw value, for sorting
ROW_ROLE = Qt.UserRole + 2  # the whole row dict


def headers() -> tuple[str, ...]:
    return (QCoreApplication.translate("PeopleColumns", "Name"),
            QCoreApplication.translate("PeopleColumns", "NIK / passport"),
            QCoreApplication.translate("PeopleColumns", "Mobile"),
            QCoreApplication.translate("PeopleColumns", "Kecamatan"),
            QCoreApplication.translate("PeopleColumns", "Registration codes"))


def mask_passport(passport: str) -> str:
    if len(passport) <= 4:
        return "*" * len(passport)
    return passport[:2] + "*" * (len(passport) - 4) + passport[-2:]


def ident_text(row: dict[str, Any], reveal: bool = False) -> str:
    if row.get("nik"):
        return row["nik"] if reveal else mask_nik(row["nik"])
    if row.get("passport_no"):
        passport = row["passport_no"] if reveal else mask_passport(row["passport_no"])
        return f"{passport} ({row.get('nationality') or '?'})"
    return ""


def cell(row: dict[str, Any], column: int, reveal: bool = False) -> str:
    if column == NAME:
        return row.get("full_name") or ""
    if column == IDENT:
        return ident_text(row, reveal)
    if column == PHONE:
        return mask_phone(row["phone"]) if row.get("phone") else ""
    if column == DISTRICT:
        region = get_region(row["district_code"]) if row.get("district_code") else None
        return region.name if region else ""
    if column == CODES:
        return " ".join(format_code(c) for c in (row.get("codes") or "").split())
    return ""


def sort_value(row: dict[str, Any], column: int) -> str:
    if column == NAME:
        return (row.get("full_name") or "").casefold()
    return cell(row, column)
