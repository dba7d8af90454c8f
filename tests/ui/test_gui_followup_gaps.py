"""The gaps closed after the event: this month's amount on the person's detail, a KPJ card
scanned into the follow-up, the status filter of the people list, the Laporan page's
shortcut and its absence for officers, and the branch's targets set in Pengaturan."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).parents[1] / "followup"))
sys.path.insert(0, str(Path(__file__).parents[1] / "server"))

from bpjs_field.domain.registration import RegistrationInput  # noqa: E402
from harness import person_input  # noqa: E402


def bpu(store, i, *, months=1, period=None, **extra):
    return store.registrations.register(RegistrationInput(
        person=person_input(i), segment="bpu", declared_income=1_000_000, months_paid=months,
        period=period, consent_version="2026.1", consent_given=True, **extra)).registration


def test_detail_shows_this_months_amount(qtbot, translations, store):
    from bpjs_field.store import views
    from ui.pages.person_detail import PersonDetail
    reg = bpu(store, 4, months=3, period=date(2026, 12, 5))
    detail = PersonDetail("id")
    qtbot.addWidget(detail)
    detail.today = date(2027, 1, 15)
    detail.show_detail(views.person_detail(store, reg["person_id"]))
    text = detail.body.toPlainText()
    assert "Rp16.800/bulan sekarang (bulan pertama Rp8.400)" in text
    # Consent given to an earlier notice (not listing the mother's name, KK, heirs) says so.
    assert "versi 2026.1" in text and "pemberitahuan versi lama (kini 2026-12)" in text
    detail.today = date(2026, 12, 15)
    detail.show_detail(views.person_detail(store, reg["person_id"]))
    assert "Rp8.400/bulan" in detail.body.toPlainText()
    assert "sekarang" not in detail.body.toPlainText()


def test_people_list_filters_by_follow_up_status(qtbot, translations, store, officer,
                                                 make_window):
    from bpjs_field.domain.followup import KPJ, STOPPED, StatusChange
    from bpjs_field.store.followup import set_status
    regs = [bpu(store, i, period=date(2026, 11, 20)) for i in (11, 12, 13, 14)]
    set_status(store, regs[1]["id"], StatusChange(KPJ, kpj_no="90000000012"))
    set_status(store, regs[2]["id"], StatusChange(STOPPED, reason="pindah kota"))
    assert len(store.people.ordered_rowids("kpj")) == 1
    assert len(store.people.ordered_rowids("baru")) == 2
    window = make_window()
    window.show_page("people")
    page = window.people
    qtbot.waitUntil(lambda: page.people.rowCount() == 4)
    page.status_filter.setCurrentIndex(page.status_filter.findData(KPJ))
    qtbot.waitUntil(lambda: page.people.rowCount() == 1)
    qtbot.waitUntil(lambda: page.people.row_at(0) is not None)
    assert page.people.row_at(0)["id"] == regs[1]["person_id"]
    assert page.count.text() == "1 peserta · KPJ terbit"
    page.status_filter.setCurrentIndex(page.status_filter.findData(STOPPED))
    qtbot.waitUntil(lambda: page.people.rowCount() == 1)
    qtbot.waitUntil(lambda: page.people.row_at(0) is not None)
    assert page.people.row_at(0)["id"] == regs[2]["person_id"]
    # A search keeps the filter: the number of a person registered but not followed up
    # finds nobody while "stopped" is chosen, and finds them with "registered".
    nik = store.people.get(regs[0]["person_id"])["nik"]
    page.search.setText(nik)
    qtbot.waitUntil(lambda: page.table.model() is page.results)
    assert page.results.rowCount() == 0
    page.status_filter.setCurrentIndex(page.status_filter.findData("baru"))
    qtbot.waitUntil(lambda: page.results.rowCount() == 1)
    page.status_filter.setCurrentIndex(0)
    page.search.clear()
    qtbot.waitUntil(lambda: page.table.model() is page.people and page.people.rowCount() == 4)
