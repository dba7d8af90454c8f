"""Validation of a whole registration form, field by field.

`validate_registration()` checks every field at once and raises
`ValidationErrors` listing each bad field, so the form can show all messages
next to their fields; non-blocking mismatches (a birth date that differs from
the NIK) come back as warnings.  The result is clean data the store writes as is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from bpjs_field.domain.contribution import Contribution, pu_contribution
from bpjs_field.domain.foreign import (check_permit_expiry, normalize_nationality,
                                       normalize_passport, normalize_permit)
from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.names import normalize_name
from bpjs_field.domain.nik import parse_nik
from bpjs_field.domain.phone import normalize_phone
from bpjs_field.domain.plan import PaymentPlan, bpu_plan, stored_contribution
from bpjs_field.domain.programs import SCALED_SEGMENTS, SCALES, Reason, wage_programs
from bpjs_field.domain.regions import get_region
from bpjs_field.domain.segments import PAYERS, SEGMENTS, occupations, sector_of
from bpjs_field.domain.umk import WAGE_FLOOR, below_umk
from bpjs_field.errors import ValidationError, ValidationErrors
from bpjs_field.messages import Notice

MAX_TEXT = 200
# Payers whose name the receipt prints ("Iuran dibayar oleh Pemerintah Kota Cilegon (APBD)").
NAMED_PAYERS = ("apbd", "apbn", "csr")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Unicode's control characters (category Cc: U+0000-001F and U+007F-009F, a set Unicode
# never changes) but tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class PersonInput:
    full_name: str = ""
    nik: str | None = None
    passport_no: str | None = None
    nationality: str | None = None
    kitas_no: str | None = None
    kitas_expiry: date | None = None
    birth_date: date | None = None
    sex: str | None = None
    birth_place: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    district_code: str | None = None
    village_code: str | None = None
    postal_code: str | None = None
    occupation: str | None = None
    # What downstream registration asks (bpjs_field/domain/downstream.py): optional.
    mother_name: str | None = None
    kk_no: str | None = None
    heir_name: str | None = None
    heir_relation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("birth_date", "kitas_expiry"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data


_TEXT_FIELDS = ("full_name", "nik", "passport_no", "nationality", "kitas_no", "sex", "birth_place",
                "phone", "email", "address", "district_code", "village_code", "postal_code",
                "occupation")


@dataclass
class RegistrationInput:
    segment: str
    person: PersonInput
    consent_given: bool = False
    consent_version: str | None = None
    event_id: str | None = None
    declared_income: int | None = None
    with_jht: bool = False
    occupation: str | None = None
    sector: str | None = None
    payer: str = "mandiri"
    payer_name: str | None = None  # the agency, ministry or company that pays
    months_paid: int = 1
    wage: int | None = None
    risk_class: int | None = None
    employer_name: str | None = None
    employer_scale: str | None = None  # PU and TKA: mikro, kecil, menengah, besar
    # Where the wage's UMK is looked up (a kecamatan or kabupaten/kota code): the event's
    # place, set by whoever knows the event (the form, the import); see domain/umk.py.
    workplace_code: str | None = None
    period: date | None = None
    source: str = "form"


@dataclass
class CleanRegistration:
    """A validated registration: person fields ready to store, the first month's
    contribution, and the plan of every month paid now."""

    segment: str
    person: dict[str, Any]
    contribution: Contribution
    plan: PaymentPlan
    programs: list[str]
    consent_version: str
    event_id: str | None
    declared_income: int | None
    wage: int | None
    risk_class: int | None
    occupation: str | None
    sector: str | None
    payer: str | None
    months_paid: int | None
    employer_name: str | None
    source: str
    payer_name: str | None = None
    employer_scale: str | None = None
    reasons: tuple[Reason, ...] = ()
    warnings: list[Notice] = field(default_factory=list)

    @property
    def amount_due(self) -> int:
        """What is paid now: every month of the plan, each at its own rules."""
        return self.plan.total

    def contribution_json(self) -> dict[str, Any]:
        """The first month's contribution with the plan, as stored and synced."""
        return stored_contribution(self.contribution, self.plan)


def clean_text(value: str | None, field_name: str, *, maximum: int = MAX_TEXT,
               required: bool = False) -> str | None:
    """Trim, NFC-normalise and bound a free-text field; control characters refused."""
    if value is None or not str(value).strip():
        if required:
            raise ValidationError(field_name, "required")
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    if _CONTROL.search(text):
        raise ValidationError(field_name, "text.control")
    if len(text) > maximum:
        raise ValidationError(field_name, "too_long", maximum=maximum)
    return text


def _person(p: PersonInput, segment: str, today: date, errors: list[ValidationError],
            warnings: list[Notice]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    # A value that is not text (a number, a list) is refused for its field alone, before any
    # rule below tries string methods on it.
    not_text = [name for name in _TEXT_FIELDS
                if getattr(p, name) is not None and not isinstance(getattr(p, name), str)]
    if not_text:
        errors.extend(ValidationError(name, "text.not_text") for name in not_text)
        p = replace(p, **{name: None for name in not_text})
    first_error = len(errors)

    def attempt(name: str, fn, *args, **kwargs):
        try:
            out[name] = fn(*args, **kwargs)
        except ValidationError as exc:
            errors.append(exc)

    attempt("full_name", normalize_name, p.full_name or "")
    if segment == "tka":
        if p.nik and p.nik.strip():
            errors.append(ValidationError("nik", "segment.tka_needs_passport"))
        attempt("passport_no", normalize_passport, p.passport_no or "")
        attempt("nationality", normalize_nationality, p.nationality or "")
        attempt("kitas_no", normalize_permit, p.kitas_no or "")
        if p.kitas_expiry is None:
            errors.append(ValidationError("kitas_expiry", "required"))
        else:
            try:
                check_permit_expiry(p.kitas_expiry, today=today)
                out["kitas_expiry"] = p.kitas_expiry.isoformat()
            except ValidationError as exc:
                errors.append(exc)
        out["nik"] = None
        out["birth_date"] = p.birth_date.isoformat() if p.birth_date else None
        if p.sex is not None and p.sex not in ("L", "P"):
            errors.append(ValidationError("sex", "required"))
        out["sex"] = p.sex
    else:
        try:
            info = parse_nik(p.nik or "", today=today)
            out["nik"] = info.nik
            warnings.extend(info.warnings)
            birth = p.birth_date or info.birth_date
            if p.birth_date and p.birth_date != info.birth_date:
                warnings.append(Notice("nik.birth_mismatch", {"nik_date": info.birth_date.isoformat()},
                                       field="birth_date"))
            sex = p.sex or info.sex
            if p.sex and p.sex != info.sex:
                warnings.append(Notice("nik.sex_mismatch", {}, field="sex"))
            out["birth_date"] = birth.isoformat()
            out["sex"] = sex
            if not p.district_code and get_region(info.district_code):
                out["district_code"] = info.district_code
        except ValidationError as exc:
            errors.append(exc)
        for key in ("passport_no", "nationality", "kitas_no", "kitas_expiry"):
            out[key] = None
    if p.phone and p.phone.strip():
        attempt("phone", normalize_phone, p.phone)
    else:
        out["phone"] = None
    if p.email and p.email.strip():
        email = p.email.strip()
        if len(email) > 254 or not _EMAIL.match(email):
            errors.append(ValidationError("email", "email.invalid"))
        out["email"] = email.lower()
    else:
        out["email"] = None
    for key, maximum in (("birth_place", 60), ("address", 300), ("postal_code", 5)):
        try:
            out[key] = clean_text(getattr(p, key), key, maximum=maximum)
        except ValidationError as exc:
            errors.append(exc)
    for key, digits, example in (("district_code", 6, "32.16.09"),
                                 ("village_code", 10, "32.16.09.2003")):
        value = (getattr(p, key) or "").strip()
        if not value:
            out.setdefault(key, None)
            continue
        code = value.replace(".", "")
        if len(code) != digits or not (code.isascii() and code.isdigit()):
            errors.append(ValidationError(key, "region.code_invalid", digits=digits,
                                          example=example))
            continue
        out[key] = code
    if p.village_code and out.get("village_code") and p.district_code and out.get("district_code") \
            and not out["village_code"].startswith(out["district_code"]):
        errors.append(ValidationError("village_code", "region.village_outside"))
    out["occupation"] = p.occupation
    from bpjs_field.domain.downstream import clean_downstream
    out.update(clean_downstream({"mother_name": p.mother_name, "kk_no": p.kk_no,
                                 "heir_name": p.heir_name, "heir_relation": p.heir_relation},
                                errors))
    # A field refused as not text says so once, not again as "required".
    errors[first_error:] = [e for e in errors[first_error:] if e.field not in not_text]
    return out


def validate_registration(form: RegistrationInput, *, today: date | None = None) -> CleanRegistration:
    """Check every field; raise ValidationErrors listing each bad one."""
    today = today or today_wib()
    errors: list[ValidationError] = []
    warnings: list[Notice] = []
    segment = form.segment
    if segment not in SEGMENTS:
        raise ValidationErrors([ValidationError("segment", "segment.unknown", value=str(segment))])
    person = _person(form.person, segment, today, errors, warnings)
    if not form.consent_given or not form.consent_version:
        errors.append(ValidationError("consent", "consent.missing"))
    period = form.period or today
    contribution = plan = None
    reasons: tuple[Reason, ...] = ()
    programs: list[str] = []
    occupation = form.occupation or form.person.occupation
    if occupation is not None and not isinstance(occupation, str):
        if occupation is not form.person.occupation:  # the person's own is refused above
            errors.append(ValidationError("occupation", "text.not_text"))
        occupation = None
    sector = form.sector
    payer = form.payer or "mandiri"
    if segment != "bpu" and payer == "mandiri":
        payer = "pemberi_kerja"  # a wage earner's contribution is paid through the employer
    months_paid = form.months_paid
    scale = form.employer_scale or None
    if payer not in PAYERS:
        errors.append(ValidationError("payer", "payer.unknown", value=str(payer)))
    try:
        payer_name = clean_text(form.payer_name, "payer_name", maximum=120)
    except ValidationError as exc:
        errors.append(exc)
        payer_name = None
    if payer in NAMED_PAYERS and not payer_name and not errors_for(errors, "payer_name"):
        errors.append(ValidationError("payer_name", "payer_name.missing", payer=PAYERS[payer][0]))
    if segment == "bpu":
        scale = None
        if occupation and occupation not in occupations():
            errors.append(ValidationError("occupation", "occupation.unknown", value=str(occupation)[:40]))
        sector = sector or sector_of(occupation or "lainnya")
        months_ok = (isinstance(months_paid, int) and not isinstance(months_paid, bool)
                     and 1 <= months_paid <= 12)
        if not months_ok:
            errors.append(ValidationError("months_paid", "months_paid.invalid"))
        if form.declared_income is None:
            errors.append(ValidationError("declared_income", "income.missing"))
        elif payer in PAYERS and months_ok:
            try:
                plan = bpu_plan(form.declared_income, with_jht=form.with_jht, start=period,
                                months=months_paid, sector=sector, payer=payer)
                contribution = plan.runs[0].monthly
                programs = contribution.programs
            except ValidationError as exc:
                errors.append(exc)
    else:
        months_paid = None
        try:  # free text outside BPU, bounded like every other text field
            occupation = clean_text(occupation, "occupation", maximum=80)
        except ValidationError as exc:
            errors.append(exc)
        if segment in SCALED_SEGMENTS:
            if scale is None:
                errors.append(ValidationError("employer_scale", "employer_scale.missing"))
            elif scale not in SCALES:
                errors.append(ValidationError("employer_scale", "employer_scale.unknown", value=str(scale)[:20]))
        else:
            scale = None
        if form.wage is None:
            errors.append(ValidationError("wage", "wage.missing"))
        elif isinstance(form.wage, int) and not isinstance(form.wage, bool) \
                and form.wage < WAGE_FLOOR:
            errors.append(ValidationError("wage", "wage.implausible", value=form.wage,
                                          minimum=WAGE_FLOOR))
        elif not errors_for(errors, "employer_scale"):
            birth = person.get("birth_date")
            chosen = wage_programs(segment, scale, day=today,
                                   birth_date=date.fromisoformat(birth) if birth else None)
            risk = form.risk_class if form.risk_class is not None else 1
            try:
                contribution = pu_contribution(form.wage, risk_class=risk, period=period,
                                               programs=chosen.computed)
                plan = PaymentPlan.single(contribution)
                programs, reasons = chosen.programs, chosen.reasons
                if notice := below_umk(form.wage, place=form.workplace_code, scale=scale,
                                       day=period):
                    warnings.append(notice)
            except ValidationError as exc:
                errors.append(exc)
    try:
        employer = clean_text(form.employer_name, "employer_name", maximum=120)
    except ValidationError as exc:
        errors.append(exc)
        employer = None
    if errors:
        raise ValidationErrors(errors)
    assert contribution is not None and plan is not None
    person["occupation"] = occupation
    return CleanRegistration(
        segment=segment, person=person, contribution=contribution, plan=plan, programs=programs,
        consent_version=form.consent_version or "", event_id=form.event_id,
        declared_income=form.declared_income if segment == "bpu" else None,
        wage=form.wage if segment != "bpu" else None,
        risk_class=(form.risk_class or 1) if segment != "bpu" else None,
        occupation=occupation, sector=sector if segment == "bpu" else None, payer=payer,
        months_paid=months_paid, employer_name=employer, source=form.source,
        payer_name=payer_name, employer_scale=scale, reasons=reasons, warnings=warnings,
    )


def errors_for(errors: list[ValidationError], field_name: str) -> bool:
    return any(e.field == field_name for e in errors)


def field_errors(exc: ValidationErrors | ValidationError, lang: str = "id") -> dict[str, str]:
    """{field: message} for showing next to each field."""
    items = exc.errors if isinstance(exc, ValidationErrors) else [exc]
    out: dict[str, str] = {}
    for err in items:
        out.setdefault(err.field, err.message(lang))
    return out


__all__ = ["PersonInput", "RegistrationInput", "CleanRegistration", "validate_registration",
           "field_errors", "clean_text", "replace"]
