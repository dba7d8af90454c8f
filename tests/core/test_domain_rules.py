"""The registration form's rules one by one (validate_registration): which field is refused
with which code, what is kept and how it is cleaned, and the warnings that do not block.
Each case states its one outcome; written against the survivors of mutation testing
(scripts/mutation.py registration, tests/MUTATION.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bpjs_field.domain.programs import JKP_AGE_LIMIT
from bpjs_field.domain.registration import (PersonInput, RegistrationInput,
                                            clean_text, field_errors, validate_registration)
from bpjs_field.errors import ValidationError, ValidationErrors

TODAY = date(2026, 11, 22)
NIK = "3216091205900001"  # Cikarang Utara, born 12 May 1990, male


def bpu(**person) -> RegistrationInput:
    base = PersonInput(full_name="Budi Santoso", nik=NIK)
    return RegistrationInput(segment="bpu", person=replace(base, **person), consent_given=True,
                             consent_version="2026-01", declared_income=1_000_000)


def tka(**person) -> RegistrationInput:
    base = PersonInput(full_name="Zhang Wei", passport_no="E12345678", nationality="CN",
                       kitas_no="2C11AB1234", kitas_expiry=date(2027, 12, 31))
    return RegistrationInput(segment="tka", person=replace(base, **person), consent_given=True,
                             consent_version="2026-01", wage=10_000_000, risk_class=1,
                             employer_scale="besar")


def refused(form: RegistrationInput) -> list[tuple[str, str]]:
    with pytest.raises(ValidationErrors) as exc:
        validate_registration(form, today=TODAY)
    return [(e.field, e.code) for e in exc.value.errors]


def clean(form: RegistrationInput):
    return validate_registration(form, today=TODAY)


# -- person fields --------------------------------------------------------------------------
def test_a_nik_gives_birth_date_sex_and_district_when_not_typed():
    person = clean(bpu()).person
    assert (person["nik"], person["birth_date"], person["sex"], person["district_code"]) == (
        NIK, "1990-05-12", "L", "321609")
    assert all(person[k] is None for k in ("passport_no", "nationality", "kitas_no", "kitas_expiry",
                                           "phone", "email", "birth_place", "address",
                                           "village_code", "postal_code"))


def test_typed_values_win_over_the_nik_with_a_warning_each():
    result = clean(bpu(birth_date=date(1990, 5, 13), sex="P", district_code="32.16.01"))
    assert (result.person["birth_date"], result.person["sex"]) == ("1990-05-13", "P")
    assert result.person["district_code"] == "321601"
    assert [w.code for w in result.warnings] == ["nik.birth_mismatch", "nik.sex_mismatch"]
    assert result.warnings[0].params == {"nik_date": "1990-05-12"}
    same = clean(bpu(birth_date=date(1990, 5, 12), sex="L"))
    assert same.warnings == []


def test_phone_email_and_texts_are_cleaned():
    person = clean(bpu(phone="0812-3456-7890", email="  Budi.Santoso@Contoh.ID ",
                       birth_place="  Bekasi ", address="Jl. Kenanga 17\nRT 03",
                       postal_code="17530", village_code="3216092003")).person
    assert person["phone"] == "+6281234567890"
    assert person["email"] == "budi.santoso@contoh.id"
    assert (person["birth_place"], person["address"]) == ("Bekasi", "Jl. Kenanga 17\nRT 03")
    assert (person["postal_code"], person["village_code"]) == ("17530", "3216092003")
    blank = clean(bpu(phone="  ", email=" ", birth_place=" ", address="")).person
    assert (blank["phone"], blank["email"], blank["birth_place"], blank["address"]) == (
        None, None, None, None)


@pytest.mark.parametrize("field, longest", [("birth_place", 60), ("address", 300),
                                            ("postal_code", 5)])
def test_text_fields_have_their_own_length(field, longest):
    assert clean(bpu(**{field: "7" * longest})).person[field] == "7" * longest
    assert refused(bpu(**{field: "7" * (longest + 1)})) == [(field, "too_long")]


def test_email_shape_and_length():
    local = "a" * 64
    ok = f"{local}@{'b' * 186}.id"
    assert len(ok) == 254 and clean(bpu(email=ok)).person["email"] == ok
    too_long = f"{local}@{'b' * 187}.id"
    assert len(too_long) == 255
    assert refused(bpu(email=too_long)) == [("email", "email.invalid")]
    for bad in ("budi", "budi@contoh", "@contoh.id", "budi @contoh.id", "budi@contoh.id x"):
        assert refused(bpu(email=bad)) == [("email", "email.invalid")], bad


def test_clean_text_rules():
    assert clean_text(None, "f") is None and clean_text("  ", "f") is None
    assert clean_text("a\tb\nc", "f") == "a\tb\nc"  # tab and newline are allowed
    assert clean_text("Jose\u0301", "f") == "Jos\u00e9"
    with pytest.raises(ValidationError) as required:
        clean_text(" ", "alamat", required=True)
    assert (required.value.field, required.value.code) == ("alamat", "required")
    with pytest.raises(ValidationError) as long:
        clean_text("x" * 201, "alamat")
    assert long.value.code == "too_long" and long.value.params == {"maximum": 200}
    assert clean_text("x" * 200, "alamat") == "x" * 200


def test_region_codes():
    assert refused(bpu(district_code="32160")) == [("district_code", "region.code_invalid")]
    assert refused(bpu(village_code="321609200")) == [("village_code", "region.code_invalid")]
    assert refused(bpu(district_code="３２１６０９")) == [("district_code", "region.code_invalid")]
    assert refused(bpu(district_code="321609", village_code="3216012001")) == [
        ("village_code", "region.village_outside")]
    # a village alone (the district comes from the NIK) is not compared
    assert clean(bpu(village_code="3216012001")).person["village_code"] == "3216012001"


# -- foreign workers -----------------------------------------------------------------------------
def test_a_foreign_worker_is_identified_by_passport():
    person = clean(tka(passport_no="e1234 5678", nationality="China", sex="P",
                       birth_date=date(1985, 3, 4))).person
    assert (person["passport_no"], person["nationality"], person["kitas_no"]) == (
        "E12345678", "CN", "2C11AB1234")
    assert (person["kitas_expiry"], person["birth_date"], person["sex"]) == (
        "2027-12-31", "1985-03-04", "P")
    assert person["nik"] is None
    assert clean(tka()).person["birth_date"] is None


def test_foreign_worker_refusals():
    assert refused(tka(nik=NIK)) == [("nik", "segment.tka_needs_passport")]
    assert refused(tka(passport_no="", nationality="", kitas_no="", kitas_expiry=None)) == [
        ("passport_no", "passport.empty"), ("nationality", "nationality.empty"),
        ("kitas_no", "kitas.empty"), ("kitas_expiry", "required")]
    assert refused(tka(kitas_expiry=TODAY)) == [("kitas_expiry", "kitas.expired")]
    assert refused(tka(sex="X")) == [("sex", "required")]
    assert clean(tka(nik="  ")).person["nik"] is None


# -- the registration ------------------------------------------------------------------------------
def test_consent_must_be_given_with_its_version():
    assert refused(replace(bpu(), consent_given=False)) == [("consent", "consent.missing")]
    assert refused(replace(bpu(), consent_version=None)) == [("consent", "consent.missing")]


def test_unknown_segment_and_payer():
    assert refused(replace(bpu(), segment="xyz")) == [("segment", "segment.unknown")]
    assert refused(replace(bpu(), payer="bank")) == [("payer", "payer.unknown")]


@pytest.mark.parametrize("months, ok", [(0, False), (1, True), (12, True), (13, False),
                                        (True, False), ("3", False)])
def test_months_paid_ahead(months, ok):
    form = replace(bpu(), months_paid=months)
    if ok:
        assert clean(form).months_paid == months
    else:
        assert refused(form) == [("months_paid", "months_paid.invalid")]


def test_bpu_occupation_sector_and_income():
    result = clean(replace(bpu(), occupation="ojek"))
    assert (result.occupation, result.sector, result.person["occupation"]) == (
        "ojek", "transportasi", "ojek")
    assert clean(bpu()).sector == "umum" and clean(bpu()).occupation is None
    assert clean(replace(bpu(), sector="transportasi")).sector == "transportasi"
    assert refused(replace(bpu(), occupation="astronot")) == [("occupation", "occupation.unknown")]
    assert refused(replace(bpu(), declared_income=None)) == [("declared_income", "income.missing")]
    assert refused(replace(bpu(), declared_income=999_999)) == [
        ("declared_income", "income.below_minimum")]
    assert refused(replace(bpu(), occupation=7)) == [("occupation", "text.not_text")]


def test_a_bpu_registration_carries_its_figures():
    result = clean(replace(bpu(), declared_income=2_000_000, with_jht=True, months_paid=3,
                           payer="mandiri", employer_name="  Koperasi Maju "))
    assert (result.segment, result.declared_income, result.wage, result.risk_class) == (
        "bpu", 2_000_000, None, None)
    assert (result.months_paid, result.payer, result.employer_name) == (3, "mandiri",
                                                                        "Koperasi Maju")
    assert result.contribution.total == 20_000 + 40_000 + 6_800 - 13_400  # JKK, JHT, JKM, PP 50
    assert result.programs == ["JKK", "JKM", "JHT"]
    assert (result.consent_version, result.source, result.event_id) == ("2026-01", "form", None)


def test_a_wage_earner_registration():
    form = RegistrationInput(segment="pu", person=PersonInput(full_name="Siti", nik=NIK),
                             consent_given=True, consent_version="v", wage=5_000_000, risk_class=3,
                             months_paid=6, occupation=" Operator Mesin ", event_id="e1",
                             employer_scale="kecil")
    result = clean(form)
    assert (result.wage, result.risk_class, result.declared_income) == (5_000_000, 3, None)
    assert (result.months_paid, result.sector, result.occupation) == (None, None, "Operator Mesin")
    assert result.event_id == "e1"
    assert clean(replace(form, risk_class=None)).risk_class == 1
    assert refused(replace(form, wage=None)) == [("wage", "wage.missing")]
    assert refused(replace(form, risk_class=6)) == [("risk_class", "risk_class.invalid")]
    assert refused(replace(form, occupation="x" * 81)) == [("occupation", "too_long")]
    assert refused(replace(form, employer_name="x" * 121)) == [("employer_name", "too_long")]
    assert clean(replace(form, employer_name="x" * 120)).employer_name == "x" * 120


@pytest.mark.parametrize("segment", ["pu", "asn"])
def test_jkp_only_under_the_age_limit(segment):
    def programs(born: date) -> list[str]:
        form = RegistrationInput(segment=segment, person=PersonInput(
            full_name="Siti", nik=NIK, birth_date=born), consent_given=True, consent_version="v",
            wage=5_000_000, employer_scale="kecil" if segment == "pu" else None)
        return clean(form).programs

    if segment == "asn":  # a civil servant's JKP is not printed as fact: checked at the branch
        assert "JKP" not in programs(date(1990, 1, 1))
        return

    limit_birthday = date(TODAY.year - JKP_AGE_LIMIT, TODAY.month, TODAY.day)
    assert "JKP" in programs(date(limit_birthday.year, 11, 23))  # 53 until tomorrow
    assert "JKP" not in programs(limit_birthday)  # 54 today
    assert "JKP" not in programs(date(limit_birthday.year - 1, 11, 23))


def test_tka_has_no_jkp_and_bpu_no_wage():
    assert "JKP" not in clean(tka(birth_date=date(1990, 1, 1))).programs
    assert clean(tka()).months_paid is None


def test_every_bad_field_is_listed_at_once_and_field_errors_keeps_the_first():
    form = RegistrationInput(segment="bpu", person=PersonInput(full_name="", nik="123",
                                                               email="x"),
                             consent_given=False, declared_income=None, months_paid=0)
    with pytest.raises(ValidationErrors) as exc:
        validate_registration(form, today=TODAY)
    fields = [e.field for e in exc.value.errors]
    assert fields == ["full_name", "nik", "email", "consent", "months_paid", "declared_income"]
    messages = field_errors(exc.value, "en")
    assert list(messages) == fields and messages["email"] == exc.value.errors[2].message("en")
    double = ValidationErrors([ValidationError("nik", "nik.empty"),
                               ValidationError("nik", "nik.length", length=3)])
    assert field_errors(double) == {"nik": double.errors[0].message("id")}
    assert field_errors(ValidationError("nik", "nik.empty"), "en") == {
        "nik": ValidationError("nik", "nik.empty").message("en")}


def test_a_person_form_as_a_dict_has_dates_as_text():
    person = PersonInput(full_name="Zhang Wei", passport_no="E12345678",
                         kitas_expiry=date(2027, 12, 31), birth_date=date(1985, 3, 4))
    data = person.to_dict()
    assert data["birth_date"] == "1985-03-04" and data["kitas_expiry"] == "2027-12-31"
    assert data["full_name"] == "Zhang Wei" and data["nik"] is None
    assert set(data) == set(PersonInput.__dataclass_fields__)
    assert PersonInput(full_name="Budi").to_dict()["birth_date"] is None
    assert person.birth_date == date(1985, 3, 4)  # the form itself is not changed
