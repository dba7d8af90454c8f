"""Brochure panels look finished and their worked examples follow the data.

Every panel of every brochure, in both languages, fits and leaves at most a
quarter of its height blank: measured from the layout the code computes, on
print days with two, one and no BPU discount windows (the discount sections
change length), and cross-checked in the PDF by where poppler finds the words.
The worked examples ("for a wage of Rp5.000.000 the employer pays ...") are
computed on the print day from the dated rates: the bundled ones give the
figures domain.md lists, and a temporary rates (or benefits) file with a newer
row changes the printed figures from that row's date on.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from bpjs_field.domain.contribution import bpu_contribution, pu_contribution
from bpjs_field.domain.formatting import format_rupiah
from bpjs_field.domain.rates import RateTable
from bpjs_field.paths import resource_path
from bpjs_field.printing import brochure_content
from bpjs_field.printing.brochures import (MARGIN_X, MARGIN_Y, PAGE, PANEL_W, Brochure, brochure_layout,
                                          render_brochure)

from .conftest import pdf_text, pdf_words

DAY = date(2026, 11, 22)  # both PP 50/2025 windows open
ONE_WINDOW = date(2027, 2, 10)  # only the transport window
NO_DISCOUNT = date(2027, 6, 1)
MIN_FILL = 0.75  # at most a quarter of a panel left blank
PANELS = ["flap", "back", "inside 1", "inside 2", "inside 3"]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def panel_text(pdf: bytes, page: int, index: int) -> str:
    return flat(pdf_text(pdf, page=page, box=(index * PANEL_W, 0, PANEL_W, PAGE[1])))


# -- layout --------------------------------------------------------------------

@pytest.mark.parametrize("day", [DAY, ONE_WINDOW, NO_DISCOUNT], ids=str)
@pytest.mark.parametrize("lang", brochure_content.LANGS)
@pytest.mark.parametrize("kind", brochure_content.KINDS)
def test_every_panel_fits_and_is_filled(kind, lang, day):
    panels = brochure_layout(Brochure(kind, lang, day))
    assert [p.name for p in panels] == [f"{kind}.{lang} {name}" for name in PANELS]
    for p in panels:
        assert p.used <= p.room + 0.01, f"{p.name} overflows: {p.used:.0f} pt in {p.room:.0f}"
        assert p.used >= MIN_FILL * p.room, f"{p.name} is {1 - p.used / p.room:.0%} blank"
        # The spare height is spread out, not made up: most of a panel is content.
        assert p.content >= 0.65 * p.room, f"{p.name} has {p.content / p.room:.0%} content"
    inside = {p.base for p in panels[2:]}
    assert len(inside) == 1  # one type size across the inside, as a reader sees it


@pytest.mark.parametrize("lang", brochure_content.LANGS)
@pytest.mark.parametrize("kind", brochure_content.KINDS)
def test_words_stay_in_their_panel_and_reach_down_it(kind, lang):
    """The reader's view: in the PDF, the text of the flap and of each inside panel
    stays inside the panel's margins and runs most of the way down."""
    pdf = render_brochure(Brochure(kind, lang, DAY))
    room = PAGE[1] - 2 * MARGIN_Y
    for page, index in [(1, 0), (2, 0), (2, 1), (2, 2)]:
        left = index * PANEL_W
        words = [w for w in pdf_words(pdf, page) if left <= (w.x0 + w.x1) / 2 < left + PANEL_W]
        where = f"{kind}.{lang} page {page} panel {index + 1}"
        assert words, where
        assert min(w.x0 for w in words) >= left + MARGIN_X - 0.5, where
        assert max(w.x1 for w in words) <= left + PANEL_W - MARGIN_X + 0.5, where
        assert min(w.y0 for w in words) >= MARGIN_Y - 0.5, where
        lowest = max(w.y1 for w in words)
        assert lowest <= PAGE[1] - MARGIN_Y + 0.5, f"{where}: text runs off the bottom"
        assert lowest - MARGIN_Y >= 0.7 * room, f"{where}: text stops at {(lowest - MARGIN_Y) / room:.0%}"


# -- worked examples with the bundled rates --------------------------------------

def test_worked_examples_give_the_domain_figures():
    """domain.md §0, §2.2 and §2.3: the percentages applied to Rp5.000.000, and the
    BPU amounts at the lowest income, Rp16.800 (Rp8.400 with the PP 50/2025 discount)."""
    jp = render_brochure(Brochure("jp", "id", DAY))
    inside2 = panel_text(jp, 2, 1)
    assert "Iuran per bulan untuk upah Rp5.000.000 (tarif per 22 November 2026)" in inside2
    for row in ("Pemberi kerja 2% Rp100.000", "Pekerja 1% Rp50.000", "Jumlah 3% Rp150.000"):
        assert row in inside2
    inside3 = panel_text(jp, 2, 2)  # Rp15.000.000 is above the cap: JP counts Rp11.086.300
    for amount in ("Rp15.000.000", "Rp11.086.300", "Rp221.726", "Rp110.863", "Rp332.589"):
        assert amount in inside3
    assert "Tarif yang berlaku pada 22 November 2026" in inside3

    jht = render_brochure(Brochure("jht", "id", DAY))
    inside2 = panel_text(jht, 2, 1)
    for row in ("Pemberi kerja 3,7% Rp185.000", "Pekerja 2% Rp100.000", "Jumlah 5,7% Rp285.000"):
        assert row in inside2
    assert "Setahun Rp3.420.000 masuk saldo JHT" in inside2
    for amount in ("Rp10.000", "Rp6.800", "Rp20.000", "Rp36.800", "Rp28.400"):
        assert amount in inside2

    jkk = render_brochure(Brochure("jkk", "en", DAY))
    inside1, inside3 = panel_text(jkk, 2, 0), panel_text(jkk, 2, 2)
    for amount in ("Rp16.800", "Rp8.400", "Rp48.000.000", "Rp56.000.000"):
        assert amount in inside1
    assert "With the 50% discount" in inside1 and "all sectors" in inside1
    assert "Rates in force on 22 November 2026" in inside1
    for row in ("Very low 0,24% Rp12.000", "Medium 0,89% Rp44.500", "Very high 1,74% Rp87.000"):
        assert row in inside3

    jkm = render_brochure(Brochure("jkm", "id", DAY))
    assert all(a in panel_text(jkm, 2, 0) for a in ("Rp10.000", "Rp6.800", "Rp16.800", "Rp8.400"))
    assert "Pemberi kerja 0,3% Rp15.000" in panel_text(jkm, 2, 2)

    jkp = render_brochure(Brochure("jkp", "id", DAY))
    inside2, inside3 = panel_text(jkp, 2, 1), panel_text(jkp, 2, 2)
    assert all(a in inside2 for a in ("Rp11.000", "Rp7.000", "Rp18.000"))  # 0,22% + 0,14% of Rp5 jt
    assert "Contoh uang tunai JKP (ketentuan per 22 November 2026)" in inside3
    assert "Rp4.000.000 Rp2.400.000 Rp14.400.000" in inside3
    assert "Rp5.000.000 Rp3.000.000 Rp18.000.000" in inside3
    assert "Rp8.000.000 Rp3.000.000 Rp18.000.000" in inside3  # the benefit wage is capped at Rp5 jt


def test_example_names_do_not_shadow_the_brochure_figures():
    plain = brochure_content.figures(DAY)
    example = brochure_content.example_figures(DAY, wage=5_000_000, income="min")
    discount, = brochure_content.bpu_discounts(DAY, "min")
    assert not set(plain) & set(example)
    assert not set(discount) & (set(plain) | set(example))
    assert example["jp_employer_amount"] == "Rp100.000" and plain["jp_employer"] == "2%"


# -- worked examples follow a newer dated row -------------------------------------

def _rates_with(tmp_path, **rows) -> RateTable:
    """The bundled rates plus, for each table named, one newer row (the last one, changed)."""
    data = json.loads(resource_path("reference", "rates.json").read_text("utf-8"))
    for table, changes in rows.items():
        data[table].append(dict(data[table][-1], **changes))
    path = tmp_path / "rates.json"
    path.write_text(json.dumps(data), "utf-8")
    return RateTable(path)


def test_pu_examples_follow_the_rates_of_the_print_day(tmp_path):
    # Made up for the test: from 1 November 2026 JP is 2,5% + 1,5% on a Rp12.000.000 cap.
    rates = _rates_with(tmp_path, pu={"effective_from": "2026-11-01", "jp_employer_percent": "2.5",
                                      "jp_worker_percent": "1.5"},
                        jp_wage_cap={"effective_from": "2026-11-01", "amount": 12_000_000})
    before = date(2026, 10, 22)
    for day, when in ((before, "22 Oktober 2026"), (DAY, "22 November 2026")):
        pdf = render_brochure(Brochure("jp", "id", day), rates=rates)
        inside2, inside3 = panel_text(pdf, 2, 1), panel_text(pdf, 2, 2)
        # What the project's contribution code gives with these rates is what is printed.
        at_5m = pu_contribution(5_000_000, risk_class=1, period=day, rates=rates)
        above = pu_contribution(15_000_000, risk_class=1, period=day, rates=rates)
        for line in (at_5m.line("JP", "pemberi_kerja"), at_5m.line("JP", "pekerja")):
            assert format_rupiah(line.amount) in inside2
        for line in (above.line("JP", "pemberi_kerja"), above.line("JP", "pekerja")):
            assert format_rupiah(line.amount) in inside3
        assert format_rupiah(above.line("JP", "pemberi_kerja").base) in inside3
        assert f"(tarif per {when})" in inside2 and f"Tarif yang berlaku pada {when}" in inside3
        if day == before:
            assert "Pemberi kerja 2% Rp100.000" in inside2 and "Rp11.086.300" in inside2
        else:
            assert "Pemberi kerja 2,5% Rp125.000" in inside2 and "Pekerja 1,5% Rp75.000" in inside2
            assert "Rp12.000.000" in inside2 and "Rp11.086.300" not in inside2
            assert all(a in inside3 for a in ("Rp12.000.000", "Rp300.000", "Rp180.000", "Rp480.000"))


def test_bpu_examples_follow_the_rates_of_the_print_day(tmp_path):
    # Made up for the test: from 1 November 2026 the lowest income is Rp1.200.000 and JKM Rp7.000.
    rates = _rates_with(tmp_path, bpu={"effective_from": "2026-11-01", "min_declared_income": 1_200_000,
                                       "jkm_flat": 7000})
    pdf = render_brochure(Brochure("jkm", "id", DAY), rates=rates)
    inside1 = panel_text(pdf, 2, 0)
    plain = bpu_contribution(1_200_000, with_jht=False, period=DAY, rates=rates, sector="umum")
    assert plain.gross == 19_000 and plain.total == 9_500  # JKK 12.000 + JKM 7.000, halved
    assert "Contoh BPU: penghasilan Rp1.200.000 sebulan" in inside1
    for amount in ("Rp12.000", "Rp7.000", "Rp19.000", "Rp9.500"):
        assert amount in inside1
    assert "Rp16.800" not in inside1
    # Before the new row, the bundled figures.
    old = panel_text(render_brochure(Brochure("jkm", "id", date(2026, 10, 22)), rates=rates), 2, 0)
    assert "Rp1.000.000" in old and "Rp16.800" in old and "Rp19.000" not in old


def test_jkp_example_follows_the_benefit_rules_of_the_print_day(tmp_path):
    data = json.loads(resource_path("brochures", "benefits.json").read_text("utf-8"))
    data["jkp"].append(dict(data["jkp"][-1], effective_from="2026-11-01", benefit_wage_cap=6_000_000))
    path = tmp_path / "benefits.json"
    path.write_text(json.dumps(data), "utf-8")
    benefits = brochure_content.Benefits(path)
    new = render_brochure(Brochure("jkp", "id", DAY), benefits=benefits)
    old = render_brochure(Brochure("jkp", "id", date(2026, 10, 22)), benefits=benefits)
    assert "Rp8.000.000 Rp3.600.000 Rp21.600.000" in panel_text(new, 2, 2)
    assert "paling tinggi Rp6.000.000" in panel_text(new, 2, 0)
    assert "Rp8.000.000 Rp3.000.000 Rp18.000.000" in panel_text(old, 2, 2)
    assert "paling tinggi Rp5.000.000" in panel_text(old, 2, 0)


def test_discount_rows_and_sections_follow_the_windows():
    """A row or block marked `when: discount` shows only while a BPU discount is in
    force; `no_discount` content takes its place after."""
    jkk = panel_text(render_brochure(Brochure("jkk", "id", ONE_WINDOW)), 2, 0)
    assert "Dengan potongan 50%" in jkk and "sektor transportasi" in jkk and "Rp8.400" in jkk
    after = render_brochure(Brochure("jkk", "id", NO_DISCOUNT))
    assert "Dengan potongan" not in panel_text(after, 2, 0) and "Rp16.800" in panel_text(after, 2, 0)
    bpu = panel_text(render_brochure(Brochure("bpu", "id", NO_DISCOUNT)), 2, 2)
    assert "Contoh perlindungan" in bpu and "Rp48.000.000" in bpu and "JHT tidak dipotong" not in bpu
    bpu = panel_text(render_brochure(Brochure("bpu", "id", DAY)), 2, 2)
    assert "Contoh perlindungan" not in bpu and "JHT tidak dipotong" in bpu
