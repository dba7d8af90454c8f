"""The 58 mm roll receipt (48 mm printable) read back as a person and the door
scanner would: the same facts as the 80 mm receipt, a QR the scanner reads,
nothing outside the printable width, amounts never split across lines.  Also the
Indonesian line breaking it relies on, and the `receipt --format thermal58`
command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bpjs_field.domain.formatting import format_rupiah
from bpjs_field.printing import documents
from bpjs_field.printing.linebreak import break_lines, is_amount
from bpjs_field.printing.receipt_data import receipt_data

from .conftest import decode_qr, page_sizes, pdf_text, pdf_words, render_pages

MM = 72 / 25.4
WIDTH = 58 * MM
PRINTABLE = (5 * MM, 53 * MM)  # 48 mm centred on the roll

AMOUNT = re.compile(r"-?Rp\d{1,3}(?:\.\d{3})*")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def amounts_of(data) -> set[str]:
    """Every amount the receipt data carries, as printed."""
    c = data.contribution
    values = {c.total, *(line.amount for line in c.lines)}
    if c.discount:
        values.add(-c.discount)
    if data.segment == "bpu":
        values.add(data.amount_due)
    else:
        values |= {c.employer_total, c.worker_total}
    for extra in (data.wage, data.declared_income):
        if extra is not None:
            values.add(extra)
    return {format_rupiah(v) for v in values}


@pytest.mark.parametrize("reg_name", ["bpu_reg", "pu_reg", "tka_reg", "bpu_jht_reg"])
def test_same_facts_as_the_80mm_receipt_and_nothing_cut_off(store, reg_name, request, tmp_path):
    reg = request.getfixturevalue(reg_name)
    pdf58 = documents.receipt_job(store, reg["id"], "thermal58").pdf
    pdf80 = documents.receipt_job(store, reg["id"], "thermal").pdf
    (w, h), = page_sizes(pdf58)
    assert w == pytest.approx(WIDTH, abs=0.01) and 300 < h < 1600
    words58 = pdf_words(pdf58, 1)
    # Every word lies inside the 48 mm the printer can reach.
    outside = [wd for wd in words58 if wd.x0 < PRINTABLE[0] - 0.5 or wd.x1 > PRINTABLE[1] + 0.5]
    assert not outside, outside
    # The same words as the 80 mm receipt (only the line breaks differ).
    assert sorted(wd.text for wd in words58) == sorted(wd.text for wd in pdf_words(pdf80, 1))
    text = flat(pdf_text(pdf58))
    data = receipt_data(store, reg["id"])
    for amount in amounts_of(data):
        assert amount in text, amount
    # No amount broken over two lines: each printed word that starts like an amount is whole.
    for word in words58:
        if word.text.startswith(("Rp", "-Rp")):
            assert AMOUNT.fullmatch(word.text.rstrip(",.)")), word.text
    png, = render_pages(pdf58, tmp_path, dpi=203)  # a thermal head's resolution
    assert decode_qr(png) == [reg["code"]]


def test_qr_is_large_enough_for_a_door_scanner(store, bpu_reg):
    """The QR on the roll keeps at least 0.9 mm per module (scanners at arm's length)."""
    from bpjs_field.printing import receipt
    from bpjs_field.printing.qr import QUIET_ZONE, qr_runs

    fmt = receipt.FORMATS["thermal58"]
    count, _runs = qr_runs(bpu_reg["code"])
    assert fmt.qr / (count + 2 * QUIET_ZONE) >= 0.9 * MM
    assert fmt.width - 2 * fmt.margin == pytest.approx(48 * MM)


def test_amounts_never_split_and_operators_stay_with_them():
    text = "JKK 0,24% × Rp5.000.000 (batas upah), Dibayar di muka: 12 bulan × Rp16.800 = Rp201.600"
    for width in range(14, 40):  # from the widest "× amount" on
        lines = break_lines(text, width)
        joined = " ".join(lines)
        assert joined == text  # nothing lost or reordered
        for amount in ("Rp5.000.000", "Rp16.800", "Rp201.600", "0,24%"):
            assert any(amount in line for line in lines), (width, lines)
        assert not any(line.endswith(("×", "=")) for line in lines), (width, lines)
        assert all(len(line) <= width or is_amount(line.split()[-1]) for line in lines)


def test_dates_stay_together_and_long_words_are_cut_not_lost():
    assert break_lines("Acara pada 22 November 2026 pukul 06.30 WIB", 18)[1] == "22 November 2026"
    lines = break_lines("surel siti.rahmawati.bekasi@contoh.co.id", 12)
    assert all(len(line) <= 12 for line in lines)
    assert "".join(lines).replace("surel", "") == "siti.rahmawati.bekasi@contoh.co.id"
    assert break_lines("Rp14.400.000", 5) == ["Rp14.400.000"]  # too wide, but whole
    assert break_lines("a\n\nb", 5) == ["a", "", "b"]


def test_receipt_command_writes_the_58mm_pdf(store, bpu_reg, db_path, tmp_path):
    store.close()
    out = tmp_path / "r58.pdf"
    env = dict(os.environ, BPJS_FIELD_NO_DEMO="1")
    done = subprocess.run([sys.executable, "-m", "bpjs_field", "--db", str(db_path), "receipt",
                           bpu_reg["code"], "--format", "thermal58", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    (w, _h), = page_sizes(out.read_bytes())
    assert w == pytest.approx(WIDTH, abs=0.01)
    assert "Budi Santoso" in flat(pdf_text(out.read_bytes()))
    png, = render_pages(out.read_bytes(), tmp_path)
    assert decode_qr(png) == [bpu_reg["code"]]
    if os.environ.get("BPJS_FIELD_KEEP_RENDERS"):
        Path(os.environ["BPJS_FIELD_KEEP_RENDERS"]).mkdir(parents=True, exist_ok=True)
        (Path(os.environ["BPJS_FIELD_KEEP_RENDERS"]) / "receipt58.png").write_bytes(png.read_bytes())
