"""Phone numbers, names, foreign-worker documents, codes and Indonesian formatting."""

from datetime import date, datetime, timezone

import pytest

from bpjs_field import (ValidationError, format_date, format_phone, format_rupiah, mask_phone,
                        normalize_name, normalize_nationality, normalize_passport, normalize_phone,
                        parse_rupiah, rupiah_in_words, terbilang)
from bpjs_field.domain.codes import format_code, make_code, new_device_tag, normalize_code, ALPHABET
from bpjs_field.domain.foreign import check_permit_expiry, normalize_permit
from bpjs_field.domain.formatting import format_datetime
from bpjs_field.domain.names import name_key


@pytest.mark.parametrize("typed", ["081234567890", "0812-3456-7890", "0812 3456 7890", "+62 812-3456-7890",
                                   "62812 3456 7890", "+6281234567890", "(0812) 3456.7890"])
def test_indonesian_mobiles_in_any_usual_form(typed):
    assert normalize_phone(typed) == "+6281234567890"


@pytest.mark.parametrize("typed, code", [
    ("", "phone.empty"), ("0812abc", "phone.characters"), ("021 8990 1234", "phone.not_mobile"),
    ("+1 415 555 2671", "phone.foreign"), ("+620812345678", "phone.invalid"), ("0812", "phone.invalid"),
    ("08123456789012345", "phone.invalid"),
])
def test_other_numbers_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as err:
        normalize_phone(typed)
    assert err.value.field == "phone" and err.value.code == code


def test_phone_display_and_mask():
    assert format_phone("+6281234567890") == "0812-3456-7890"
    assert mask_phone("+6281234567890") == "0812-****-7890"


@pytest.mark.parametrize("typed, stored", [
    ("  SUKARNO ", "SUKARNO"), ("Ma'ruf  Amin", "Ma'ruf Amin"), ("Ma’ruf", "Ma'ruf"),
    ("Hj. Siti Nur-Aini, S.Pd.", "Hj. Siti Nur-Aini, S.Pd."), ("Jose\u0301", "Jos\u00e9"),
    ("Ahmad bin Sanusi", "Ahmad bin Sanusi"),
])
def test_names_accepted_and_normalised(typed, stored):
    assert normalize_name(typed) == stored


@pytest.mark.parametrize("typed, code", [
    ("", "name.empty"), ("   ", "name.empty"), ("Budi2", "name.digits"), ("Budi\x00", "name.control"),
    ("Budi\u200b", "name.control"), ("Budi <script>", "name.symbol"), ("x" * 101, "name.too_long"),
    ("'-.", "name.no_letters"), ("Robert'); DROP TABLE people;--", "name.symbol"),
])
def test_names_refused(typed, code):
    with pytest.raises(ValidationError) as err:
        normalize_name(typed)
    assert err.value.code == code


def test_name_key_ignores_case_accents_and_punctuation():
    assert name_key("JOSÉ Ma'ruf") == name_key("jose ma ruf")


def test_foreign_worker_documents():
    assert normalize_passport("e 1234-5678") == "E12345678"
    assert normalize_nationality("cn") == "CN"
    assert normalize_nationality("KOR") == "KR"
    assert normalize_nationality("Japan") == "JP"
    assert normalize_permit("2c11 ab1234-x") == "2C11AB1234-X"
    for bad, fn, code in [("12", normalize_passport, "passport.invalid"),
                          ("Narnia", normalize_nationality, "nationality.unknown"),
                          ("IDN", normalize_nationality, "nationality.indonesian"),
                          ("", normalize_permit, "kitas.empty")]:
        with pytest.raises(ValidationError) as err:
            fn(bad)
        assert err.value.code == code
    with pytest.raises(ValidationError):
        check_permit_expiry(date(2026, 1, 1), today=date(2026, 11, 22))


def test_registration_codes_are_unique_per_device_and_verify():
    tag = new_device_tag()
    codes = {make_code(tag, n) for n in range(1, 5001)}
    assert len(codes) == 5000
    code = make_code(tag, 37)
    assert normalize_code(format_code(code).lower()) == code
    assert normalize_code(code.replace("0", "O")) == code


def test_check_symbol_catches_typos():
    code = make_code("K7QM", 1234)
    for i in range(len(code) - 1):
        for ch in ALPHABET:
            if ch != code[i]:
                assert normalize_code(code[:i] + ch + code[i + 1:]) is None
        if code[i] != code[i + 1] and i + 1 < len(code) - 1:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            assert normalize_code(swapped) is None
    assert normalize_code("ABC") is None and normalize_code("") is None


@pytest.mark.parametrize("amount, text", [(16800, "Rp16.800"), (1000000, "Rp1.000.000"), (0, "Rp0"),
                                          (-8400, "-Rp8.400")])
def test_rupiah(amount, text):
    assert format_rupiah(amount) == text
    assert parse_rupiah(text.lstrip("-")) == abs(amount)


def test_rupiah_with_sen():
    from decimal import Decimal
    assert format_rupiah(Decimal("5469922.59")) == "Rp5.469.922,59"


@pytest.mark.parametrize("n, words", [
    (0, "nol"), (1, "satu"), (11, "sebelas"), (12, "dua belas"), (20, "dua puluh"), (100, "seratus"),
    (111, "seratus sebelas"), (1000, "seribu"), (1500, "seribu lima ratus"),
    (16800, "enam belas ribu delapan ratus"), (36800, "tiga puluh enam ribu delapan ratus"),
    (1_000_000, "satu juta"), (2_001_000, "dua juta seribu"),
    (1_250_000_000, "satu miliar dua ratus lima puluh juta"), (3_000_000_000_000, "tiga triliun"),
])
def test_terbilang(n, words):
    assert terbilang(n) == words


def test_words_on_receipts():
    assert rupiah_in_words(16800) == "enam belas ribu delapan ratus rupiah"


def test_dates():
    assert format_date(date(2026, 11, 22)) == "22 November 2026"
    assert format_date(date(2025, 8, 17), weekday=True) == "Minggu, 17 Agustus 2025"
    assert format_date(date(2025, 8, 17), "en", weekday=True) == "Sunday, 17 August 2025"
    moment = datetime(2026, 11, 22, 7, 30, tzinfo=timezone.utc)
    assert format_datetime(moment) == "22 November 2026, pukul 14.30 WIB"
