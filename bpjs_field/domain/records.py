"""The domain rules for the stored values of synced rows: one definition for the laptop
(rows it pulls) and the branch server (changes laptops push).

A value is valid when it is what the laptop's own validation would have stored: a NIK
that `parse_nik` accepts, a phone already in the E.164 form `normalize_phone` gives, a
sex of `L`/`P`, a known segment or payer, a registration code whose check symbol holds,
ISO dates and times, bounded texts, whole non-negative amounts.  `REQUIRED` lists what a
whole row must hold (the laptop schema's NOT NULL columns).

Reasons are codes with the field (`person.sex: sex.invalid`), never the value: values may
be personal data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from bpjs_field.domain.codes import normalize_code
from bpjs_field.domain.downstream import RELATIONS, parse_kk
from bpjs_field.domain.entities import SYNCED_ENTITIES
from bpjs_field.domain.followup import MAX_PAID_MONTHS, STATUSES
from bpjs_field.domain.foreign import normalize_nationality, normalize_passport, normalize_permit
from bpjs_field.domain.nik import parse_nik
from bpjs_field.domain.phone import normalize_phone
from bpjs_field.domain.programs import SCALES
from bpjs_field.domain.registration import _EMAIL
from bpjs_field.domain.segments import PAYERS, SEGMENTS
from bpjs_field.errors import ValidationError

Rule = Callable[[Any], str | None]  # the reason a value is refused, or None
_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
# Unicode category Cc (as `clean_text` refuses), tab and newline allowed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text(maximum: int, *, empty: bool = True) -> Rule:
    def rule(value: Any) -> str | None:
        if not isinstance(value, str):
            return "type.text"
        if not empty and not value.strip():
            return "required"
        if len(value) > maximum:
            return "too_long"
        if _CONTROL.search(value):
            return "text.control"
        return None
    return rule


def _choice(values: Any, code: str) -> Rule:
    allowed = frozenset(values)
    return lambda v: None if isinstance(v, str) and v in allowed else code


def _normalised(fn: Callable[[str], Any], code: str) -> Rule:
    """Valid when the laptop's normaliser accepts the value and leaves it as it is."""
    def rule(value: Any) -> str | None:
        if not isinstance(value, str):
            return "type.text"
        try:
            out = fn(value)
        except ValidationError as exc:
            return exc.code
        return None if out == value else code
    return rule


def _nik(value: Any) -> str | None:
    return _normalised(lambda v: parse_nik(v).nik, "nik.not_normalised")(value)


def _day(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) != 10:
        return "date.invalid"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return "date.invalid"
    return None if 1900 <= day.year <= 2100 else "date.out_of_range"


def _moment(value: Any) -> str | None:
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return "time.invalid"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return "time.invalid"
    return None if 2000 <= moment.year <= 2100 else "time.out_of_range"


def _digits(length: int) -> Rule:
    pattern = re.compile(rf"^[0-9]{{{length}}}$")
    return lambda v: None if isinstance(v, str) and pattern.match(v) else "code.invalid"


def _digits_between(low: int, high: int) -> Rule:
    pattern = re.compile(rf"^[0-9]{{{low},{high}}}$")
    return lambda v: None if isinstance(v, str) and pattern.match(v) else "code.invalid"


def _amount(low: int, high: int) -> Rule:
    def rule(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return "type.integer"
        return None if low <= value <= high else "out_of_range"
    return rule


def _flag(value: Any) -> str | None:
    return None if value in (0, 1) and not isinstance(value, float) else "type.flag"


def _id(value: Any) -> str | None:
    return None if isinstance(value, str) and _ID.match(value) else "id.invalid"


def _json(kind: type) -> Rule:
    def rule(value: Any) -> str | None:
        if not isinstance(value, str) or len(value) > 8000:
            return "json.invalid"
        try:
            parsed = json.loads(value)
        except ValueError:
            return "json.invalid"
        return None if isinstance(parsed, kind) else "json.invalid"
    return rule


def _kk(value: Any) -> str | None:
    return _normalised(parse_kk, "kk.not_normalised")(value)


def _email(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > 254 or not _EMAIL.match(value):
        return "email.invalid"
    return None if value == value.lower() else "email.not_normalised"


def _code(value: Any) -> str | None:
    return None if isinstance(value, str) and normalize_code(value) == value else "code.invalid"


_NAME = _text(200, empty=False)
_SHORT = _text(200)
_MONEY = _amount(0, 10**12)

RULES: dict[str, dict[str, Rule]] = {
    "person": {
        "id": _id, "nik": _nik, "passport_no": _normalised(normalize_passport, "passport.invalid"),
        "nationality": _normalised(normalize_nationality, "nationality.unknown"),
        "kitas_no": _normalised(normalize_permit, "kitas.invalid"), "kitas_expiry": _day,
        "full_name": _NAME, "birth_date": _day, "birth_place": _text(60),
        "sex": _choice(("L", "P"), "sex.invalid"), "phone": _normalised(normalize_phone, "phone.invalid"),
        "email": _email, "address": _text(300), "district_code": _digits(6),
        "village_code": _digits(10), "postal_code": _digits(5), "occupation": _SHORT,
        "consent_version": _text(40, empty=False), "consent_at": _moment,
        "consent_withdrawn_at": _moment, "erased_at": _moment, "created_device": _id,
        "created_at": _moment, "mother_name": _text(200), "kk_no": _kk,
        "heir_name": _text(200), "heir_relation": _choice(RELATIONS, "heir.relation"),
        "merged_into": _id,
    },
    "registration": {
        "id": _id, "code": _code, "person_id": _id, "event_id": _id, "officer_id": _id,
        "device_id": _id, "segment": _choice(SEGMENTS, "segment.invalid"),
        "programs": _json(list), "declared_income": _MONEY, "wage": _MONEY,
        "risk_class": _amount(1, 5), "occupation": _SHORT, "sector": _SHORT,
        "payer": _choice(PAYERS, "payer.invalid"), "months_paid": _amount(1, 120),
        "employer_name": _SHORT, "payer_name": _text(120),
        "employer_scale": _choice(SCALES, "employer_scale.unknown"),
        "contribution": _json(dict), "monthly_total": _MONEY, "amount_due": _MONEY,
        "consent_version": _text(40, empty=False), "consent_at": _moment,
        "status": _choice(STATUSES, "status.invalid"), "source": _text(30, empty=False),
        "created_at": _moment,
        "kpj_no": _digits(11), "payment_code": _digits_between(5, 30), "submitted_at": _day,
        "kpj_at": _day, "first_paid_at": _day, "first_paid_months": _amount(1, MAX_PAID_MONTHS),
        "stopped_reason": _text(200), "status_at": _moment, "status_by": _id,
    },
    "attendance": {
        "id": _id, "event_id": _id, "person_id": _id, "checked_in_at": _moment,
        "method": _choice(("scan", "search", "registration", "import", "sync"), "method.invalid"),
        "device_id": _id, "officer_id": _id, "registration_id": _id,
    },
    "event": {
        "id": _id, "kind": _text(60, empty=False), "title": _NAME, "starts_at": _moment,
        "ends_at": _moment, "venue": _NAME, "district_code": _digits(6), "partner_org": _SHORT,
        "targets": _json(dict), "branch": _SHORT, "created_by": _id, "created_at": _moment,
        "updated_at": _moment, "deleted_at": _moment,
    },
    "officer": {
        "id": _id, "employee_no": _text(30, empty=False), "full_name": _NAME,
        "branch": _NAME, "role": _choice(("officer", "supervisor"), "role.invalid"),
        "active": _flag, "created_at": _moment, "updated_at": _moment,
    },
    "print": {
        "id": _id, "at": _moment, "document": _text(60, empty=False), "subject_id": _SHORT,
        "version": _SHORT, "copies": _amount(1, 10_000), "is_reprint": _flag, "printer": _SHORT,
        "officer_id": _id, "device_id": _SHORT,
    },
}
# The laptop checks the shape of these instead of calling the NIK and phone libraries
# (30-80 µs a value: a first pull of 100,000 people would take 10 s longer); the server
# checks every pushed value with the full rule, so they reach a laptop already checked.
_SHAPE = {"nik": _digits(16),
          "phone": lambda v: None if isinstance(v, str) and re.match(r"^\+62[0-9]{8,13}$", v)
          else "phone.invalid"}
_QUICK: dict[str, dict[str, Rule]] = {
    entity: {**rules, **{f: r for f, r in _SHAPE.items() if f in rules}}
    for entity, rules in RULES.items()}

# What a whole row must hold: the laptop schema's NOT NULL columns that pulls do not fill in
# (the `required` fields of bpjs_field/domain/entities.py).
REQUIRED: dict[str, tuple[str, ...]] = {e.name: e.required for e in SYNCED_ENTITIES}


def check_values(entity: str, values: dict[str, Any], *,
                 quick: bool = False) -> list[tuple[str, str]]:
    """(field, reason) for each value the rules refuse.  A field the entity does not have
    is not checked (the server and the laptop ignore it); None clears a field, refused only
    where a whole row must hold it.  `quick`: NIK and phone by their shape only."""
    rules = (_QUICK if quick else RULES).get(entity, {})
    required = REQUIRED.get(entity, ())
    found = []
    for field, value in values.items():
        rule = rules.get(field)
        if rule is None:
            continue
        if value is None:
            if field in required:
                found.append((field, "required"))
            continue
        reason = rule(value)
        if reason is not None:
            found.append((field, reason))
    return found


def check_row(entity: str, data: dict[str, Any], *, quick: bool = False) -> list[tuple[str, str]]:
    """A whole row: every value by its rule, and every required field present."""
    found = check_values(entity, data, quick=quick)
    found += [(f, "required") for f in REQUIRED.get(entity, ())
              if data.get(f) is None and (f, "required") not in found]
    if entity == "person" and not (data.get("nik") or data.get("passport_no")
                                   or data.get("erased_at")):
        found.append(("nik", "required"))
    return found


def describe(entity: str, problems: list[tuple[str, str]]) -> str:
    """`person.sex: sex.invalid; …` (codes and field names only)."""
    return "; ".join(f"{entity}.{field}: {reason}" for field, reason in problems)[:300]
