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
    detail.today = date(2026, 12, 15)
    detail.show_detail(views.person_detail(store, reg["person_id"]))
    assert "Rp8.400/bulan" in detail.body.toPlainText()
    assert "sekarang" not in detail.body.toPlainText()
