"""Reading typed text into values for the core: dates as the officer writes them
(`22-11-1988`, `22/11/1988`, `22111988`) and rupiah amounts (`Rp5.000.000`)."""

from __future__ import annotations

import re
from datetime import date

from bpjs_field.domain.formatting import parse_rupiah
from bpjs_field.errors import ValidationError

_DATE = re.compile(r"^(\d{1,2})[-/. ]?(\d{1,2})[-/. ]?(\d{4})$")


def parse_day(text: str, field: str) -> date | None:
    """DD-MM-YYYY (any of - / . or none as separator) -> date; empty -> None."""
    text = (text or "").strip()
    if not text:
        return None
    match = _DATE.match(text)
    if match and len(text.replace("-", "").replace("/", "").replace(".", "")) in (8, 6, 7):
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise ValidationError(field, "date.invalid", value=text[:30])


def format_day(day: date | str | None) -> str:
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return day.strftime("%d-%m-%Y")


def parse_amount(text: str, field: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_rupiah(text)
    except ValueError:
        raise ValidationError(field, "number.invalid", value=text[:30]) from None
