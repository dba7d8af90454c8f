"""What a scanner read from a card, as a KPJ number or as a named refusal."""

from __future__ import annotations

import pytest

from bpjs_field.domain.followup import parse_scanned_kpj
from bpjs_field.errors import ValidationError


@pytest.mark.parametrize("text", ["12345678901", " 1234-5678-901 ", "123.456.789.01",
                                  "123 4567 8901"])
def test_kpj_shapes_as_printed(text):
    assert parse_scanned_kpj(text) == "12345678901"


@pytest.mark.parametrize("text, code", [
    ("3216094512880001", "kpj.scan_nik"),
    ("8888812345678901", "kpj.scan_payment_code"),
    ("K7QM-003A-X", "kpj.scan_receipt"),
    ("1234567", "kpj.scan_shape"),
    ("123456789012", "kpj.scan_shape"),
    ("ABC12345678", "kpj.scan_shape"),
    ("", "kpj.scan_shape"),
])
def test_other_scans_are_named(text, code):
    with pytest.raises(ValidationError) as err:
        parse_scanned_kpj(text)
    assert (err.value.field, err.value.code) == ("kpj_no", code)
    assert "KPJ" in err.value.message("id") and "KPJ" in err.value.message("en")
    assert text[:6] not in err.value.message("id") or not text  # the scan itself is not echoed
