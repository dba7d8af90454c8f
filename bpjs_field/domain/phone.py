"""Indonesian mobile numbers, through Google's libphonenumber metadata (`phonenumbers`).

Any usual way of writing one (`0812…`, `+62 812…`, `62812…`, with spaces,
dashes, dots or brackets) becomes E.164 (`+6281234567890`).  Landlines,
foreign numbers and impossible numbers are refused with a message that says
which form is expected.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from bpjs_field.errors import ValidationError

FIELD = "phone"
_ALLOWED = re.compile(r"^[\d\s+().\-]+$")
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_phone(text: str) -> str:
    """E.164 form of an Indonesian mobile number; raises `ValidationError(field="phone")`."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError(FIELD, "phone.empty")
    if not _ALLOWED.match(raw):
        raise ValidationError(FIELD, "phone.characters")
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("620"):
        # "+62 0812…" mixes the country code with the trunk 0: libphonenumber would
        # silently drop the 0, but it is a typing mistake worth pointing out.
        raise ValidationError(FIELD, "phone.invalid")
    fast = _mobile_without_parsing(raw, digits)
    if fast is not None:
        return fast
    if raw.startswith("+"):
        candidate = "+" + digits
    elif digits.startswith("62"):
        candidate = "+" + digits
    else:
        candidate = digits
    try:
        number = phonenumbers.parse(candidate, "ID")
    except NumberParseException:
        raise ValidationError(FIELD, "phone.invalid") from None
    if number.country_code != 62:
        raise ValidationError(FIELD, "phone.foreign")
    # One match against the metadata: UNKNOWN is exactly what `is_valid_number` refuses
    # (calling both would match every pattern twice, a third of a partner list's import).
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        raise ValidationError(FIELD, "phone.invalid")
    if kind not in _MOBILE_TYPES:
        raise ValidationError(FIELD, "phone.not_mobile")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _mobile_without_parsing(raw: str, digits: str) -> str | None:
    """The usual forms (`08…`, `+628…`, `628…`) give the national number without
    `phonenumbers.parse` (a third of a partner list's validation); only a number the
    metadata calls mobile is answered here, everything else takes the full path."""
    if digits.startswith("08") and not raw.startswith("+"):
        national = digits[1:]
    elif digits.startswith("628"):
        national = digits[2:]
    else:
        return None
    if not 9 <= len(national) <= 12:
        return None
    number = phonenumbers.PhoneNumber(country_code=62, national_number=int(national))
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return None
    return "+62" + national


def format_phone(e164: str, *, international: bool = False) -> str:
    """`+6281234567890` -> `0812-3456-7890` (or `+62 812-3456-7890`)."""
    number = phonenumbers.parse(e164, "ID")
    fmt = PhoneNumberFormat.INTERNATIONAL if international else PhoneNumberFormat.NATIONAL
    return phonenumbers.format_number(number, fmt).replace(" ", "-").replace("+62-", "+62 ")


def mask_phone(e164: str) -> str:
    """`+6281234567890` -> `0812-****-7890`: enough to confirm with the person, no more."""
    national = "0" + e164[3:] if e164.startswith("+62") else e164
    if len(national) < 8:
        return "*" * len(national)
    return f"{national[:4]}-{'*' * (len(national) - 8)}-{national[-4:]}"


def phone_search_tokens(e164: str) -> list[str]:
    """Forms an officer may type when searching: national `0812…` and `62812…`."""
    if not e164.startswith("+62"):
        return [e164.lstrip("+")]
    return ["0" + e164[3:], e164[1:]]
