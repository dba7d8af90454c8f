"""What downstream registration asks of a person that the event form did not collect:
the mother's maiden name (nama ibu kandung, a security question), the family card number
(No. KK) and an heir (ahli waris: name and relation, for JKM and JHT claims).  All optional
at the event (a person may not know them), validated when given, and personal data in every
sense: masked on screen and in exports, erased with the person, never logged.

No. KK: 16 digits; its first six are the kecamatan of issue (province known, regency and
district not 00), as on a NIK.  No check digit is known.
"""

from __future__ import annotations

from typing import Any

from bpjs_field.domain.nik import clean_nik
from bpjs_field.domain.regions import province_codes
from bpjs_field.errors import ValidationError

FIELDS = ("mother_name", "kk_no", "heir_name", "heir_relation")
RELATIONS = {"pasangan": ("Suami/istri", "Spouse"), "anak": ("Anak", "Child"),
             "orang_tua": ("Orang tua", "Parent"), "saudara": ("Saudara kandung", "Sibling"),
             "lainnya": ("Lainnya", "Other")}


def parse_kk(text: str) -> str:
    kk = clean_nik(text)
    if not kk.isascii() or not kk.isdigit():
        raise ValidationError("kk_no", "kk.not_digits")
    if len(kk) != 16:
        raise ValidationError("kk_no", "kk.length", length=len(kk))
    if kk[:2] not in province_codes() or kk[2:4] == "00" or kk[4:6] == "00":
        raise ValidationError("kk_no", "kk.region", code=kk[:6])
    return kk


def mask_kk(kk: str | None) -> str | None:
    """`3216090101230001` -> `321609******0001` (region and last four)."""
    if not kk:
        return kk
    return kk[:6] + "*" * (len(kk) - 10) + kk[-4:] if len(kk) > 10 else "*" * len(kk)


def mask_name(name: str | None) -> str | None:
    """A mother's maiden name, a security question: only its initials show."""
    if not name:
        return name
    return " ".join(part[0] + "***" for part in name.split())


def clean_downstream(values: dict[str, Any], errors: list[ValidationError]) -> dict[str, Any]:
    """The four fields as stored (None where not given); problems appended to `errors`."""
    from bpjs_field.domain.names import normalize_name
    out: dict[str, Any] = {key: None for key in FIELDS}
    for key in ("mother_name", "heir_name"):
        text = (values.get(key) or "").strip()
        if text:
            try:
                out[key] = normalize_name(text, field=key)
            except ValidationError as exc:
                errors.append(exc)
    kk = (values.get("kk_no") or "").strip()
    if kk:
        try:
            out["kk_no"] = parse_kk(kk)
        except ValidationError as exc:
            errors.append(exc)
    relation = (values.get("heir_relation") or "").strip().casefold() or None
    if relation is not None and relation not in RELATIONS:
        errors.append(ValidationError("heir_relation", "heir.relation", value=relation[:20]))
    elif relation and not out["heir_name"]:
        errors.append(ValidationError("heir_name", "heir.name_missing"))
    elif out["heir_name"] and not relation:
        errors.append(ValidationError("heir_relation", "heir.relation_missing"))
    out["heir_relation"] = relation
    return out
