"""NIK parsing: structure, every refusal reason, century and leap-year rules."""

from datetime import date

import pytest

from bpjs_field import ValidationError, mask_nik, parse_nik

TODAY = date(2026, 11, 22)


def test_reads_everything_the_nik_encodes():
    info = parse_nik("3216091205900001", today=TODAY)
    assert (info.province_code, info.regency_code, info.district_code) == ("32", "3216", "321609")
    assert info.birth_date == date(1990, 5, 12)
    assert info.sex == "L"
    assert info.serial == "0001"
    assert (info.province_name, info.regency_name, info.district_name) == (
        "Jawa Barat", "Kabupaten Bekasi", "Cikarang Utara")
    assert info.warnings == ()


@pytest.mark.parametrize("typed", ["3216 0912 0590 0001", "3216.0912.0590.0001", "3216-0912-0590-0001",
                                   " 321609 120590 0001 "])
def test_separators_are_accepted(typed):
    assert parse_nik(typed, today=TODAY).nik == "3216091205900001"


def test_women_have_forty_added_to_the_day():
    info = parse_nik("3672014508850002", today=TODAY)
    assert info.sex == "P"
    assert info.birth_date == date(1985, 8, 5)
    assert info.district_name == "Cibeber"


@pytest.mark.parametrize("nik, code", [
    ("321609120590001", "nik.length"),
    ("32160912059000011", "nik.length"),
    ("32160912059O0001", "nik.not_digits"),
    ("３２１６０９１２０５９０００１", "nik.not_digits"),
    ("", "nik.empty"),
    ("2016091205900001", "nik.province"),
    ("9916091205900001", "nik.province"),
    ("3200091205900001", "nik.regency"),
    ("3216001205900001", "nik.district"),
    ("3216093205900001", "nik.day"),
    ("3216094005900001", "nik.day"),
    ("3216090005900001", "nik.day"),
    ("3216097205900001", "nik.day"),
    ("3216091213900001", "nik.month"),
    ("3216091200900001", "nik.month"),
    ("3216093102900001", "nik.date"),
    ("3216097102900001", "nik.date"),
    ("3216093104900001", "nik.date"),
    ("3216091205900000", "nik.serial"),
])
def test_refusals_name_the_field_and_a_stable_code(nik, code):
    with pytest.raises(ValidationError) as err:
        parse_nik(nik, today=TODAY)
    assert err.value.field == "nik"
    assert err.value.code == code
    assert err.value.message("id") and err.value.message("en")


def test_century_follows_todays_two_digit_year():
    assert parse_nik("3216091205260001", today=TODAY).birth_date == date(2026, 5, 12)
    assert parse_nik("3216091205270001", today=TODAY).birth_date == date(1927, 5, 12)
    assert parse_nik("3216091205270001", today=date(2027, 6, 1)).birth_date == date(2027, 5, 12)


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(ValidationError) as err:
        parse_nik("3216091212260001", today=TODAY)
    assert err.value.code == "nik.future"


@pytest.mark.parametrize("yy, year", [("00", 2000), ("04", 2004), ("96", 1996), ("24", 2024)])
def test_29_february_when_a_century_makes_it_leap(yy, year):
    info = parse_nik(f"32160929 02{yy}0001".replace(" ", ""), today=TODAY)
    assert info.birth_date == date(year, 2, 29)


@pytest.mark.parametrize("yy", ["97", "01", "25", "99"])
def test_29_february_refused_when_neither_century_is_leap(yy):
    with pytest.raises(ValidationError) as err:
        parse_nik(f"3216092902{yy}0001", today=TODAY)
    assert err.value.code == "nik.date"


def test_unknown_kecamatan_in_a_known_regency_is_a_warning_not_a_refusal():
    info = parse_nik("3216991205900001", today=TODAY)
    assert info.district_name is None
    assert [w.code for w in info.warnings] == ["nik.unknown_district"]
    assert "321699" in info.warnings[0].message()


def test_regency_outside_the_branch_list_is_accepted_without_names():
    info = parse_nik("3171011205900001", today=TODAY)
    assert info.province_name == "DKI Jakarta"
    assert info.regency_name is None and info.warnings == ()


def test_mask_hides_the_birth_date_part():
    assert mask_nik("3216091205900001") == "321609******0001"
    assert mask_nik("3216 0912 0590 0001") == "321609******0001"
