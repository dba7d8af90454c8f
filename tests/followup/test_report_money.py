"""The report's money: what the first payments brought (months paid ahead × amount, each
month at its own rules where the plan made at the event is what was paid) and that against
the branch's annual contribution target in rupiah, in the figures, the PDF, the command
line's text and the running totals (rebuilt by migration 13)."""

from __future__ import annotations

import subprocess
from datetime import date

from bpjs_field.domain.followup import KPJ, PAID, StatusChange
from bpjs_field.domain.formatting import today_wib
from bpjs_field.domain.registration import RegistrationInput
from bpjs_field.reporting import funnel
from bpjs_field.store.followup import set_status
from harness import person_input

CILEGON = {"match": "cilegon", "year": 2026, "participants": {},
           "contribution_rupiah": 1_000_000, "source": "uji"}


def paid(store, i, *, months_at_event, months_paid):
    reg = store.registrations.register(RegistrationInput(
        person=person_input(i), segment="bpu", declared_income=1_000_000,
        months_paid=months_at_event, period=today_wib(), consent_version="2026.1",
        consent_given=True)).registration
    set_status(store, reg["id"], StatusChange(KPJ, kpj_no=f"{91000000000 + i}"))
    set_status(store, reg["id"], StatusChange(PAID, paid_months=months_paid))
    return store.registrations.get(reg["id"])


def test_paid_ahead_follows_the_plan_and_the_target(store):
    plan = paid(store, 1, months_at_event=12, months_paid=12)  # the plan made at the event
    other = paid(store, 2, months_at_event=1, months_paid=3)   # paid more than planned
    assert funnel.paid_ahead(plan) == plan["amount_due"]
    assert funnel.paid_ahead(other) == other["monthly_total"] * 3
    report = funnel.build(store, by="segment", targets=CILEGON)
    expected = plan["amount_due"] + other["monthly_total"] * 3
    assert report.total.first_payments == expected
    assert report.total.monthly == plan["monthly_total"] + other["monthly_total"]
    assert report.contribution_target == 1_000_000
    assert report.contribution_progress == expected / 1_000_000
    assert report.as_dict()["contribution_progress"] == expected / 1_000_000
    assert funnel.build(store, by="segment", targets={}).contribution_progress is None
    # The running totals say the same as counting the rows again.
    counted, kept = funnel.recount(store)
    assert counted == kept


def test_december_twelve_months_is_the_plans_total_not_twelve_first_months(store):
    reg = paid(store, 3, months_at_event=12, months_paid=12)
    if today_wib() < date(2026, 12, 31) and reg["monthly_total"] != reg["amount_due"] // 12:
        # A discounted first month: the plan's total is more than 12 x the first month.
        assert reg["amount_due"] > 12 * reg["monthly_total"]
    assert funnel.build(store, targets={}).total.first_payments == reg["amount_due"]


def test_migration_13_rebuilds_the_running_totals(store):
    from bpjs_field.store import migrations
    paid(store, 4, months_at_event=12, months_paid=12)
    before = funnel.build(store, targets={}).total.first_payments
    with store.write():  # as a laptop at version 12 had them: first month x months
        store.db.execute("UPDATE report_registrations SET first_payments = 1")
    store.db.execute("PRAGMA user_version = 12")
    migrations.migrate(store.db, None)
    assert migrations.schema_version(store.db) == migrations.LATEST
    assert funnel.build(store, targets={}).total.first_payments == before
    counted, kept = funnel.recount(store)
    assert counted == kept


def test_pdf_and_text_show_paid_ahead_and_progress(store, tmp_path):
    from bpjs_field.reporting.cli import text_report
    from bpjs_field.reporting.report_pdf import write_report_pdf
    reg = paid(store, 5, months_at_event=3, months_paid=3)
    report = funnel.build(store, by="segment", targets=CILEGON)
    out = tmp_path / "laporan.pdf"
    write_report_pdf(report, out, store)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    from bpjs_field.domain.formatting import format_rupiah
    ahead = format_rupiah(reg["amount_due"])
    assert f"dibayar di muka (bulan × iuran) {ahead}" in text
    ratio = reg["amount_due"] / 1_000_000
    assert ratio < 0.1  # a small share keeps two decimals
    share = f"{100 * ratio:.2f}%".replace(".", ",")
    assert f"Target iuran tahunan Rp1.000.000 · tercapai {ahead} ({share})" in text
    assert "Di muka (Rp)" in text
    lines = text_report(report)
    assert f"Target iuran tahunan Rp1.000.000: tercapai {share}" in lines


def test_call_sheet_leaves_room_for_the_callers_note(tmp_path):
    """The note column had no width ("Catatan" sat on the right margin): it has room now."""
    import re

    from bpjs_field.reporting import call_sheet
    from bpjs_field.reporting.followup_lists import Entry
    entry = Entry("r1", "27PS00010", "bpu", "Siti Aminah Nurhasanah Rahmawati", "3216094512880001",
                  "081234567890", True, "Sosialisasi koperasi / UMKM Tarumajaya Kabupaten Bekasi",
                  "Siti Rahmawati", date(2026, 11, 25), 10, None, 16_800)
    out = tmp_path / "sheet.pdf"
    call_sheet.write_call_sheet(out, call_sheet.render("no_kpj", [entry], full_phone=True,
                                                       days=14, today=date(2026, 12, 5)))
    html = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    page = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    words = {m.group(3): (float(m.group(1)), float(m.group(2))) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)}
    margin, mm = 12 * 72 / 25.4, 72 / 25.4
    x_note = words["Catatan"][0]
    assert page - margin - x_note >= 25 * mm  # at least 25 mm to write in
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "25 November 2026" in text  # the date whole in its column
