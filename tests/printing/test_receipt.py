"""Receipts read back as a person (and the door scanner) would: words, amounts,
masked identity numbers, the QR code, fonts and exact page sizes."""

from __future__ import annotations

import json
import re

import pytest

from bpjs_field.domain.codes import format_code
from bpjs_field.domain.formatting import format_rupiah, rupiah_in_words
from bpjs_field.domain.nik import mask_nik
from bpjs_field.printing import documents, receipt
from bpjs_field.printing.log import receipt_print_count
from bpjs_field.printing.receipt_data import receipt_data

from .conftest import BPU_NIK, PU_NIK, decode_qr, page_sizes, pdf_fonts, pdf_text, render_pages

A4 = (595.28, 841.89)
A5 = (419.53, 595.28)
ROLL_WIDTH = 226.77


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("fmt", ["a4", "a5", "thermal"])
def test_page_size_fonts_and_qr(store, bpu_reg, fmt, tmp_path):
    pdf = documents.receipt_job(store, bpu_reg["id"], fmt).pdf
    (w, h), = page_sizes(pdf)
    if fmt == "thermal":
        assert w == pytest.approx(ROLL_WIDTH, abs=0.01)
        assert 300 < h < 1200  # cut to the content, not a sheet
    else:
        assert (w, h) == pytest.approx(A4 if fmt == "a4" else A5, abs=0.01)
    fonts = pdf_fonts(pdf)
    assert fonts and all(f["embedded"] and f["subtype"] == "/TrueType" for f in fonts), fonts
    assert not any("Helvetica" in f["name"] for f in fonts)
    png, = render_pages(pdf, tmp_path, dpi=150)
    assert decode_qr(png) == [bpu_reg["code"]]


def test_bpu_receipt_words_and_amounts(store, bpu_reg):
    text = flat(pdf_text(documents.receipt_job(store, bpu_reg["id"], "a5").pdf))
    assert "TANDA TERIMA PENDAFTARAN" in text
    assert "BPJS Ketenagakerjaan" in text and "Kantor Cabang Bekasi Cikarang" in text
    assert format_code(bpu_reg["code"]) in text
    assert re.search(r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|"
                     r"Oktober|November|Desember) \d{4}, pukul \d{2}\.\d{2} WIB", text)
    assert "Senam Sehat Cikarang Utara" in text and "Siti Rahmawati" in text
    assert "Budi Santoso" in text
    # The NIK is masked; the full number (and the phone) never reach paper.
    assert mask_nik(BPU_NIK) in text and BPU_NIK not in text.replace(" ", "")
    assert "81234567890" not in text.replace(" ", "")
    # Domain facts: minimum BPU contribution Rp16.800, halved by PP 50/2025 to Rp8.400.
    assert "Rp10.000" in text and "Rp6.800" in text
    assert "-Rp8.400" in text and "PP 50/2025" in text
    assert re.search(r"Total iuran bulan November 2026 Rp8\.400", text)
    assert "(delapan ribu empat ratus rupiah)" in text
    # Three months from November 2026: two discounted, January 2027 at the full rate.
    assert "Dibayar di muka: 3 bulan (November 2026–Januari 2027)" in text
    assert "November–Desember 2026: 2 × Rp8.400 Rp16.800" in text
    assert "Januari 2027: Rp16.800 Rp16.800" in text
    assert "Jumlah dibayar sekarang Rp33.600" in text
    assert "(tiga puluh tiga ribu enam ratus rupiah)" in text
    assert "berlaku sampai 31 Desember 2026" in text
    assert "Iuran dibayar oleh peserta sendiri" in text
    for channel in ("bank", "Kantor Pos", "gerai ritel", "JMO", "Perisai"):
        assert channel in text
    assert "PDP-2026.1" in text and "175" in text
    assert "SALINAN" not in text


def test_total_in_words_matches_contribution(store, bpu_jht_reg):
    contribution = store.registrations.contribution_of(bpu_jht_reg)
    text = flat(pdf_text(documents.receipt_job(store, bpu_jht_reg["id"], "thermal").pdf))
    assert f"({rupiah_in_words(contribution.total)})" in text
    for line in contribution.lines:
        assert format_rupiah(line.amount) in text
    assert "JHT" in text and "Nur'aini Siregar" in text


def test_pu_receipt_shows_both_shares_and_jkp(store, pu_reg):
    contribution = store.registrations.contribution_of(pu_reg)
    text = flat(pdf_text(documents.receipt_job(store, pu_reg["id"], "a4").pdf))
    assert mask_nik(PU_NIK) in text and PU_NIK not in text.replace(" ", "")
    assert "PT Maju Jaya Cikarang" in text
    assert f"Bagian pemberi kerja {format_rupiah(contribution.employer_total)}" in text
    assert f"Bagian pekerja {format_rupiah(contribution.worker_total)}" in text
    assert "JKP" in json.loads(pu_reg["programs"]) and "JKP (tanpa tagihan tambahan)" in text
    assert "Dibayar di muka" not in text


def test_tka_receipt_masks_the_passport(store, tka_reg):
    text = flat(pdf_text(documents.receipt_job(store, tka_reg["id"], "a5").pdf))
    assert "Paspor" in text and "E1*****78" in text and "E12345678" not in text
    assert "China" in text and "Zhang Wei" in text


def test_reprints_are_marked_and_counted(store, bpu_reg):
    first = documents.receipt_job(store, bpu_reg["id"], "thermal")
    assert not first.is_reprint and "SALINAN" not in pdf_text(first.pdf)
    documents.log_job(store, first, printer="PDF")
    second = documents.receipt_job(store, bpu_reg["id"], "a4")
    assert second.is_reprint and "SALINAN ke-1" in pdf_text(second.pdf)
    documents.log_job(store, second, printer="PDF")
    third = documents.receipt_job(store, bpu_reg["id"], "a5")
    assert "SALINAN ke-2" in pdf_text(third.pdf)
    assert receipt_print_count(store, bpu_reg["id"]) == 2
    rows = store.query("SELECT * FROM print_log WHERE subject_id = ? ORDER BY at", (bpu_reg["id"],))
    assert [r["is_reprint"] for r in rows] == [0, 1]
    assert [r["document"] for r in rows] == ["receipt.thermal", "receipt.a4"]


def test_print_log_syncs_and_audits_without_personal_data(store, bpu_reg):
    job = documents.receipt_job(store, bpu_reg["id"], "a4")
    row, = documents.log_job(store, job, copies=2, printer="Kasir-80mm")
    change = store.query_one("SELECT * FROM change_log WHERE entity = 'print' AND entity_id = ?",
                             (row["id"],))
    payload = json.loads(change["payload"])
    assert payload["document"] == "receipt.a4" and payload["copies"] == 2
    assert payload["officer_id"] == store.officer_id and payload["printer"] == "Kasir-80mm"
    audit = store.query_one("SELECT * FROM audit_log WHERE action = 'print' AND entity_id = ?",
                            (row["id"],))
    assert audit is not None
    for blob in (change["payload"], audit["details"]):
        assert BPU_NIK not in blob and "Budi" not in blob


def test_many_receipts_in_one_pdf(store, bpu_reg, pu_reg, tka_reg):
    ids = [bpu_reg["id"], pu_reg["id"], tka_reg["id"]]
    seen = []
    job = documents.receipts_batch_job(store, ids, "thermal", progress=lambda n, t: seen.append((n, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    sizes = page_sizes(job.pdf)
    assert len(sizes) == 3 and all(w == pytest.approx(ROLL_WIDTH, abs=0.01) for w, _ in sizes)
    # Each roll receipt is as tall as its own content.
    assert len({round(h) for _, h in sizes}) > 1
    cancelled = documents.receipts_batch_job(store, ids, "a4", progress=lambda n, t: n < 2)
    assert cancelled is None


def test_layout_never_sees_the_full_nik(store, bpu_reg):
    data = receipt_data(store, bpu_reg["id"])
    assert BPU_NIK not in repr(data)
    blocks = receipt.receipt_blocks(data)
    assert BPU_NIK not in repr(blocks)


def _pu_month_from_rates(wage: int, risk_class: int, *, with_jp: bool) -> tuple[int, int]:
    """(employer, worker) monthly contribution worked out from rates.json on its own: each
    line rounded half up to whole rupiah, JP (when it is computed) on the wage capped at the
    cap in force."""
    from decimal import ROUND_HALF_UP, Decimal

    from bpjs_field.paths import resource_path
    rates = json.loads(resource_path("reference", "rates.json").read_text("utf-8"))
    month = "2026-11-01"
    pu = max((r for r in rates["pu"] if r["effective_from"] <= month),
             key=lambda r: r["effective_from"])
    cap = max((c for c in rates["jp_wage_cap"] if c["effective_from"] <= month),
              key=lambda c: c["effective_from"])["amount"]

    def line(base: int, percent: str) -> int:
        return int((Decimal(base) * Decimal(percent) / 100).quantize(Decimal(1), ROUND_HALF_UP))

    employer = (line(wage, pu["jkk_percent_by_risk_class"][str(risk_class)])
                + line(wage, pu["jkm_percent"]) + line(wage, pu["jht_employer_percent"]))
    worker = line(wage, pu["jht_worker_percent"])
    if with_jp:
        employer += line(min(wage, cap), pu["jp_employer_percent"])
        worker += line(min(wage, cap), pu["jp_worker_percent"])
    return employer, worker


@pytest.mark.parametrize("reg_name, wage, risk_class, with_jp, expected_total", [
    # Medium business, 5,938,885 at risk class 1:
    # 14,253 + 17,817 + 219,739 + 118,778 + 118,778 + 59,389
    ("pu_reg", 5_938_885, 1, True, 548_754),
    # Large business, foreign worker, 25,000,000 at risk class 2: JP for a foreign worker is
    # not settled, so it is not computed (programs.py); 135,000 + 75,000 + 925,000 + 500,000
    ("tka_reg", 25_000_000, 2, False, 1_635_000),
])
def test_pu_and_tka_receipts_total_per_month(request, store, reg_name, wage, risk_class,
                                             with_jp, expected_total):
    reg = request.getfixturevalue(reg_name)
    employer, worker = _pu_month_from_rates(wage, risk_class, with_jp=with_jp)
    assert employer + worker == expected_total
    for fmt in ("a4", "a5", "thermal"):
        text = flat(pdf_text(documents.receipt_job(store, reg["id"], fmt).pdf))
        assert f"Total iuran per bulan {format_rupiah(expected_total)}" in text, fmt
        assert f"({rupiah_in_words(expected_total)})" in text, fmt
        assert f"Bagian pemberi kerja {format_rupiah(employer)}" in text, fmt
        assert f"Bagian pekerja {format_rupiah(worker)}" in text, fmt
        assert (re.search(r"\bJP \d", text) is not None) == with_jp, fmt
        assert ("JP bagi pekerja asing belum dipastikan" in text) == (not with_jp), fmt
