"""The person's detail shows each registration's follow-up and records it (Ctrl+K): a
refused KPJ number is shown under its field and nothing is saved; a good one is saved,
shown, in the change log and audited."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bpjs_field.domain.followup import KPJ, PAID
from bpjs_field.domain.registration import PersonInput, RegistrationInput
from gui_helpers import type_text


def test_followup_from_the_person_detail(qtbot, store, officer, make_window):
    done = store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name="Siti Aminah", nik="3216094512880001",
                                          phone="081234567890"),
        consent_given=True, consent_version="2026-01", declared_income=1_000_000))
    window = make_window()
    window.show_page("people")
    page = window.people
    qtbot.waitUntil(lambda: page.people.rowCount() == 1)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.person is not None)
    assert "Terdaftar di acara" in page.detail.body.toPlainText()
    qtbot.keyClick(page.table, Qt.Key_K, Qt.ControlModifier)
    dialog = page.followup_dialog
    assert dialog.isVisible()
    dialog.status.setCurrentIndex(dialog.status.findData(KPJ))
    assert dialog.boxes["kpj_no"].isVisible() and not dialog.boxes["reason"].isVisible()
    type_text(qtbot, dialog.kpj_no, "1234567890")
    dialog.save_button.click()
    assert "11 angka" in dialog.boxes["kpj_no"].message.text()
    assert store.registrations.get(done.registration["id"])["status"] == "baru"
    dialog.kpj_no.clear()
    type_text(qtbot, dialog.kpj_no, "12345678901")
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        dialog.save_button.click()
    row = store.registrations.get(done.registration["id"])
    assert (row["status"], row["kpj_no"]) == (KPJ, "12345678901")
    qtbot.waitUntil(lambda: "KPJ terbit" in page.detail.body.toPlainText())
    assert "12345678901" in page.detail.body.toPlainText()
    # Next time the dialog proposes the next step, the first payment.
    qtbot.keyClick(page.table, Qt.Key_K, Qt.ControlModifier)
    assert page.followup_dialog.status.currentData() == PAID
    assert page.followup_dialog.kpj_no.text() == "12345678901"
    page.followup_dialog.reject()
    audit = store.query("SELECT action FROM audit_log WHERE action = 'registration.followup'")
    assert len(audit) == 1
