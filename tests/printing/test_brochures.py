"""Brochures: every program and language lays out without overflow as a duplex
A4 landscape tri-fold, embeds its fonts, and the BPU table and discount periods
follow the dated rates of the print day."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from bpjs_field.domain.contribution import bpu_contribution
from bpjs_field.domain.formatting import format_rupiah
from bpjs_field.domain.rates import default_rates
from bpjs_field.paths import resource_path
from bpjs_field.printing import brochure_content, documents
from bpjs_field.printing.brochures import Brochure, Stamp, render_brochure, render_brochures

from .conftest import page_sizes, pdf_fonts, pdf_text

LANDSCAPE_A4 = (841.89, 595.28)
DAY = date(2026, 11, 22)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("lang", brochure_content.LANGS)
@pytest.mark.parametrize("kind", brochure_content.KINDS)
def test_every_brochure_is_a_duplex_trifold(kind, lang):
    pdf = render_brochure(Brochure(kind, lang, DAY))
    sizes = page_sizes(pdf)
    assert len(sizes) == 2
    assert all(s == pytest.approx(LANDSCAPE_A4, abs=0.01) for s in sizes)
    fonts = pdf_fonts(pdf)
    assert fonts and all(f["embedded"] for f in fonts)
    text = flat(pdf_text(pdf))
    data = brochure_content.load_brochure(kind, lang).data
    assert data["title"].split()[0] in text
    assert "175" in text and data["version"] in text
    assert "{" not in text  # every placeholder was filled


def test_content_files_are_complete():
    names = {p.name for p in resource_path("brochures").glob("*.json")}
    for kind in brochure_content.KINDS:
        for lang in brochure_content.LANGS:
            assert f"{kind}.{lang}.json" in names
            data = json.loads(resource_path("brochures", f"{kind}.{lang}.json").read_text("utf-8"))
            assert data["version"] and len(data["panels"]["inside"]) == 3


def test_unknown_placeholder_is_a_content_error():
    with pytest.raises(KeyError):
        brochure_content.fill("Iuran {nope}", brochure_content.figures(DAY))


def test_bpu_table_is_computed_for_the_print_day():
    pdf = render_brochure(Brochure("bpu", "id", DAY))
    panel = LANDSCAPE_A4[0] / 3
    normal = flat(pdf_text(pdf, page=2, box=(panel, 0, panel, LANDSCAPE_A4[1])))
    discounted = flat(pdf_text(pdf, page=2, box=(2 * panel, 0, panel, LANDSCAPE_A4[1])))
    rates = default_rates()
    for income in brochure_content.DEFAULT_INCOMES:
        plain = bpu_contribution(income, with_jht=False, period=DAY, sector="umum")
        with_jht = bpu_contribution(income, with_jht=True, period=DAY, sector="umum")
        row = f"{format_rupiah(income)} {format_rupiah(plain.gross)} {format_rupiah(with_jht.gross)}"
        assert row in normal
        row = f"{format_rupiah(income)} {format_rupiah(plain.total)} {format_rupiah(with_jht.total)}"
        assert row in discounted
    # Domain facts: Rp16.800 at the lowest income, Rp8.400 with the PP 50/2025 discount.
    assert "Rp1.000.000 Rp16.800 Rp36.800" in normal
    assert "Rp1.000.000 Rp8.400 Rp28.400" in discounted
    assert len(rates.discount_windows_on(DAY)) == 2
    assert "1 Januari 2026 – 31 Maret 2027" in discounted
    assert "1 April 2026 – 31 Desember 2026" in discounted


def test_discounts_follow_the_windows_in_force():
    # February 2027: only the transport window is open.
    panel = (2 * LANDSCAPE_A4[0] / 3, 0, LANDSCAPE_A4[0] / 3, LANDSCAPE_A4[1])
    text = flat(pdf_text(render_brochure(Brochure("bpu", "id", date(2027, 2, 10))), page=2, box=panel))
    assert "sektor transportasi" in text and "31 Desember 2026" not in text
    # After March 2027 no discount at all: no discounted table, a plain note instead.
    text = flat(pdf_text(render_brochure(Brochure("bpu", "id", date(2027, 6, 1))), page=2, box=panel))
    assert "tidak ada potongan iuran" in text and "Dengan potongan" not in text
    text_en = flat(pdf_text(render_brochure(Brochure("bpu", "en", date(2027, 6, 1))), page=2, box=panel))
    assert "No contribution discount" in text_en


def test_stamp_and_version_in_print_log(store, officer, event):
    stamp = documents.stamp_for(store, event["id"], "0812-3456-7890")
    job = documents.brochure_job("bpu", "id", day=DAY, stamp=stamp)
    text = flat(pdf_text(job.pdf))
    assert "Senam Sehat Cikarang Utara" in text and "Siti Rahmawati" in text
    assert "0812-3456-7890" in text
    row, = documents.log_job(store, job, copies=200, printer="PDF")
    assert row["version"] == brochure_content.load_brochure("bpu", "id").version
    stored = store.query_one("SELECT * FROM print_log WHERE id = ?", (row["id"],))
    assert stored["document"] == "brochure.bpu.id" and stored["copies"] == 200


def test_six_brochures_in_one_pdf():
    pdf = render_brochures([Brochure(k, "id", DAY) for k in brochure_content.KINDS])
    assert len(page_sizes(pdf)) == 12


def test_english_brochure_is_english():
    text = flat(pdf_text(render_brochure(Brochure("jkm", "en", DAY, Stamp(officer_name="Andi")))))
    assert "Death Benefit" in text and "Rp42 million" in text and "Andi" in text
    assert f"Edition {brochure_content.load_brochure('jkm', 'en').version}" in text and "printed 22 November 2026" in text
