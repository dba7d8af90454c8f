"""Every rupiah on paper equals the rupiah computed: the documents of `scripts/render_docs.py`
(receipts, brochures, the event summary) read back with pdftotext, their amounts compared
with the amounts computed again from the registrations in the script's own database.

The script registers three participants on 5 December 2026 on purpose: a BPU paying twelve
months while the PP 50/2025 discount ends after December, a BPU whose contribution the
Pemerintah Kota Cilegon pays (APBD: no discount), and a worker of a micro business.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bpjs_field.domain.contribution import bpu_contribution, pu_contribution
from bpjs_field.domain.formatting import format_rupiah, rupiah_in_words
from bpjs_field.domain.plan import bpu_plan, month_span, registration_plan
from bpjs_field.domain.programs import wage_programs
from bpjs_field.printing.brochures import PANEL_W
from bpjs_field.store import Store
from tests.printing.conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 22)  # the script's print date


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    db = out / "demo.sqlite3"
    done = subprocess.run([sys.executable, str(ROOT / "scripts/render_docs.py"), "--out", str(out),
                           "--dpi", "30", "--keep-pdf", "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    store = Store.open(db)
    yield out, manifest, store
    store.close()


def _text(out: Path, name: str, **kw) -> str:
    return flat(pdf_text((out / f"{name}.pdf").read_bytes(), **kw))


def _receipt(out: Path, name: str) -> str:
    """A receipt's words in the order they are printed (a wrapped label before its amount,
    as on the narrow roll)."""
    done = subprocess.run(["pdftotext", "-raw", str(out / f"{name}.pdf"), "-"],
                          capture_output=True, check=True)
    return flat(done.stdout.decode("utf-8"))


def _panels(out: Path, name: str) -> str:
    return " | ".join(_panel(out, name, page, index) for page in (1, 2) for index in range(3))


def _panel(out: Path, name: str, page: int, index: int) -> str:
    return _text(out, name, page=page, box=(index * PANEL_W, 0, PANEL_W, 600))


def _expected_plan(reg: dict):
    """The months paid now, computed again from the registration's own fields."""
    first = json.loads(reg["contribution"])["period"]
    return bpu_plan(reg["declared_income"], with_jht="JHT" in json.loads(reg["programs"]),
                    start=first, months=reg["months_paid"], sector=reg["sector"], payer=reg["payer"])


def test_every_bpu_receipt_prints_the_amounts_computed(rendered):
    out, manifest, store = rendered
    receipts = [n for n, v in manifest.items() if n.startswith("receipt") and "registration" in v]
    checked = 0
    for name in receipts:
        reg = store.registrations.get(manifest[name]["registration"])
        if reg["segment"] != "bpu":
            continue
        text = _receipt(out, name)
        plan = _expected_plan(reg)
        assert plan == registration_plan(reg)
        assert reg["amount_due"] in (None, plan.total)
        if plan.changes:  # month by month where the amount changes
            for run in plan.runs:
                assert f"{run.describe()} {format_rupiah(run.total)}" in text, name
            assert f"Jumlah dibayar sekarang {format_rupiah(plan.total)}" in text, name
        else:
            span = month_span(plan.first, plan.last)
            monthly = format_rupiah(plan.runs[0].monthly.total)
            assert (f"Dibayar di muka: {plan.months} bulan ({span}) × {monthly} "
                    f"{format_rupiah(plan.total)}") in text, name
        assert f"({rupiah_in_words(plan.total)})" in text, name
        checked += 1
    assert checked >= 5


def test_twelve_months_across_the_end_of_the_discount(rendered):
    out, manifest, store = rendered
    text = _receipt(out, "receipt-a5-bpu-12-bulan")
    # Hand-computed: December 2026 discounted, the eleven months of 2027 not.
    assert "Dibayar di muka: 12 bulan (Desember 2026–November 2027)" in text
    assert "Desember 2026: Rp8.400 Rp8.400" in text
    assert "Januari–November 2027: 11 × Rp16.800 Rp184.800" in text
    assert "Jumlah dibayar sekarang Rp193.200" in text
    assert "(seratus sembilan puluh tiga ribu dua ratus rupiah)" in text
    assert "Rp100.800" not in text  # 12 × Rp8.400, the old mistake
    assert "berlaku sampai 31 Desember 2026" in text
    assert "Iuran dibayar oleh peserta sendiri" in text
    reg = store.registrations.get(manifest["receipt-a5-bpu-12-bulan"]["registration"])
    assert reg["amount_due"] == 193_200 and reg["monthly_total"] == 8_400


def test_apbd_paid_receipt_names_the_payer_and_has_no_discount(rendered):
    out, manifest, store = rendered
    text = _receipt(out, "receipt-a5-bpu-apbd")
    assert "Iuran dibayar oleh Pemerintah Kota Cilegon (APBD)" in text
    assert "peserta tidak perlu membayar sendiri" in text
    assert "Bayar iuran melalui bank" not in text
    assert "Potongan iuran PP 50/2025 tidak berlaku: iuran dibayar dari APBD" in text
    assert "-Rp" not in text
    assert "Dibayar di muka: 3 bulan (Desember 2026–Februari 2027) × Rp16.800 Rp50.400" in text


def test_wage_earner_receipts_print_the_programmes_of_the_scale(rendered):
    out, manifest, store = rendered
    for name in ("receipt-a5-mikro", "receipt-a5-pu", "receipt-a5-tka"):
        reg = store.registrations.get(manifest[name]["registration"])
        person = store.people.require(reg["person_id"])
        day = date.fromisoformat(reg["created_at"][:10])
        chosen = wage_programs(reg["segment"], reg["employer_scale"], day=day,
                               birth_date=date.fromisoformat(person["birth_date"]))
        c = pu_contribution(reg["wage"], risk_class=reg["risk_class"], period=day,
                            programs=chosen.computed)
        text = _receipt(out, name)
        assert f"Program {', '.join(chosen.programs)}" in text, name
        for line in c.lines:
            assert format_rupiah(line.amount) in text, (name, line)
        assert f"Total iuran per bulan {format_rupiah(c.total)}" in text, name
        assert f"Bagian pemberi kerja {format_rupiah(c.employer_total)}" in text
        for reason in chosen.reasons:
            assert flat(reason.text()) in text, (name, reason)
    mikro = _receipt(out, "receipt-a5-mikro")
    assert "Skala usaha Usaha mikro" in mikro and "Program JKK, JKM" in mikro
    assert "Total iuran per bulan Rp32.070" in mikro  # JKK 14.253 + JKM 17.817
    assert "Iuran dibayar oleh Warung Makan Bu Sri (pemberi kerja)" in mikro


def test_jkk_and_jht_brochures_show_the_discount_with_its_end_and_exclusion(rendered):
    out, _, _ = rendered
    plain = bpu_contribution(1_000_000, with_jht=False, period=DAY, sector="perdagangan")
    with_jht = bpu_contribution(1_000_000, with_jht=True, period=DAY, sector="perdagangan")
    for name, panel, amount in (("brochure-jkk-id", 0, plain.total), ("brochure-jht-id", 1, with_jht.total)):
        text = _panel(out, name, 2, panel)
        # The label may wrap beside its amount, so the two are checked apart.
        assert "Dengan potongan 50%" in text or f"JKM {format_rupiah(amount)}" in text, name
        assert format_rupiah(amount) in text
        assert "sampai 31 Desember 2026, transportasi sampai 31 Maret 2027" in text, name
        assert "tidak untuk iuran dari APBD/APBN" in text, name
        assert "Tarif yang berlaku pada 22 November 2026" in text


def test_caps_show_their_period_and_an_unconfirmed_one_is_an_estimate(rendered):
    out, _, _ = rendered
    jp = _panel(out, "brochure-jp-id", 2, 1)
    assert "Rp11.086.300 batas upah JP per bulan, berlaku sejak 1 Maret 2026 " \
           "(perkiraan; pastikan di kantor cabang)" in jp
    example = _panel(out, "brochure-jp-id", 2, 2)
    c = pu_contribution(15_000_000, risk_class=1, period=DAY)
    assert "(perkiraan)" in example
    assert format_rupiah(c.line("JP", "pemberi_kerja").amount) in example
    assert format_rupiah(c.line("JP", "pekerja").amount) in example
    jkp = _panel(out, "brochure-jkp-id", 2, 0)
    assert "paling tinggi Rp5.000.000 (PP 6/2025, berlaku sejak 7 Februari 2025)" in jkp
    assert "perkiraan" not in jkp


def test_bpu_brochure_tables_say_until_when_and_for_whom(rendered):
    out, _, _ = rendered
    text = _panels(out, "brochure-bpu-id")
    assert "sampai 31 Desember 2026, transportasi sampai 31 Maret 2027; tidak untuk iuran dari APBD/APBN" in text


def test_event_summary_totals_equal_the_months_computed(rendered):
    out, manifest, store = rendered
    event_id = manifest["event-summary"]["event"]
    regs = [r for r in store.registrations.for_event(event_id) if r["segment"] == "bpu"]
    total = sum(_expected_plan(r).total for r in regs)
    text = _text(out, "event-summary")
    assert f"Iuran BPU dibayar di muka: {format_rupiah(total)}" in text
    # The discount ending after December shows as a change between months.
    assert "Desember 2026" in text and "2027" in text


def test_long_receipts_keep_to_their_sheet(rendered):
    out, manifest, _ = rendered
    for name in (n for n in manifest if n.startswith("receipt")):
        text = _receipt(out, name)
        # The last lines (contact centre, print time) are still on the page.
        assert "Contact Center BPJS Ketenagakerjaan 175" in text and "Dicetak 22 November 2026" in text, name


def test_a_registration_saved_before_plans_were_kept_prints_each_month(tmp_path, monkeypatch, store,
                                                                       bpu_reg):
    """A laptop's database from before migration 5 holds only the first month's contribution:
    after the migration its receipt computes the months paid again, each at its own rules."""
    from bpjs_field.printing import documents
    from bpjs_field.store import migrations

    old = tmp_path / "old.sqlite3"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:4])
    monkeypatch.setattr(migrations, "LATEST", 4)
    with Store.open(old) as s:
        assert s.scalar("PRAGMA user_version") == 4
        def columns(table: str) -> set[str]:  # as they were at migration 4
            return {r["name"] for r in s.query(f"PRAGMA table_info({table})")}

        person = {k: v for k, v in store.people.require(bpu_reg["person_id"]).items()
                  if k in columns("people")}
        s.db.execute(f"INSERT INTO people({', '.join(person)}) VALUES "
                     f"({', '.join('?' * len(person))})", list(person.values()))
        assert not {"payer_name", "employer_scale", "amount_due"} & columns("registrations")
        reg = {k: v for k, v in bpu_reg.items() if k in columns("registrations")}
        reg["event_id"] = None
        reg["contribution"] = json.dumps(
            {k: v for k, v in json.loads(bpu_reg["contribution"]).items() if k != "plan"})
        s.db.execute(f"INSERT INTO registrations({', '.join(reg)}) VALUES ({', '.join('?' * len(reg))})",
                     list(reg.values()))
        s.db.conn.commit()
    monkeypatch.undo()
    with Store.open(old) as s:
        assert s.scalar("PRAGMA user_version") == migrations.LATEST
        row = s.registrations.get(bpu_reg["id"])
        assert row["amount_due"] is None and row["payer_name"] is None and row["employer_scale"] is None
        assert registration_plan(row).total == 2 * 8_400 + 16_800  # November, December, January
        text = flat(pdf_text(documents.receipt_job(s, bpu_reg["id"], "a5").pdf))
    assert "November–Desember 2026: 2 × Rp8.400 Rp16.800" in text
    assert "Januari 2027: Rp16.800 Rp16.800" in text and "Jumlah dibayar sekarang Rp33.600" in text


def test_a_discount_starting_within_the_months_paid_is_explained(store, officer, event):
    """Paid in March 2026 for six months: March at the full rate, April - August with the
    PP 50/2025 discount (other sectors from 1 April 2026)."""
    from bpjs_field.domain.registration import PersonInput, RegistrationInput
    from bpjs_field.printing import documents
    day = date(2026, 3, 10)
    form = RegistrationInput(segment="bpu", consent_given=True, consent_version="PDP-2026.1",
                             event_id=event["id"], period=day, declared_income=1_000_000,
                             months_paid=6, occupation="pedagang",
                             person=PersonInput(full_name="Budi Santoso", nik="3216091204850001"))
    reg = store.registrations.register(form, today=day).registration
    assert reg["amount_due"] == 16_800 + 5 * 8_400
    text = flat(pdf_text(documents.receipt_job(store, reg["id"], "a5").pdf))
    assert "Potongan iuran 50% JKK dan JKM (PP 50/2025) berlaku untuk April–Agustus 2026" in text
    assert "Maret 2026: Rp16.800 Rp16.800" in text
    assert "April–Agustus 2026: 5 × Rp8.400 Rp42.000" in text
    assert "Jumlah dibayar sekarang Rp58.800" in text


def test_a_wage_above_an_unconfirmed_jp_cap_prints_the_cap_as_an_estimate(store, officer, event):
    from bpjs_field.domain.registration import PersonInput, RegistrationInput
    from bpjs_field.printing import documents
    day = date(2026, 12, 5)
    form = RegistrationInput(segment="pu", consent_given=True, consent_version="PDP-2026.1",
                             event_id=event["id"], period=day, wage=15_000_000, risk_class=2,
                             employer_name="PT Maju Jaya Cikarang", employer_scale="besar",
                             person=PersonInput(full_name="Siti Nurhaliza", nik="3216095507900002"))
    reg = store.registrations.register(form, today=day).registration
    text = flat(pdf_text(documents.receipt_job(store, reg["id"], "a4").pdf))
    # JP on the 2026 cap Rp11.086.300 (payroll code only, no official announcement found).
    assert ("JP 2% × Rp11.086.300 (batas upah, perkiraan; pastikan di kantor cabang) "
            "(pemberi kerja) Rp221.726") in text
    assert "JP 1% × Rp11.086.300 (batas upah, perkiraan; pastikan di kantor cabang) (pekerja) Rp110.863" in text
    assert "JHT 3,7% × Rp15.000.000 (pemberi kerja) Rp555.000" in text
