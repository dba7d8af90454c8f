"""Identity of foreign workers (TKA): passport, nationality (ISO 3166 through pycountry), KITAS/KITAP."""

from __future__ import annotations

import re
from datetime import date

import pycountry

from bpjs_field.domain.formatting import today_wib
from bpjs_field.errors import ValidationError

_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
_PERMIT = re.compile(r"^[A-Z0-9][A-Z0-9/\-.]{4,29}$")
_SEPARATORS = re.compile(r"[\s\-]+")


def normalize_passport(text: str) -> str:
    value = _SEPARATORS.sub("", (text or "")).upper()
    if not value:
        raise ValidationError("passport_no", "passport.empty")
    if not _PASSPORT.match(value):
        raise ValidationError("passport_no", "passport.invalid")
    return value


def normalize_nationality(text: str) -> str:
    """ISO 3166-1 alpha-2 code from a code (CN, CHN) or an English country name."""
    value = (text or "").strip()
    if not value:
        raise ValidationError("nationality", "nationality.empty")
    country = None
    try:
        if len(value) == 2:
            country = pycountry.countries.get(alpha_2=value.upper())
        elif len(value) == 3:
            country = pycountry.countries.get(alpha_3=value.upper())
        if country is None:
            country = pycountry.countries.lookup(value)
    except LookupError:
        country = None
    if country is None:
        raise ValidationError("nationality", "nationality.unknown", value=value[:40])
    if country.alpha_2 == "ID":
        raise ValidationError("nationality", "nationality.indonesian")
    return country.alpha_2


def country_name(alpha_2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha_2)
    return country.name if country else alpha_2


def normalize_permit(text: str) -> str:
    """KITAS/KITAP number, upper-cased, spaces removed."""
    value = re.sub(r"\s+", "", text or "").upper()
    if not value:
        raise ValidationError("kitas_no", "kitas.empty")
    if not _PERMIT.match(value):
        raise ValidationError("kitas_no", "kitas.invalid")
    return value


def check_permit_expiry(expiry: date, *, today: date | None = None) -> None:
    today = today or today_wib()
    if expiry <= today:
        raise ValidationError("kitas_expiry", "kitas.expired", date=expiry.isoformat())


def mask_passport(passport: str) -> str:
    if len(passport) <= 4:
        return "*" * len(passport)
    return passport[:2] + "*" * (len(passport) - 4) + passport[-2:]
